"""The staff recommendation panels (issue 21): computed by matching's template tags, embedded in the
resident and job pages of people and employers (which cannot import matching), with the same content."""

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcircle.matching.push import start_push

from .helpers import point_near
from .test_services import HOME, job_at

pytestmark = pytest.mark.django_db


def test_the_resident_page_shows_the_recommended_jobs_of_a_job_seeker(
    client, employer, community, community_staff, seeker_factory
):
    me = seeker_factory(community, max_km=3)
    job_at(employer, 800, title="推荐的焊工岗位")
    client.force_login(community_staff)
    page = client.get(reverse("people:resident_detail", args=[me.pk])).content.decode()
    assert "推荐岗位" in page and "推荐的焊工岗位" in page


def test_the_job_page_shows_the_nearby_seekers_inside_the_callers_scope(
    client, employer, community, neighbour_community, community_staff, seeker_factory
):
    job = job_at(employer, 0)
    lat, lng = point_near(HOME, 300, 0)
    near = seeker_factory(community, lat=lat, lng=lng)
    outside = seeker_factory(neighbour_community)
    client.force_login(community_staff)
    page = client.get(reverse("employers:job_detail", args=[job.pk])).content.decode()
    assert "推荐人选" in page
    assert reverse("people:resident_detail", args=[near.pk]) in page
    assert reverse("people:resident_detail", args=[outside.pk]) not in page


def test_staff_see_the_push_cadence_on_the_residents_page(client, employer, community_staff, community, seeker_factory):
    me = seeker_factory(community, key_groups=["employment_difficulty"])
    job_at(employer, 300)
    start_push(enqueue=False)
    client.force_login(community_staff)
    page = client.get(reverse("people:resident_detail", args=[me.pk])).content.decode()
    assert "data-jc-push-cadence" in page and "每3天最多一次" in page
    assert timezone.localdate().isoformat() in page
