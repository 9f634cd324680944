"""/api/v1/entrepreneurship: a borrower applies, staff move the loan, lists are scoped, the statistics add up."""

import datetime

import pytest

from jobcircle.entrepreneurship.models import IncubationBase, Loan, Startup
from tests.factories import demo_credit_code

from .conftest import apply, borrower, disburse, walk_to_guaranteed

pytestmark = pytest.mark.django_db
URL = "/api/v1/entrepreneurship"


def test_a_resident_applies_for_their_own_loan_and_sees_it(client, loan_policies, resident_user):
    resident_user.resident.key_groups.set([])
    from jobcircle.people.models import KeyGroup

    resident_user.resident.key_groups.add(KeyGroup.objects.get_or_create(code="veteran")[0])
    client.force_login(resident_user)
    body = {"policy": "personal", "amount": "80000", "term_months": 24, "purpose": "开办汽修店", "jobs_created": 2}
    response = client.post(f"{URL}/loans", body, content_type="application/json")
    assert response.status_code == 201, response.content
    loan = response.json()
    assert loan["status"] == "applied" and loan["transitions"][0]["to_status"] == "applied"
    again = client.post(f"{URL}/loans", body, content_type="application/json")
    assert again.status_code == 422 and "未结清" in again.json()["detail"][0]["message"]
    assert client.get(f"{URL}/loans").json()["count"] == 1


def test_over_the_cap_is_a_422_naming_the_field(client, loan_policies, community_staff, community):
    person = borrower(community)
    client.force_login(community_staff)
    body = {"policy": "personal", "amount": "300000.01", "term_months": 12, "purpose": "开店", "resident_id": person.pk}
    response = client.post(f"{URL}/loans", body, content_type="application/json")
    assert response.status_code == 422 and "申请金额" in response.json()["detail"][0]["message"]
    assert not Loan.objects.exists()


def test_staff_walk_a_loan_to_disbursement_through_the_api(
    client, loan_policies, community, community_staff, county_admin
):
    loan = apply(loan_policies["personal"], borrower(community))
    client.force_login(community_staff)
    path = f"{URL}/loans/{loan.pk}/transition"
    assert client.post(path, {"action": "local_pass"}, content_type="application/json").status_code == 200
    assert client.post(path, {"action": "approve"}, content_type="application/json").status_code == 403
    client.force_login(county_admin)
    assert client.post(path, {"action": "approve"}, content_type="application/json").status_code == 200
    body = {"action": "guarantee", "guarantor": "县创业担保中心"}
    assert client.post(path, body, content_type="application/json").status_code == 200
    body = {"action": "disburse", "amount": "100000", "annual_rate": "0.04", "bank": "县农商银行",
            "contract_no": "JK-API-1", "disbursed_on": "2025-01-15"}  # fmt: skip
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "disbursed" and len(response.json()["instalments"]) == 4
    illegal = client.post(path, {"action": "local_pass"}, content_type="application/json")
    assert illegal.status_code == 422 and "贷款状态不能从" in illegal.json()["detail"][0]["message"]


def test_another_communitys_loan_is_a_404(client, loan_policies, neighbour_community, community_staff):
    loan = apply(loan_policies["personal"], borrower(neighbour_community))
    client.force_login(community_staff)
    assert client.get(f"{URL}/loans/{loan.pk}").status_code == 404
    response = client.post(f"{URL}/loans/{loan.pk}/transition", {"action": "local_pass"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 404
    assert client.get(f"{URL}/loans").json()["count"] == 0


def test_startups_and_bases_are_listed_in_the_area_only(client, community, neighbour_community, community_staff):
    for where in (community, neighbour_community):
        Startup.objects.create(name=f"{where.name}店", credit_code=demo_credit_code(), kind="sole",
                               registered_on=datetime.date(2025, 5, 1), area_code=where.code,
                               returnee_source="declared")  # fmt: skip
        IncubationBase.objects.create(name=f"{where.name}基地", capacity=5, area_code=where.code)
    client.force_login(community_staff)
    startups = client.get(f"{URL}/startups?returnee=true").json()
    assert [s["area_code"] for s in startups["items"]] == [community.code] and startups["items"][0]["returnee"]
    assert [b["area_code"] for b in client.get(f"{URL}/bases").json()] == [community.code]
    assert client.get(f"{URL}/startups?area={neighbour_community.code}").status_code == 404


def test_statistics_answer_the_six_figures(client, loan_policies, community, community_staff, county_admin):
    loan = walk_to_guaranteed(apply(loan_policies["personal"], borrower(community)), community_staff, county_admin)
    disburse(loan, county_admin)
    client.force_login(county_admin)
    body = client.get(f"{URL}/statistics?period=2025").json()
    assert body == {"period": body["period"], "loans": 1, "loan_amount_yuan": "100000.00", "supported_people": 1,
                    "jobs_created": 3, "startups": 0, "returnee_startups": 0}  # fmt: skip
    assert client.get(f"{URL}/statistics?period=2025-13").status_code == 422


def test_a_resident_cannot_read_the_statistics(client, resident_user):
    client.force_login(resident_user)
    assert client.get(f"{URL}/statistics").status_code == 403
