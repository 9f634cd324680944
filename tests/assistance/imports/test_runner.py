"""Running a batch (imports.runner) from its tasks: a failure is recorded on the batch, never raised."""

import pytest

from jobcircle.assistance.enums import ImportKind, ImportState
from jobcircle.assistance.imports import runner, tasks
from jobcircle.people.models import Resident

from ..test_imports import RESIDENT_HEADERS, resident_rows, run, xlsx

pytestmark = pytest.mark.django_db


def previewed(user, community, count=2):
    """A residents batch checked (dry run) and waiting for its confirmation."""
    batch = run(user, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, resident_rows(community, count)), confirm=False)
    assert batch.state == ImportState.PREVIEWED, batch.message
    return batch


def test_an_unexpected_failure_is_recorded_on_the_batch_and_writes_nothing(community, community_staff, monkeypatch):
    batch = previewed(community_staff, community)
    before = Resident.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(runner, "read_ledger", broken)
    failed = runner.run_import(batch.pk, apply=True)
    assert failed.state == ImportState.FAILED and failed.message == "导入失败：RuntimeError"
    assert (failed.created_count, failed.updated_count) == (0, 0)
    assert Resident.objects.count() == before


def test_the_tasks_check_and_apply_through_the_runner(community, community_staff):
    batch = previewed(community_staff, community)
    before = Resident.objects.count()
    assert tasks.check_ledger_import.call(batch.pk) == ImportState.PREVIEWED
    assert Resident.objects.count() == before
    assert tasks.apply_ledger_import.call(batch.pk) == ImportState.APPLIED
    assert Resident.objects.count() == before + 2
