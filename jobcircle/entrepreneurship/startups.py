"""Start-ups (个体工商户/私营企业) and incubation bases: registration with the 返乡创业 / 大学生创业 flags, tenants
moving in and out, and the bases' yearly award handed to the subsidies ledger. ADR docs/decisions/entrepreneurship.md.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from jobcircle.accounts.permissions import CASEWORK, MANAGE_LOANS
from jobcircle.assistance.enums import AWAY_LOCATIONS
from jobcircle.assistance.models import MonitoringRecord
from jobcircle.classifications.models import Industry
from jobcircle.common.audit import log_action
from jobcircle.common.validators import parse_credit_code
from jobcircle.people.enums import EmploymentStatus
from jobcircle.subsidies.models import Policy
from jobcircle.subsidies.services import submit_computed_application

from .enums import ReturneeSource, StartupKind
from .models import BaseAward, IncubationBase, Startup, Tenancy
from .schedule import add_months

RETURNEE_LOOKBACK_MONTHS = 24  # away for work within this many months before registering: 返乡创业
WORKING = (EmploymentStatus.EMPLOYED, EmploymentStatus.FLEXIBLE)
AWARD_POLICY = "incubation_award"


def _require(scope, permission, message):
    if scope is None or not scope.can(permission):
        raise PermissionDenied(message)


def returnee_source(resident, registered_on: datetime.date, declared: bool = False) -> str:
    """返乡创业: the monthly monitoring shows the person working away (省内/省外务工) in the 24 months before
    registering — else what the person declared (self-declared), else not a returnee."""
    if resident is not None:
        since = add_months(registered_on, -RETURNEE_LOOKBACK_MONTHS)
        away = MonitoringRecord.objects.filter(
            resident=resident, month__range=(since, registered_on), work_location__in=AWAY_LOCATIONS,
            employment_status__in=WORKING,
        )  # fmt: skip
        if away.exists():
            return ReturneeSource.MONITORING
    return ReturneeSource.DECLARED if declared else ReturneeSource.NONE


def clean_startup(data: dict) -> dict:
    """The values of a start-up checked once for the form, the API and the registrations import.

    - name 2–100 characters; 统一社会信用代码 valid (common.validators); kind 个体工商户/私营企业;
    - registration date not in the future; industry a GB/T 4754 code if given; jobs 0–100000; address ≤ 200.
    """
    errors, out = {}, {}
    name = str(data.get("name") or "").strip()
    if not 2 <= len(name) <= 100 or not name.isprintable():
        errors["name"] = ["名称：请填写2–100个字"]
    out["name"] = name
    try:
        out["credit_code"] = parse_credit_code(data.get("credit_code")).code
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
    kind = data.get("kind")
    if kind not in StartupKind.values:
        errors["kind"] = [f"类型：应为{'、'.join(StartupKind.labels)}之一"]
    out["kind"] = kind
    day = data.get("registered_on")
    if not isinstance(day, datetime.date) or day > datetime.date.today() or day.year < 1980:
        errors["registered_on"] = ["登记日期：请填写1980年以后、不晚于今天的日期"]
    out["registered_on"] = day
    code = str(data.get("industry_code") or "").strip()
    out["industry"] = None
    if code:
        out["industry"] = Industry.objects.filter(code=code).first()
        if out["industry"] is None:
            errors["industry_code"] = [f"行业代码：“{code[:8]}”不是国民经济行业分类（GB/T 4754）代码"]
    address = str(data.get("address") or "").strip()
    if len(address) > 200 or not address.isprintable():
        errors["address"] = ["经营地址：最多200个字"]
    out["address"] = address
    jobs = data.get("jobs") or 0
    if not isinstance(jobs, int) or not 0 <= jobs <= 100000:
        errors["jobs"] = ["带动就业人数：0–100000的整数"]
    out["jobs"] = jobs
    if errors:
        raise ValidationError(errors)
    return out


def upsert_startup(data: dict, *, resident, area_code: str, by, declared_returnee=False,
                   is_graduate=None) -> tuple[Startup, str]:  # fmt: skip
    """Create or update a start-up by its credit code; returns (start-up, "created" | "updated" | "unchanged").

    - the 返乡创业 flag from the monitoring history or the declaration (returnee_source);
    - 大学生创业 when the person is in the 高校毕业生 key group (or as given);
    - the area is the person's community when the legal person is a known resident, else ``area_code``.
    """
    values = clean_startup(data)
    if is_graduate is None:
        is_graduate = bool(resident and resident.key_groups.filter(code="graduate").exists())
    values.update(
        resident=resident, area_code=resident.area_code if resident else area_code, is_graduate=is_graduate,
        returnee_source=returnee_source(resident, values["registered_on"], declared_returnee),
    )  # fmt: skip
    existing = Startup.objects.filter(credit_code=values["credit_code"]).first()
    if existing is None:
        startup = Startup.objects.create(**values)
        log_action("entrepreneurship.startup.created", by=by, obj=startup)
        return startup, "created"
    changed = [k for k, v in values.items() if getattr(existing, k) != v]
    if not changed:
        return existing, "unchanged"
    for key in changed:
        setattr(existing, key, values[key])
    existing.save(update_fields=[*changed, "updated_at"])
    log_action("entrepreneurship.startup.updated", by=by, obj=existing, changed_fields=changed)
    return existing, "updated"


# --- incubation bases -----------------------------------------------------------------------------------------


@transaction.atomic
def move_in(base: IncubationBase, startup: Startup, *, moved_in: datetime.date, by, scope, services="",
            jobs=0) -> Tenancy:  # fmt: skip
    """A start-up moves into a base (area staff of the base's area).

    - one current base per start-up (a partial unique constraint); the base's capacity is not exceeded;
    - move-in date not in the future and not before the start-up's registration."""
    _require(scope, CASEWORK, "无权登记入驻")
    base = IncubationBase.objects.select_for_update().get(pk=base.pk)
    if not scope.covers(base.area_code):
        raise PermissionDenied("无权登记入驻")
    if not isinstance(moved_in, datetime.date) or moved_in > datetime.date.today() or moved_in < startup.registered_on:
        raise ValidationError({"moved_in": ["入驻日期：不早于登记日期、不晚于今天"]})
    if base.tenancies.filter(moved_out__isnull=True).count() >= base.capacity:
        raise ValidationError({"base": [f"孵化基地：已满（可容纳{base.capacity}户）"]})
    if Tenancy.objects.filter(startup=startup, moved_out__isnull=True).exists():
        raise ValidationError({"startup": ["入驻实体：已在孵化基地中，请先登记迁出"]})
    if not isinstance(jobs, int) or not 0 <= jobs <= 100000 or len(services or "") > 200:
        raise ValidationError({"jobs": ["带动就业人数：0–100000；孵化服务：最多200个字"]})
    tenancy = Tenancy.objects.create(base=base, startup=startup, moved_in=moved_in, jobs=jobs,
                                     services=(services or "").strip(), area_code=base.area_code)  # fmt: skip
    log_action("entrepreneurship.tenancy.created", by=by, obj=tenancy)
    return tenancy


@transaction.atomic
def move_out(tenancy: Tenancy, *, moved_out: datetime.date, by, scope) -> Tenancy:
    """A start-up leaves its base (迁出), not before it moved in."""
    _require(scope, CASEWORK, "无权登记迁出")
    tenancy = Tenancy.objects.select_for_update().get(pk=tenancy.pk)
    if not scope.covers(tenancy.area_code) or tenancy.moved_out:
        raise ValidationError({"moved_out": ["迁出：该入驻记录已迁出或不在您的辖区"]})
    if not isinstance(moved_out, datetime.date) or not tenancy.moved_in <= moved_out <= datetime.date.today():
        raise ValidationError({"moved_out": ["迁出日期：不早于入驻日期、不晚于今天"]})
    tenancy.moved_out = moved_out
    tenancy.save(update_fields=["moved_out"])
    log_action("entrepreneurship.tenancy.ended", by=by, obj=tenancy)
    return tenancy


def tenants_in_year(base: IncubationBase, year: int):
    """Tenancies of ``base`` that overlap ``year`` (在孵实体 of the year)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return base.tenancies.filter(moved_in__lte=last).filter(Q(moved_out__isnull=True) | Q(moved_out__gte=first))


@transaction.atomic
def award_base(base: IncubationBase, year: int, amount, *, by, scope) -> BaseAward:
    """The base's yearly assessment (tenants, jobs of the year) and its 奖补, handed to the subsidies ledger once.

    - only the loan manager of the base's area; the base needs an operator (运营主体, the payee);
    - once per (base, year) (unique) and one subsidies application per (policy, operator, year): the subsidies'
      review, batch and ledger pay it, never twice."""
    _require(scope, MANAGE_LOANS, "无权核定孵化基地奖补")
    if not scope.covers(base.area_code):
        raise PermissionDenied("无权核定孵化基地奖补")
    if base.operator_id is None:
        raise ValidationError({"operator": ["运营主体：请先登记孵化基地的运营主体（奖补收款单位）"]})
    if BaseAward.objects.filter(base=base, year=year).exists():
        raise ValidationError({"year": [f"年度：{base.name}{year}年奖补已核定"]})
    tenancies = tenants_in_year(base, year)
    tenants, jobs = tenancies.count(), sum(t.jobs for t in tenancies)
    basis = f"{base.name}{year}年在孵实体{tenants}户、带动就业{jobs}人"
    application = submit_computed_application(
        Policy.objects.get(code=AWARD_POLICY), base.operator, str(year), Decimal(str(amount)), by=by, basis=basis
    )
    award = BaseAward.objects.create(base=base, year=year, tenants=tenants, jobs=jobs, amount=application.amount,
                                     application=application, area_code=base.area_code)  # fmt: skip
    log_action("entrepreneurship.base.awarded", by=by, obj=award, data={"amount": str(award.amount)})
    return award
