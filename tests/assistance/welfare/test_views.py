"""The welfare screens: own area 200, other area 404, other role 403, and the work done from them."""

import pytest
from django.urls import reverse

from jobcircle.assistance import services as shared
from jobcircle.assistance.models import (
    WelfarePlacement,
    WelfarePost,
)
from jobcircle.common import pii

from ..factories import login, months_ago, tagged_resident

pytestmark = pytest.mark.django_db


def test_welfare_posts_placements_and_exits_from_the_screen(client, community, community_staff):
    client = login(client, community_staff)
    response = client.post(
        reverse("assistance:post_create"),
        {
            "name": "保洁员",
            "area_type": "urban",
            "community_code": community.code,
            "unit_name": "幸福社区居委会",
            "headcount": 2,
            "monthly_pay": "2000",
            "monthly_subsidy": "1500",
            "term_start": months_ago(3).isoformat(),
            "term_end": months_ago(-12).isoformat(),
        },
    )
    post = WelfarePost.objects.get()
    assert response.status_code == 302
    person = tagged_resident(community, "employment_difficulty")
    client.post(
        reverse("assistance:placement_add", args=[post.pk]),
        {"id_number": pii.decrypt(person.id_number_encrypted), "started_on": months_ago(1).isoformat()},
    )
    placement = WelfarePlacement.objects.get(resident=person)
    client.post(
        reverse("assistance:placement_exit", args=[placement.pk]),
        {"exited_on": shared.today().isoformat(), "exit_reason": "found_job"},
    )
    placement.refresh_from_db()
    assert placement.exit_reason == "found_job"


def test_placing_someone_from_another_area_is_refused_beside_the_field(client, world, community_staff, village):
    outsider = tagged_resident(village, "employment_difficulty")
    response = login(client, community_staff).post(
        reverse("assistance:placement_add", args=[world["post"].pk]),
        {"id_number": pii.decrypt(outsider.id_number_encrypted), "started_on": months_ago(1).isoformat()},
    )
    assert response.status_code == 200 and "没有该身份证号的居民" in response.content.decode()
