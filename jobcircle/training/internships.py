"""就业见习: bases, positions, placements with monthly attendance, early exit and retention, and who may be an intern
(未就业高校毕业生, 16–24 岁失业青年, from people data). ADR docs/decisions/training.md."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from jobcircle.areas.services import location_from_input
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.workflow import Move, Workflow, log_created, transition
from jobcircle.employers.models import Employer
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import Resident, age_on
from jobcircle.subsidies.rules import Check

from .enums import BaseStatus, ExitReason, PlacementStatus
from .models import (
    InternAttendance,
    InternPlacement,
    InternPlacementTransition,
    InternshipApplication,
    InternshipBase,
    InternshipPosition,
)
from .services import (
    area_staff,
    clean_choice,
    clean_date,
    clean_int,
    clean_text,
    money,
    months_later,
    occupation_for,
    raise_unless_eligible,
    reach_m,
    record_training_service_for,
    require_area_staff,
    today,
)

S = PlacementStatus
GRADUATE = "graduate"  # the key group 高校毕业生 (people.data_key_groups)
YOUTH_AGES = (16, 24)
# Who is out of work for the internship rules: 未就业 (people.enums), not 灵活就业 or 在校.
NOT_WORKING = (EmploymentStatus.UNEMPLOYED,)

PLACEMENT_WORKFLOW = Workflow(
    model=InternPlacement,
    states=PlacementStatus,
    moves={
        (S.ON_POST, S.COMPLETED): Move(who=area_staff),
        (S.ON_POST, S.EXITED): Move(who=area_staff, min_reason=2, reason_error="原因：请说明提前退出的原因"),
    },
    log=InternPlacementTransition,
    subject="placement",
    action="training.internship.{to}",
    label="见习状态",
)


@transaction.atomic
def certify_base(employer: Employer, data: dict, *, by, scope) -> InternshipBase:
    """Certify an employer as a 见习基地: document number, date, validity and capacity; once per employer."""
    require_area_staff(employer, scope)
    errors = FieldErrors()
    number = clean_text(errors, data, "certificate_number", "认定文号", 40)
    certified_on = clean_date(errors, data, "certified_on", "认定日期")
    valid_until = clean_date(errors, data, "valid_until", "有效期至", required=False)
    capacity = clean_int(errors, data, "capacity", "见习容量", 1, 10000)
    if certified_on and certified_on > today():
        errors.add("certified_on", "认定日期：不能晚于今天")
    if certified_on and valid_until and valid_until < certified_on:
        errors.add("valid_until", "有效期至：不能早于认定日期")
    if InternshipBase.objects.filter(employer=employer).exists():
        errors.add("employer", "见习基地：该单位已认定")
    errors.raise_if_any()
    base = InternshipBase.objects.create(
        employer=employer, area_code=employer.area_code, certificate_number=number, certified_on=certified_on,
        valid_until=valid_until, capacity=capacity,
    )  # fmt: skip
    log_action("training.internship_base.certified", by=by, obj=base)
    return base


@transaction.atomic
def raise_position(base: InternshipBase, data: dict, *, by, scope) -> InternshipPosition:
    """Raise (募集) internship places at a certified base.

    - title and address required; occupation a 大典 code (optional); places 1–500 within the base's capacity
      (places of its open positions counted); term 3–12 months; monthly allowance in 元 (2 places);
    - the point is given, else the employer's.
    """
    require_area_staff(base, scope)
    errors = FieldErrors()
    if base.status != BaseStatus.CERTIFIED:
        errors.add("base", "见习基地：已撤销认定，不能募集岗位")
    fields = {
        "title": clean_text(errors, data, "title", "岗位名称", 60),
        "address": clean_text(errors, data, "address", "见习地点", 200),
        "places": clean_int(errors, data, "places", "见习人数", 1, 500),
        "term_months": clean_int(errors, data, "term_months", "见习期限（月）", 3, 12),
        "monthly_allowance": money(errors, data, "monthly_allowance", "见习补助"),
        "occupation": occupation_for(errors, data.get("occupation_code")),
        "raised_on": clean_date(errors, data, "raised_on", "募集日期", required=False) or today(),
    }
    if fields["raised_on"] > today():
        errors.add("raised_on", "募集日期：不能晚于今天")
    used = base.positions.filter(is_open=True).aggregate(n=Sum("places"))["n"] or 0
    if used + fields["places"] > base.capacity:
        errors.add("places", f"见习人数：超过基地见习容量（容量{base.capacity}人，已募集{used}人）")
    employer = base.employer
    point = errors.capture("location", location_from_input, data, lambda: (employer.lat, employer.lng, "wgs84"))
    errors.raise_if_any()
    position = InternshipPosition(base=base, area_code=base.area_code, **fields)
    position.set_location(*point)
    position.save()
    log_action("training.internship_position.raised", by=by, obj=position)
    return position


def intern_eligibility(position: InternshipPosition, resident: Resident, *, on=None) -> list[Check]:
    """Whether a person may start an internship on a position, each rule with what the record shows.

    - the person is 未就业高校毕业生 (key group 高校毕业生 and 未就业) or 16–24 岁失业青年 (aged 16–24 and 未就业);
    - the person is not on another internship;
    - the position is open and has a place left.
    """
    on = on or today()
    age = age_on(resident.birth_date, on)
    graduate = resident.key_groups.filter(code=GRADUATE).exists()
    out_of_work = resident.employment_status in NOT_WORKING
    youth = YOUTH_AGES[0] <= age <= YOUTH_AGES[1]
    status = EmploymentStatus(resident.employment_status).label
    taken = position.placements.filter(status=S.ON_POST).count()
    elsewhere = InternPlacement.objects.filter(resident=resident, status=S.ON_POST).exists()
    return [
        Check("未就业高校毕业生或16–24岁失业青年", out_of_work and (graduate or youth),
              f"{'高校毕业生' if graduate else '非高校毕业生'}，{age}岁，{status}"),
        Check("未在其他岗位见习", not elsewhere, "正在见习" if elsewhere else ""),
        Check("岗位招募中且有名额", position.is_open and taken < position.places,
              f"在岗{taken}人/募集{position.places}人"),
    ]  # fmt: skip


def nearby_positions(resident: Resident):
    """Internship positions open within the person's reach (``services.reach_m``), nearest first."""
    return list(
        InternshipPosition.objects.filter(is_open=True)
        .within(resident.lat, resident.lng, reach_m(resident))
        .select_related("base__employer", "occupation")
        .order_by("distance_m", "id")[:100]
    )


