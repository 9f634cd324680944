"""Signals people sends for the layers above it (people imports nothing of them).

- ``job_seeker_changed(resident_id, reason)``: a job seeker registered, or changed their intention or
  home; sent once the transaction commits. ``matching`` pushes their top jobs at once (issue 18).
"""

from django.db import transaction
from django.dispatch import Signal

job_seeker_changed = Signal()

REGISTERED, INTENTION, HOME = "registered", "intention", "home"


def announce_job_seeker(resident, reason):
    """Send ``job_seeker_changed`` after the commit, for a job seeker only."""
    if resident.is_job_seeking:
        resident_id = resident.pk
        transaction.on_commit(lambda: job_seeker_changed.send(sender=type(resident), resident_id=resident_id,
                                                              reason=reason))  # fmt: skip
