"""零就业家庭 动态清零 figures, from the spells ``services.sync_zero_employment`` records.

A spell runs from the day a household was found on the live list (``found_on``) to the day it left it
(``cleared_on``). Counts are households (户); a household found twice in one period counts twice in
``found`` (each finding is an event), which the daily run makes rare.
"""

import datetime
from dataclasses import dataclass

from jobcircle.areas.querysets import AreaValue

from .models import ZeroEmploymentSpell


@dataclass(frozen=True)
class ZeroEmploymentClearance:
    found: int  # spells found in the period (户, flow)
    cleared: int  # spells cleared in the period (户, flow)
    open: int  # households still on the list at the period's end (户, stock)
    days_open: int  # average days on the list of those still open at the end (天; 0 when none)
    longest_open: int  # the longest of them (天)


def found_between(region: AreaValue, start: datetime.date, end: datetime.date):
    """Spells found in the period (both ends inclusive)."""
    return ZeroEmploymentSpell.objects.in_area(region).filter(found_on__range=(start, end))


def cleared_between(region: AreaValue, start: datetime.date, end: datetime.date):
    """Spells cleared in the period (both ends inclusive)."""
    return ZeroEmploymentSpell.objects.in_area(region).filter(cleared_on__range=(start, end))


def open_at(region: AreaValue, end: datetime.date):
    """Spells found by ``end`` and not cleared by then (still on the list at the end of the day)."""
    return ZeroEmploymentSpell.objects.in_area(region).open_on(end)


def zero_employment_clearance(region: AreaValue, start: datetime.date, end: datetime.date) -> ZeroEmploymentClearance:
    """动态清零 of ``region`` in the period ``start``–``end`` (both inclusive).

    - found: households put on the list in the period;
    - cleared: households taken off it in the period (someone employed, or no willing working-age member);
    - open: households on the list at the end;
    - days open: average (and longest) whole days from being found to the end, over those still open.
    """
    open_found = list(open_at(region, end).values_list("found_on", flat=True))
    days = [(end - found).days for found in open_found]
    return ZeroEmploymentClearance(
        found=found_between(region, start, end).count(),
        cleared=cleared_between(region, start, end).count(),
        open=len(open_found),
        days_open=round(sum(days) / len(days)) if days else 0,
        longest_open=max(days, default=0),
    )
