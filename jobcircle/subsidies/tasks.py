"""Background tasks (django-tasks; workers run ``manage.py db_worker``; immediate in tests)."""

from django_tasks import task

from jobcircle.common import progress

from .enums import ScreeningState
from .models import Screening


@task()
def run_screening(screening_id: int):
    """A 免申即享 screening of one policy over an area (subsidies.screening.screen)."""
    from .screening import screen  # local import: screening.py enqueues this task

    screening = Screening.objects.select_related("policy", "version").get(pk=screening_id)
    try:
        return screen(screening).state
    except Exception:
        Screening.objects.filter(pk=screening_id).update(state=ScreeningState.FAILED)
        progress.finish(screening.progress_id, message="筛查失败", failed=True)
        raise
