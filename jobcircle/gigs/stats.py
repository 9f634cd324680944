"""The figures of the gig market and employee sharing, for an area and a period (registered in
insights/figures.py, block "gigs and sharing"). Each function is the one place its figure is counted;
each ``*_records`` lists the rows behind it with the same filter.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from jobcircle.areas.querysets import AreaValue
from jobcircle.employers.models import Employer

from .enums import STARTED_AGREEMENTS, TAKING_PLACE, Consent, GigStatus, SignupStatus
from .models import Gig, GigSignup, SharedWorker, SharingAgreement, WalkIn


def _moments(start: datetime.date, end: datetime.date):
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    return first, timezone.make_aware(datetime.datetime.combine(end, datetime.time())) + datetime.timedelta(days=1)


def published_gigs(region: AreaValue, start, end):
    """发布零工（个）: gigs first opened (published) in the period, whatever happened to them since."""
    return Gig.objects.in_area(region).published_between(start, end).exclude(published_on=None)


def signups_made(region: AreaValue, start, end):
    """零工服务（人次）: sign-ups made in the period (each worker and gig once), whatever their outcome."""
    first, last = _moments(start, end)
    return GigSignup.objects.in_area(region).filter(created_at__gte=first, created_at__lt=last)


def deals(region: AreaValue, start, end):
    """零工达成（人次）: sign-ups confirmed by the poster in the period (达成), whatever happened after."""
    first, last = _moments(start, end)
    return GigSignup.objects.in_area(region).filter(confirmed_at__gte=first, confirmed_at__lt=last)


def paid(region: AreaValue, start, end):
    """零工报酬（元）: the pay recorded for sign-ups completed in the period."""
    return GigSignup.objects.in_area(region).filter(
        status=SignupStatus.COMPLETED, completed_on__gte=start, completed_on__lte=end
    )


def walk_ins(region: AreaValue, start, end):
    """驿站来访（人次）: visits registered at the 零工驿站 of the area in the period."""
    first, last = _moments(start, end)
    return WalkIn.objects.in_area(region).filter(visited_at__gte=first, visited_at__lt=last)


@dataclass(frozen=True)
class GigFigures:
    gigs: int
    places: int
    signups: int
    deals: int
    income_yuan: Decimal
    walk_ins: int


def gig_figures(region: AreaValue, start: datetime.date, end: datetime.date) -> GigFigures:
    """The gig market's figures for an area and period (all flows; see each queryset's definition)."""
    published = published_gigs(region, start, end)
    income = paid(region, start, end).aggregate(total=Sum("pay_amount"))["total"]
    return GigFigures(
        gigs=published.count(),
        places=published.aggregate(total=Sum("headcount"))["total"] or 0,
        signups=signups_made(region, start, end).count(),
        deals=deals(region, start, end).count(),
        income_yuan=(income or Decimal(0)).quantize(Decimal("0.01")),
        walk_ins=walk_ins(region, start, end).count(),
    )


def by_station(region: AreaValue, start, end) -> list[dict]:
    """The same figures per 零工驿站 serving the area's gigs (gigs without a station under “未指定驿站”)."""
    rows: dict = {}
    for gig in published_gigs(region, start, end).select_related("gig_station__station"):
        key = gig.gig_station.station.name if gig.gig_station_id else "未指定驿站"
        row = rows.setdefault(key, {"station": key, "gigs": 0, "places": 0, "deals": 0, "income_yuan": Decimal(0)})
        row["gigs"] += 1
        row["places"] += gig.headcount
    for signup in deals(region, start, end).select_related("gig__gig_station__station"):
        key = signup.gig.gig_station.station.name if signup.gig.gig_station_id else "未指定驿站"
        rows.setdefault(key, {"station": key, "gigs": 0, "places": 0, "deals": 0, "income_yuan": Decimal(0)})
        rows[key]["deals"] += 1
    for signup in paid(region, start, end).select_related("gig__gig_station__station"):
        key = signup.gig.gig_station.station.name if signup.gig.gig_station_id else "未指定驿站"
        rows.setdefault(key, {"station": key, "gigs": 0, "places": 0, "deals": 0, "income_yuan": Decimal(0)})
        rows[key]["income_yuan"] += signup.pay_amount or 0
    return sorted(rows.values(), key=lambda r: r["station"])


def open_places(region: AreaValue, now=None) -> int:
    """零工在招名额（人，当前）: places of gigs open now not yet taken."""
    now = now or timezone.now()
    total = 0
    for gig in Gig.objects.in_area(region).open(now).only("headcount"):
        total += gig.headcount
    taken = (
        GigSignup.objects.in_area(region)
        .filter(gig__status=GigStatus.OPEN, gig__ends_at__gt=now, status__in=TAKING_PLACE)
        .count()
    )
    return total - taken


# --- 共享员工 -------------------------------------------------------------------------------------


def shared_people(region: AreaValue, start, end):
    """共享员工（人次）: people who agreed to an agreement that started and whose period overlaps the period;
    one person in two agreements counts twice. The area is the lending enterprise's."""
    return SharedWorker.objects.filter(
        consent=Consent.AGREED,
        agreement__in=sharing_agreements(region, start, end),
    )


def sharing_agreements(region: AreaValue, start, end):
    return SharingAgreement.objects.in_area(region).filter(
        status__in=STARTED_AGREEMENTS, start_date__lte=end, end_date__gte=start
    )


def sharing_enterprises(region: AreaValue, start, end):
    """涉及企业（家）: distinct enterprises lending or borrowing in those agreements."""
    agreements = sharing_agreements(region, start, end)
    return Employer.objects.filter(
        Q(pk__in=agreements.values("lender_id")) | Q(pk__in=agreements.values("borrower_id"))
    ).order_by("area_code", "id")


@dataclass(frozen=True)
class SharingFigures:
    person_times: int
    enterprises: int
    agreements: int


def sharing_figures(region: AreaValue, start, end) -> SharingFigures:
    """“共享员工N人次，涉及企业N家” for an area and period."""
    return SharingFigures(
        person_times=shared_people(region, start, end).count(),
        enterprises=sharing_enterprises(region, start, end).count(),
        agreements=sharing_agreements(region, start, end).count(),
    )
