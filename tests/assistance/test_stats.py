"""The number helpers every casework figure shares (assistance.stats), checked against sums done here."""

import datetime
from decimal import Decimal

import pytest

from jobcircle.assistance import stats as shared_stats

from .factories import whole_percent

pytestmark = pytest.mark.django_db


def test_percent_and_comparison_wording():
    assert shared_stats.percent(3721, 3684) == whole_percent(3721, 3684)
    assert shared_stats.percent(1, 0) is None
    assert shared_stats.compare_with_previous(649, 632) == "比上期632人多17人"
    assert shared_stats.compare_with_previous(630, 632) == "比上期632人少2人"
    assert shared_stats.compare_with_previous(5, 5, "个") == "与上期5个持平"
    assert shared_stats.wan_yuan(Decimal("123456.78")) == Decimal("12.35")


def test_previous_period_of_whole_months_and_of_days():
    assert shared_stats.previous_period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)) == (
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
    )
    assert shared_stats.previous_period(datetime.date(2026, 1, 10), datetime.date(2026, 1, 19)) == (
        datetime.date(2025, 12, 31),
        datetime.date(2026, 1, 9),
    )
