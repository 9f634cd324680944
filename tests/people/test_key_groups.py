"""Key-group changes carry their evidence (issue 22 item 2, SEC-10).

Any change of a resident's 重点群体 by staff — staff form, API, registration — needs a 认定依据 and
writes one KeyGroupChange row plus an audit event; without it the write is refused (422 naming
``key_group_evidence``) and nothing is written. The ledger import's own logging is tested in
tests/assistance/test_imports.py; residents never reach key groups (tests/accounts/test_field_permissions.py).
"""

import pytest
from django.urls import reverse

from jobcircle.common.models import AuditEvent
from jobcircle.people.models import KeyGroup, KeyGroupChange, Resident
from tests.factories import demo_id_number

pytestmark = pytest.mark.django_db
EVIDENCE = "县乡村振兴局防返贫监测名单（2026年第3批）"


def patch(client, resident, body):
    return client.patch(f"/api/v1/residents/{resident.pk}", body, content_type="application/json")


def codes(resident):
    return sorted(resident.key_groups.values_list("code", flat=True))


@pytest.fixture
def veteran(resident):
    resident.key_groups.set(KeyGroup.objects.filter(code="veteran"))
    return resident


@pytest.mark.parametrize(
    "body",
    [
        {"key_groups": ["veteran", "monitored"]},
        {"key_groups": []},
        {"key_groups": ["monitored"], "key_group_evidence": "   "},
        {"key_groups": ["monitored"], "key_group_evidence": None, "name": "改过的名字"},
    ],
)
def test_a_change_of_key_groups_without_evidence_is_refused_and_writes_nothing(client, community_staff, veteran, body):
    client.force_login(community_staff)
    name, events = veteran.name, AuditEvent.objects.count()
    response = patch(client, veteran, body)
    assert response.status_code == 422, response.content
    [item] = response.json()["detail"]
    assert item["field"] == "key_group_evidence" and "认定依据" in item["message"]
    veteran.refresh_from_db()
    assert codes(veteran) == ["veteran"] and veteran.name == name
    assert not KeyGroupChange.objects.exists() and AuditEvent.objects.count() == events


def test_a_change_with_evidence_is_logged_and_audited_without_naming_the_groups(client, community_staff, veteran):
    client.force_login(community_staff)
    response = patch(client, veteran, {"key_groups": ["monitored", "disabled"], "key_group_evidence": EVIDENCE})
    assert response.status_code == 200, response.content
    assert sorted(response.json()["key_groups"]) == codes(veteran) == ["disabled", "monitored"]
    change = KeyGroupChange.objects.get()
    assert (change.resident, change.added, change.removed) == (veteran, ["disabled", "monitored"], ["veteran"])
    assert (change.evidence, change.source, change.changed_by, change.import_batch) == (
        EVIDENCE, "api", community_staff, None
    )  # fmt: skip
    event = AuditEvent.objects.get(action="people.resident.key_groups_changed")
    assert (event.object_id, event.actor_id) == (str(veteran.pk), community_staff.pk)
    assert event.changed_fields == ["key_groups"]
    assert event.data == {"source": "api", "change": change.pk}  # 残疾人 etc. stay out of the audit log


def test_the_same_groups_again_are_no_change(client, community_staff, veteran):
    client.force_login(community_staff)
    assert patch(client, veteran, {"key_groups": ["veteran"], "name": "改过的名字"}).status_code == 200
    assert codes(veteran) == ["veteran"] and not KeyGroupChange.objects.exists()


def test_registering_with_key_groups_needs_the_evidence(client, community_staff, community):
    client.force_login(community_staff)
    body = {"name": "新居民", "id_number": demo_id_number(), "community_code": community.code}
    body["key_groups"] = ["graduate"]
    response = client.post("/api/v1/residents", body, content_type="application/json")
    assert response.status_code == 422
    assert [item["field"] for item in response.json()["detail"]] == ["key_group_evidence"]
    assert not Resident.objects.exists()
    body["key_group_evidence"] = EVIDENCE
    response = client.post("/api/v1/residents", body, content_type="application/json")
    assert response.status_code == 201, response.content
    change = KeyGroupChange.objects.get()
    assert (change.resident_id, change.added, change.removed, change.source) == (
        response.json()["id"], ["graduate"], [], "api"
    )  # fmt: skip


@pytest.mark.parametrize(
    "evidence, says",
    [
        ("证明", "至少4个字"),
        ("认" * 201, "不能超过200个字"),
        (f"残疾人证号{demo_id_number()}11", "请勿填写完整的证件号码或手机号"),
    ],
)
def test_the_evidence_is_bounded_and_holds_no_full_number(client, community_staff, veteran, evidence, says):
    client.force_login(community_staff)
    response = patch(client, veteran, {"key_groups": ["disabled"], "key_group_evidence": evidence})
    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert item["field"] == "key_group_evidence" and says in item["message"]
    assert codes(veteran) == ["veteran"] and not KeyGroupChange.objects.exists()


def resident_form(resident, community, **fields):
    return {
        "name": resident.name, "id_type": "resident_id", "id_number": "", "phone": "",
        "community_code": community.code, "employment_status": resident.employment_status, **fields,
    }  # fmt: skip


def test_the_staff_form_asks_for_evidence_and_the_resident_page_shows_the_history(
    client, community_staff, community, resident
):
    client.force_login(community_staff)
    url = reverse("people:resident_edit", args=[resident.pk])
    response = client.post(url, resident_form(resident, community, key_groups=["poverty_alleviated"]))
    assert response.status_code == 200 and response.context["form"].errors["key_group_evidence"]
    assert 'id="id_key_group_evidence_error"' in response.content.decode()
    assert not resident.key_groups.exists() and not KeyGroupChange.objects.exists()

    form = resident_form(resident, community, key_groups=["poverty_alleviated"], key_group_evidence=EVIDENCE)
    assert client.post(url, form).status_code == 302
    change = KeyGroupChange.objects.get()
    assert (change.added, change.source, change.changed_by) == (["poverty_alleviated"], "form", community_staff)
    page = client.get(reverse("people:resident_detail", args=[resident.pk])).content.decode()
    assert "重点群体变更记录" in page and "data-jc-key-group-changes" in page
    assert all(text in page for text in ("脱贫人口", EVIDENCE, "工作台录入", community_staff.username))


def test_a_group_no_longer_offered_is_kept_and_needs_no_evidence(client, community_staff, community, resident):
    retired = KeyGroup.objects.create(code="former_group", name="已停用群体", is_active=False)
    resident.key_groups.add(retired)
    client.force_login(community_staff)
    form = resident_form(resident, community, name="改过的名字")  # the form offers active groups only
    assert client.post(reverse("people:resident_edit", args=[resident.pk]), form).status_code == 302
    assert codes(resident) == ["former_group"] and not KeyGroupChange.objects.exists()
