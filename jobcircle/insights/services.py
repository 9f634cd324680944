"""The figures the bureau reports. Each is computed here once and reused everywhere."""

import datetime

import h3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from jobcircle.areas.codes import Area
from jobcircle.areas.models import ServiceStation
from jobcircle.employers.models import Employer, Job
from jobcircle.people.models import Placement, Resident
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


def overview(area_prefix: str, today=None) -> dict:
    """Platform overview for everything whose area code starts with ``area_prefix``.

    - employers: registered employers
    - positions: job demand, the sum of headcount of jobs open today
    - residents: registered residents; job_seekers: those currently seeking work
    - employed: residents with at least one placement (employed through the platform)
    - page_visits: human page views counted server-side
    """
    area = Area(area_prefix)
    residents = Resident.objects.in_area(area)
    return {
        "employers": Employer.objects.in_area(area).count(),
        "positions": Job.objects.open(today).in_area(area).aggregate(n=Sum("headcount"))["n"] or 0,
        "residents": residents.count(),
        "job_seekers": residents.filter(is_job_seeking=True).count(),
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

    - residents: registrations (created_at); jobs: postings by 有效期起 (valid_from)
    - applications: applications created; placements: 入职日期 (started_on)
    - one aggregate query per series (a filtered COUNT per week), so it stays fast on a city's rows
    """
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    starts = [first + datetime.timedelta(weeks=i) for i in range(weeks + 1)]
    moments = [timezone.make_aware(datetime.datetime.combine(d, datetime.time())) for d in starts]
    sources = {
        "residents": (Resident, "created_at", moments),
        "jobs": (Job, "valid_from", starts),
        "applications": (Application, "created_at", moments),
        "placements": (Placement, "started_on", starts),
    }
    series = []
    for key, (model, field, bounds) in sources.items():
        counts = {
            f"w{i}": Count("id", filter=Q(**{f"{field}__gte": bounds[i], f"{field}__lt": bounds[i + 1]}))
            for i in range(weeks)
        }
        row = model.objects.in_area(Area(area_prefix)).filter(**{f"{field}__gte": bounds[0]}).aggregate(**counts)
        series.append({"key": key, "name": TREND_LABELS[key], "data": [row[f"w{i}"] for i in range(weeks)]})
    return {"labels": [f"{d:%m-%d}" for d in starts[:weeks]], "series": series}


def map_layers(area_prefix: str, today=None) -> dict:
    """What the dashboard map draws: stations with their 3-km circles, job demand and seekers by H3 cell.

    - jobs: headcount of jobs open today summed per resolution-7 cell (≈5 km²), at the cell centre
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

    jobs = Job.objects.open(today).in_area(area).values("h3_r7").annotate(n=Sum("headcount")).order_by()
    seekers = Resident.objects.in_area(area).job_seekers().values("h3_r7").annotate(n=Count("id")).order_by()
    stations = ServiceStation.objects.in_area(area).order_by("area_code", "id")
    return {
        "stations": [{"name": s.name, "lat": s.lat, "lng": s.lng, "radius_m": radius_m} for s in stations],
        "jobs": cells(jobs, "n"),
        "seekers": cells(seekers, "n"),
    }
