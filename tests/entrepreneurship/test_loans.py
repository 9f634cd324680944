"""创业担保贷款: application (rule, caps), every lifecycle move legal and illegal, disbursement and schedule."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jobcircle.entrepreneurship import services
from jobcircle.entrepreneurship.enums import LoanStatus as L
from jobcircle.entrepreneurship.models import Loan, LoanTransition
from tests.factories import EmployerFactory

from .conftest import apply, borrower, disburse, scope, walk_to_guaranteed

pytestmark = pytest.mark.django_db


def test_a_returnee_applies_and_the_conditions_are_kept_with_the_loan(loan_policies, community):
    person = borrower(community)
    loan = apply(loan_policies["personal"], person)
    assert loan.status == L.APPLIED and loan.borrower == f"R{person.pk}"
    assert all(c["holds"] for c in loan.explanation)
    assert [(t.from_status, t.to_status) for t in loan.transitions.all()] == [("", L.APPLIED)]


def test_a_person_in_no_key_group_is_refused_naming_the_condition(loan_policies, community):
    person = borrower(community, "none_of_them")
    with pytest.raises(ValidationError) as exc:
        apply(loan_policies["personal"], person)
    assert "重点群体" in str(exc.value)
    assert not Loan.objects.exists()


def test_the_individual_cap_refuses_more_and_accepts_exactly_the_cap(loan_policies, community):
    policy = loan_policies["personal"]
    with pytest.raises(ValidationError) as exc:
        apply(policy, borrower(community), amount=policy.cap_amount + Decimal("0.01"))
    assert "额度上限" in str(exc.value)
    assert apply(policy, borrower(community), amount=policy.cap_amount).amount_applied == policy.cap_amount


def test_the_caps_are_configurable_per_policy(loan_policies, community):
    policy = loan_policies["personal"]
    policy.cap_amount = Decimal("50000")
    policy.save(update_fields=["cap_amount"])
    with pytest.raises(ValidationError):
        apply(policy, borrower(community), amount="60000")


def test_a_business_loan_needs_a_registered_business_and_may_borrow_up_to_its_cap(loan_policies, community):
    from jobcircle.entrepreneurship.models import Startup

    business = EmployerFactory(community=community)
    policy = loan_policies["business"]
    with pytest.raises(ValidationError) as exc:
        apply(policy, business, amount="2000000")
    assert "登记注册" in str(exc.value)
    Startup.objects.create(name=business.name, credit_code=business.credit_code, kind="private",
                           registered_on=datetime.date(2024, 3, 1), area_code=business.area_code)  # fmt: skip
    loan = apply(policy, business, amount=policy.cap_amount)
    assert loan.borrower == f"E{business.pk}" and loan.borrower_kind == "business"
    with pytest.raises(ValidationError):
        apply(policy, borrower(community))  # a person under the business policy


def test_no_second_outstanding_loan_but_a_new_one_after_the_first_is_withdrawn(
    loan_policies, community, community_staff
):
    person = borrower(community)
    first = apply(loan_policies["personal"], person)
    with pytest.raises(ValidationError) as exc:
        apply(loan_policies["personal"], person)
    assert "未结清" in str(exc.value)
    assert Loan.objects.filter(resident=person).count() == 1
    services.move_loan(first, L.WITHDRAWN, by=community_staff, scope=scope(community_staff))
    assert apply(loan_policies["personal"], person).status == L.APPLIED


def test_the_whole_lifecycle_to_disbursement_logs_every_step(loan_policies, community, community_staff, county_admin):
    loan = apply(loan_policies["personal"], borrower(community))
    loan = walk_to_guaranteed(loan, community_staff, county_admin)
    loan = disburse(loan, county_admin)
    assert loan.status == L.DISBURSED and loan.guarantor == "县创业担保中心"
    assert loan.subsidy_share == loan_policies["personal"].subsidy_share
    assert loan.instalments.count() == 4 and loan.maturity_on == datetime.date(2026, 1, 15)
    steps = list(LoanTransition.objects.filter(loan=loan).values_list("to_status", flat=True))
    assert steps == [L.APPLIED, L.LOCAL_PASSED, L.BUREAU_APPROVED, L.GUARANTEED, L.DISBURSED]


@pytest.mark.parametrize(
    "start,target",
    [(L.APPLIED, L.BUREAU_APPROVED), (L.APPLIED, L.GUARANTEED), (L.APPLIED, L.SETTLED), (L.LOCAL_PASSED, L.GUARANTEED),
     (L.LOCAL_PASSED, L.REPAYING), (L.BUREAU_APPROVED, L.SETTLED), (L.APPLIED, L.COMPENSATED)],
)  # fmt: skip
def test_an_illegal_move_is_refused_naming_both_states_and_writes_nothing(
    loan_policies, community, county_admin, start, target
):
    loan = apply(loan_policies["personal"], borrower(community))
    Loan.objects.filter(pk=loan.pk).update(status=start)
    with pytest.raises(ValidationError) as exc:
        services.move_loan(loan, target, by=county_admin, scope=scope(county_admin))
    assert "贷款状态不能从" in str(exc.value)
    assert Loan.objects.get(pk=loan.pk).status == start and loan.transitions.count() == 1


def test_the_first_review_belongs_to_the_borrowers_community_or_township(
    loan_policies, community, county_admin, neighbour_staff, township_staff
):
    loan = apply(loan_policies["personal"], borrower(community))
    for outsider in (neighbour_staff, county_admin):
        with pytest.raises(PermissionDenied):
            services.move_loan(loan, L.LOCAL_PASSED, by=outsider, scope=scope(outsider))
    assert services.move_loan(loan, L.LOCAL_PASSED, by=township_staff, scope=scope(township_staff)).status == (
        L.LOCAL_PASSED
    )


def test_nobody_reviews_their_own_submission(loan_policies, community, community_staff):
    loan = apply(loan_policies["personal"], borrower(community), by=community_staff)
    with pytest.raises(PermissionDenied):
        services.move_loan(loan, L.LOCAL_PASSED, by=community_staff, scope=scope(community_staff))


def test_county_steps_need_the_loan_manager(loan_policies, community, community_staff, township_staff):
    loan = apply(loan_policies["personal"], borrower(community))
    loan = services.move_loan(loan, L.LOCAL_PASSED, by=community_staff, scope=scope(community_staff))
    with pytest.raises(PermissionDenied):
        services.move_loan(loan, L.BUREAU_APPROVED, by=township_staff, scope=scope(township_staff))


def test_a_rejection_needs_a_reason_and_frees_the_borrower(loan_policies, community, community_staff):
    person = borrower(community)
    loan = apply(loan_policies["personal"], person)
    with pytest.raises(ValidationError):
        services.move_loan(loan, L.REJECTED, by=community_staff, scope=scope(community_staff))
    services.move_loan(loan, L.REJECTED, by=community_staff, scope=scope(community_staff), reason="经营场所未落实")
    assert apply(loan_policies["personal"], person).status == L.APPLIED


def test_the_borrower_may_withdraw_their_own_application(loan_policies, community, resident_user, resident):
    from jobcircle.people.models import KeyGroup

    KeyGroup.objects.get_or_create(code="graduate", defaults={"name": "高校毕业生"})
    resident.key_groups.set(KeyGroup.objects.filter(code="graduate"))
    loan = apply(loan_policies["personal"], resident, by=resident_user)
    loan = services.move_loan(loan, L.WITHDRAWN, by=resident_user, scope=scope(resident_user))
    assert loan.status == L.WITHDRAWN


def test_credit_flags_at_the_first_review_make_the_bureau_approval_fail(
    loan_policies, community, community_staff, county_admin
):
    loan = apply(loan_policies["personal"], borrower(community))
    loan = services.move_loan(
        loan, L.LOCAL_PASSED, by=community_staff, scope=scope(community_staff), credit_flags=["dishonest"]
    )
    with pytest.raises(ValidationError) as exc:
        services.move_loan(loan, L.BUREAU_APPROVED, by=county_admin, scope=scope(county_admin))
    assert "信用" in str(exc.value)
    assert Loan.objects.get(pk=loan.pk).status == L.LOCAL_PASSED


def test_disbursement_respects_the_cap_rate_and_applied_amount(loan_policies, community, community_staff, county_admin):
    loan = walk_to_guaranteed(apply(loan_policies["personal"], borrower(community)), community_staff, county_admin)
    for kwargs, field in (({"amount": "100000.01"}, "amount_granted"), ({"rate": "0.2"}, "annual_rate")):
        with pytest.raises(ValidationError) as exc:
            disburse(loan, county_admin, **kwargs)
        assert field in exc.value.message_dict
    assert not loan.instalments.exists()
    assert disburse(loan, county_admin, amount="80000").amount_granted == Decimal("80000.00")


def test_system_moves_cannot_be_made_by_a_person(loan_policies, community, community_staff, county_admin):
    loan = disburse(walk_to_guaranteed(apply(loan_policies["personal"], borrower(community)), community_staff,
                                       county_admin), county_admin)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.move_loan(loan, L.REPAYING, by=county_admin, scope=scope(county_admin))
