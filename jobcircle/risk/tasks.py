"""The daily warning run as a django-task (the scheduler calls ``services.run_daily`` in its own job, 风险预警)."""

from django_tasks import task

from . import services


@task()
def run_warnings(area_code: str = "") -> dict:
    """Raise new warnings and escalate the overdue ones in every county (or in ``area_code`` only)."""
    return services.run_daily(area_code)
