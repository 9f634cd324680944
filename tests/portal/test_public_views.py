"""Public pages and the QR posters."""

from django.urls import reverse


def test_the_poster_shows_a_qr_code_of_the_join_link_for_staff_of_that_area(client, community_staff, community,
                                                                            neighbour_community):  # fmt: skip
    client.force_login(community_staff)
    response = client.get(reverse("portal:poster", args=[community.code]))
    assert response.status_code == 200
    join = reverse("portal:join", args=[community.code])
    assert join in response.content.decode()
    assert client.get(reverse("portal:poster", args=[neighbour_community.code])).status_code == 404
    assert list(client.get(reverse("portal:poster_list")).context["communities"]) == [community]


def test_the_qr_code_is_an_svg_and_other_roles_cannot_print_posters(client, community, resident_user):
    svg = client.get(reverse("portal:qr_svg", args=[community.code]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    client.force_login(resident_user)
    assert client.get(reverse("portal:poster", args=[community.code])).status_code == 403


def test_home_and_community_pages_are_public(client, community):
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(reverse("portal:community_jobs", args=[community.code])).status_code == 200
    assert client.get(reverse("portal:community_jobs", args=["990121999999"])).status_code == 404


def test_the_entry_lists_no_community_until_asked(client, community, neighbour_community):
    page = client.get(reverse("portal:home"))
    assert list(page.context["communities"]) == [] and "data-jc-communities" not in page.content.decode()


def test_a_community_is_found_by_its_name_or_its_townships(client, community, neighbour_community, village):
    page = client.get(reverse("portal:home"), {"q": "幸福"})
    assert list(page.context["communities"]) == [community]
    assert f"{reverse('portal:m_jobs')}?c={community.code}" in page.content.decode()
    by_township = client.get(reverse("portal:home"), {"q": community.parent.name}).context["communities"]
    assert set(by_township) == {community, neighbour_community}
    assert "没有找到名称含" in client.get(reverse("portal:home"), {"q": "不存在的村"}).content.decode()


def test_use_my_location_finds_the_nearest_communities_first(client, community, neighbour_community, village):
    station = neighbour_community.stations.first()
    page = client.get(reverse("portal:home"), {"lat": station.lat + 0.001, "lng": station.lng})
    found = list(page.context["communities"])
    assert found[:2] == [neighbour_community, community] and village not in found
    assert "离您最近的社区" in page.content.decode()


def test_a_community_without_a_station_is_found_where_it_is_placed(client, county, village):
    from tests.factories import region

    station = village.stations.first()
    same_township = region("990121101202", "李庄村", 5, village.parent)  # placed at the township's station
    found = client.get(reverse("portal:home"), {"lat": station.lat, "lng": station.lng}).context["communities"]
    assert set(found) == {village, same_township}
    lonely = region("990121201201", "张湾村", 5, region("990121201000", "张湾乡", 4, county))
    lonely.centroid_lat, lonely.centroid_lng = 33.50, 115.90  # no station in its township: its centre point
    lonely.save()
    assert list(client.get(reverse("portal:home"), {"lat": 33.501, "lng": 115.90}).context["communities"]) == [lonely]


def test_a_location_that_is_not_a_place_in_china_asks_for_the_name(client, community):
    for lat, lng in (("abc", "1"), ("48.85", "2.35")):
        page = client.get(reverse("portal:home"), {"lat": lat, "lng": lng})
        assert page.status_code == 200 and "请输入社区（村）名称查找" in page.content.decode()
