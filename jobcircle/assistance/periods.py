"""Months and periods as the ledgers use them: a month is the date of its first day."""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError

_MONTH_RE = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))\s*(?:[-/.]\s*\d{1,2}\s*日?)?\s*$")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def days_in_month(month: datetime.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def parse_month(value, label="月份") -> datetime.date:
    """A month from a date, ``2026-11``, ``2026/11``, ``2026年11月``, ``202611`` or ``2026-11-05``."""
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = str(value if value is not None else "").strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    match = _MONTH_RE.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2) or match.group(3))
        if 1 <= month <= 12 and 1900 <= year <= 2200:
            return datetime.date(year, month, 1)
    raise ValidationError(f"{label}：格式应为“2026-11”（收到“{text}”）", code="month")


def parse_date(value, label="日期") -> datetime.date:
    """A date from a real Excel date or text ``2026-11-05`` / ``2026/11/05`` / ``2026.11.05`` / ``20261105``."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value if value is not None else "").strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    normalised = re.sub(r"[年月/.]", "-", text).rstrip("日").strip()
    if re.fullmatch(r"\d{8}", normalised):
        normalised = f"{normalised[:4]}-{normalised[4:6]}-{normalised[6:]}"
    try:
        year, month, day = (int(part) for part in normalised.split("-"))
        return datetime.date(year, month, day)
    except (TypeError, ValueError):
        raise ValidationError(f"{label}：格式应为“2026-11-05”（收到“{text}”）", code="date") from None
