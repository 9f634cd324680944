"""Back-office resident screens: role triad, filters, look-up by full ID (POST), export, forms through the service."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jobcircle.accounts.access import scope_for_user
from jobcircle.accounts.enums import Role
from jobcircle.accounts.permissions import PERMISSIONS, REVEAL_PII
from jobcircle.common import pii
from jobcircle.common.models import AuditEvent
from jobcircle.people.models import Resident
from jobcircle.people.services import update_resident
from tests.factories import ResidentFactory, demo_id_number, demo_phone


@pytest.fixture
def neighbour(neighbour_community):
    return ResidentFactory(community=neighbour_community, name="邻居")


def test_community_staff_see_their_residents_and_get_404_for_another_community(
    client, community_staff, resident, neighbour
):
    client.force_login(community_staff)
    assert client.get(reverse("people:resident_detail", args=[resident.pk])).status_code == 200
    assert client.get(reverse("people:resident_detail", args=[neighbour.pk])).status_code == 404
    assert client.get(reverse("people:resident_edit", args=[neighbour.pk])).status_code == 404
    page = client.get(reverse("people:resident_list"))
    assert list(page.context["page_obj"].object_list) == [resident]
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]


def test_township_staff_see_both_communities(client, township_staff, resident, neighbour):
    client.force_login(township_staff)
    assert client.get(reverse("people:resident_detail", args=[neighbour.pk])).status_code == 200
    assert client.get(reverse("people:resident_list")).context["page_obj"].paginator.count == 2


@pytest.mark.parametrize("who", ["resident_user", "employer_user"])
def test_residents_and_employers_get_403(client, request, who, resident):
    client.force_login(request.getfixturevalue(who))
    for url in [reverse("people:resident_list"), reverse("people:resident_detail", args=[resident.pk]),
                reverse("people:resident_create")]:  # fmt: skip
        assert client.get(url).status_code == 403
    assert reveal(client, resident).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, resident):
    response = client.get(reverse("people:resident_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_pins_its_queries(client, county_admin, community, django_assert_max_num_queries):
    for _ in range(30):
        ResidentFactory(community=community)
    client.force_login(county_admin)
    with django_assert_max_num_queries(14):  # constant: no query per row
        response = client.get(reverse("people:resident_list"), {"sort": "name"})
    assert len(response.context["page_obj"].object_list) == 20


def test_filters_by_masked_id_suffix_phone_suffix_name_and_area(client, county_admin, community, neighbour_community):
    target = ResidentFactory(community=community, name="张三丰")
    others = [ResidentFactory(community=neighbour_community) for _ in range(3)]
    client.force_login(county_admin)

    def found(**params):
        return list(client.get(reverse("people:resident_list"), params).context["page_obj"].object_list)

    assert found(id_suffix=target.id_number_masked[-4:]) == [target]
    assert found(phone_suffix=target.phone_masked[-4:]) == [target]
    assert found(q="三丰") == [target]
    assert set(found(area=neighbour_community.code)) == set(others)
    assert len(found(id_suffix="12")) == 4  # an invalid suffix shows its error and filters nothing


def test_look_up_by_full_id_number_is_posted_and_scoped(client, community_staff, community, neighbour_community):
    number = demo_id_number()
    own = ResidentFactory(community=community, id_number=number)
    client.force_login(community_staff)
    response = client.post(reverse("people:resident_lookup"), {"id_number": number})
    assert response.status_code == 302 and response["Location"] == reverse("people:resident_detail", args=[own.pk])
    other_number = demo_id_number()
    ResidentFactory(community=neighbour_community, id_number=other_number)
    response = client.post(reverse("people:resident_lookup"), {"id_number": other_number}, follow=True)
    assert "没有该身份证号" in response.content.decode()
    assert client.get(reverse("people:resident_lookup")).status_code == 405  # never in a URL


def test_export_writes_the_filtered_list_masked_and_watermarked(client, township_staff, community, neighbour_community):
    keep = ResidentFactory(community=community, name="甲")
    ResidentFactory(community=neighbour_community, name="乙")
    client.force_login(township_staff)
    response = client.get(reverse("people:resident_list"), {"area": community.code, "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "导出人：township_staff" in sheet["A1"].value
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["甲"]
    assert sheet["B3"].value == keep.id_number_masked and "*" in sheet["B3"].value
    event = AuditEvent.objects.get(action="people.resident.exported")
    assert event.data["rows"] == 1


def test_registering_shows_service_errors_beside_the_field(client, community_staff, community):
    client.force_login(community_staff)
    response = client.post(reverse("people:resident_create"), {
        "name": "新居民", "id_type": "resident_id", "id_number": "990000199001011235", "community_code": community.code,
        "employment_status": "unemployed", "phone": "12345",
    })  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["id_number"] and form.errors["phone"]
    assert 'id="id_id_number_error"' in response.content.decode()
    assert not Resident.objects.filter(name="新居民").exists()


def test_registering_and_editing_go_through_the_service(client, community_staff, community):
    client.force_login(community_staff)
    number = demo_id_number()
    response = client.post(reverse("people:resident_create"), {
        "name": "新居民", "id_type": "resident_id", "id_number": number, "community_code": community.code,
        "employment_status": "unemployed", "phone": demo_phone(), "key_groups": ["veteran"],
        "key_group_evidence": "退役军人优待证（后4位0021）", "occupation_codes": "4-10-01-05 养老护理员",
    })  # fmt: skip
    resident = Resident.objects.get(name="新居民")
    assert response["Location"] == reverse("people:resident_detail", args=[resident.pk])
    assert [g.code for g in resident.key_groups.all()] == ["veteran"]
    assert [o.code for o in resident.occupations.all()] == ["4-10-01-05"]
    response = client.post(reverse("people:resident_edit", args=[resident.pk]), {
        "name": "新居民", "id_type": "resident_id", "id_number": "", "community_code": community.code,
        "employment_status": "employed", "phone": "", "key_groups": ["veteran"],  # unchanged: no evidence
    })  # fmt: skip
    resident.refresh_from_db()
    assert resident.employment_status == "employed" and resident.status_history.count() == 2
    detail = client.get(reverse("people:resident_detail", args=[resident.pk])).content.decode()
    assert number not in detail and resident.id_number_masked in detail


def test_staff_cannot_register_into_another_community(client, community_staff, neighbour_community):
    client.force_login(community_staff)
    response = client.post(reverse("people:resident_create"), {
        "name": "越权", "id_type": "resident_id", "id_number": demo_id_number(),
        "community_code": neighbour_community.code, "employment_status": "unemployed",
    })  # fmt: skip
    assert response.status_code == 200 and "community_code" in response.context["form"].errors


# --- 查看完整号码 (SEC-10): a typed reason, audited, answered straight from the POST ---------------


def reveal(client, resident, **data):
    payload = {"what": ["phone", "id_number"], "reason": "电话回访就业意向", **data}
    return client.post(reverse("people:resident_reveal", args=[resident.pk]), payload)


def full_numbers(resident):
    return pii.decrypt(resident.id_number_encrypted), pii.decrypt(resident.phone_encrypted)


def test_staff_see_the_full_numbers_on_the_detail_page_for_a_reason_and_it_is_audited(
    client, community_staff, resident
):
    client.force_login(community_staff)
    id_number, phone = full_numbers(resident)
    page = client.get(reverse("people:resident_detail", args=[resident.pk])).content.decode()
    assert reverse("people:resident_reveal", args=[resident.pk]) in page
    assert id_number not in page and phone not in page
    response = reveal(client, resident)
    html = response.content.decode()
    assert response.status_code == 200 and id_number in html and phone in html
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="people.resident.pii_revealed")
    assert event.actor == community_staff and event.object_id == str(resident.pk)
    assert event.data == {"fields": ["id_number", "phone"], "reason": "电话回访就业意向"}


def test_only_what_was_asked_for_is_shown(client, township_staff, resident):
    client.force_login(township_staff)
    id_number, phone = full_numbers(resident)
    html = reveal(client, resident, what=["phone"]).content.decode()
    assert phone in html and id_number not in html and resident.id_number_masked in html


@pytest.mark.parametrize(("data", "field"), [({"reason": " "}, "reason"), ({"what": []}, "what")])
def test_a_reveal_without_a_reason_or_a_field_names_the_field_and_shows_nothing(
    client, community_staff, resident, data, field
):
    client.force_login(community_staff)
    response = reveal(client, resident, **data)
    html = response.content.decode()
    assert response.status_code == 200 and response.context["reveal_form"].errors[field]
    assert all(number not in html for number in full_numbers(resident))
    assert not AuditEvent.objects.filter(action="people.resident.pii_revealed").exists()


def test_a_reveal_in_another_community_is_404(client, community_staff, neighbour):
    client.force_login(community_staff)
    assert reveal(client, neighbour).status_code == 404
    assert not AuditEvent.objects.filter(action="people.resident.pii_revealed").exists()


def test_without_the_reveal_permission_there_is_no_button_and_a_post_is_refused(
    client, community_staff, resident, monkeypatch
):
    monkeypatch.setitem(PERMISSIONS, Role.COMMUNITY_STAFF, PERMISSIONS[Role.COMMUNITY_STAFF] - {REVEAL_PII})
    client.force_login(community_staff)
    page = client.get(reverse("people:resident_detail", args=[resident.pk])).content.decode()
    assert reverse("people:resident_reveal", args=[resident.pk]) not in page
    assert reveal(client, resident).status_code == 403
    assert not AuditEvent.objects.filter(action="people.resident.pii_revealed").exists()


def test_a_resident_of_a_community_without_a_station_is_registered_with_a_warning(client, township_staff, community):
    from tests.factories import region

    bare = region("990121001009", "新建社区", 5, community.parent)
    client.force_login(township_staff)
    response = client.post(reverse("people:resident_create"), {
        "name": "新社区居民", "id_type": "resident_id", "id_number": demo_id_number(), "community_code": bare.code,
        "employment_status": "unemployed",
    }, follow=True)  # fmt: skip
    resident = Resident.objects.get(name="新社区居民")
    assert (resident.lat, resident.lng) == (community.stations.get().lat, community.stations.get().lng)
    assert "新建社区尚未设置就业服务站" in response.content.decode()


def test_the_history_table_names_changed_fields_in_chinese(client, community_staff, resident):
    update_resident(
        resident, by=community_staff, scope=scope_for_user(community_staff), data={"employment_status": "employed"}
    )
    client.force_login(community_staff)
    page = client.get(reverse("people:resident_detail", args=[resident.pk])).content.decode()
    history = page.split('id="audit"')[1]
    assert "居民·修改" in history and "就业状态" in history
    assert "employment_status" not in history
