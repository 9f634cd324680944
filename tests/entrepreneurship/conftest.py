"""Entrepreneurship test helpers: the shipped loan policies, a returnee borrower, a loan walked to disbursement."""

import datetime
from decimal import Decimal

import pytest

from jobcircle.accounts.access import scope_for_user
from jobcircle.entrepreneurship import data_policies, services
from jobcircle.entrepreneurship.enums import LoanStatus
from jobcircle.entrepreneurship.models import LoanPolicy
from jobcircle.people.models import KeyGroup
from jobcircle.subsidies.models import Policy, PolicyVersion
from tests.factories import ResidentFactory

DISBURSED_ON = datetime.date(2025, 1, 15)


@pytest.fixture
def loan_policies(db):
    """The shipped loan policies by code (the migration loads them; reloaded after a transactional flush)."""
    data_policies.load(LoanPolicy, Policy, PolicyVersion)
    return {p.code: p for p in LoanPolicy.objects.all()}


def borrower(community, *groups, **fields):
    """A resident of ``community`` in the key groups named by code (农民工 by default: a returnee)."""
    groups = groups or ("migrant_worker",)
    for code in groups:
        KeyGroup.objects.get_or_create(code=code, defaults={"name": code})
    resident = ResidentFactory(community=community, **fields)
    resident.key_groups.set(KeyGroup.objects.filter(code__in=groups))
    return resident


def scope(user):
    return scope_for_user(user)


def apply(policy, person, amount="100000", by=None, term=12):
    return services.apply_for_loan(policy, person, amount=Decimal(amount), term_months=term, purpose="开办农家乐",
                                   by=by, jobs_created=3)  # fmt: skip


def walk_to_guaranteed(loan, local, county_admin):
    loan = services.move_loan(loan, LoanStatus.LOCAL_PASSED, by=local, scope=scope(local))
    loan = services.move_loan(loan, LoanStatus.BUREAU_APPROVED, by=county_admin, scope=scope(county_admin))
    return services.move_loan(
        loan, LoanStatus.GUARANTEED, by=county_admin, scope=scope(county_admin), guarantor="县创业担保中心"
    )


def disburse(loan, county_admin, amount="100000", rate="0.0400", method="bullet", contract="JK2025001",
             on=DISBURSED_ON):  # fmt: skip
    return services.disburse_loan(
        loan, by=county_admin, scope=scope(county_admin), amount=Decimal(amount), annual_rate=Decimal(rate),
        bank="县农商银行", contract_no=contract, disbursed_on=on, method=method,
    )  # fmt: skip
