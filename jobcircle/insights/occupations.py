"""Supply and demand by occupation (职业供求): 职业分类大典 中类 or 小类, for an area or per township.

- seekers: residents seeking work on the day whose job intention names an occupation in the group
  (a person counts once per group, however many of its occupations they name);
- places: the places left (岗位需求: headcount minus hires) of jobs open on the day, by the job's occupation;
- hires: 平台实现就业 placements that started in the period, by the job's occupation;
- ratio (求人倍率): places ÷ seekers (INDICATORS.md), two decimals; none when nobody seeks it;
- gap: places − seekers (positive: short of people; negative: oversupplied).

Seeking is recorded as a current flag, not as dated history, so the month-by-month trend shows the
flows that are dated (places published and hires in each month), not past ratios.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from jobcircle.areas.codes import pad_code
from jobcircle.areas.models import Region
from jobcircle.assistance.periods import add_months, month_end, month_start
from jobcircle.classifications.models import Occupation
from jobcircle.employers.models import Job
from jobcircle.people.models import JobIntention, Placement, Resident

from .services import places_left, with_places_left

MIDDLE, MINOR = "middle", "minor"
LEVELS = {MIDDLE: ("中类", 2), MINOR: ("小类", 3)}
TOP = 5
TREND_MONTHS = 12
EARLIEST_YEAR = 2000


def in_group(field: str, occupation: str) -> Q:
    """Occupation codes in a group: the group itself or any code below it ("4-10" never matches "4-100")."""
    return Q(**{field: occupation}) | Q(**{f"{field}__startswith": f"{occupation}-"})


def group_of(code: str, level: str) -> str:
    """The 中类 ("4-10") or 小类 ("4-10-01") an occupation code belongs to."""
    return "-".join(code.split("-")[: LEVELS[level][1]])


def township_of(area_code: str) -> str:
    return area_code[:9]


@dataclass
class Line:
    occupation: str
    name: str
    township: str  # 9-digit township code, or "" for the whole area
    township_name: str
    seekers: int = 0
    places: int = 0
    hires: int = 0

    @property
    def ratio(self) -> Decimal | None:
        return (Decimal(self.places) / Decimal(self.seekers)).quantize(Decimal("0.01")) if self.seekers else None

    @property
    def gap(self) -> int:
        return self.places - self.seekers

    def as_dict(self) -> dict:
        return {
            "occupation": self.occupation, "name": self.name, "township": self.township,
            "township_name": self.township_name, "seekers": self.seekers, "places": self.places,
            "hires": self.hires, "ratio": float(self.ratio) if self.ratio is not None else None, "gap": self.gap,
        }  # fmt: skip


def open_jobs(region, on: datetime.date):
    return Job.objects.open(on).in_area(region)


def seekers(region):
    return Resident.objects.in_area(region).job_seekers()


def hires(region, start: datetime.date, end: datetime.date):
    """Placements through the platform that started in the period and name the job (so its occupation)."""
    return Placement.objects.in_area(region).filter(started_on__range=(start, end), job__isnull=False)


def supply_demand(region, start: datetime.date, end: datetime.date, *, level=MINOR, by_township=False) -> list[Line]:
    """One line per occupation group (and township, with ``by_township``) that has seekers, places or hires.

    - stocks (seekers, places) are read on ``end`` (or today while the period runs); hires in the period;
    - sorted by occupation code, then township.
    """
    on = min(end, timezone.localdate())
    lines: dict[tuple[str, str], Line] = {}

    def line(code, area_code):
        key = (group_of(code, level), township_of(area_code) if by_township else "")
        if key not in lines:
            lines[key] = Line(key[0], "", key[1], "")
        return lines[key]

    intentions = (
        JobIntention.occupations.through.objects.filter(jobintention__resident__in=seekers(region))
        .values_list("jobintention__resident_id", "jobintention__resident__area_code", "occupation__code")
        .order_by()
    )
    counted = set()
    for resident_id, area_code, code in intentions:
        target = line(code, area_code)
        if (resident_id, target.occupation, target.township) not in counted:
            counted.add((resident_id, target.occupation, target.township))
            target.seekers += 1
    places = with_places_left(open_jobs(region, on)).values_list("area_code", "occupation__code", "places_left")
    for area_code, code, left in places.order_by():
        line(code, area_code).places += left
    for area_code, code in hires(region, start, end).values_list("area_code", "job__occupation__code").order_by():
        line(code, area_code).hires += 1
    names = dict(Occupation.objects.filter(code__in={key[0] for key in lines}).values_list("code", "name"))
    towns = dict(
        Region.objects.filter(code__in=[pad_code(key[1]) for key in lines if key[1]]).values_list("code", "name")
    )
    for (occupation, township), item in lines.items():
        item.name = names.get(occupation, occupation)
        item.township_name = towns.get(pad_code(township), "") if township else ""
    return [lines[key] for key in sorted(lines)]


def shortest(lines: list[Line], n=TOP) -> list[Line]:
    """The occupations most short of people: largest gap (places − seekers) first, only those with a gap."""
    return sorted((line for line in lines if line.gap > 0), key=lambda line: (-line.gap, line.occupation))[:n]


def oversupplied(lines: list[Line], n=TOP) -> list[Line]:
    """The occupations with most seekers beyond their places."""
    return sorted((line for line in lines if line.gap < 0), key=lambda line: (line.gap, line.occupation))[:n]


def monthly_trend(region, end: datetime.date, *, occupation: str = "", months=TREND_MONTHS) -> list[dict]:
    """Month by month up to ``end``'s month (at the latest this month, from 2000): places published (jobs first
    published in the month) and hires."""
    out = []
    last = month_start(min(end, timezone.localdate()))  # no later month has records yet
    for back in range(months - 1, -1, -1):
        if (last.year - EARLIEST_YEAR) * 12 + last.month - 1 < back:
            continue  # before the platform could hold records (and before Python's first year)
        first = add_months(last, -back)
        until = month_end(first)
        jobs = Job.objects.in_area(region).published_between(first, until)
        placed = hires(region, first, until)
        if occupation:
            jobs = jobs.filter(in_group("occupation__code", occupation))
            placed = placed.filter(in_group("job__occupation__code", occupation))
        out.append({
            "month": f"{first:%Y-%m}", "places_published": jobs.aggregate(n=Sum("headcount"))["n"] or 0,
            "hires": placed.count(),
        })  # fmt: skip
    return out


# --- the headline figures (registered in insights.figures) ------------------------------------------


@dataclass(frozen=True)
class Headline:
    places: int
    seekers: int
    ratio: Decimal  # 求人倍率 (0 when nobody seeks work)
    shortage_top: int  # the summed gap of the TOP occupations (小类) most short of people
    shortage_codes: tuple[str, ...]


def headline(region, start: datetime.date, end: datetime.date) -> Headline:
    """求人倍率 of the whole area on the period's end, and the 小类 with the largest gaps."""
    on = min(end, timezone.localdate())
    places, people = places_left(open_jobs(region, on)), seekers(region).count()
    ratio = (Decimal(places) / Decimal(people)).quantize(Decimal("0.01")) if people else Decimal("0.00")
    top = shortest(supply_demand(region, start, end, level=MINOR))
    return Headline(places, people, ratio, sum(line.gap for line in top), tuple(line.occupation for line in top))


def jobs_of(region, on: datetime.date, occupation: str):
    """The open jobs behind a line (an occupation group's prefix)."""
    return open_jobs(region, on).filter(in_group("occupation__code", occupation)).order_by("area_code", "id")


def seekers_of(region, occupation: str):
    """The seekers behind a line: seeking work, intending an occupation of the group."""
    intending = JobIntention.objects.filter(in_group("occupations__code", occupation)).values("resident_id")
    return seekers(region).filter(id__in=intending).order_by("area_code", "id")
