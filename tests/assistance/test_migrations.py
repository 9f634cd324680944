"""assistance 0003: the case log's renames keep its rows, both ways (SQLite and PostgreSQL)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from .factories import tagged_resident

BEFORE = [("assistance", "0002_import_kind_stations")]
AFTER = [("assistance", "0003_transition_logs")]


def migrate(targets):
    """Migrate the assistance app to ``targets`` and return the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_case_log_rows_survive_the_renames_forward_and_back(community, community_staff):
    person = tagged_resident(community, "poverty_alleviated")
    try:
        old = migrate(BEFORE)
        case = old.get_model("assistance", "AssistanceCase").objects.create(
            resident_id=person.pk, area_code=person.area_code, opened_on=timezone.localdate()
        )
        old.get_model("assistance", "CaseTransition").objects.create(
            case_id=case.pk, from_state="", to_state="open", by_id=community_staff.pk, note="月度监测立案"
        )

        new = migrate(AFTER)
        rows = new.get_model("assistance", "CaseTransition").objects.values_list(
            "case_id", "from_status", "to_status", "by_id", "reason"
        )
        assert list(rows) == [(case.pk, "", "open", community_staff.pk, "月度监测立案")]

        old = migrate(BEFORE)
        rows = old.get_model("assistance", "CaseTransition").objects.values_list("from_state", "to_state", "note")
        assert list(rows) == [("", "open", "月度监测立案")]
    finally:
        # every app back at its latest migration: going back to BEFORE also unapplied the apps whose
        # migrations depend on assistance (e.g. risk, whose warnings link a case)
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
