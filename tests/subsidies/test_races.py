"""Never twice, never over budget, under concurrency (PostgreSQL row locks; skipped on SQLite)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from jobcircle.accounts.access import scope_for_user
from jobcircle.subsidies.enums import ApplicationSource, LineResult
from jobcircle.subsidies.enums import ApplicationStatus as S
from jobcircle.subsidies.models import Payment, SubsidyApplication
from jobcircle.subsidies.services import create_batch, record_line_result, review_application
from tests.concurrency import run_at_once

from .conftest import PERIOD, person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def at_county_review(policy, resident):
    version = policy.versions.get()
    return SubsidyApplication.objects.create(
        policy=policy, version=version, resident=resident, period=PERIOD, amount=version.amount,
        status=S.COUNTY_REVIEW, source=ApplicationSource.STAFF, rule_version=version.number,
        area_code=resident.area_code,
    )  # fmt: skip


def test_twenty_concurrent_approvals_for_one_beneficiary_make_exactly_one_payment(
    catalogues, policies, community, county_admin
):
    policy = policies["transport"]
    resident = person(community, "poverty_alleviated")
    applications = [at_county_review(policy, resident) for _ in range(20)]

    outcomes = run_at_once(
        lambda a: review_application(a, "approve", by=county_admin, scope=scope_for_user(county_admin)), applications
    )

    assert sum(isinstance(o, SubsidyApplication) for o in outcomes) == 1
    assert all(isinstance(o, (SubsidyApplication, ValidationError)) for o in outcomes), outcomes
    (winner,) = SubsidyApplication.objects.filter(status=S.APPROVED)
    batch = create_batch(policy, [winner.pk], by=county_admin, scope=scope_for_user(county_admin))
    run_at_once(lambda line: record_line_result(line, LineResult.PAID, by=county_admin), list(batch.lines.all()) * 2)
    assert Payment.objects.filter(beneficiary=winner.beneficiary).count() == 1


def test_concurrent_approvals_against_the_last_of_the_budget_never_overdraw(
    catalogues, policies, community, county_admin
):
    policy = policies["transport"]
    version = policy.versions.get()
    version.yearly_budget = version.amount * 3
    version.save(update_fields=["yearly_budget"])
    applications = [at_county_review(policy, person(community, "poverty_alleviated")) for _ in range(10)]

    outcomes = run_at_once(
        lambda a: review_application(a, "approve", by=county_admin, scope=scope_for_user(county_admin)), applications
    )

    assert sum(isinstance(o, SubsidyApplication) for o in outcomes) == 3
    committed = SubsidyApplication.objects.committed().filter(version=version).aggregate(s=Sum("amount"))["s"]
    assert committed == version.yearly_budget
