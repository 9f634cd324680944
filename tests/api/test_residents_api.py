"""Identity documents through the resident API (issue 22 item 10): each type by its own rules."""

import datetime

import pytest
from stdnum.cn import ric

from jobcircle.people.models import Resident

pytestmark = pytest.mark.django_db


def hmt_number(wrong=False):
    first17 = "81000019900101123"
    check = ric.calc_check_digit(first17 + "0")
    return first17 + (("1" if check == "0" else "0") if wrong else check)


@pytest.mark.parametrize(
    "document, field",
    [
        ({"id_type": "hmt_residence", "id_number": hmt_number(wrong=True)}, "id_number"),
        ({"id_type": "hmt_residence", "id_number": hmt_number(), "birth_date": "1991-01-01"}, "birth_date"),
        ({"id_type": "hmt_residence", "id_number": hmt_number(), "gender": "F"}, "gender"),
        ({"id_type": "passport", "id_number": "E12345678", "birth_date": "2099-01-01", "gender": "M"}, "birth_date"),
        ({"id_type": "passport", "id_number": "110105194912310023", "birth_date": "1949-12-31", "gender": "F"},
         "id_number"),
    ],
)  # fmt: skip
def test_registration_refuses_a_document_that_breaks_its_own_rules(client, community_staff, community, document, field):
    client.force_login(community_staff)
    payload = {"name": "测试", "community_code": community.code, **document}
    response = client.post("/api/v1/residents", payload, content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in {item["field"] for item in response.json()["detail"]}
    assert not Resident.objects.exists()


def test_a_residence_permit_stores_the_birth_date_and_sex_its_number_encodes(client, community_staff, community):
    client.force_login(community_staff)
    payload = {
        "name": "陈大文",
        "community_code": community.code,
        "id_type": "hmt_residence",
        "id_number": hmt_number(),
    }
    response = client.post("/api/v1/residents", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    resident = Resident.objects.get()
    assert (resident.birth_date, resident.gender, resident.id_type) == (datetime.date(1990, 1, 1), "M", "hmt_residence")


def registration(community, **overrides):
    from tests.factories import demo_id_number, demo_phone

    return {"name": "新登记", "id_number": demo_id_number(), "phone": demo_phone(), "community_code": community.code,
            **overrides}  # fmt: skip


@pytest.fixture
def someone_elsewhere(village):
    from tests.factories import ResidentFactory, demo_id_number, demo_phone

    id_number, phone = demo_id_number(), demo_phone()
    return ResidentFactory(community=village, id_number=id_number, phone=phone), id_number, phone


@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_a_number_held_outside_the_callers_area_is_refused_without_revealing_the_person(
    client, community_staff, community, someone_elsewhere, field
):
    """Issue 22 item 11: the lookup shows nothing, and neither does registration."""
    from jobcircle.people.services import NOT_REGISTRABLE_HERE

    _, id_number, phone = someone_elsewhere
    client.force_login(community_staff)
    held = {"id_number": id_number, "phone": phone}[field]
    response = client.post(
        "/api/v1/residents", registration(community, **{field: held}), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "__all__", "message": NOT_REGISTRABLE_HERE}]
    assert "已登记" not in response.content.decode()
    lookup = client.post("/api/v1/residents/lookup", {"id_number": id_number}, content_type="application/json")
    assert lookup.json()["count"] == 0
    assert Resident.objects.count() == 1


@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_a_number_already_registered_in_the_callers_area_says_so(client, township_staff, community, resident, field):
    from jobcircle.common import pii

    client.force_login(township_staff)
    held = pii.decrypt({"id_number": resident.id_number_encrypted, "phone": resident.phone_encrypted}[field])
    response = client.post(
        "/api/v1/residents", registration(community, **{field: held}), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field
    assert "已登记" in response.json()["detail"][0]["message"]
