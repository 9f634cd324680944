"""共享员工: offers and needs, matching, and the agreement's lifecycle with each person's own consent."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.gigs import sharing
from jobcircle.gigs.enums import AgreementStatus, Consent
from jobcircle.gigs.models import AgreementTransition, SharingAgreement, SharingNeed, SharingOffer
from jobcircle.people.models import EmploymentStatusChange
from tests.factories import EmployerFactory, ResidentFactory, Role, make_user

from .factories import OCCUPATION

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def period(days=30, **extra):
    return {"start_date": TODAY, "end_date": TODAY + datetime.timedelta(days=days), **extra}


@pytest.fixture
def borrower(neighbour_community):
    return EmployerFactory(community=neighbour_community)


@pytest.fixture
def borrower_user(borrower):
    return make_user("borrower_user", Role.EMPLOYER, employer=borrower)


@pytest.fixture
def staff(township_staff):
    return township_staff


@pytest.fixture
def people(community):
    return [ResidentFactory(community=community, employment_status="employed") for _ in range(2)]


def declare(model, employer, user, **data):
    return sharing.declare(model, employer, by=user, scope=scope_for_user(user),
                           data=period(**{"headcount": 3, "occupation_code": OCCUPATION, **data}))  # fmt: skip


def test_offers_and_needs_are_declared_by_the_enterprise_or_area_staff(employer, employer_user, borrower, staff):
    offer = declare(SharingOffer, employer, employer_user, conditions="淡季富余")
    need = declare(SharingNeed, borrower, staff)
    assert offer.area_code == employer.area_code and need.employer == borrower
    with pytest.raises(PermissionDenied):
        declare(SharingNeed, borrower, employer_user)
    with pytest.raises(ValidationError) as caught:
        sharing.declare(SharingOffer, employer, by=employer_user, scope=scope_for_user(employer_user),
                        data={"headcount": 0, "occupation_code": "x", "start_date": "2026-13-01"})  # fmt: skip
    assert {"headcount", "occupation_code", "start_date"} <= set(caught.value.message_dict)


def test_matching_prefers_the_same_occupation_then_distance(
    employer, employer_user, borrower, staff, village, county_admin
):
    offer = declare(SharingOffer, employer, employer_user)
    near = declare(SharingNeed, borrower, staff)
    far = declare(SharingNeed, EmployerFactory(community=village), county_admin)
    other_trade = declare(SharingNeed, borrower, staff, occupation_code="6-18-01-01")
    later = sharing.declare(SharingNeed, borrower, by=staff, scope=scope_for_user(staff), data={
        "headcount": 1, "occupation_code": OCCUPATION, "start_date": TODAY + datetime.timedelta(days=60),
        "end_date": TODAY + datetime.timedelta(days=90)})  # fmt: skip
    found = sharing.matches_for(offer)
    assert [m.pk for m in found] == [near.pk, far.pk]
    assert found[0].fit == "工种相同" and found[0].distance_m < found[1].distance_m
    assert other_trade.pk not in [m.pk for m in found] and later.pk not in [m.pk for m in found]
    assert [m.pk for m in sharing.matches_for(near)] == [offer.pk]


def agreement_data(employer, borrower, people, **extra):
    terms = {"pay_arrangement": "按调入方标准计件，调入方直接支付", "payer": "borrower", "insurance_party": "lender"}
    return period(lender=employer, borrower=borrower, people=people, **{**terms, **extra})


def test_the_agreement_lifecycle_with_consent_and_the_status_history(employer, borrower, borrower_user, staff, people):
    scope = scope_for_user(staff)
    agreement = sharing.draft_agreement(by=staff, scope=scope, data=agreement_data(employer, borrower, people))
    assert agreement.status == AgreementStatus.DRAFT and agreement.workers.count() == 2
    agreement = sharing.transition_agreement(agreement, "consent", by=staff, scope=scope)
    with pytest.raises(ValidationError):  # nobody agreed yet
        sharing.transition_agreement(agreement, "active", by=staff, scope=scope)
    users = [make_user(f"p{i}", Role.RESIDENT, resident=p) for i, p in enumerate(people)]
    for person, user in zip(people, users, strict=True):
        sharing.answer_consent(agreement, person, by=user, agree=True)
    with pytest.raises(PermissionDenied):  # an enterprise does not start it: staff broker it
        sharing.transition_agreement(agreement, "active", by=borrower_user, scope=scope_for_user(borrower_user))
    agreement = sharing.transition_agreement(agreement, "active", by=staff, scope=scope)
    for person in people:
        person.refresh_from_db()
        assert person.employment_status == "employed"  # the secondment does not end the employment
        note = EmploymentStatusChange.objects.filter(resident=person).latest("id").note
        assert borrower.name in note and "劳动关系不变" in note
    agreement = sharing.transition_agreement(agreement, "ended", by=borrower_user, scope=scope_for_user(borrower_user))
    assert "结束" in EmploymentStatusChange.objects.filter(resident=people[0]).latest("id").note
    assert list(AgreementTransition.objects.filter(agreement=agreement).values_list("to_status", flat=True)) == [
        "draft", "consent", "active", "ended"]  # fmt: skip


def test_a_refusal_keeps_it_from_starting_and_only_named_people_answer(employer, borrower, staff, people, community):
    scope = scope_for_user(staff)
    agreement = sharing.draft_agreement(by=staff, scope=scope, data=agreement_data(employer, borrower, people))
    with pytest.raises(ValidationError):  # not yet sent for consent
        sharing.answer_consent(agreement, people[0], by=None, agree=True)
    agreement = sharing.transition_agreement(agreement, "consent", by=staff, scope=scope)
    sharing.answer_consent(agreement, people[0], by=None, agree=True)
    sharing.answer_consent(agreement, people[1], by=None, agree=False)
    with pytest.raises(PermissionDenied):
        sharing.answer_consent(agreement, ResidentFactory(community=community), by=None, agree=True)
    with pytest.raises(ValidationError):
        sharing.transition_agreement(agreement, "active", by=staff, scope=scope)
    with pytest.raises(ValidationError):  # cancelling needs a reason
        sharing.transition_agreement(agreement, "cancelled", by=staff, scope=scope)
    agreement = sharing.transition_agreement(agreement, "cancelled", by=staff, scope=scope, reason="员工不同意")
    assert agreement.status == "cancelled"
    assert agreement.workers.get(resident=people[1]).consent == Consent.REFUSED


def test_bad_agreements_name_the_field(employer, borrower, staff, people, other_township_staff):
    scope = scope_for_user(staff)
    bad = agreement_data(employer, employer, [], payer="nobody")
    with pytest.raises(ValidationError) as caught:
        sharing.draft_agreement(by=staff, scope=scope, data=bad)
    assert {"borrower_id", "resident_ids", "payer"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        sharing.draft_agreement(by=other_township_staff, scope=scope_for_user(other_township_staff),
                                data=agreement_data(employer, borrower, people))  # fmt: skip
    assert "lender_id" in caught.value.message_dict
    assert not SharingAgreement.objects.exists()