@transaction.atomic
def apply_for_position(position: InternshipPosition, resident: Resident, *, by) -> InternshipApplication:
    """A resident asks for an internship position on the H5 (staff arrange the placement).

    - the person meets the internship rules now (``intern_eligibility``), refused naming each failing one;
    - once per person and position (a database constraint); a second request answers the first.
    """
    existing = InternshipApplication.objects.filter(position=position, resident=resident).first()
    if existing is not None:
        return existing
    raise_unless_eligible(intern_eligibility(position, resident), field="resident", what="见习")
    application = InternshipApplication.objects.create(
        position=position, resident=resident, area_code=position.area_code, applied_on=today()
    )
    log_action("training.internship.applied", by=by, obj=application)
    return application


@transaction.atomic
def place_intern(position: InternshipPosition, resident: Resident, *, by, scope, started_on=None) -> InternPlacement:
    """Start a person's internship on a position (after they apply on the H5 or staff arrange it).

    - only area staff of the position's area; the start is not more than 30 days back or 90 ahead;
    - every eligibility rule holds (``intern_eligibility``); the planned end is the start plus the term;
    - one internship on post per person (a database constraint); the 1131 "training or internship" is recorded.
    """
    require_area_staff(position, scope)
    position = InternshipPosition.objects.select_for_update(of=("self",)).get(pk=position.pk)
    started_on = started_on or today()
    if not -30 <= (started_on - today()).days <= 90:
        raise ValidationError({"started_on": ["见习开始日期：应在今天前30天至后90天之间"]})
    raise_unless_eligible(intern_eligibility(position, resident, on=started_on), field="resident", what="见习")
    placement = InternPlacement(
        position=position, resident=resident, area_code=position.area_code, started_on=started_on,
        planned_end_on=months_later(started_on, position.term_months),
    )  # fmt: skip
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError:
        raise ValidationError({"resident": ["不符合见习条件：正在其他岗位见习"]}) from None
    log_created(PLACEMENT_WORKFLOW, [placement], by=by, reason="开始见习")
    InternshipApplication.objects.filter(position=position, resident=resident).update(placed=True)
    log_action("training.internship.started", by=by, obj=placement)
    record_training_service_for(resident, by=by, on=started_on, note=f"安排就业见习：{position}",
                                reference=f"internship-{placement.pk}")  # fmt: skip
    return placement


