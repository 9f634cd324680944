"""公益性岗位: posts developed in an area, placements on them (eligibility, headcount, one post per
person) and exits, and the monthly post subsidy paid once per placement and month."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jobcircle.areas.querysets import AreaValue
from jobcircle.areas.services import community_for_write
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.people.models import Resident, age_on

from ..enums import PlacementExitReason, PostAreaType
from ..models import WelfarePlacement, WelfarePost, WelfareSubsidyPayment
from ..periods import days_in_month, month_end, month_start, parse_date, parse_month
from ..services import CENT, actor, clean_choice, clean_count, clean_money, clean_required_texts, today

# 公益性岗位 serve people who find it hardest to work: 就业困难人员 (incl. persons with disability)
# on urban posts, 脱贫人口 and 监测对象 on rural posts. Either kind of post takes any of them.
WELFARE_ELIGIBLE_GROUPS = ("employment_difficulty", "poverty_alleviated", "monitored", "disabled")
WELFARE_AGE_RANGE = (16, 60)


def clean_welfare_post_input(data: dict, *, scope) -> dict:
    """Rules of a public-welfare post.

    - name, unit, urban/rural type required; community inside the actor's area;
    - headcount 1–999; monthly pay and subsidy are money ≥ 0 (subsidy not above pay);
    - term: start and end dates, end not before start.
    """
    errors = FieldErrors()
    out = clean_required_texts(errors, data, (("name", "岗位名称", 100), ("unit_name", "用人单位", 100)))
    out["area_type"] = clean_choice(errors, "area_type", "岗位类别", data.get("area_type"), PostAreaType, required=True)
    out["community"] = errors.capture("community_code", community_for_write, scope, data.get("community_code"))
    headcount = errors.capture("headcount", clean_count, data.get("headcount"), "岗位数", maximum=999)
    if headcount == 0:
        errors.add("headcount", "岗位数：至少1个")
    out["headcount"] = headcount
    out["monthly_pay"] = errors.capture("monthly_pay", clean_money, data.get("monthly_pay"), "月工资")
    out["monthly_subsidy"] = errors.capture("monthly_subsidy", clean_money, data.get("monthly_subsidy"), "月岗位补贴")
    if out["monthly_pay"] is not None and out["monthly_subsidy"] is not None:
        if out["monthly_subsidy"] > out["monthly_pay"]:
            errors.add("monthly_subsidy", "月岗位补贴：不能高于月工资")
    out["term_start"] = errors.capture("term_start", parse_date, data.get("term_start"), "开发日期")
    out["term_end"] = errors.capture("term_end", parse_date, data.get("term_end"), "岗位期满日期")
    if out["term_start"] and out["term_end"] and out["term_end"] < out["term_start"]:
        errors.add("term_end", "岗位期满日期：不能早于开发日期")
    code = str(data.get("code") or "").strip().upper()
    if code and (len(code) > 32 or not code.replace("-", "").isalnum()):
        errors.add("code", "岗位编号：最多32位字母、数字或“-”")
    out["code"] = code
    errors.raise_if_any()
    return out


def _next_code(prefix, model, area_code):
    serial = model.objects.filter(code__startswith=f"{prefix}{area_code}").count() + 1
    while model.objects.filter(code=f"{prefix}{area_code}{serial:03d}").exists():
        serial += 1
    return f"{prefix}{area_code}{serial:03d}"


@transaction.atomic
def create_welfare_post(*, by, data: dict, scope) -> WelfarePost:
    """Register a public-welfare post developed in the actor's area (编号 generated when not given)."""
    cleaned = clean_welfare_post_input(data, scope=scope)
    community = cleaned.pop("community")
    code = cleaned.pop("code") or _next_code("GY", WelfarePost, community.code)
    if WelfarePost.objects.filter(code=code).exists():
        raise ValidationError({"code": [f"岗位编号：{code} 已存在"]})
    post = WelfarePost.objects.create(
        code=code, community=community, area_code=community.code, created_by=actor(by), **cleaned
    )
    log_action("assistance.welfare_post.created", by=by, obj=post, changed_fields=[*cleaned, "code"])
    return post


def eligible_for_welfare_post(resident: Resident) -> bool:
    return resident.key_groups.filter(code__in=WELFARE_ELIGIBLE_GROUPS).exists()


