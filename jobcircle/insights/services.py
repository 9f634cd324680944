"""The figures the bureau reports. Each is computed here once and reused everywhere."""

import datetime

import h3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from jobcircle.areas.codes import Area
from jobcircle.areas.models import ServiceStation
from jobcircle.employers.models import Employer, Job
from jobcircle.people.models import Placement, Resident
from jobcircle.recruiting.enums import ApplicationStatus
from jobcircle.recruiting.models import Application

from .models import PageVisitDaily


def home_area_code() -> str:
    """The area anonymous visits count against: JOBCIRCLE_HOME_AREA_CODE as a 12-digit code ("" unset)."""
    code = settings.JOBCIRCLE_HOME_AREA_CODE
    return code.ljust(12, "0") if code else ""


def viewer_area_code(request) -> str:
    """The signed-in viewer's own area: a staff member's region, a resident's community, an employer's."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    if user.area_id:
        return user.area.code
    owned = user.resident if user.resident_id else user.employer if user.employer_id else None
    return owned.area_code if owned is not None else ""


def record_page_visit(area_code, day=None):
    day = day or timezone.localdate()
    updated = PageVisitDaily.objects.filter(day=day, area_code=area_code).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                PageVisitDaily.objects.create(day=day, area_code=area_code, count=1)
        except IntegrityError:  # another request created today's row first
            PageVisitDaily.objects.filter(day=day, area_code=area_code).update(count=F("count") + 1)


def with_places_left(jobs):
    """Annotate ``places_left``: headcount less the applications hired to the job, never below 0
    (the same count as ``recruiting.services.remaining_places``, for many jobs in one query)."""
    hired = (
        Application.objects.filter(job=OuterRef("pk"), status=ApplicationStatus.HIRED)
        .order_by()
        .values("job")
        .annotate(n=Count("id"))
        .values("n")
    )
    return jobs.annotate(places_left=Greatest(F("headcount") - Coalesce(Subquery(hired), 0), Value(0)))


def places_left(jobs) -> int:
    """岗位需求: the places still open on ``jobs`` (headcount minus places filled), summed."""
    return with_places_left(jobs).aggregate(n=Sum("places_left"))["n"] or 0


def published_jobs(area_prefix: str, start: datetime.date, end: datetime.date) -> dict:
    """发布岗位N个/N人 for a period: jobs first published between ``start`` and ``end`` (inclusive).

    - a job counts in the period of its first publication (its first JobTransition to 招聘中), whatever
      its status today; drafts never published and jobs published before the period do not count;
    - jobs: how many; places: their headcount summed.
    """
    jobs = Job.objects.in_area(Area(area_prefix)).published_between(start, end)
    row = jobs.aggregate(jobs=Count("id"), places=Sum("headcount"))
    return {"jobs": row["jobs"], "places": row["places"] or 0}


def overview(area_prefix: str, today=None) -> dict:
    """Platform overview for everything whose area code starts with ``area_prefix``.

    - employers: registered employers in standing (正常; 停用 and 注销 ones are not 注册用工单位)
    - positions: job demand (岗位需求), the places left (headcount minus hires) of jobs open today
    - residents: registered residents; job_seekers: those currently seeking work (a hire or any employed
      status ends the search unless the person says otherwise: people.services.ends_job_search)
    - employed: residents with at least one placement (employed through the platform)
    - page_visits: human page views counted server-side
    """
    area = Area(area_prefix)
    residents = Resident.objects.in_area(area)
    return {
        "employers": Employer.objects.active().in_area(area).count(),
        "positions": places_left(Job.objects.open(today).in_area(area)),
        "residents": residents.count(),
        "job_seekers": residents.job_seekers().count(),
        "employed": Placement.objects.in_area(area).values("resident_id").distinct().count(),
        "page_visits": PageVisitDaily.objects.in_area(area).aggregate(n=Sum("count"))["n"] or 0,
    }


OVERVIEW_LABELS = {
    "employers": "注册用工单位",
    "positions": "岗位需求（人）",
    "residents": "登记居民",
    "job_seekers": "求职人数",
    "employed": "平台实现就业",
    "page_visits": "页面访问量",
}


TREND_LABELS = {
    "residents": "新登记居民",
    "jobs": "新发布岗位",
    "applications": "求职申请",
    "placements": "平台实现就业",
}


def weekly_trend(area_prefix: str, weeks: int = 12, today=None) -> dict:
    """Weekly counts over the last ``weeks`` weeks (Monday-based, local time) for the dashboard trend chart.

    - residents: registrations (created_at); jobs: publications by their first publication time
      (``published_at``: the first move to 招聘中; drafts never published do not count)
    - applications: applications created; placements: 入职日期 (started_on)
    - one aggregate query per series (a filtered COUNT per week), so it stays fast on a city's rows
    """
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    starts = [first + datetime.timedelta(weeks=i) for i in range(weeks + 1)]
    moments = [timezone.make_aware(datetime.datetime.combine(d, datetime.time())) for d in starts]
    sources = {
        "residents": (Resident.objects, "created_at", moments),
        "jobs": (Job.objects.with_published_at(), "published_at", moments),
        "applications": (Application.objects, "created_at", moments),
        "placements": (Placement.objects, "started_on", starts),
    }
    series = []
    for key, (rows, field, bounds) in sources.items():
        counts = {
            f"w{i}": Count("id", filter=Q(**{f"{field}__gte": bounds[i], f"{field}__lt": bounds[i + 1]}))
            for i in range(weeks)
        }
        row = rows.in_area(Area(area_prefix)).filter(**{f"{field}__gte": bounds[0]}).aggregate(**counts)
        series.append({"key": key, "name": TREND_LABELS[key], "data": [row[f"w{i}"] for i in range(weeks)]})
    return {"labels": [f"{d:%m-%d}" for d in starts[:weeks]], "series": series}


def map_layers(area_prefix: str, today=None) -> dict:
    """What the dashboard map draws: stations with their 3-km circles, job demand and seekers by H3 cell.

    - jobs: places left of jobs open today (岗位需求) summed per resolution-7 cell (≈5 km²), at the cell centre
    - seekers: residents seeking work counted per cell
    """
    area = Area(area_prefix)
    radius_m = settings.JOBCIRCLE_CIRCLE_RADIUS_KM * 1000

    def cells(rows, value):
        out = []
        for row in rows:
            lat, lng = h3.cell_to_latlng(h3.int_to_str(row["h3_r7"]))
            out.append({"lat": round(lat, 5), "lng": round(lng, 5), "count": row[value]})
        return out

    open_jobs = with_places_left(Job.objects.open(today).in_area(area))
    jobs = open_jobs.values("h3_r7").annotate(n=Sum("places_left")).order_by()
    seekers = Resident.objects.in_area(area).job_seekers().values("h3_r7").annotate(n=Count("id")).order_by()
    stations = ServiceStation.objects.in_area(area).order_by("area_code", "id")
    return {
        "stations": [{"name": s.name, "lat": s.lat, "lng": s.lng, "radius_m": radius_m} for s in stations],
        "jobs": cells(jobs, "n"),
        "seekers": cells(seekers, "n"),
    }