@transaction.atomic
def record_intern_month(placement: InternPlacement, month: datetime.date, *, days_present, days_required, by, scope):
    """One intern's attendance for a month (the internship subsidy is per intern-month on post).

    - only area staff; the month lies within the placement and is not in the future;
    - 0 ≤ days present ≤ days required ≤ 31; a month recorded again replaces its answer.
    """
    require_area_staff(placement, scope)
    errors = FieldErrors()
    month = month.replace(day=1)
    end = placement.ended_on or placement.planned_end_on
    if month > today() or month < placement.started_on.replace(day=1) or month > end:
        errors.add("month", "月份：应在见习期内且不晚于本月")
    required = clean_int(errors, {"d": days_required}, "d", "应出勤天数", 1, 31)
    present = clean_int(errors, {"d": days_present}, "d", "出勤天数", 0, 31)
    if present > required:
        errors.add("days_present", "出勤天数：不能超过应出勤天数")
    errors.raise_if_any()
    row, _ = InternAttendance.objects.update_or_create(
        placement=placement, month=month,
        defaults={"days_present": present, "days_required": required, "recorded_by": by if by.pk else None},
    )  # fmt: skip
    log_action("training.internship.attendance", by=by, obj=placement, data={"month": f"{month:%Y-%m}"})
    return row


def end_placement(placement: InternPlacement, *, by, scope, ended_on=None, exit_reason="", retained=None,
                  reason="") -> InternPlacement:  # fmt: skip
    """End an internship: 期满 (with whether the base keeps the intern, 留用) or 提前退出 (with a reason).

    - 期满: on or after the planned end (or staff confirm it early with a reason); ``retained`` must be given;
    - 提前退出: a reason from the list and a note;
    - the end day is not before the start nor in the future.
    """
    ended_on = ended_on or today()
    early = exit_reason != ""
    errors = FieldErrors()
    if ended_on < placement.started_on or ended_on > today():
        errors.add("ended_on", "结束日期：不能早于见习开始日期，也不能晚于今天")
    if early:
        clean_choice(errors, {"r": exit_reason}, "r", "提前退出原因", ExitReason)
    elif retained is None:
        errors.add("retained", "是否留用：见习期满须填写")
    errors.raise_if_any()

    def prepare(record, current, target):
        record.ended_on = ended_on
        record.exit_reason = exit_reason if early else ""
        record.retained = False if early else bool(retained)
        return ["ended_on", "exit_reason", "retained"]

    target = S.EXITED if early else S.COMPLETED
    reason = reason if early else (reason or "见习期满")
    return transition(PLACEMENT_WORKFLOW, placement, target, by=by, scope=scope, reason=reason,
                      prepare=prepare)  # fmt: skip