@transaction.atomic
def place_on_welfare_post(
    post: WelfarePost, resident: Resident, *, by, started_on, planned_end_on=None
) -> WelfarePlacement:
    """Place a person on a public-welfare post (安置上岗).

    - the person belongs to an eligible group (就业困难人员, 脱贫人口, 监测对象, 残疾人);
    - of working age (16–60) on the start date;
    - the start lies within the post's term; the agreed end defaults to, and may not pass, the term's end;
    - the post has a free place (active placements < headcount; the post row is locked);
    - the person holds no other active public-welfare post (also a database constraint, SEC-32);
    - the monthly subsidy is the post's at the time of placement.
    """
    errors = FieldErrors()
    post = WelfarePost.objects.select_for_update().get(pk=post.pk)
    started_on = errors.capture("started_on", parse_date, started_on, "上岗日期")
    planned_end_on = (
        errors.capture("planned_end_on", parse_date, planned_end_on, "协议期满日期")
        if planned_end_on
        else post.term_end
    )
    if not eligible_for_welfare_post(resident):
        errors.add("resident", "该居民不属于公益性岗位安置对象（就业困难人员、脱贫人口、监测对象、残疾人）")
    if started_on:
        if not post.term_start <= started_on <= post.term_end:
            errors.add("started_on", f"上岗日期：应在岗位期限内（{post.term_start}至{post.term_end}）")
        elif started_on > today():
            errors.add("started_on", "上岗日期：不能晚于今天")
        low, high = WELFARE_AGE_RANGE
        if not low <= age_on(resident.birth_date, started_on) <= high:
            errors.add("resident", f"年龄不符：上岗时应为{low}至{high}周岁")
        if planned_end_on and not started_on <= planned_end_on <= post.term_end:
            errors.add("planned_end_on", f"协议期满日期：应在上岗日期与岗位期满日期（{post.term_end}）之间")
    if post.placements.active().count() >= post.headcount:
        errors.add("post", f"该岗位已满员（{post.headcount}人）")
    if WelfarePlacement.objects.active().filter(resident=resident).exists():
        errors.add("resident", "该居民已在其他公益性岗位上岗，同一时间只能安置一个公益性岗位")
    errors.raise_if_any()
    try:
        with transaction.atomic():
            placement = WelfarePlacement.objects.create(
                post=post,
                resident=resident,
                area_code=post.area_code,
                started_on=started_on,
                planned_end_on=planned_end_on,
                monthly_subsidy=post.monthly_subsidy,
                created_by=actor(by),
            )
    except IntegrityError:
        raise ValidationError({"resident": ["该居民已在其他公益性岗位上岗，同一时间只能安置一个公益性岗位"]}) from None
    log_action("assistance.welfare_placement.started", by=by, obj=placement, data={"post": post.code})
    return placement


@transaction.atomic
def exit_welfare_post(placement: WelfarePlacement, *, by, exited_on, reason) -> WelfarePlacement:
    """Record a person leaving a public-welfare post (离岗).

    - only an active placement; the date is not before the start and not in the future;
    - a reason from the list is required.
    """
    errors = FieldErrors()
    placement = WelfarePlacement.objects.select_for_update().get(pk=placement.pk)
    exited_on = errors.capture("exited_on", parse_date, exited_on, "离岗日期")
    reason = clean_choice(errors, "exit_reason", "离岗原因", reason, PlacementExitReason, required=True)
    if placement.exited_on is not None:
        errors.add("exited_on", "该安置已离岗")
    elif exited_on and not placement.started_on <= exited_on <= today():
        errors.add("exited_on", "离岗日期：应在上岗日期与今天之间")
    errors.raise_if_any()
    placement.exited_on, placement.exit_reason = exited_on, reason
    placement.save(update_fields=["exited_on", "exit_reason", "updated_at"])
    log_action("assistance.welfare_placement.exited", by=by, obj=placement, data={"reason": reason})
    return placement


def subsidy_due(placement: WelfarePlacement, month) -> Decimal:
    """Post subsidy due for one placement and month.

    - the monthly subsidy for a full month on duty;
    - a part month pays by calendar days on duty (start and exit day included), to the cent, half up.
    """
    month = parse_month(month)
    first, last = month, month_end(month)
    start = max(placement.started_on, first)
    end = min(placement.exited_on or last, last)
    if end < start:
        return Decimal("0.00")
    days = (end - start).days + 1
    return (placement.monthly_subsidy * days / days_in_month(month)).quantize(CENT, ROUND_HALF_UP)


# The post subsidy is paid into the one subsidy ledger (subsidies.Payment; docs/decisions/subsidies.md). subsidies
# sits above assistance, so it registers its writer here at start-up (subsidies.apps.SubsidiesConfig.ready).
_ledger_writer = None


def register_ledger_writer(writer):
    """``writer(month, dues, *, by, paid_on) -> dues paid``: writes the ledger entries, never twice a person-month."""
    global _ledger_writer
    _ledger_writer = writer


@transaction.atomic
def disburse_welfare_subsidies(month, *, by, region: AreaValue, paid_on=None) -> dict:
    """Record the month's post subsidies as paid (拨付) for every placement on duty that month.

    - the amount is ``subsidy_due``; only finished months or the current one;
    - the entries go to the subsidy ledger (policy 公益性岗位补贴, period ``YYYY-MM``), which never pays a person
      twice for a month — neither twice here nor over a month the old records already paid;
    - the paid placements are also kept in ``WelfareSubsidyPayment`` as a read copy for the welfare figures
      (``welfare/stats.py``) until they read the ledger; returns {"payments": n, "total": Decimal}.
    """
    month = parse_month(month)
    if month > month_start(today()):
        raise ValidationError({"month": ["补贴月份：不能晚于本月"]})
    placements = WelfarePlacement.objects.in_area(region).on_duty_between(month, month_end(month))
    # Lock the placements (in id order, so overlapping areas cannot deadlock) before reading what is
    # paid: a second disbursement racing this one waits, then sees these payments and pays nothing.
    placements = list(placements.select_for_update(of=("self",)).order_by("pk"))
    dues = [(p, amount) for p in placements if (amount := subsidy_due(p, month)) > 0]
    paid = _ledger_writer(month, dues, by=actor(by), paid_on=paid_on or today())
    WelfareSubsidyPayment.objects.bulk_create(
        [
            WelfareSubsidyPayment(
                placement=placement,
                month=month,
                amount=amount,
                area_code=placement.area_code,
                paid_on=paid_on or today(),
                created_by=actor(by),
            )  # fmt: skip
            for placement, amount in paid
        ]
    )
    total = sum((amount for _, amount in paid), Decimal("0.00"))
    log_action(
        "assistance.welfare_subsidy.disbursed",
        by=by,
        area_code=region.scope_prefix,
        data={"month": month.isoformat(), "payments": len(paid), "total": str(total)},
    )
    return {"payments": len(paid), "total": total}
