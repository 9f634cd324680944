"""Back office: staff draft a 共享用工协议 from an offer and a need (sharing.draft_agreement, as the API),
naming people among the lender's employees in their area."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.gigs import sharing
from jobcircle.gigs.models import SharedWorker, SharingAgreement, SharingNeed, SharingOffer
from jobcircle.people.models import Placement
from tests.factories import EmployerFactory, ResidentFactory

from .factories import OCCUPATION

pytestmark = pytest.mark.django_db
URL = reverse("gigs:agreement_new")


@pytest.fixture
def market(community, neighbour_community, community_staff, employer):
    today = timezone.localdate()
    period = {"headcount": 2, "occupation_code": OCCUPATION, "start_date": today,
              "end_date": today + datetime.timedelta(days=30)}  # fmt: skip
    scope = scope_for_user(community_staff)
    offer = sharing.declare(SharingOffer, employer, by=community_staff, scope=scope, data=period)
    borrower = EmployerFactory(community=neighbour_community)
    need = sharing.declare(SharingNeed, borrower, by=None, scope=scope_for_user(_staff_of(neighbour_community)),
                           data=period)  # fmt: skip
    staff = [ResidentFactory(community=community) for _ in range(2)]
    for person in staff:
        Placement.objects.create(resident=person, employer=employer, started_on=today, area_code=person.area_code)
    outsider = ResidentFactory(community=community)  # no employment with the lender
    return {"offer": offer, "need": need, "staff": staff, "outsider": outsider, "today": today}


def _staff_of(region):
    from tests.factories import Role, make_user

    return make_user(f"staff_{region.code}", Role.COMMUNITY_STAFF, area=region)


def form(market, **overrides):
    data = {"offer": market["offer"].pk, "need": market["need"].pk, "people": [p.pk for p in market["staff"]],
            "start_date": market["today"].isoformat(),
            "end_date": (market["today"] + datetime.timedelta(days=20)).isoformat(),
            "pay_arrangement": "按调入方同岗位标准，日结", "payer": "borrower",
            "insurance_party": "lender"}  # fmt: skip
    data.update(overrides)
    return data


def test_area_staff_draft_an_agreement_with_the_lenders_employees(client, community_staff, market, employer):
    client.force_login(community_staff)
    page = client.get(URL, {"offer": market["offer"].pk})
    assert page.status_code == 200
    offered = set(page.context["form"].fields["people"].queryset)
    assert offered == set(market["staff"]) and market["outsider"] not in offered
    response = client.post(URL, form(market))
    agreement = SharingAgreement.objects.get()
    assert response.status_code == 302 and response.url == reverse("gigs:agreement_detail", args=[agreement.pk])
    assert (agreement.lender, agreement.borrower) == (employer, market["need"].employer)
    assert (agreement.offer, agreement.need, agreement.status) == (market["offer"], market["need"], "draft")
    assert set(SharedWorker.objects.values_list("resident_id", flat=True)) == {p.pk for p in market["staff"]}
    assert client.get(reverse("gigs:agreement_list")).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "label"),
    [({"people": []}, "people", "共享员工"), ({"payer": "nobody"}, "payer", "报酬支付方"),
     ({"end_date": "2000-01-01"}, "end_date", "期间止"), ({"start_date": "明天"}, "start_date", "期间起"),
     ({"pay_arrangement": ""}, "pay_arrangement", "报酬约定"), ({"need": ""}, "need", "缺工需求")],
)  # fmt: skip
def test_bad_input_names_the_field_and_writes_nothing(client, community_staff, market, overrides, field, label):
    client.force_login(community_staff)
    response = client.post(URL, form(market, **overrides))
    assert response.status_code == 200
    assert any(m.startswith(label) for m in response.context["form"].errors[field]), response.context["form"].errors
    assert not SharingAgreement.objects.exists() and not SharedWorker.objects.exists()


def test_someone_not_employed_by_the_lender_cannot_be_named(client, community_staff, market):
    client.force_login(community_staff)
    response = client.post(URL, form(market, people=[market["outsider"].pk]))
    assert response.status_code == 200 and response.context["form"].errors["people"][0].startswith("共享员工")
    assert not SharingAgreement.objects.exists()


def test_staff_of_another_area_find_no_offer_and_get_404_on_the_draft(client, other_township_staff, market):
    client.force_login(other_township_staff)
    assert client.get(URL, {"offer": market["offer"].pk}).status_code == 404
    assert list(client.get(URL).context["form"].fields["offer"].queryset) == []
    response = client.post(URL, form(market))
    assert response.status_code == 200 and "offer" in response.context["form"].errors
    assert not SharingAgreement.objects.exists()


def test_residents_employers_and_administrators_get_403(client, resident_user, employer_user, system_admin, market):
    for user in (resident_user, employer_user, system_admin):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, form(market)).status_code == 403
    assert not SharingAgreement.objects.exists()
