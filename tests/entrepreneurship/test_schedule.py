"""The repayment schedule and the quarterly 贴息 against hand-worked figures."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from jobcircle.entrepreneurship.schedule import build_schedule, quarter_of, quarter_range


def test_bullet_schedule_pays_interest_each_quarter_and_the_principal_at_maturity():
    lines = build_schedule(D("100000"), D("0.04"), 12, datetime.date(2025, 1, 15), "bullet")
    # 100,000 × 4% ÷ 4 = 1,000.00 each quarter
    assert [(x.due_on, x.principal, x.interest) for x in lines] == [
        (datetime.date(2025, 4, 15), D("0"), D("1000.00")),
        (datetime.date(2025, 7, 15), D("0"), D("1000.00")),
        (datetime.date(2025, 10, 15), D("0"), D("1000.00")),
        (datetime.date(2026, 1, 15), D("100000"), D("1000.00")),
    ]


def test_equal_principal_schedule_by_hand_with_the_cents_left_on_the_last_instalment():
    lines = build_schedule(D("50000"), D("0.0385"), 9, datetime.date(2025, 8, 31), "equal_principal")
    # principal 50,000 ÷ 3 = 16,666.66 (cut), last 16,666.68; interest on the balance × 3.85% ÷ 4:
    # 50,000 → 481.25; 33,333.34 → 320.8334 → 320.83; 16,666.68 → 160.4168 → 160.42
    assert [(x.due_on, x.principal, x.interest) for x in lines] == [
        (datetime.date(2025, 11, 30), D("16666.66"), D("481.25")),
        (datetime.date(2026, 2, 28), D("16666.66"), D("320.83")),
        (datetime.date(2026, 5, 31), D("16666.68"), D("160.42")),
    ]
    assert sum(x.principal for x in lines) == D("50000")


def test_a_term_not_in_quarters_is_refused():
    with pytest.raises(ValidationError):
        build_schedule(D("1000"), D("0.04"), 10, datetime.date(2025, 1, 1))


def test_quarters():
    assert quarter_of(datetime.date(2025, 11, 30)) == "2025-Q4"
    assert quarter_range("2025-Q1") == (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    for bad in ("2025Q1", "2025-Q5", "abcd-Q1", "1999-Q1"):
        with pytest.raises(ValidationError):
            quarter_range(bad)
