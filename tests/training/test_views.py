"""Back-office training and internship screens: the area officer works, another area gets 404, residents 403."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.training.enums import EnrolmentStatus, ProgrammeStatus
from jobcircle.training.models import Enrolment
from tests.factories import ResidentFactory

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def programme(community):
    return f.programme(f.provider(community), sessions=2)


def test_the_list_shows_the_areas_programmes_and_figures(client, community_staff, neighbour_staff, programme):
    client.force_login(community_staff)
    page = client.get("/backoffice/training/").content.decode()
    assert programme.name in page and programme.provider.name in page
    client.force_login(neighbour_staff)
    assert programme.name not in client.get("/backoffice/training/").content.decode()


def test_staff_enrol_tick_attendance_and_finish_on_the_programme_page(client, community_staff, community, programme):
    person = ResidentFactory(community=community)
    client.force_login(community_staff)
    base = f"/backoffice/training/programmes/{programme.pk}/"
    client.post(base + "enrol/", {"resident_id": person.pk})
    enrolment = Enrolment.objects.get()
    client.post(base + "move/", {"to": "running"})
    for number in (1, 2):
        client.post(base + f"sessions/{number}/attendance/", {"present": [enrolment.pk]})
    page = client.get(base).content.decode()
    assert person.name not in page and "开班" in page  # names are masked
    client.post(base + "move/", {"to": "finished"})
    programme.refresh_from_db()
    enrolment.refresh_from_db()
    assert programme.status == ProgrammeStatus.FINISHED
    assert (enrolment.status, enrolment.attendance_percent) == (EnrolmentStatus.COMPLETED, 100)


def test_a_refused_move_shows_its_message_and_changes_nothing(client, community_staff, programme):
    client.force_login(community_staff)
    response = client.post(f"/backoffice/training/programmes/{programme.pk}/move/", {"to": "running"}, follow=True)
    assert "还没有学员" in response.content.decode()
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.RECRUITING


def test_another_area_gets_404_on_every_programme_screen(client, neighbour_staff, programme):
    client.force_login(neighbour_staff)
    base = f"/backoffice/training/programmes/{programme.pk}/"
    assert client.get(base).status_code == 404
    assert client.post(base + "move/", {"to": "running"}).status_code == 404
    assert client.post(base + "sessions/1/attendance/", {}).status_code == 404
    assert client.post(base + "enrol/", {"resident_id": 1}).status_code == 404


def test_residents_and_employers_get_403(client, resident_user, employer_user, programme):
    for user in (resident_user, employer_user):
        client.force_login(user)
        assert client.get("/backoffice/training/").status_code == 403
        assert client.get(f"/backoffice/training/programmes/{programme.pk}/").status_code == 403
        assert client.get("/backoffice/training/internships/").status_code == 403


def test_the_internship_screen_lists_bases_positions_and_interns_of_the_area(client, community_staff,
                                                                            neighbour_staff, employer):  # fmt: skip
    position = f.position(f.base(employer), title="前台见习")
    client.force_login(community_staff)
    page = client.get("/backoffice/training/internships/").content.decode()
    assert "前台见习" in page and employer.name in page
    client.force_login(neighbour_staff)
    assert "前台见习" not in client.get("/backoffice/training/internships/").content.decode()
    assert position.pk


def test_the_programme_list_costs_the_same_queries_whatever_its_length(client, community_staff, community,
                                                                      django_assert_max_num_queries):  # fmt: skip
    provider = f.provider(community)
    for i in range(15):
        f.programme(provider, name=f"第{i}期", starts_on=TODAY - datetime.timedelta(days=i), sessions=0)
    client.force_login(community_staff)
    with django_assert_max_num_queries(30):
        assert client.get("/backoffice/training/").status_code == 200
