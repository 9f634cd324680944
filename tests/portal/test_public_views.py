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
