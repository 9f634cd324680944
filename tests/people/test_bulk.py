"""Issue 21: one writer per record. The 居民实名台账 import writes through people.bulk, with the rules of
the staff form and the API: the same resident row stores the same record whichever door it came in by."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from jobcircle.accounts.access import scope_for_user
from jobcircle.assistance.enums import ImportKind
from jobcircle.people.bulk import ResidentUpsert
from jobcircle.people.enums import Education, EmploymentStatus
from jobcircle.people.models import KeyGroup, Resident
from tests.assistance.test_imports import RESIDENT_HEADERS, run, xlsx
from tests.factories import ResidentFactory, demo_id_number, demo_phone

pytestmark = pytest.mark.django_db

EVIDENCE = "退役军人优待证（后4位0021）"
OWN_POINT = (33.1655, 115.6255)  # the person's own home, away from every station of the fixtures


def stored(number):
    """What the record holds, without what differs by nature (ids, nonces, timestamps, the log's source)."""
    resident = Resident.objects.by_id_number(number).get()
    return {
        **{field: getattr(resident, field) for field in (
            "name", "id_type", "id_number_hash", "id_number_masked", "phone_hash", "phone_masked", "birth_date",
            "gender", "community_id", "area_code", "lat", "lng", "education", "employment_status", "is_job_seeking",
        )},
        "key_groups": sorted(g.code for g in resident.key_groups.all()),
        "key_group_changes": [(c.added, c.removed) for c in resident.key_group_changes.all()],
        "status_history": [c.status for c in resident.status_history.all()],
    }  # fmt: skip


def written(write, number):
    """The record ``write`` leaves, then rolled back so that the next door starts from the same state."""
    with transaction.atomic():
        write()
        record = stored(number)
        transaction.set_rollback(True)
    return record


def form_post(client, url, row, community):
    response = client.post(url, {
        "name": row["name"], "id_type": "resident_id", "id_number": row["id_number"], "phone": row["phone"],
        "community_code": community.code, "education": row["education"].value,
        "employment_status": row["employment_status"].value, "is_job_seeking": "on" if row["is_job_seeking"] else "",
        "key_groups": [row["key_group"].code], "key_group_evidence": EVIDENCE,
    })  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors


def api_json(row, community):
    return {
        "name": row["name"], "id_number": row["id_number"], "phone": row["phone"], "community_code": community.code,
        "education": row["education"].value, "employment_status": row["employment_status"].value,
        "is_job_seeking": row["is_job_seeking"], "key_groups": [row["key_group"].code],
        "key_group_evidence": EVIDENCE,
    }  # fmt: skip


def ledger_row(row, community):
    return [row["name"], row["id_number"], row["phone"], community.code, row["education"].label,
            row["employment_status"].label, "是" if row["is_job_seeking"] else "否", row["key_group"].name]  # fmt: skip


def three_doors(client, user, row, community, *, existing=None):
    client.force_login(user)

    def by_form():
        url = reverse("people:resident_edit", args=[existing.pk]) if existing else reverse("people:resident_create")
        form_post(client, url, row, community)

    def by_api():
        data = api_json(row, community)
        if existing:
            response = client.patch(f"/api/v1/residents/{existing.pk}", data, content_type="application/json")
            assert response.status_code == 200, response.content
        else:
            response = client.post("/api/v1/residents", data, content_type="application/json")
            assert response.status_code == 201, response.content

    def by_import():
        batch = run(user, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, [ledger_row(row, community)]))
        assert batch.created_count + batch.updated_count == 1, batch.message

    return {door.__name__: written(door, row["id_number"]) for door in (by_form, by_api, by_import)}


@pytest.fixture
def row():
    return {
        "name": "同一人", "id_number": demo_id_number(), "phone": demo_phone(), "education": Education.SENIOR,
        "employment_status": EmploymentStatus.EMPLOYED, "is_job_seeking": True,
        "key_group": KeyGroup.objects.get(code="veteran"),
    }  # fmt: skip


def test_a_new_resident_is_stored_alike_by_the_form_the_api_and_the_import(client, township_staff, community, row):
    records = three_doors(client, township_staff, row, community)
    assert records["by_form"] == records["by_api"] == records["by_import"]
    assert records["by_import"]["key_groups"] == [row["key_group"].code]


def test_a_moved_resident_is_updated_alike_by_the_form_the_api_and_the_import(
    client, township_staff, community, neighbour_community, row
):
    existing = ResidentFactory(community=community, id_number=row["id_number"], name=row["name"],
                               lat=OWN_POINT[0], lng=OWN_POINT[1])  # fmt: skip
    records = three_doors(client, township_staff, row, neighbour_community, existing=existing)
    assert records["by_form"] == records["by_api"] == records["by_import"]
    record = records["by_import"]
    assert record["community_id"] == neighbour_community.pk and (record["lat"], record["lng"]) != OWN_POINT
    assert record["phone_hash"] != existing.phone_hash and record["key_groups"] == [row["key_group"].code]


def test_an_employed_row_that_says_nothing_of_seeking_ends_the_job_search_by_every_door(
    client, township_staff, community
):
    """people.services.ends_job_search: 已就业 turns 正在求职 off unless the input answers it."""
    client.force_login(township_staff)
    by_api = ResidentFactory(community=community, is_job_seeking=True)
    response = client.patch(f"/api/v1/residents/{by_api.pk}", {"employment_status": "employed"},
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    number = demo_id_number()
    by_import = ResidentFactory(community=community, id_number=number, is_job_seeking=True)
    row = [by_import.name, number, "", community.code, "", EmploymentStatus.EMPLOYED.label, "", ""]
    run(township_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, [row]))
    by_api.refresh_from_db()
    by_import.refresh_from_db()
    assert by_import.employment_status == by_api.employment_status == EmploymentStatus.EMPLOYED
    assert by_import.is_job_seeking is by_api.is_job_seeking is False


def test_the_bulk_writer_obeys_the_field_table_like_the_form_and_the_api(resident_user, community):
    upsert = ResidentUpsert(by=resident_user, scope=scope_for_user(resident_user))
    with pytest.raises(PermissionDenied):
        upsert.clean({"name": "越权", "id_number": demo_id_number(), "community_code": community.code})
