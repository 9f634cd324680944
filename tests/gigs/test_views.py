"""Screens: the back office (right area 200, another area 404, residents and employers 403), the H5 and the
employer portal, all through the same services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.gigs import checkin, services, sharing
from jobcircle.gigs.models import GigSignup, SharingNeed, WalkIn
from tests.factories import EmployerFactory, ResidentFactory

from .factories import OCCUPATION, employer_gig, open_station, started_gig

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(community, neighbour_community, community_staff, employer, employer_user, resident, resident_user):
    station = open_station(community, community_staff)
    gig = employer_gig(employer, employer_user)
    signup = services.sign_up(gig, resident, by=resident_user)
    today = timezone.localdate()
    agreement = sharing.draft_agreement(by=community_staff, scope=scope_for_user(community_staff), data={
        "lender": employer, "borrower": EmployerFactory(community=neighbour_community), "people": [resident],
        "start_date": today, "end_date": today + datetime.timedelta(days=5), "pay_arrangement": "日结",
        "payer": "borrower", "insurance_party": "lender"})  # fmt: skip
    return {"station": station, "gig": gig, "signup": signup, "agreement": agreement}


def pages(world):
    return [reverse("gigs:board"), reverse("gigs:gig_detail", args=[world["gig"].pk]),
            reverse("gigs:station_list"), reverse("gigs:station_detail", args=[world["station"].pk]),
            reverse("gigs:station_qr", args=[world["station"].pk]), reverse("gigs:agreement_list"),
            reverse("gigs:agreement_detail", args=[world["agreement"].pk]), reverse("gigs:figures")]  # fmt: skip


def test_area_staff_open_every_screen(client, community_staff, world, django_assert_max_num_queries):
    client.force_login(community_staff)
    for url in pages(world):
        assert client.get(url).status_code == 200, url
    with django_assert_max_num_queries(20):
        page = client.get(reverse("gigs:board"))
    assert world["gig"].title in page.content.decode()


def test_staff_of_another_area_get_404_and_see_nothing_in_lists(client, neighbour_staff, other_township_staff, world):
    client.force_login(other_township_staff)
    for url in pages(world)[1:]:
        if url in (reverse("gigs:station_list"), reverse("gigs:agreement_list"), reverse("gigs:figures")):
            continue
        assert client.get(url).status_code == 404, url
    assert world["gig"].title not in client.get(reverse("gigs:board")).content.decode()
    client.force_login(neighbour_staff)  # the borrower's area sees the agreement, not the lender's gig
    assert client.get(reverse("gigs:agreement_detail", args=[world["agreement"].pk])).status_code == 200
    assert client.get(reverse("gigs:gig_detail", args=[world["gig"].pk])).status_code == 404


def test_residents_and_employers_get_403_in_the_back_office(client, resident_user, employer_user, world):
    for user in (resident_user, employer_user):
        client.force_login(user)
        for url in pages(world):
            assert client.get(url).status_code == 403, (user, url)


def test_staff_register_a_walk_in_and_confirm_a_sign_up(client, community_staff, world):
    client.force_login(community_staff)
    url = reverse("gigs:station_detail", args=[world["station"].pk])
    client.post(url, {"visitor_name": "李四", "purpose": "find_work", "note": "想找搬运零工"})
    assert WalkIn.objects.get().visitor_name == "李四"
    assert "李*" in client.get(url).content.decode()
    client.post(reverse("gigs:signup_action", args=[world["signup"].pk]), {"action": "confirm"})
    assert GigSignup.objects.get(pk=world["signup"].pk).status == "confirmed"
    client.post(reverse("gigs:agreement_detail", args=[world["agreement"].pk]), {"to": "consent"})
    world["agreement"].refresh_from_db()
    assert world["agreement"].status == "consent"


def test_the_resident_finds_signs_up_checks_in_and_consents_on_h5(
    client, resident_user, resident, employer, employer_user, world
):
    gig = started_gig(employer, employer_user)
    client.force_login(resident_user)
    page = client.get(reverse("portal:m_gigs"))
    assert page.status_code == 200 and gig.title in page.content.decode()
    client.post(reverse("portal:m_gig_sign_up", args=[gig.pk]))
    signup = GigSignup.objects.get(gig=gig, worker=resident)
    services.transition_signup(signup, "confirmed", by=employer_user, scope=scope_for_user(employer_user))
    client.get(reverse("portal:m_gig_check", args=[checkin.site_code(gig)]))
    assert GigSignup.objects.get(pk=signup.pk).status == "checked_in"
    contact = client.post(reverse("portal:m_gig_signup_action", args=[signup.pk]), {"action": "contact"}, follow=True)
    assert "仅用于本次零工联系" in contact.content.decode()
    agreement = world["agreement"]
    agreement.status = "consent"  # sent by staff (tested in test_sharing); here only the H5 answer
    agreement.save(update_fields=["status"])
    assert "共享用工" in client.get(reverse("portal:m_my_gigs")).content.decode()
    client.post(reverse("portal:m_sharing_consent", args=[agreement.pk]), {"answer": "agree"})
    assert agreement.workers.get().consent == "agreed"


def test_another_residents_sign_up_is_404_on_h5(client, community, world):
    from tests.factories import Role, make_user

    other = make_user("other_h5", Role.RESIDENT, resident=ResidentFactory(community=community))
    client.force_login(other)
    response = client.post(reverse("portal:m_gig_signup_action", args=[world["signup"].pk]), {"action": "withdrawn"})
    assert response.status_code == 404


def test_the_employer_posts_confirms_and_declares_on_the_portal(client, employer_user, resident, world):
    client.force_login(employer_user)
    start = timezone.localtime() + datetime.timedelta(days=1)
    response = client.post(reverse("portal:employer_gigs"), {
        "title": "装卸工", "occupation_code": OCCUPATION, "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"), "address": "仓库",
        "headcount": 2, "pay_unit": "day", "pay_rate": "150", "description": "装卸货物"})  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("portal:employer_gigs"))
    assert "装卸工" in page.content.decode()
    client.post(reverse("portal:employer_gig_signup_action", args=[world["signup"].pk]), {"action": "confirmed"})
    assert GigSignup.objects.get(pk=world["signup"].pk).status == "confirmed"
    assert client.get(reverse("portal:employer_gig_qr", args=[world["gig"].pk])).status_code == 200
    today = timezone.localdate()
    need = {"kind": "need", "headcount": 2, "occupation_code": OCCUPATION, "start_date": today,
            "end_date": today + datetime.timedelta(days=9)}  # fmt: skip
    client.post(reverse("portal:employer_sharing"), need)
    assert SharingNeed.objects.count() == 1
    assert client.get(reverse("portal:employer_sharing")).status_code == 200


def test_another_employers_gig_is_404_on_the_portal(client, community, world):
    from tests.factories import Role, make_user

    other = make_user("other_employer", Role.EMPLOYER, employer=EmployerFactory(community=community))
    client.force_login(other)
    assert client.get(reverse("portal:employer_gig_qr", args=[world["gig"].pk])).status_code == 404
    response = client.post(
        reverse("portal:employer_gig_signup_action", args=[world["signup"].pk]), {"action": "confirmed"}
    )
    assert response.status_code == 404
