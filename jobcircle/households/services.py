"""Households and 零就业家庭: the one writer of households and memberships, and the live 零就业 rule.

- A household (家庭户) has a number, a community, an address and members with their relation; one
  member is the head (户主). A resident is in one household at a time; moving them closes the old
  membership on the day they join the new one, so the history stays.
- 零就业家庭 (INDICATORS.md): a household with at least one member of working age who is able and
  willing to work, and no member of working age in work, read from the dated employment-status
  history; a household with business or investment income is not one. The list is live
  (``zero_employment_households``); ``sync_zero_employment`` records when a household enters and
  leaves the list (the 动态清零 spells) and opens an assistance case for each of its unemployed members.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from jobcircle.accounts.access import Scope
from jobcircle.areas.querysets import AreaValue
from jobcircle.areas.services import community_for_write
from jobcircle.assistance.cases.services import open_case
from jobcircle.assistance.models import AssistanceCase
from jobcircle.assistance.services import WORKING
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import model_max_length, validate_text
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import EmploymentStatusChange, Resident

from .enums import WORKING_AGE_END, WORKING_AGE_MIN, Relation
from .models import Household, HouseholdMembership, ZeroEmploymentSpell

ZERO_CASE_REASON = "零就业家庭成员：家庭中无人就业"


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` earlier (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def working_age_births(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(born after, born on or before): the birth dates of people of working age on ``day``.

    - 16 or older: born on or before the day 16 years earlier;
    - not yet 60: born after the day 60 years earlier (people.models.age_on's birthday rule).
    """
    return _years_before(day, WORKING_AGE_END), _years_before(day, WORKING_AGE_MIN)


def status_on(day: datetime.date, resident_ref: str = "resident_id"):
    """The employment status of the row's resident on ``day``: the last dated change on or before it
    (people.EmploymentStatusChange); a resident with no change by then reads their current status."""
    last = (
        EmploymentStatusChange.objects.filter(resident_id=OuterRef(resident_ref), changed_on__lte=day)
        .order_by("-changed_on", "-id")
        .values("status")[:1]
    )
    current = "resident__employment_status" if resident_ref == "resident_id" else "employment_status"
    return Coalesce(Subquery(last), F(current))


def working_age_members(day: datetime.date):
    """Memberships in force on ``day`` of members of working age then, each annotated ``status_on``."""
    born_after, born_by = working_age_births(day)
    return (
        HouseholdMembership.objects.on(day)
        .filter(resident__birth_date__gt=born_after, resident__birth_date__lte=born_by)
        .annotate(status_on=status_on(day))
    )


def zero_employment_households(region: AreaValue, on: datetime.date):
    """零就业家庭 inside ``region`` on ``on`` (a QuerySet of Household, live).

    - at least one member of working age whose status on that day is 未就业 (able and willing: those
      without the wish to work are recorded as 无劳动意愿/退休, students as 在校学生);
    - no member of working age whose status on that day is 已就业 or 灵活就业;
    - no business or investment income (``has_business_income``).
    """
    members = working_age_members(on).filter(household_id=OuterRef("pk"))
    return (
        Household.objects.in_area(region)
        .filter(has_business_income=False)
        .filter(Exists(members.filter(status_on=EmploymentStatus.UNEMPLOYED)))
        .exclude(Exists(members.filter(status_on__in=WORKING)))
        .order_by("area_code", "number")
    )


def unemployed_members(households, on: datetime.date):
    """The residents of working age and 未就业 on ``on`` in these households (those a case is opened for)."""
    ids = working_age_members(on).filter(household__in=households, status_on=EmploymentStatus.UNEMPLOYED)
    return Resident.objects.filter(id__in=ids.values("resident_id")).order_by("area_code", "id")


# --- writing households ---------------------------------------------------------------------------


def _clean_text(errors, data, key, label, model, *, required=False):
    value = str(data.get(key) or "").strip()
    if required and not value:
        errors.add(key, f"{label}：不能为空")
        return value
    return errors.capture(key, validate_text, value, label=label, max_length=model_max_length(model, key)) or value


