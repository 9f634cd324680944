"""QR check-in codes (签到码): signed and dated, so a photo of yesterday's code does not work today.

A code names either a gig's site (the poster shows it on their phone at the site) or a 零工驿站 (shown on the
station's screen). It carries no personal data; ``read`` refuses a forged, altered or expired code.
"""

import datetime

from django.core import signing
from django.core.exceptions import ValidationError

SALT = "jobcircle.gigs.checkin"
SITE, STATION = "g", "s"
MAX_AGE = datetime.timedelta(minutes=30)  # a code on a screen is refreshed; a stale one is refused
_signer = signing.TimestampSigner(salt=SALT)
BAD = "签到码：无效或已过期，请重新扫描现场或驿站的二维码"


def site_code(gig) -> str:
    """The code of a gig's site, shown by its poster."""
    return _signer.sign(f"{SITE}{gig.pk}")


def station_code(gig_station) -> str:
    """The code of a 零工驿站, shown on its screen."""
    return _signer.sign(f"{STATION}{gig_station.pk}")


def read(token: str) -> tuple[str, int]:
    """(kind, id) of a valid code; ValidationError on ``token`` for a forged, altered or expired one."""
    token = str(token or "")[:200]
    try:
        value = _signer.unsign(token, max_age=MAX_AGE)
    except signing.BadSignature:
        raise ValidationError({"token": [BAD]}) from None
    kind, number = value[:1], value[1:]
    if kind not in (SITE, STATION) or not number.isdigit():
        raise ValidationError({"token": [BAD]})
    return kind, int(number)
