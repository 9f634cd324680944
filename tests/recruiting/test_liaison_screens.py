"""Staff screens for 人社服务专员 (issue 17): assign an officer to a key enterprise, record visits and
recommendations, end the assignment — the area officer succeeds, another township gets 404, other roles 403."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.recruiting.models import LiaisonAssignment, LiaisonRecommendation, LiaisonVisit
from jobcircle.recruiting.services import assign_liaison_officer
from tests.factories import EmployerFactory, JobFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_employer(community):
    return EmployerFactory(community=community, is_key_enterprise=True, name="城关食品有限公司")


@pytest.fixture
def assignment(township_staff, community_staff, key_employer):
    return assign_liaison_officer(
        community_staff, key_employer, by=township_staff, scope=scope_for_user(township_staff)
    )


def test_staff_assign_an_officer_from_the_screen(client, township_staff, community_staff, key_employer, employer):
    client.force_login(township_staff)
    page = client.get(reverse("recruiting:liaison_assign")).content.decode()
    assert key_employer.name in page and employer.name not in page  # key enterprises (白名单) only
    assert "community_staff" in page
    response = client.post(reverse("recruiting:liaison_assign"),
                           {"officer": community_staff.pk, "employer": key_employer.pk})  # fmt: skip
    assignment = LiaisonAssignment.objects.get()
    assert response["Location"] == reverse("recruiting:liaison_detail", args=[assignment.pk])
    assert (assignment.officer, assignment.employer, assignment.started_on) == (
        community_staff,
        key_employer,
        timezone.localdate(),
    )
    page = client.get(reverse("recruiting:liaison_list")).content.decode()
    assert key_employer.name in page and "配备人社服务专员1人，包保企业1家，推荐用工0人" in page


def test_an_officer_who_does_not_cover_the_enterprise_is_refused_beside_the_field(
    client, township_staff, neighbour_staff, other_township_staff, key_employer
):
    client.force_login(township_staff)
    page = client.get(reverse("recruiting:liaison_assign")).content.decode()
    assert "other_township_staff" not in page  # officers of the staff member's own area only
    response = client.post(reverse("recruiting:liaison_assign"),
                           {"officer": neighbour_staff.pk, "employer": key_employer.pk})  # fmt: skip
    assert response.status_code == 200 and "人社服务专员" in response.context["form"].errors["officer"][0]
    response = client.post(reverse("recruiting:liaison_assign"),
                           {"officer": other_township_staff.pk, "employer": key_employer.pk})  # fmt: skip
    assert "officer" in response.context["form"].errors
    assert not LiaisonAssignment.objects.exists()


def test_the_api_and_the_screen_offer_the_same_officers(client, township_staff, other_township_staff, key_employer):
    client.force_login(township_staff)
    body = {"officer_id": other_township_staff.pk, "employer_id": key_employer.pk}
    response = client.post("/api/v1/recruiting/liaison/assignments", body, content_type="application/json")
    assert response.status_code == 422 and "officer_id" in response.content.decode()


def test_staff_record_a_visit_and_a_recommendation(client, township_staff, assignment, key_employer, community):
    seeker = ResidentFactory(community=community, is_job_seeking=True, name="求职居民甲")
    job = JobFactory(employer=key_employer, title="面点师")
    client.force_login(township_staff)
    page = client.get(reverse("recruiting:liaison_detail", args=[assignment.pk])).content.decode()
    assert "求职居民甲" in page and "面点师" in page
    visited_on = timezone.localdate() - datetime.timedelta(days=1)
    visit = {"visited_on": visited_on, "needed_headcount": 6, "needs": "面点师", "notes": "春节前扩产"}
    response = client.post(reverse("recruiting:liaison_visit", args=[assignment.pk]), visit)
    assert response.status_code == 302
    visit = LiaisonVisit.objects.get()
    assert (visit.visited_on, visit.needed_headcount, visit.recorded_by) == (visited_on, 6, township_staff)
    response = client.post(reverse("recruiting:liaison_recommend", args=[assignment.pk]),
                           {"resident": seeker.pk, "job": job.pk})  # fmt: skip
    assert response.status_code == 302
    assert LiaisonRecommendation.objects.get().resident == seeker
    page = client.get(reverse("recruiting:liaison_detail", args=[assignment.pk])).content.decode()
    assert "春节前扩产" in page and page.count("data-jc-recommendation>") == 1


def test_a_visit_in_the_future_is_refused_beside_its_date(client, township_staff, assignment):
    client.force_login(township_staff)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(reverse("recruiting:liaison_visit", args=[assignment.pk]),
                           {"visited_on": tomorrow, "needed_headcount": 0})  # fmt: skip
    assert response.status_code == 200 and "走访日期" in response.context["visit_form"].errors["visited_on"][0]
    assert not LiaisonVisit.objects.exists()


def test_a_resident_of_another_area_cannot_be_recommended(client, township_staff, assignment, village):
    far = ResidentFactory(community=village, is_job_seeking=True)
    client.force_login(township_staff)
    response = client.post(reverse("recruiting:liaison_recommend", args=[assignment.pk]), {"resident": far.pk})
    assert response.status_code == 200 and "resident" in response.context["recommendation_form"].errors
    assert not LiaisonRecommendation.objects.exists()


def test_ending_an_assignment_hides_its_forms(client, township_staff, assignment):
    client.force_login(township_staff)
    assert client.post(reverse("recruiting:liaison_end", args=[assignment.pk])).status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_on == timezone.localdate()
    page = client.get(reverse("recruiting:liaison_detail", args=[assignment.pk])).content.decode()
    assert "data-jc-ended" in page and "data-jc-visit-form" not in page
    assert "城关食品" not in client.get(reverse("recruiting:liaison_list")).content.decode()
    assert "城关食品" in client.get(reverse("recruiting:liaison_list") + "?all=1").content.decode()


def _screens(assignment):
    return [("get", reverse("recruiting:liaison_detail", args=[assignment.pk])),
            ("post", reverse("recruiting:liaison_visit", args=[assignment.pk])),
            ("post", reverse("recruiting:liaison_recommend", args=[assignment.pk])),
            ("post", reverse("recruiting:liaison_end", args=[assignment.pk]))]  # fmt: skip


def test_another_townships_assignment_is_404_and_other_roles_get_403(
    client, assignment, other_township_staff, resident_user, employer_user, audit_admin, system_admin
):
    client.force_login(other_township_staff)
    for method, url in _screens(assignment):
        assert getattr(client, method)(url).status_code == 404, url
    assert "城关食品" not in client.get(reverse("recruiting:liaison_list")).content.decode()
    for user in (resident_user, employer_user, audit_admin, system_admin):
        client.force_login(user)
        for url in (reverse("recruiting:liaison_list"), reverse("recruiting:liaison_assign")):
            assert client.get(url).status_code == 403, url
        for method, url in _screens(assignment):
            assert getattr(client, method)(url).status_code == 403, url
    assignment.refresh_from_db()
    assert assignment.ended_on is None


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_lists_queries_do_not_grow_with_their_rows(
    client, township_staff, community_staff, community, resident_user
):
    from jobcircle.recruiting.services import create_job_fair, sign_in_at_fair

    client.force_login(township_staff)
    assign_liaison_officer(community_staff, EmployerFactory(community=community, is_key_enterprise=True),
                           by=township_staff, scope=scope_for_user(township_staff))  # fmt: skip
    start = datetime.datetime(2026, 11, 20, 9, 0)
    fair = create_job_fair(by=township_staff, scope=scope_for_user(township_staff),
                           data={"name": "招聘会", "starts_at": start, "ends_at": start,
                                 "venue": "广场", "area_code": community.code})  # fmt: skip
    sign_in_at_fair(fair, resident_user.resident, by=resident_user, scope=scope_for_user(resident_user))
    urls = [reverse("recruiting:liaison_list"), reverse("recruiting:fair_sign_ins", args=[fair.pk])]
    few = [_queries(client, url) for url in urls]
    for _ in range(3):
        assign_liaison_officer(community_staff, EmployerFactory(community=community, is_key_enterprise=True),
                               by=township_staff, scope=scope_for_user(township_staff))  # fmt: skip
        sign_in_at_fair(
            fair,
            ResidentFactory(community=community),
            by=township_staff,
            scope=scope_for_user(township_staff),
            channel="staff",
        )
    assert [_queries(client, url) for url in urls] == few
