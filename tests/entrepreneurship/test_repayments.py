"""Repayments (by hand and the bank statement import), overdue loans, and 贴息 paid through the subsidies ledger."""

import datetime
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from jobcircle.entrepreneurship import services
from jobcircle.entrepreneurship.enums import LoanStatus as L
from jobcircle.entrepreneurship.imports import import_repayments
from jobcircle.entrepreneurship.models import InterestSubsidy, Repayment
from jobcircle.subsidies import services as subsidies
from jobcircle.subsidies.enums import LineResult
from jobcircle.subsidies.models import Payment
from tests.factories import Role, make_user

from .conftest import apply, borrower, disburse, scope, walk_to_guaranteed

pytestmark = pytest.mark.django_db
HEADER = ["借款合同号", "还款日期", "还款本金（元）", "还款利息（元）", "银行流水号"]


@pytest.fixture
def loan(loan_policies, community, community_staff, county_admin):
    loan = walk_to_guaranteed(apply(loan_policies["personal"], borrower(community)), community_staff, county_admin)
    return disburse(loan, county_admin)  # 100,000 at 4% from 2025-01-15, interest 1,000.00 a quarter


def statement(tmp_path, rows, name="statement.xlsx"):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def pay(loan, day, interest="1000", principal="0", serial="S1"):
    return services.record_repayment(loan, paid_on=day, principal=D(principal), interest=D(interest), serial=serial,
                                     by=None)  # fmt: skip


def test_the_first_repayment_moves_the_loan_to_repaying_and_settles_the_instalment(loan):
    pay(loan, datetime.date(2025, 4, 15))
    loan.refresh_from_db()
    first = loan.instalments.get(number=1)
    assert loan.status == L.REPAYING and first.settled_on == datetime.date(2025, 4, 15)
    assert loan.transitions.last().to_status == L.REPAYING and loan.transitions.last().by is None


def test_the_last_repayment_settles_the_loan(loan):
    for n, day in enumerate(loan.instalments.values_list("due_on", flat=True), start=1):
        pay(loan, day, principal="100000" if n == 4 else "0", serial=f"S{n}")
    loan.refresh_from_db()
    assert loan.status == L.SETTLED


def test_the_statement_import_is_all_or_nothing_and_names_the_row_and_column(loan, county_admin, tmp_path):
    path = statement(tmp_path, [["JK2025001", datetime.date(2025, 4, 15), 0, 1000, "S1"],
                                ["NOPE", datetime.date(2025, 4, 16), 0, 5, "S2"]])  # fmt: skip
    result = import_repayments(path, by=county_admin, scope=scope(county_admin), apply=True)
    assert not result.applied and [(e.row, e.column) for e in result.errors] == [(3, "借款合同号")]
    assert not Repayment.objects.exists()


def test_the_statement_import_is_idempotent(loan, county_admin, tmp_path):
    path = statement(tmp_path, [["JK2025001", datetime.date(2025, 4, 15), 0, 1000, "S1"],
                                ["JK2025001", "2025-07-15", 0, 1000, "S2"]])  # fmt: skip
    check = import_repayments(path, by=county_admin, scope=scope(county_admin), apply=False)
    assert check.counts.created == 2 and not Repayment.objects.exists()
    first = import_repayments(path, by=county_admin, scope=scope(county_admin), apply=True)
    assert first.applied and first.counts.created == 2
    again = import_repayments(path, by=county_admin, scope=scope(county_admin), apply=True)
    assert again.applied and again.counts.created == 0 and again.counts.unchanged == 2
    assert Repayment.objects.count() == 2
    assert loan.instalments.filter(settled_on__isnull=False).count() == 2


def test_only_the_loan_manager_imports_statements(loan, community_staff, tmp_path):
    with pytest.raises(PermissionDenied):
        import_repayments(statement(tmp_path, []), by=community_staff, scope=scope(community_staff), apply=True)


def test_overdue_warning_lists_loans_past_due_by_n_days_and_marks_them_overdue(loan, county):
    pay(loan, datetime.date(2025, 4, 15))
    as_of = datetime.date(2025, 8, 20)  # the July instalment is 36 days past due
    rows = services.overdue_warnings(county, as_of, days=30)
    assert [(r["loan"].pk, r["days"], r["unpaid"]) for r in rows] == [(loan.pk, 36, D("1000.00"))]
    assert services.overdue_warnings(county, as_of, days=40) == []
    assert services.mark_overdue_loans(county, as_of=as_of, days=30) == 1
    loan.refresh_from_db()
    assert loan.status == L.OVERDUE
    pay(loan, datetime.date(2025, 8, 21), serial="S2")  # caught up
    loan.refresh_from_db()
    assert loan.status == L.REPAYING


def test_quarterly_interest_subsidy_by_hand(loan):
    pay(loan, datetime.date(2025, 4, 15))  # on time: 1,000.00 × 50% = 500.00
    pay(loan, datetime.date(2025, 9, 30), serial="S2")  # the July instalment 77 days late: no 贴息
    assert services.quarter_subsidy(loan, "2025-Q2") == (D("1000.00"), D("500.00"))
    assert services.quarter_subsidy(loan, "2025-Q3") == (D("0"), D("0.00"))
    assert services.quarter_subsidy(loan, "2025-Q1") == (D("0"), D("0.00"))


def test_interest_subsidy_goes_through_the_subsidies_ledger_never_twice(loan, county_admin, county):
    pay(loan, datetime.date(2025, 4, 15))
    claimed = services.claim_interest_subsidies("2025-Q2", by=county_admin, scope=scope(county_admin))
    assert [c.amount for c in claimed] == [D("500.00")]
    assert services.claim_interest_subsidies("2025-Q2", by=county_admin, scope=scope(county_admin)) == []
    application = claimed[0].application
    assert application.period == "2025-Q2" and application.resident_id == loan.resident_id
    reviewer = make_user("county_reviewer", Role.COUNTY_ADMIN, area=county)  # not who claimed it
    application = subsidies.review_application(application, "approve", by=reviewer, scope=scope(reviewer))
    batch = subsidies.create_batch(application.policy, [application.pk], by=county_admin, scope=scope(county_admin))
    subsidies.record_line_result(batch.lines.get(), LineResult.PAID, by=county_admin)
    assert Payment.objects.get().amount == D("500.00")
    InterestSubsidy.objects.all().delete()  # even if the claim were forgotten, the subsidies refuse a second one
    with pytest.raises(Exception):  # noqa: B017 - ValidationError from subsidies
        services.claim_interest_subsidies("2025-Q2", by=county_admin, scope=scope(county_admin))


def test_the_daily_scheduler_job_moves_the_late_loan_to_overdue_once(loan, county):
    from jobcircle.scheduling.jobs import JOBS

    job, slot = JOBS["overdue_loans"], datetime.datetime(2025, 12, 1, 1, 20)
    assert job.per_county and "新转逾期 1 笔" in job.run(county.code, slot)
    loan.refresh_from_db()
    assert loan.status == L.OVERDUE and loan.transitions.filter(to_status=L.OVERDUE).count() == 1
    assert "新转逾期 0 笔" in job.run(county.code, slot)
