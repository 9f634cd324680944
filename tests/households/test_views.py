"""家庭户 screens: the right area sees its households and the live 零就业 list, another area 404, residents 403."""

import pytest
from django.urls import reverse

from .factories import household, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes(community, neighbour_community):
    zero = household(community, [member(community)], number="Z1")
    working = household(community, [member(community), member(community, status="employed")], number="W1")
    theirs = household(neighbour_community, [member(neighbour_community)], number="N1")
    return zero, working, theirs


def test_community_staff_see_their_households_and_the_zero_employment_list(client, community_staff, homes):
    zero, working, _theirs = homes
    client.force_login(community_staff)
    everything = client.get(reverse("households:household_list"))
    assert [h.number for h in everything.context["page_obj"]] == ["W1", "Z1"]
    only_zero = client.get(reverse("households:household_list"), {"zero": "1"})
    assert [h.number for h in only_zero.context["page_obj"]] == ["Z1"]
    detail = client.get(reverse("households:household_detail", args=[zero.pk]))
    assert detail.status_code == 200 and detail.context["is_zero"]
    assert "*" in detail.content.decode()


def test_another_areas_household_is_404(client, community_staff, homes, neighbour_community):
    client.force_login(community_staff)
    assert client.get(reverse("households:household_detail", args=[homes[2].pk])).status_code == 404
    assert client.get(reverse("households:household_list"), {"area": neighbour_community.code}).status_code == 404


def test_residents_and_employers_get_403(client, resident_user, employer_user, homes):
    for user in (resident_user, employer_user):
        client.force_login(user)
        assert client.get(reverse("households:household_list")).status_code == 403
        assert client.get(reverse("households:household_detail", args=[homes[0].pk])).status_code == 403


def test_the_list_costs_the_same_queries_whatever_its_length(client, township_staff, community, homes,
                                                              django_assert_max_num_queries):  # fmt: skip
    client.force_login(township_staff)
    for _ in range(5):
        household(community, [member(community)])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("households:household_list"), {"zero": "1"})
    assert page.context["page_obj"].paginator.count == 7  # Z1, N1 (和平社区 is in the township) and five more
