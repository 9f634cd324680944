"""The measures of the 充分就业社区 criteria: one function per ``enums.Measure``, each reading one community.

A measure answers ``Reading(value, records, note)`` for a community, a year and the day it is read on
(the year's last day, or today while the year runs). ``value`` is None when the figure has no
denominator; ``NONE_PASSES`` names the measures for which that means "nothing to do" (passes) — for the
others it fails. ``records`` is the QuerySet behind the value (the people, tasks, stations, fairs or jobs).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from jobcircle.areas.geo.distance import haversine_m
from jobcircle.areas.models import Region, ServiceStation
from jobcircle.areas.services import circle_radius_m
from jobcircle.assistance.enums import TaskState
from jobcircle.assistance.models import MonitoringTask
from jobcircle.assistance.services import WORKING
from jobcircle.employers.enums import JobStatus
from jobcircle.employers.models import Job
from jobcircle.households.services import status_on, zero_employment_households
from jobcircle.people import stats as registrations
from jobcircle.people.models import DifficultyCertification, Resident
from jobcircle.recruiting.models import JobFair

from .enums import Measure
from .models import CommunityOfficer

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Reading:
    value: Decimal | None
    records: QuerySet
    note: str = ""


def percent(part: int, whole: int) -> Decimal | None:
    """part ÷ whole × 100, two decimals (half up); None without a whole."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _township(community: Region) -> Region:
    return community.parent or community


def unemployment_rate(community: Region, year: int, on: datetime.date) -> Reading:
    """城镇登记失业率 of the community on the day (people.stats: in-force 城镇失业登记 ÷ (基数 + them))."""
    rate = registrations.registered_unemployment_rate(community, on)
    note = "" if rate.rate is not None else "未配置本社区城镇从业人员基数"
    return Reading(rate.rate, registrations.registered_unemployed(community, on), note)


def zero_households(community: Region, year: int, on: datetime.date) -> Reading:
    """零就业家庭 on the live list on the day (households.services); 动态清零 means none (threshold 0)."""
    households = zero_employment_households(community, on)
    return Reading(Decimal(households.count()), households)


def difficulty_employed(community: Region, year: int, on: datetime.date) -> Reading:
    """Share of the community's 就业困难人员 (certification valid on the day) whose status that day is in work."""
    valid = DifficultyCertification.objects.filter(resident=OuterRef("pk"), valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    people = Resident.objects.in_area(community).filter(Exists(valid)).annotate(status_then=status_on(on, "id"))
    total = people.count()
    working = people.filter(status_then__in=WORKING).count()
    return Reading(percent(working, total), people.order_by("id"), "" if total else "无就业困难人员")


def station_officer(community: Region, year: int, on: datetime.date) -> Reading:
    """The community's service stations, counted only while a named 专干 serves on the day."""
    stations = ServiceStation.objects.filter(community=community)
    serving = CommunityOfficer.objects.filter(community=community, appointed_on__lte=on).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=on)
    )
    officer = serving.first()
    count = stations.count() if officer else 0
    note = f"专干：{officer.name}" if officer else "无在岗专干"
    return Reading(Decimal(count), stations, note)


def monitoring_on_time(community: Region, year: int, on: datetime.date) -> Reading:
    """Share of the year's monthly monitoring tasks due by the day that were done by their due day."""
    tasks = MonitoringTask.objects.in_area(community).filter(month__year=year, due_on__lte=on)
    total = tasks.count()
    in_time = tasks.filter(state=TaskState.DONE, completed_at__date__lte=F("due_on")).count()
    return Reading(percent(in_time, total), tasks.order_by("month", "id"), "" if total else "无到期监测任务")


def fairs_held(community: Region, year: int, on: datetime.date) -> Reading:
    """Job fairs hosted in the community's township (the community included) that began in the year by the day."""
    fairs = JobFair.objects.in_area(_township(community)).filter(starts_at__year=year, starts_at__date__lte=on)
    return Reading(Decimal(fairs.count()), fairs.order_by("starts_at"))


def station_reach(community: Region, year: int, on: datetime.date) -> Reading:
    """Share of the community's residents living within the circle radius (3 km) of any service station."""
    residents = Resident.objects.in_area(community)
    county = _township(community).parent or _township(community)
    stations = list(ServiceStation.objects.in_area(county).values_list("lat", "lng"))
    radius = circle_radius_m()
    near = [
        pk
        for pk, lat, lng in residents.values_list("id", "lat", "lng")
        if any(haversine_m(lat, lng, s_lat, s_lng) <= radius for s_lat, s_lng in stations)
    ]
    total = residents.count()
    return Reading(percent(len(near), total), residents.filter(id__in=near).order_by("id"), "" if total else "无居民")


PUBLISHED = (JobStatus.OPEN, JobStatus.PAUSED, JobStatus.FILLED, JobStatus.CLOSED)


def jobs_published(community: Region, year: int, on: datetime.date) -> Reading:
    """Jobs published (passed review) in the community's township whose validity began in the year by the day."""
    jobs = Job.objects.in_area(_township(community)).filter(
        status__in=PUBLISHED, valid_from__year=year, valid_from__lte=on
    )
    return Reading(Decimal(jobs.count()), jobs.order_by("valid_from", "id"))


MEASURES: dict[str, Callable[[Region, int, datetime.date], Reading]] = {
    Measure.UNEMPLOYMENT_RATE: unemployment_rate,
    Measure.ZERO_HOUSEHOLDS: zero_households,
    Measure.DIFFICULTY_EMPLOYED: difficulty_employed,
    Measure.STATION_OFFICER: station_officer,
    Measure.MONITORING_ON_TIME: monitoring_on_time,
    Measure.FAIRS_HELD: fairs_held,
    Measure.STATION_REACH: station_reach,
    Measure.JOBS_PUBLISHED: jobs_published,
}

# With nobody to count, these pass: no 就业困难人员 to place, no monitoring task yet due.
NONE_PASSES = {Measure.DIFFICULTY_EMPLOYED, Measure.MONITORING_ON_TIME}
