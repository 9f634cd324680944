"""The figures the bureau reports. Each is computed here once and reused everywhere."""

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from .models import PageVisitDaily


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
    from jobcircle.employers.models import Employer, Job
    from jobcircle.people.models import Placement, Resident

    in_area = {"area_code__startswith": area_prefix}
    residents = Resident.objects.filter(**in_area)
    return {
        "employers": Employer.objects.filter(**in_area).count(),
        "positions": Job.objects.open(today).filter(**in_area).aggregate(n=Sum("headcount"))["n"] or 0,
        "residents": residents.count(),
        "job_seekers": residents.filter(is_job_seeking=True).count(),
        "employed": Placement.objects.filter(**in_area).values("resident_id").distinct().count(),
        "page_visits": PageVisitDaily.objects.filter(**in_area).aggregate(n=Sum("count"))["n"] or 0,
    }


OVERVIEW_LABELS = {
    "employers": "注册用工单位",
    "positions": "岗位需求（人）",
    "residents": "登记居民",
    "job_seekers": "求职人数",
    "employed": "平台实现就业",
    "page_visits": "页面访问量",
}
