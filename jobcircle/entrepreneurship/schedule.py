"""The repayment schedule (还款计划) of a guarantee loan and the quarters 贴息 is counted in: pure functions.

- instalments fall every three months after disbursement (the same day of the month, or the month's last day);
- each instalment's interest = principal outstanding during the quarter × annual rate ÷ 4, in 元 to the cent
  (ROUND_HALF_UP), as the banks' 按季结息 statements compute it;
- 按季付息、到期还本: the whole principal with the last instalment; 按季等额本金: principal ÷ instalments each
  quarter, the cents left over with the last.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from .enums import RepaymentMethod

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    number: int
    due_on: datetime.date
    principal: Decimal
    interest: Decimal


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def build_schedule(amount: Decimal, annual_rate: Decimal, term_months: int, start: datetime.date,
                   method: str = RepaymentMethod.BULLET) -> list[Line]:  # fmt: skip
    """The instalments of a loan of ``amount`` 元 disbursed on ``start`` (see module docstring)."""
    if term_months < 3 or term_months % 3:
        raise ValidationError({"term_months": ["期限（月）：须为3的倍数（按季还款）"]})
    count = term_months // 3
    amount = Decimal(amount)
    if method == RepaymentMethod.EQUAL_PRINCIPAL:
        share = (amount / count).quantize(CENT, rounding=ROUND_DOWN)
        principals = [share] * (count - 1) + [amount - share * (count - 1)]
    else:
        principals = [Decimal(0)] * (count - 1) + [amount]
    lines, outstanding = [], amount
    for n, principal in enumerate(principals, start=1):
        interest = (outstanding * Decimal(annual_rate) / 4).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append(Line(n, add_months(start, 3 * n), principal, interest))
        outstanding -= principal
    return lines


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_range(quarter: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of ``2025-Q1``; anything else is refused naming the field."""
    try:
        year, q = int(quarter[:4]), int(quarter[6:])
        if len(quarter) != 7 or quarter[4:6] != "-Q" or not 1 <= q <= 4 or not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        raise ValidationError({"quarter": [f"季度：格式应为 2025-Q1，收到“{quarter}”"]}) from None
    first = datetime.date(year, 3 * q - 2, 1)
    return first, add_months(first, 3) - datetime.timedelta(days=1)
