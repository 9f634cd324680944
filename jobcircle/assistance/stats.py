"""Number helpers shared by the casework figures (each seam's figures are in ``<seam>/stats.py``).

Percentages are whole numbers rounded half up; money is Decimal, shown in 万元 to two decimals.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from jobcircle.areas.models import Region

from .periods import add_months, month_end

TEN_THOUSAND = Decimal("10000")


def percent(part, whole) -> int | None:
    """part/whole as a whole percentage, half up; None when there is nothing to divide by."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("1"), ROUND_HALF_UP))


def wan_yuan(amount: Decimal) -> Decimal:
    """Yuan → 万元 with two decimals, half up."""
    return (Decimal(amount or 0) / TEN_THOUSAND).quantize(Decimal("0.01"), ROUND_HALF_UP)


def compare_with_previous(current: int, previous: int, unit: str = "人") -> str:
    """ "比上期632人多17人" / "比上期632人少5人" / "与上期632人持平"."""
    if current > previous:
        return f"比上期{previous}{unit}多{current - previous}{unit}"
    if current < previous:
        return f"比上期{previous}{unit}少{previous - current}{unit}"
    return f"与上期{previous}{unit}持平"


def previous_period(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of the same length just before: whole months shift by months, other spans by days."""
    if start.day == 1 and end == month_end(end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return add_months(start, -months), month_end(add_months(start, -1))
    length = end - start + datetime.timedelta(days=1)
    return start - length, start - datetime.timedelta(days=1)


def sub_areas(region: Region) -> list[Region]:
    """The regions one level below the region (a community stands for itself)."""
    children = list(Region.objects.current().filter(parent=region).order_by("code"))
    return children or [region]
