import pytest

from jobcircle.employers.models import Employer

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
