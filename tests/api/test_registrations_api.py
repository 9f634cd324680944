"""/api/v1/residents/{id}/registrations: staff record and read the formal registrations of residents in
their area; another area's resident is 404, a role without casework 403, bad input 422 naming the field."""

import pytest

from jobcircle.common.models import AuditEvent
from jobcircle.people.models import DifficultyCertification, UnemploymentRegistration
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def url(resident, tail=""):
    return f"/api/v1/residents/{resident.pk}/registrations{tail}"


def test_staff_record_and_read_the_registrations(client, community_staff, community):
    resident = ResidentFactory(community=community)
    client.force_login(community_staff)
    post = lambda tail, body: client.post(url(resident, tail), body, content_type="application/json")  # noqa: E731
    assert post("/unemployment", {"registered_on": "2026-01-10"}).status_code == 201
    made = post("/employment", {"registered_on": "2026-02-01", "employer_name": "示范食品厂"})
    assert made.status_code == 201 and made.json()["employer_name"] == "示范食品厂"
    ended = post("/employment/end", {"ended_on": "2026-03-01", "end_reason": "left"})
    assert ended.json()["ended_on"] == "2026-03-01"
    certified = post("/difficulty", {"category": "disabled", "valid_from": "2026-01-01", "evidence": "残疾证"})
    assert certified.json()["category_label"] == "残疾人"
    listing = client.get(url(resident)).json()
    assert [len(listing[k]) for k in ("employment", "unemployment", "difficulty")] == [1, 1, 1]
    assert listing["unemployment"][0]["end_reason"] == "employed"  # the job cancelled it
    assert set(AuditEvent.objects.filter(action__startswith="people.").values_list("action", flat=True)) == {
        "people.unemployment_registration.recorded", "people.employment_registration.recorded",
        "people.employment_registration.ended", "people.difficulty_certification.recorded",
    }  # fmt: skip


def test_bad_input_is_422_naming_the_field(client, community_staff, community):
    resident = ResidentFactory(community=community)
    client.force_login(community_staff)
    answer = client.post(url(resident, "/difficulty"), {"category": "nope", "valid_from": "2026-13-01"},
                         content_type="application/json")  # fmt: skip
    assert answer.status_code == 422
    assert {item["field"] for item in answer.json()["detail"]} == {"category", "valid_from", "evidence"}
    nothing_open = client.post(url(resident, "/unemployment/end"), {"ended_on": "2026-01-01", "end_reason": "moved"},
                               content_type="application/json")  # fmt: skip
    assert nothing_open.status_code == 422 and nothing_open.json()["detail"][0]["field"] == "ended_on"
    assert not DifficultyCertification.objects.exists()


def test_another_area_resident_is_404(client, other_township_staff, community):
    resident = ResidentFactory(community=community)
    client.force_login(other_township_staff)
    assert client.get(url(resident)).status_code == 404
    answer = client.post(
        url(resident, "/unemployment"), {"registered_on": "2026-01-10"}, content_type="application/json"
    )
    assert answer.status_code == 404
    assert not UnemploymentRegistration.objects.exists()


@pytest.mark.parametrize("who", ["resident_user", "employer_user", "audit_admin"])
def test_roles_without_casework_get_403(client, request, who, community):
    resident = request.getfixturevalue("resident_user").resident if who == "resident_user" else None
    resident = resident or ResidentFactory(community=community)
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(resident)).status_code == 403
    answer = client.post(
        url(resident, "/unemployment"), {"registered_on": "2026-01-10"}, content_type="application/json"
    )
    assert answer.status_code == 403