def clean_household_input(data: dict, *, scope: Scope | None, instance: Household | None = None) -> dict:
    """The household fields, checked together (every message at once, nothing written on any).

    - 户编号 required on creation, one line, ≤ 32 characters, unique;
    - 社区代码: a current community inside the caller's scope;
    - 家庭住址 one line, ≤ 200 characters; 有经营性或财产性收入 yes/no.
    """
    errors = FieldErrors()
    cleaned = {}
    if instance is None or "number" in data:
        cleaned["number"] = _clean_text(errors, data, "number", "户编号", Household, required=True)
        taken = Household.objects.filter(number=cleaned["number"])
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if cleaned["number"] and "number" not in errors.errors and taken.exists():
            errors.add("number", "户编号：已有相同编号的家庭户")
    if instance is None or "community_code" in data:
        cleaned["community"] = errors.capture("community_code", community_for_write, scope, data.get("community_code"))
    if "address" in data:
        cleaned["address"] = _clean_text(errors, data, "address", "家庭住址", Household)
    if data.get("has_business_income") is not None:
        if not isinstance(data["has_business_income"], bool):
            errors.add("has_business_income", "有经营性或财产性收入：应为是或否")
        cleaned["has_business_income"] = bool(data["has_business_income"])
    errors.raise_if_any()
    return cleaned


@transaction.atomic
def register_household(*, by, scope: Scope | None, data: dict) -> Household:
    """Register a household (no members yet: add them with ``add_member``, the head first).

    - fields as ``clean_household_input``; audited.
    """
    cleaned = clean_household_input(data, scope=scope)
    household = Household(created_by=by if getattr(by, "pk", None) else None, **cleaned)
    household.area_code = household.community.code
    try:
        with transaction.atomic():
            household.save()
    except IntegrityError:  # the same number registered concurrently
        raise ValidationError({"number": ["户编号：已有相同编号的家庭户"]}) from None
    log_action("households.household.created", by=by, obj=household, data={"number": household.number})
    return household


