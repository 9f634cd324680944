"""Background tasks (django-tasks; workers run ``manage.py db_worker``; immediate in tests)."""

from django_tasks import task

from .runner import run_import


@task()
def check_ledger_import(batch_id: int):
    """Dry run of an uploaded ledger: every row validated, counts previewed, nothing written."""
    return run_import(batch_id, apply=False).state


@task()
def apply_ledger_import(batch_id: int):
    """The confirmed import of a ledger, all rows in one transaction."""
    return run_import(batch_id, apply=True).state
