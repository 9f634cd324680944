"""The daily warning run (django-tasks). The scheduler (another issue) enqueues ``run_warnings`` each day."""

from django_tasks import task

from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.models import Region

from . import services


@task()
def run_warnings(area_code: str = "") -> dict:
    """Raise new warnings and escalate the overdue ones in every county (or in ``area_code`` only)."""
    regions = Region.objects.filter(code=area_code) if area_code else Region.objects.filter(level=RegionLevel.COUNTY)
    raised = escalated = 0
    for region in regions.current().order_by("code"):
        raised += services.run_warnings(region)
        escalated += services.escalate_overdue(region)
    return {"raised": raised, "escalated": escalated}
