"""No second outstanding guarantee loan under concurrency (PostgreSQL; skipped on SQLite)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from jobcircle.entrepreneurship import services
from jobcircle.entrepreneurship.enums import LoanStatus as L
from jobcircle.entrepreneurship.models import Loan
from tests.concurrency import run_at_once

from .conftest import apply, borrower, scope

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def test_ten_concurrent_applications_of_one_borrower_make_exactly_one_loan(catalogues, loan_policies, community):
    person = borrower(community)
    outcomes = run_at_once(lambda _: apply(loan_policies["personal"], person), list(range(10)))
    assert sum(isinstance(o, Loan) for o in outcomes) == 1
    assert all(isinstance(o, (Loan, ValidationError)) for o in outcomes), outcomes
    assert Loan.objects.outstanding().filter(resident=person).count() == 1


def test_concurrent_approvals_of_one_loan_move_it_once(catalogues, loan_policies, community, county_admin,
                                                       community_staff):  # fmt: skip
    loan = apply(loan_policies["personal"], borrower(community))
    loan = services.move_loan(loan, L.LOCAL_PASSED, by=community_staff, scope=scope(community_staff))
    outcomes = run_at_once(
        lambda _: services.move_loan(loan, L.BUREAU_APPROVED, by=county_admin, scope=scope(county_admin)),
        list(range(8)),
    )
    assert sum(isinstance(o, Loan) for o in outcomes) == 1
    assert all(isinstance(o, (Loan, ValidationError, PermissionDenied)) for o in outcomes), outcomes
    assert loan.transitions.filter(to_status=L.BUREAU_APPROVED).count() == 1


def test_a_withdrawal_racing_a_new_application_never_leaves_two_outstanding(
    catalogues, loan_policies, community, community_staff
):
    person = borrower(community)
    first = apply(loan_policies["personal"], person)

    def act(which):
        if which == "withdraw":
            return services.move_loan(first, L.WITHDRAWN, by=community_staff, scope=scope(community_staff))
        return apply(loan_policies["personal"], person)

    run_at_once(act, ["withdraw", "apply", "apply", "apply"])
    assert Loan.objects.outstanding().filter(resident=person).count() <= 1
