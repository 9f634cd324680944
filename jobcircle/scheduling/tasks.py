"""Background tasks (django-tasks; workers run ``manage.py db_worker``; immediate in tests)."""

from django_tasks import task

from .runner import execute_run


@task()
def run_scheduled_job(run_id: int):
    """One claimed slot of a scheduled job (scheduling.runner.execute_run)."""
    return execute_run(run_id)
