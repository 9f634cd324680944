import pytest
from stdnum.cn import uscc

from jobcircle.common.validators import organization_code_check_char
from jobcircle.employers.models import Employer
from tests.factories import demo_phone

pytestmark = pytest.mark.django_db


def test_an_employer_updates_its_own_record_without_touching_its_community(client, employer_user):
    """Issue 22 item 13: the stored community is not re-checked against a scope an employer does not have."""
    client.force_login(employer_user)
    employer = employer_user.employer
    response = client.patch(
        f"/api/v1/employers/{employer.pk}", {"contact_name": "新联系人"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    employer.refresh_from_db()
    assert employer.contact_name == "新联系人"
    assert response.json()["community_code"] == employer.area_code


def test_staff_moving_an_employer_to_a_community_outside_their_area_is_refused(
    client, community_staff, employer, village
):
    client.force_login(community_staff)
    response = client.patch(
        f"/api/v1/employers/{employer.pk}", {"community_code": village.code}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "community_code"
    assert Employer.objects.get(pk=employer.pk).area_code == employer.area_code


def credit_code_in_division(division, body="MA000000"):
    first17 = f"91{division}{body}" + organization_code_check_char(body)
    return first17 + uscc.calc_check_digit(first17)


def test_credit_code_warnings_are_returned_by_the_employer_api(client, community_staff, community, employer):
    """Issue 22 item 10: division 000000 is accepted, but staff are told to check it, as for residents."""
    client.force_login(community_staff)
    payload = {"name": "未知区划公司", "credit_code": credit_code_in_division("000000"), "address": "路1号",
               "community_code": community.code, "contact_name": "王", "contact_phone": demo_phone()}  # fmt: skip
    created = client.post("/api/v1/employers", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert any("000000" in warning for warning in created.json()["warnings"])

    new_code = credit_code_in_division("000000", body="MA000001")
    updated = client.patch(
        f"/api/v1/employers/{employer.pk}", {"credit_code": new_code}, content_type="application/json"
    )
    assert updated.status_code == 200, updated.content
    assert any("000000" in warning for warning in updated.json()["warnings"])
    assert client.get(f"/api/v1/employers/{employer.pk}").json()["warnings"] == []


def test_the_embedded_organisation_code_is_checked_on_the_employer_api(client, community_staff, community):
    client.force_login(community_staff)
    payload = {"name": "校验公司", "credit_code": "91341282K356UE9X1E", "address": "路1号",
               "community_code": community.code, "contact_name": "王", "contact_phone": demo_phone()}  # fmt: skip
    response = client.post("/api/v1/employers", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "credit_code"
    assert "组织机构代码" in response.json()["detail"][0]["message"]


def test_an_employer_stored_before_a_stricter_credit_code_rule_can_still_be_edited(client, employer_user):
    employer = employer_user.employer
    Employer.objects.filter(pk=employer.pk).update(credit_code="91341282K356UE9X1E")
    client.force_login(employer_user)
    response = client.patch(f"/api/v1/employers/{employer.pk}", {"address": "新址9号"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert Employer.objects.get(pk=employer.pk).credit_code == "91341282K356UE9X1E"