@transaction.atomic
def update_household(household: Household, *, by, scope: Scope | None, data: dict) -> Household:
    """Change a household's number, community, address or income flag; the members' rows follow its area."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    cleaned = clean_household_input(data, scope=scope, instance=household)
    for key, value in cleaned.items():
        setattr(household, key, value)
    household.area_code = household.community.code
    household.save()
    HouseholdMembership.objects.filter(household=household).update(area_code=household.area_code)
    log_action("households.household.updated", by=by, obj=household, changed_fields=sorted(cleaned))
    return household


def _check_member_input(household, resident, relation, on, scope):
    errors = FieldErrors()
    if relation not in Relation.values:
        errors.add("relation", f"与户主关系取值无效：{relation}（可选：{'、'.join(Relation.labels)}）")
    if scope is not None and not scope.covers(resident.area_code):
        errors.add("resident_id", "居民不存在或不在您的管辖范围内")
    if scope is not None and not scope.covers(household.area_code):
        errors.add("household", "家庭户不在您的管辖范围内")
    if on > timezone.localdate():
        errors.add("joined_on", "入户日期：不能晚于今天")
    errors.raise_if_any()


@transaction.atomic
def add_member(household: Household, resident: Resident, relation, *, by, scope: Scope | None, on=None):
    """Put a resident into a household with a relation (or change their relation in it).

    - a resident is in one household at a time: their open membership elsewhere ends on ``on``
      (``left_on`` is the first day away) — a database constraint backs this;
    - a household has one head (户主) at a time: naming another head while one is in force is refused;
    - the same household and relation again is no change; returns the membership in force.
    """
    on = on or timezone.localdate()
    _check_member_input(household, resident, relation, on, scope)
    Resident.objects.select_for_update().filter(pk=resident.pk).first()  # one move of a person at a time
    current = HouseholdMembership.objects.current().filter(resident=resident).select_related("household").first()
    if current is not None and current.household_id == household.pk and current.relation == relation:
        return current
    if relation == Relation.HEAD:
        head = HouseholdMembership.objects.current().filter(household=household, relation=Relation.HEAD)
        if head.exclude(resident=resident).exists():
            raise ValidationError({"relation": ["与户主关系：该户已有户主，请先变更原户主的关系"]})
    if current is not None:
        if on < current.joined_on:
            raise ValidationError({"joined_on": [f"入户日期：不能早于在原户的入户日期（{current.joined_on}）"]})
        current.left_on = on
        current.save(update_fields=["left_on"])
    membership = HouseholdMembership.objects.create(
        household=household, resident=resident, relation=relation, joined_on=on, area_code=household.area_code,
        recorded_by=by if getattr(by, "pk", None) else None,
    )  # fmt: skip
    log_action(
        "households.member.added", by=by, obj=household,
        data={"resident": resident.pk, "relation": relation, "from": current.household_id if current else None},
    )  # fmt: skip
    return membership


@transaction.atomic
def remove_member(household: Household, resident: Resident, *, by, scope: Scope | None, on=None):
    """A member leaves a household (moved away, died …): the membership ends on ``on``; history kept."""
    on = on or timezone.localdate()
    if scope is not None and not scope.covers(household.area_code):
        raise ValidationError({"household": ["家庭户不在您的管辖范围内"]})
    current = HouseholdMembership.objects.current().select_for_update()
    membership = current.filter(household=household, resident=resident).first()
    if membership is None:
        raise ValidationError({"resident_id": ["该居民不是本户的现有成员"]})
    if on < membership.joined_on:
        raise ValidationError({"left_on": ["离户日期：不能早于入户日期"]})
    membership.left_on = on
    membership.save(update_fields=["left_on"])
    log_action("households.member.removed", by=by, obj=household, data={"resident": resident.pk})
    return membership


# --- 零就业家庭: the daily run ---------------------------------------------------------------------


@transaction.atomic
def sync_zero_employment(region: AreaValue, *, on=None, by=None) -> dict:
    """Bring the 零就业家庭 spells and cases of ``region`` in line with the live rule on ``on``.

    - a household on the live list without an open spell → a spell found on ``on``;
    - an open spell whose household is no longer on the list → cleared on ``on``, with the reason
      (someone in work, or no member left who is of working age and willing);
    - every unemployed working-age member of a listed household gets an assistance case
      (``assistance.cases.open_case``: one open case per person, so a re-run opens nothing twice).
    Returns the counts ``found``, ``cleared``, ``cases_opened``.
    """
    on = on or timezone.localdate()
    live = set(zero_employment_households(region, on).values_list("pk", flat=True))
    spells = ZeroEmploymentSpell.objects.in_area(region).filter(cleared_on__isnull=True)
    open_spells = {spell.household_id: spell for spell in spells}
    new = [pk for pk in live if pk not in open_spells]
    areas = dict(Household.objects.filter(pk__in=new).values_list("pk", "area_code"))
    ZeroEmploymentSpell.objects.bulk_create(
        [ZeroEmploymentSpell(household_id=pk, area_code=areas[pk], found_on=on) for pk in sorted(new)]
    )
    gone = [spell for pk, spell in open_spells.items() if pk not in live]
    employed = set(
        working_age_members(on).filter(household_id__in=[s.household_id for s in gone], status_on__in=WORKING)
        .values_list("household_id", flat=True)
    )  # fmt: skip
    for spell in gone:
        spell.cleared_on = max(on, spell.found_on)
        spell.cleared_reason = "家庭成员实现就业" if spell.household_id in employed else "无劳动年龄内有就业意愿的成员"
    ZeroEmploymentSpell.objects.bulk_update(gone, ["cleared_on", "cleared_reason"])
    members = list(unemployed_members(Household.objects.filter(pk__in=live), on))
    in_case = set(AssistanceCase.objects.open().filter(resident__in=members).values_list("resident_id", flat=True))
    for resident in members:
        if resident.pk not in in_case:
            open_case(resident, by=by, reason=ZERO_CASE_REASON, on=on)
    opened = len(members) - len(in_case)
    if new or gone:
        log_action(
            "households.zero_employment.synced", by=by,
            area_code=region.scope_prefix, data={"found": len(new), "cleared": len(gone)},
        )  # fmt: skip
    return {"found": len(new), "cleared": len(gone), "cases_opened": opened}
