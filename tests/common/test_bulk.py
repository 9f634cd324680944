"""The project's one bulk insert (common/bulk.py): columns (the push) and model objects (the ledger import)."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.common.bulk import bulk_insert, bulk_insert_objects
from jobcircle.matching.models import InboxMessage
from jobcircle.people.enums import KeyGroupChangeSource
from jobcircle.people.models import KeyGroupChange
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_bulk_insert_writes_every_value_as_given_on_every_database(community):
    """The push's COPY path (PostgreSQL) and executemany (SQLite) store the same values, text escapes included."""
    seekers = [ResidentFactory(community=community), ResidentFactory(community=community)]
    day = datetime.date(2026, 3, 1)
    now = timezone.now()
    titles = ["制表\t符 与 反斜杠\\ 与\n换行", "普通标题"]
    n = bulk_insert(InboxMessage, {"resident": [s.pk for s in seekers], "kind": "job_push", "pushed_on": day,
                                        "title": titles, "area_code": [s.area_code for s in seekers],
                                        "created_at": now, "sms_status": ["pending", "no_phone"]})  # fmt: skip
    assert n == 2
    rows = InboxMessage.objects.filter(pushed_on=day).order_by("resident_id")
    assert [(m.resident_id, m.title, m.area_code, m.created_at, m.sms_status) for m in rows] == [
        (s.pk, title, s.area_code, now, status)
        for s, title, status in zip(seekers, titles, ["pending", "no_phone"], strict=True)
    ]
    assert bulk_insert(InboxMessage, {"resident": [], "kind": "job_push"}) == 0


def test_bulk_insert_of_objects_converts_every_field_and_can_set_the_new_primary_keys(community, county_admin):
    """The ledger import's shape: unsaved instances with JSON, choices and auto_now_add, their ids set."""
    people = [ResidentFactory(community=community), ResidentFactory(community=community)]
    changes = [
        KeyGroupChange(resident=person, added=["disabled", "低保"], removed=[], evidence=f"台账\t第{i}行",
                       source=KeyGroupChangeSource.API, changed_by=county_admin)
        for i, person in enumerate(people, 1)
    ]  # fmt: skip
    before = timezone.now()
    assert bulk_insert_objects(KeyGroupChange, changes, set_pks=True) == 2
    assert all(change.pk and not change._state.adding and change.changed_at >= before for change in changes)
    stored = KeyGroupChange.objects.in_bulk([change.pk for change in changes])
    assert [
        (stored[c.pk].resident_id, stored[c.pk].added, stored[c.pk].evidence, stored[c.pk].source) for c in changes
    ] == [(p.pk, ["disabled", "低保"], f"台账\t第{i}行", "api") for i, p in enumerate(people, 1)]
    assert bulk_insert_objects(KeyGroupChange, []) == 0


def test_bulk_insert_of_objects_without_ids_leaves_them_unsaved(community, county_admin):
    person = ResidentFactory(community=community)
    change = KeyGroupChange(resident=person, added=["x"], evidence="台账", source="form", changed_by=county_admin)
    assert bulk_insert_objects(KeyGroupChange, [change]) == 1
    assert change.pk is None and KeyGroupChange.objects.get(resident=person).added == ["x"]
