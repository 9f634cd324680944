"""Background tasks of insights (django-tasks; workers run ``manage.py db_worker``; immediate in tests)."""

from django_tasks import task


@task()
def generate_work_report_task(report_id: int):
    """Compute, freeze and write a queued work report (工作情况汇报)."""
    from .report import generate_work_report  # local import: report.py enqueues this task

    return generate_work_report(report_id).status
