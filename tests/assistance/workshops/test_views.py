"""The workshops screens: own area 200, other area 404, other role 403, and the work done from them."""

import pytest
from django.urls import reverse

from jobcircle.assistance.models import (
    Workshop,
    WorkshopCheck,
)

from ..factories import login, months_ago, workshop

pytestmark = pytest.mark.django_db


def test_workshops_are_registered_and_checked_from_the_screen(client, community, community_staff):
    client = login(client, community_staff)
    client.post(
        reverse("assistance:workshop_create"),
        {
            "code": "CJ-9",
            "name": "编织车间",
            "community_code": community.code,
            "operator_name": "某合作社",
            "certified_on": months_ago(6).isoformat(),
        },
    )
    shop = Workshop.objects.get(code="CJ-9")
    client.post(
        reverse("assistance:workshop_detail", args=[shop.pk]),
        {"month": f"{months_ago(1):%Y-%m}", "status": "buffer", "workers": 9, "poverty_workers": 4},
    )
    assert WorkshopCheck.objects.get(workshop=shop).status == "buffer"


def test_another_areas_staff_cannot_see_or_check_a_workshop(client, community, neighbour_staff, other_township_staff):
    shop = workshop(community)
    url = reverse("assistance:workshop_detail", args=[shop.pk])
    for user in (neighbour_staff, other_township_staff):
        checked = login(client, user).post(url, {"month": f"{months_ago(1):%Y-%m}", "status": "normal",
                                                 "workers": 5, "poverty_workers": 1})  # fmt: skip
        assert checked.status_code == 404
    assert not WorkshopCheck.objects.filter(workshop=shop).exists()


def test_a_role_without_casework_cannot_register_a_workshop(client, community, audit_admin, resident_user):
    data = {"code": "CJ-403", "name": "车间", "community_code": community.code, "operator_name": "某合作社",
            "certified_on": months_ago(6).isoformat()}  # fmt: skip
    for user in (audit_admin, resident_user):
        assert login(client, user).post(reverse("assistance:workshop_create"), data).status_code == 403
    assert not Workshop.objects.filter(code="CJ-403").exists()


def test_a_bad_check_names_the_field_on_the_page(client, community, community_staff):
    shop = workshop(community)
    response = login(client, community_staff).post(
        reverse("assistance:workshop_detail", args=[shop.pk]),
        {"month": f"{months_ago(1):%Y-%m}", "status": "normal", "workers": 3, "poverty_workers": 5},
    )
    assert response.status_code == 200 and "其中脱贫人口：不能多于务工人数" in response.content.decode()
    assert not WorkshopCheck.objects.filter(workshop=shop).exists()


def test_the_workshop_list_shows_the_areas_workshops_only(client, community, village, community_staff):
    own, foreign = workshop(community), workshop(village)
    page = login(client, community_staff).get(reverse("assistance:workshop_list")).content.decode()
    assert reverse("assistance:workshop_detail", args=[own.pk]) in page
    assert reverse("assistance:workshop_detail", args=[foreign.pk]) not in page


def test_a_county_admin_choosing_a_township_sees_that_townships_workshops_only(
    client, town, community, neighbour_community, village, county_admin
):
    inside, next_door, elsewhere = workshop(community), workshop(neighbour_community), workshop(village)
    page = login(client, county_admin).get(reverse("assistance:workshop_list"), {"area": town.code}).content.decode()
    for shop in (inside, next_door):
        assert reverse("assistance:workshop_detail", args=[shop.pk]) in page
    assert reverse("assistance:workshop_detail", args=[elsewhere.pk]) not in page
    assert "共有2个帮扶车间" in page


def test_a_township_outside_the_viewers_area_is_404(client, community, other_township, community_staff):
    url = reverse("assistance:workshop_list")
    assert login(client, community_staff).get(url, {"area": other_township.code}).status_code == 404
