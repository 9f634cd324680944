"""The figures of training and internships: one function per figure, each with its definition beside it.

Areas: a programme and its trainees count in the area of the programme's venue; an internship and its interns in
the area of the position (the base's employer). Every function takes a region value (``in_area``) and dates, and
the insights registry (``insights/figures.py``, block ``# --- training ---``) names and routes them.
"""

import datetime
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum

from jobcircle.areas.querysets import AreaValue

from .enums import BaseStatus, EnrolmentStatus, PlacementStatus, ProgrammeStatus
from .models import Enrolment, InternPlacement, InternshipBase, InternshipPosition, Programme
from .services import employed_after

HELD = (ProgrammeStatus.RUNNING, ProgrammeStatus.FINISHED, ProgrammeStatus.VERIFIED, ProgrammeStatus.CLAIMED)
POVERTY_GROUPS = ("poverty_alleviated", "monitored")  # 脱贫人口（含监测对象）
EMPLOYED_WITHIN_MONTHS = 6


def percent(part: int, whole: int) -> Decimal | None:
    """part ÷ whole × 100 with one decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def programmes_held(region: AreaValue, start: datetime.date, end: datetime.date):
    """开展培训（期）: programmes whose start date lies in the period and that did open (开班 or later) — a flow."""
    return Programme.objects.in_area(region).filter(starts_on__range=(start, end), status__in=HELD)


def trainees(region: AreaValue, start, end):
    """培训人次: enrolments (not withdrawn) in the programmes held in the period; a person in two programmes counts
    twice (人次) — a flow."""
    held = programmes_held(region, start, end)
    return Enrolment.objects.filter(programme__in=held).exclude(status=EnrolmentStatus.WITHDRAWN)


def poverty_trainees(region: AreaValue, start, end):
    """其中脱贫人口: the trainees (人次) who are 脱贫人口 or 监测对象 now — a flow."""
    return trainees(region, start, end).filter(resident__key_groups__code__in=POVERTY_GROUPS).distinct()


def completed(region: AreaValue, start, end):
    """结业（人次）: enrolments of programmes in the area finished (结业) completed in the period — a flow."""
    return Enrolment.objects.filter(
        programme__in=Programme.objects.in_area(region), status=EnrolmentStatus.COMPLETED,
        completed_on__range=(start, end),
    )  # fmt: skip


def employed_after_training(region: AreaValue, start, end, months: int = EMPLOYED_WITHIN_MONTHS):
    """培训后就业（人次）: of the enrolments finished in the period, those whose person had an employment event
    (就业状态变为已就业/灵活就业, or 入职登记) within ``months`` months after completion, as known today — a flow."""
    finished = list(completed(region, start, end).only("id", "resident_id", "completed_on"))
    return Enrolment.objects.filter(pk__in=employed_after(finished, months))


def training_figures(region: AreaValue, start, end) -> dict:
    """All training figures of an area and period in one dict (programmes, trainees, completed, employed_after,
    poverty_trainees, employment_rate, by_kind, by_trade) — what the API and the registry read."""
    held = list(programmes_held(region, start, end).select_related("occupation"))
    trainee_rows = list(trainees(region, start, end).values_list("programme_id", flat=True))
    per_programme = Counter(trainee_rows)
    by_kind, by_trade = Counter(), Counter()
    for programme in held:
        by_kind[programme.get_kind_display()] += per_programme[programme.pk]
        by_trade[programme.trade] += per_programme[programme.pk]
    done = completed(region, start, end).count()
    employed = employed_after_training(region, start, end).count()
    return {
        "programmes": len(held),
        "trainees": len(trainee_rows),
        "poverty_trainees": poverty_trainees(region, start, end).count(),
        "completed": done,
        "employed_after": employed,
        "employment_rate": percent(employed, done),
        "by_kind": dict(by_kind.most_common()),
        "by_trade": dict(by_trade.most_common()),
    }


# --- internships ------------------------------------------------------------------------------------------


def bases_on(region: AreaValue, day: datetime.date):
    """见习基地（个）: bases certified on or before ``day``, not revoked, and still valid then — a stock."""
    return (
        InternshipBase.objects.in_area(region)
        .filter(certified_on__lte=day, status=BaseStatus.CERTIFIED)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    )


def positions_raised(region: AreaValue, start, end):
    """募集见习岗位: positions raised (募集) in the period; the figure is the sum of their places (个) — a flow."""
    return InternshipPosition.objects.in_area(region).filter(raised_on__range=(start, end))


def places_raised(region: AreaValue, start, end) -> int:
    return positions_raised(region, start, end).aggregate(n=Sum("places"))["n"] or 0


def interns_on_post(region: AreaValue, day: datetime.date):
    """见习在岗（人）: interns on an internship on ``day`` (started, not yet ended) — a stock (INDICATORS.md)."""
    return InternPlacement.objects.in_area(region).on_post(day)


def interns_started(region: AreaValue, start, end):
    """新增见习（人次）: internships that started in the period — a flow."""
    return InternPlacement.objects.in_area(region).filter(started_on__range=(start, end))


def interns_finished(region: AreaValue, start, end):
    """见习期满（人）: internships that ended at term (期满) in the period — a flow (the 留用率 denominator)."""
    return InternPlacement.objects.in_area(region).filter(
        status=PlacementStatus.COMPLETED, ended_on__range=(start, end)
    )


def interns_retained(region: AreaValue, start, end):
    """留用（人）: of the internships ended at term in the period, those the base kept on (留用) — a flow."""
    return interns_finished(region, start, end).filter(retained=True)


def internship_figures(region: AreaValue, start, end, day=None) -> dict:
    """All internship figures: bases and on_post on ``day`` (default the period's end), positions (places) raised,
    started, finished and retained in the period, and the retention rate (留用率 = retained ÷ finished × 100)."""
    day = day or end
    finished = interns_finished(region, start, end).count()
    retained = interns_retained(region, start, end).count()
    return {
        "bases": bases_on(region, day).count(),
        "positions": places_raised(region, start, end),
        "on_post": interns_on_post(region, day).count(),
        "started": interns_started(region, start, end).count(),
        "finished": finished,
        "retained": retained,
        "retention_rate": percent(retained, finished),
    }
