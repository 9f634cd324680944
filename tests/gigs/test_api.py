"""/api/v1/gigs and /api/v1/sharing: scoped, validated, the same services as the screens."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.gigs import checkin
from jobcircle.gigs.models import Gig, GigSignup
from tests.factories import EmployerFactory, ResidentFactory, Role, make_user

from .factories import OCCUPATION, gig_data

pytestmark = pytest.mark.django_db


def body(**overrides):
    data = gig_data(**overrides)
    data["starts_at"], data["ends_at"] = data["starts_at"].isoformat(), data["ends_at"].isoformat()
    return data


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_an_employer_posts_and_a_resident_finds_signs_up_is_confirmed_and_checks_in(
    client, employer, employer_user, resident_user
):
    client.force_login(employer_user)
    start = timezone.now() - datetime.timedelta(minutes=5)
    created = post(client, "/api/v1/gigs", body(start=start))
    assert created.status_code == 201 and created.json()["status"] == "open"
    gig_id = created.json()["id"]
    client.force_login(resident_user)
    near = client.get("/api/v1/gigs", {"lat": employer.lat, "lng": employer.lng, "radius_km": 3, "day": "today"})
    assert [g["id"] for g in near.json()["items"]] == [gig_id]
    assert near.json()["items"][0]["distance_m"] < 1
    signup = post(client, f"/api/v1/gigs/{gig_id}/signups", {})
    assert signup.status_code == 201
    signup_id = signup.json()["id"]
    assert "*" in signup.json()["worker_name"]
    client.force_login(employer_user)
    url = f"/api/v1/gigs/{gig_id}/signups/{signup_id}/transition"
    assert post(client, url, {"action": "confirm"}).json()["status"] == "confirmed"
    client.force_login(resident_user)
    token = checkin.site_code(Gig.objects.get(pk=gig_id))
    assert post(client, url, {"action": "scan", "token": token}).json()["status"] == "checked_in"
    assert post(client, url, {"action": "scan", "token": "forged"}).status_code == 422
    assert post(client, url, {"action": "fly"}).status_code == 422


def test_bad_gig_input_is_a_422_naming_the_field_and_writes_nothing(client, employer_user):
    client.force_login(employer_user)
    for field, value in (("headcount", 0), ("pay_rate", "-1"), ("title", "a\x00b"), ("starts_at", "tomorrow")):
        response = post(client, "/api/v1/gigs", {**body(), field: value})
        assert response.status_code == 422 and field in str(response.json()), (field, response.content)
    blocked = post(client, "/api/v1/gigs", body(requirements="限男性"))
    assert blocked.status_code == 422 and blocked.json()["detail"][0]["field"] == "requirements"
    assert not Gig.objects.exists()
    assert client.get("/api/v1/gigs", {"lat": 91, "lng": 0}).status_code == 422
    assert client.get("/api/v1/gigs", {"lat": 33.16}).status_code == 422
    assert client.get("/api/v1/gigs", {"offset": -1}).status_code == 422


def test_another_area_and_other_people_get_404(client, employer_user, community_staff, neighbour_staff, community):
    client.force_login(employer_user)
    gig_id = post(client, "/api/v1/gigs", body()).json()["id"]
    worker = ResidentFactory(community=community)
    client.force_login(community_staff)
    signup = post(client, f"/api/v1/gigs/{gig_id}/signups", {"resident_id": worker.pk})
    assert signup.status_code == 201  # a walk-in signed up by station staff
    url = f"/api/v1/gigs/{gig_id}/signups"
    assert len(client.get(url).json()) == 1
    client.force_login(neighbour_staff)
    assert client.get(url).status_code == 404
    assert post(client, f"{url}/{signup.json()['id']}/transition", {"action": "confirm"}).status_code == 404
    other = make_user("other_resident", Role.RESIDENT, resident=ResidentFactory(community=community))
    client.force_login(other)
    assert client.get(url).json() == []  # an open gig: they see it, but nobody else's sign-up
    assert post(client, f"{url}/{signup.json()['id']}/transition", {"action": "withdraw"}).status_code == 404


def test_statistics_count_what_happened(client, employer, employer_user, township_staff, other_township):
    client.force_login(employer_user)
    gig_id = post(client, "/api/v1/gigs", body(headcount=3)).json()["id"]
    client.force_login(township_staff)
    worker = ResidentFactory(community=employer.community)
    signup_id = post(client, f"/api/v1/gigs/{gig_id}/signups", {"resident_id": worker.pk}).json()["id"]
    post(client, f"/api/v1/gigs/{gig_id}/signups/{signup_id}/transition", {"action": "confirm"})
    figures = client.get("/api/v1/gigs/statistics").json()
    assert (figures["gigs"], figures["places"], figures["signups"], figures["deals"]) == (1, 3, 1, 1)
    assert figures["by_station"][0]["gigs"] == 1
    assert client.get("/api/v1/gigs/statistics", {"area": other_township.code}).status_code == 404
    assert client.get("/api/v1/gigs/statistics", {"period": "2026-13"}).status_code == 422


def test_sharing_offers_needs_and_agreements(client, employer, employer_user, township_staff, neighbour_community):
    today = timezone.localdate()
    span = {"start_date": str(today), "end_date": str(today + datetime.timedelta(days=20))}
    client.force_login(employer_user)
    offer = post(client, "/api/v1/sharing/offers", {"headcount": 5, "occupation_code": OCCUPATION, **span})
    assert offer.status_code == 201
    borrower = EmployerFactory(community=neighbour_community)
    client.force_login(township_staff)
    need = post(client, "/api/v1/sharing/needs",
                {"employer_id": borrower.pk, "headcount": 2, "occupation_code": OCCUPATION, **span})  # fmt: skip
    assert need.status_code == 201 and need.json()["matches"][0]["id"] == offer.json()["id"]
    people = [ResidentFactory(community=employer.community).pk for _ in range(2)]
    agreement = post(client, "/api/v1/sharing/agreements", {
        "lender_id": employer.pk, "borrower_id": borrower.pk, "resident_ids": people, **span,
        "pay_arrangement": "调入方按日结算", "payer": "borrower", "insurance_party": "lender"})  # fmt: skip
    assert agreement.status_code == 201 and agreement.json()["status"] == "draft"
    assert all("*" in w["name"] for w in agreement.json()["workers"])
    client.force_login(employer_user)
    assert client.get("/api/v1/sharing/agreements").json()["count"] == 1
    assert client.get("/api/v1/sharing/offers").json()["count"] == 1
    assert client.get("/api/v1/sharing/needs").json()["count"] == 0  # another enterprise's need
    assert post(client, "/api/v1/sharing/agreements", {}).status_code == 403
    assert GigSignup.objects.count() == 0
