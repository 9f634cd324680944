"""The welfare screens: own area 200, other area 404, other role 403, and the work done from them."""

import pytest
from django.urls import reverse

from jobcircle.assistance import services as shared
from jobcircle.assistance.models import (
    WelfarePlacement,
    WelfarePost,
    WelfareSubsidyPayment,
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


def test_another_areas_staff_cannot_place_on_a_post_or_exit_its_placement(
    client, world, neighbour_staff, other_township_staff
):
    post, placement = world["post"], world["placement"]
    newcomer = tagged_resident(post.community, "employment_difficulty")
    for user in (neighbour_staff, other_township_staff):
        client = login(client, user)
        placed = client.post(
            reverse("assistance:placement_add", args=[post.pk]),
            {"id_number": pii.decrypt(newcomer.id_number_encrypted), "started_on": months_ago(1).isoformat()},
        )
        left = client.post(
            reverse("assistance:placement_exit", args=[placement.pk]),
            {"exited_on": shared.today().isoformat(), "exit_reason": "found_job"},
        )
        assert (placed.status_code, left.status_code) == (404, 404)
    placement.refresh_from_db()
    assert placement.exited_on is None and not WelfarePlacement.objects.filter(resident=newcomer).exists()


def test_a_role_without_casework_cannot_develop_a_post_or_disburse(client, community, audit_admin, resident_user):
    for user in (audit_admin, resident_user):
        client = login(client, user)
        assert client.post(reverse("assistance:post_create"), {"name": "保洁员"}).status_code == 403
        assert client.post(reverse("assistance:disburse"), {"month": f"{months_ago(1):%Y-%m}"}).status_code == 403
    assert not WelfarePost.objects.exists() and not WelfareSubsidyPayment.objects.exists()


def test_a_bad_post_form_names_the_field_on_the_page(client, community, community_staff):
    response = login(client, community_staff).post(
        reverse("assistance:post_create"),
        {"name": "保洁员", "area_type": "urban", "community_code": community.code, "unit_name": "居委会",
         "headcount": 2, "monthly_pay": "1000", "monthly_subsidy": "1500", "term_start": months_ago(3).isoformat(),
         "term_end": months_ago(-12).isoformat()},
    )  # fmt: skip
    assert response.status_code == 200 and "月岗位补贴：不能高于月工资" in response.content.decode()
    assert not WelfarePost.objects.exists()


def test_disbursing_from_the_screen_pays_the_staff_members_area(client, world, community_staff):
    login(client, community_staff).post(reverse("assistance:disburse"), {"month": f"{months_ago(1):%Y-%m}"})
    assert set(WelfareSubsidyPayment.objects.values_list("placement_id", flat=True)) == {world["placement"].pk}
