"""Signals employers sends for the layers above it (employers imports nothing of them).

- ``job_opened(job_id, reason)``: a job became open (published or reopened) or, open, got more places;
  sent once the transaction commits. ``matching`` pushes it to its best candidates at once (issue 18).
"""

from django.db import transaction
from django.dispatch import Signal

job_opened = Signal()

OPENED, PLACES_ROSE = "opened", "places_rose"


def announce_job_opened(job, reason):
    """Send ``job_opened`` for ``job`` after the commit."""
    job_id = job.pk
    transaction.on_commit(lambda: job_opened.send(sender=type(job), job_id=job_id, reason=reason))
