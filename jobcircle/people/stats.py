"""What the formal registrations report (the national indicators, INDICATORS.md): read-only counts.

The figures registry (insights.figures) names and routes these; the same filters list the people
behind each figure (``*_records``), so the count and its records never drift apart.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef

from jobcircle.areas.codes import pad_code

from .enums import NATURAL_ATTRITION
from .models import (
    DifficultyCertification,
    EmploymentRegistration,
    Resident,
    UnemploymentRegistration,
    UrbanEmployedBase,
)


def new_urban_employment(area, start, end):
    """城镇就业 registrations begun in the period (one row per start)."""
    return EmploymentRegistration.objects.in_area(area).filter(is_urban=True, registered_on__range=(start, end))


def urban_attrition(area, start, end):
    """城镇就业 registrations ended by retirement or death in the period (自然减员)."""
    return EmploymentRegistration.objects.in_area(area).filter(
        is_urban=True, ended_on__range=(start, end), end_reason__in=NATURAL_ATTRITION
    )


def reemployed_unemployed(area, start, end):
    """Employment registrations begun in the period by a resident whose 失业登记 was in force that day
    (registered on or before it, not cancelled before it: a job cancels it on the same day)."""
    in_force = UnemploymentRegistration.objects.filter(
        resident=OuterRef("resident"), registered_on__lte=OuterRef("registered_on")
    ).exclude(ended_on__lt=OuterRef("registered_on"))
    starts = EmploymentRegistration.objects.in_area(area).filter(registered_on__range=(start, end))
    return starts.filter(Exists(in_force))


def difficulty_employed(area, start, end):
    """Employment registrations begun in the period by a resident certified 就业困难人员 valid that day."""
    valid = DifficultyCertification.objects.filter(
        resident=OuterRef("resident"), valid_from__lte=OuterRef("registered_on")
    ).exclude(valid_to__lt=OuterRef("registered_on"))
    return EmploymentRegistration.objects.in_area(area).filter(registered_on__range=(start, end)).filter(Exists(valid))


def registered_unemployed(area, day):
    """城镇 失业登记 in force on ``day``."""
    return UnemploymentRegistration.objects.in_area(area).filter(is_urban=True).open_on(day)


def people(registrations):
    """The residents behind registrations, each once."""
    return Resident.objects.filter(id__in=registrations.values("resident_id")).order_by("area_code", "id")


def _people_count(registrations) -> int:
    return registrations.values("resident_id").distinct().count()


@dataclass(frozen=True)
class RegistrationFigures:
    new_urban: int  # people newly employed in towns
    attrition: int  # natural attrition (retired, died) in towns
    reemployed: int  # 失业人员再就业
    difficulty_employed: int  # 就业困难人员就业

    @property
    def urban_net(self) -> int:
        """城镇新增就业: newly employed minus natural attrition."""
        return self.new_urban - self.attrition


def registration_figures(area, start: datetime.date, end: datetime.date) -> RegistrationFigures:
    """The flow figures of the formal registrations for an area (a region value) and a period.

    - 城镇新增就业 = people whose 城镇就业 registration began in the period − people whose 城镇就业
      registration ended in the period by retirement or death;
    - 失业人员再就业 = people who began work in the period while registered as unemployed;
    - 就业困难人员就业 = people who began work in the period while certified 就业困难人员 (still valid);
    - each counts people: one person with two starts in the period counts once.
    """
    return RegistrationFigures(
        new_urban=_people_count(new_urban_employment(area, start, end)),
        attrition=_people_count(urban_attrition(area, start, end)),
        reemployed=_people_count(reemployed_unemployed(area, start, end)),
        difficulty_employed=_people_count(difficulty_employed(area, start, end)),
    )


@dataclass(frozen=True)
class UnemploymentRate:
    unemployed: int
    employed_base: int | None  # None: no 城镇从业人员基数 configured for the area and year

    @property
    def rate(self) -> Decimal | None:
        """unemployed ÷ (employed + unemployed) × 100, two decimals; None without a denominator."""
        if self.employed_base is None or self.employed_base + self.unemployed == 0:
            return None
        value = Decimal(self.unemployed * 100) / Decimal(self.employed_base + self.unemployed)
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def registered_unemployment_rate(area, day: datetime.date) -> UnemploymentRate:
    """城镇登记失业率 at ``day``.

    - numerator: people with a 城镇 失业登记 in force on the day;
    - denominator: the 城镇从业人员 configured for exactly this area and the day's year
      (UrbanEmployedBase) plus the numerator; no configured row → no rate (never 0).
    """
    base = UrbanEmployedBase.objects.filter(area_code=pad_code(area.scope_prefix), year=day.year).first()
    return UnemploymentRate(_people_count(registered_unemployed(area, day)), base.employed if base else None)
