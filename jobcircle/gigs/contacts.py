"""The two sides of a gig see each other's phone, for that gig only (issue 20; SEC-10, SEC-12).

A second reveal door beside people's (listed in tests/common/test_pii_reads.py and
docs/decisions/one-writer.md): a gig's poster may call its confirmed workers and each confirmed worker
may call the poster, as a recruiting applicant's phone is shown to the employer it applied to. Everywhere
else (lists, the API, the back office) the numbers stay masked.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jobcircle.accounts.enums import STAFF_ROLES
from jobcircle.accounts.services import RateLimited, hit_rate_counter
from jobcircle.common import pii
from jobcircle.common.audit import log_action

from .enums import CONTACT_VISIBLE
from .services import _poster_side, _worker

AFTER_END = datetime.timedelta(days=7)  # the numbers stay visible a week after the gig ends (pay, disputes)


def _ceiling(by):
    """The per-user reveal ceiling of people's door (JOBCIRCLE_REVEAL_LIMIT per window), counted apart."""
    minutes = settings.JOBCIRCLE_REVEAL_WINDOW_MINUTES
    window = int(timezone.now().timestamp() // (minutes * 60))
    expires = timezone.now() + datetime.timedelta(minutes=2 * minutes)
    if hit_rate_counter(f"gig-contact:user:{by.pk}:w:{window}", expires) > settings.JOBCIRCLE_REVEAL_LIMIT:
        raise RateLimited(f"查看联系电话过于频繁：每{minutes}分钟最多{settings.JOBCIRCLE_REVEAL_LIMIT}次，请稍后再试")


def other_side_phone(signup, *, by, scope) -> dict:
    """The phone of the other side of ``signup``: the poster sees the worker's, the worker the poster's.

    - only from confirmation until completion (确认、签到、签退、完工), and until a week after the gig ends;
    - the gig's own two sides only (an employer poster, a resident poster, the worker); staff use
      people's reveal door; a 零工驿站's gig gives the worker the station's address instead of a phone;
    - audited ``gigs.contact.revealed`` (never the number), and counted against the reveal ceiling.
    Returns {"name", "phone"}.
    """
    gig = signup.gig
    if signup.status not in CONTACT_VISIBLE or timezone.now() > gig.ends_at + AFTER_END:
        raise PermissionDenied("确认用工后、零工结束一周内才能查看对方联系电话")
    if _worker(signup, by, scope):
        if gig.employer_id:
            name, encrypted = gig.employer.contact_name, gig.employer.contact_phone_encrypted
        elif gig.poster_resident_id:
            name, encrypted = pii.mask_name(gig.poster_resident.name), gig.poster_resident.phone_encrypted
        else:
            raise PermissionDenied("驿站代发的零工请到零工驿站联系")
        side = "poster"
    elif _poster_side(signup, by, scope) and scope.role not in STAFF_ROLES:
        name, encrypted, side = pii.mask_name(signup.worker.name), signup.worker.phone_encrypted, "worker"
    else:
        raise PermissionDenied("只有该零工的双方可以查看对方联系电话")
    if not encrypted:
        raise PermissionDenied("对方未登记联系电话")
    _ceiling(by)
    phone = pii.decrypt(encrypted)
    log_action("gigs.contact.revealed", by=by, obj=signup, data={"side": side, "gig": gig.pk})
    return {"name": name, "phone": phone}
