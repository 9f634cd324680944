"""The subsidy rules: eligibility and amount, 免申即享 screening, the review pipeline, payout batches, the
ledger (never twice, never over the budget) and the figures. ADR docs/decisions/subsidies.md."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from jobcircle.accounts.enums import Role
from jobcircle.accounts.permissions import MANAGE_SUBSIDIES, REVIEW_SUBSIDIES, has_permission
from jobcircle.areas.codes import Area
from jobcircle.common import pii
from jobcircle.common.audit import log_action
from jobcircle.common.workflow import Move, Workflow, log_created, transition
from jobcircle.employers.models import Employer
from jobcircle.people.models import Resident

from . import facts as fact_sources
from . import rules
from .enums import (
    CLOSED_STATES,
    LEVEL_STATE,
    REVIEW_STATES,
    AmountKind,
    ApplicationSource,
    ApplicationStatus,
    BeneficiaryKind,
    LedgerKind,
    LineResult,
    ReviewLevel,
)
from .models import (
    ZERO,
    Payment,
    PayoutBatch,
    PayoutLine,
    Policy,
    PolicyVersion,
    SubsidyApplication,
    SubsidyApplicationTransition,
    beneficiary_key,
)

S = ApplicationStatus
CENT = Decimal("0.01")
LEVEL_ROLE = {S.COMMUNITY_REVIEW: Role.COMMUNITY_STAFF, S.TOWNSHIP_REVIEW: Role.TOWNSHIP_STAFF,
              S.COUNTY_REVIEW: Role.COUNTY_ADMIN}  # fmt: skip


# --- periods, versions, amounts -------------------------------------------------------------------


def period_year(period: str) -> int:
    try:
        year = int(str(period)[:4])
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100 or len(str(period)) not in (4, 7):
        raise ValidationError({"period": [f"补贴期间：格式应为年度（如2025）或月份（如2025-03），收到“{period}”"]})
    return year


def as_of_date(period: str, today=None) -> datetime.date:
    """The day facts are read on: the end of the period's year, or today if that is earlier."""
    today = today or timezone.localdate()
    return min(datetime.date(period_year(period), 12, 31), today)


def version_for(policy: Policy, period: str) -> PolicyVersion:
    """The version that applies to ``period`` (valid on its as-of day); refused naming the policy if none."""
    version = policy.version_on(as_of_date(period))
    if version is None:
        raise ValidationError({"period": [f"补贴期间：{policy.name}在{period}没有有效的政策版本"]})
    return version


def amount_for(version: PolicyVersion, facts: dict) -> Decimal:
    """The amount one beneficiary is due under ``version`` (元, 2 places).

    - fixed: the standard; per month: standard × months (capped at ``cap_months``);
    - per head: standard × heads; percent: base × rate;
    - every kind is capped at ``cap_amount`` when one is set.
    """
    standard = version.amount
    quantity = Decimal(str(facts.get(version.amount_fact, 0) or 0)) if version.amount_fact else Decimal(1)
    if version.amount_kind == AmountKind.FIXED:
        amount = standard
    elif version.amount_kind == AmountKind.PER_MONTH:
        months = min(quantity, version.cap_months) if version.cap_months else quantity
        amount = standard * months
    else:  # per head, percent: standard × quantity
        amount = standard * quantity
    if version.cap_amount is not None:
        amount = min(amount, version.cap_amount)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _kind_queryset(policy):

    return Resident.objects if policy.beneficiary_kind == BeneficiaryKind.PERSON else Employer.objects


def explain_one(policy: Policy, beneficiary, period: str):
    """(version, checks, amount) for one person or employer: every condition with whether it holds, in Chinese."""
    version = version_for(policy, period)
    facts = fact_sources.facts_for(
        policy.beneficiary_kind, _kind_queryset(policy).filter(pk=beneficiary.pk), period_year(period),
        as_of_date(period),
    )[beneficiary.pk]  # fmt: skip
    checks = rules.explain(policy.beneficiary_kind, version.rule, facts)
    return version, checks, amount_for(version, facts)


# --- who may act ------------------------------------------------------------------------------------


def _owner(application, by, scope=None) -> bool:
    """The beneficiary's own account (the resident, or the employer's account)."""
    if by is None or not getattr(by, "is_authenticated", False):
        return False
    if application.resident_id:
        return by.role == Role.RESIDENT and by.resident_id == application.resident_id
    return by.role == Role.EMPLOYER and by.employer_id == application.employer_id


def _area_staff(application, by, scope) -> bool:
    """Staff with the review permission whose scope covers the beneficiary's area (no scope: nobody)."""
    return scope is not None and scope.can(REVIEW_SUBSIDIES) and scope.covers(application.area_code)


def _reviewer(application, by, scope) -> bool:
    """The reviewer of the application's current level.

    - the level's role (社区/村 → 社区专干, 乡镇 → 乡镇工作人员, 县 → 县人社局管理员) with the review permission;
    - whose area covers the beneficiary's;
    - and who did not submit the application (nobody reviews their own submission).
    """
    return (
        by is not None
        and getattr(by, "role", None) == LEVEL_ROLE.get(application.status)
        and _area_staff(application, by, scope)
        and application.submitted_by_id != by.pk
    )


def _owner_or_staff(application, by, scope) -> bool:
    return _owner(application, by) or _area_staff(application, by, scope)


REVIEW_REFUSED = "无权审核此申请：须为本级、本辖区的审核人员，且不能审核自己提交的申请"
_review = Move(who=_reviewer, refused=REVIEW_REFUSED)
_with_reason = Move(
    who=_reviewer, refused=REVIEW_REFUSED, min_reason=2, reason_error="原因：请说明退回或不予通过的原因"
)
_moves = {}
for _state in REVIEW_STATES:
    for _to in (*REVIEW_STATES, S.APPROVED):
        if _to != _state:
            _moves[(_state, _to)] = _review
    _moves[(_state, S.RETURNED)] = _with_reason
    _moves[(_state, S.REJECTED)] = _with_reason
    _moves[(_state, S.WITHDRAWN)] = Move(who=_owner_or_staff)
for _to in REVIEW_STATES:
    _moves[(S.RETURNED, _to)] = Move(who=_owner_or_staff)
_moves[(S.RETURNED, S.WITHDRAWN)] = Move(who=_owner_or_staff)
_moves[(S.APPROVED, S.BATCHED)] = Move()  # the batch service decides
_moves[(S.BATCHED, S.PAID)] = Move()  # the bank's answer
_moves[(S.BATCHED, S.APPROVED)] = Move(min_reason=2)  # a failed line: back, for a later batch

APPLICATION_WORKFLOW = Workflow(
    model=SubsidyApplication,
    states=ApplicationStatus,
    moves=_moves,
    log=SubsidyApplicationTransition,
    subject="application",
    action="subsidies.application.{to}",
    label="申请状态",
    related=("version", "policy"),
)


def review_states(version: PolicyVersion) -> list[str]:
    """The review states of a version, in order (社区 → 乡镇 → 县; a county may skip levels)."""
    levels = version.review_levels or ReviewLevel.values
    return [LEVEL_STATE[level] for level in ReviewLevel.values if level in levels]


def _next_after(version, state) -> str:
    states = review_states(version)
    later = states[states.index(state) + 1 :] if state in states else states
    return later[0] if later else S.APPROVED


# --- applications -------------------------------------------------------------------------------------


def _require_applied_for(version):
    """A policy paid monthly by the casework screens (公益性岗位补贴) is neither applied for nor screened."""
    if version.amount_kind == AmountKind.POST_MONTH:
        raise ValidationError({"policy": [f"{version.policy.name}：按月随岗位拨付，无需申请"]})


def _open_or_committed(policy, key, period):
    return SubsidyApplication.objects.filter(policy=policy, beneficiary=key, period=period).exclude(
        status__in=CLOSED_STATES
    )


@transaction.atomic
def submit_application(policy: Policy, beneficiary, period: str, *, by, scope=None, bank_name="", bank_account="",
                       source=ApplicationSource.SELF) -> SubsidyApplication:  # fmt: skip
    """A person or employer applies (or staff apply for them): the rule checks them at submission.

    - a failing condition refuses the application, naming each failing condition (its explanation);
    - one open or committed application per (policy, beneficiary, period);
    - the application starts at the version's first review level, with the explanation and rule version kept.
    """
    version, checks, amount = explain_one(policy, beneficiary, period)
    _require_applied_for(version)
    failed = rules.failing(checks)
    if failed:
        raise ValidationError({"policy": [f"不符合{policy.name}条件：{c}" for c in failed]})
    person = policy.beneficiary_kind == BeneficiaryKind.PERSON
    key = beneficiary_key(resident_id=beneficiary.pk) if person else beneficiary_key(employer_id=beneficiary.pk)
    if _open_or_committed(policy, key, period).exists():
        raise ValidationError({"policy": [f"{policy.name}：{period}已有申请，不能重复申请"]})
    application = _new_application(version, beneficiary, period, amount, checks, by=by, source=source)
    if bank_account:
        application = give_bank_account(application, by=by, scope=scope, bank_name=bank_name, account=bank_account)
    log_created(APPLICATION_WORKFLOW, [application], by=by, reason=ApplicationSource(source).label)
    log_action("subsidies.application.created", by=by, obj=application, data={"source": source, "period": period})
    return application


@transaction.atomic
def submit_computed_application(policy: Policy, beneficiary, period: str, amount: Decimal, *, by, basis: str,
                                source=ApplicationSource.STAFF) -> SubsidyApplication:  # fmt: skip
    """Another app hands in an amount it computed from its own records (创业担保贷款贴息, 孵化基地奖补; issue 15).

    - the caller decided eligibility (the loan's or base's own rule); ``basis`` says how the amount was reached
      and is kept as the application's explanation;
    - one open or committed application per (policy, beneficiary, period), as for any application; from here
      the review, batches and the ledger (never twice) are the subsidies' own.
    """
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    if amount <= 0:
        raise ValidationError({"amount": ["补贴金额：须大于0"]})
    version = version_for(policy, period)
    person = policy.beneficiary_kind == BeneficiaryKind.PERSON
    key = beneficiary_key(resident_id=beneficiary.pk) if person else beneficiary_key(employer_id=beneficiary.pk)
    if _open_or_committed(policy, key, period).exists():
        raise ValidationError({"policy": [f"{policy.name}：{period}已有申请，不能重复申请"]})
    checks = [rules.Check("金额由业务记录核算", True, basis[:200])]
    application = _new_application(version, beneficiary, period, amount, checks, by=by, source=source)
    log_created(APPLICATION_WORKFLOW, [application], by=by, reason=ApplicationSource(source).label)
    log_action("subsidies.application.created", by=by, obj=application, data={"source": source, "period": period})
    return application


def _new_application(version, beneficiary, period, amount, checks, *, by, source):
    person = version.policy.beneficiary_kind == BeneficiaryKind.PERSON
    return SubsidyApplication.objects.create(
        policy=version.policy, version=version, period=period, amount=amount, source=source,
        status=review_states(version)[0], rule_version=version.number,
        explanation=[c.as_dict() for c in checks], area_code=beneficiary.area_code,
        resident=beneficiary if person else None, employer=None if person else beneficiary,
        submitted_by=by if getattr(by, "pk", None) else None,
    )  # fmt: skip


def offers_for(beneficiary, period: str) -> list[dict]:
    """What a person (H5 我可以申请的补贴) or an employer (employer portal) sees: every active policy of their
    kind with a version for ``period``.

    - each with the explanation (which conditions hold, which fail), the amount if all hold, and the beneficiary's
      own open or committed application for the period, if any;
    - the same rule and facts as screening and submission (explain_one).
    """
    person = isinstance(beneficiary, Resident)
    kind = BeneficiaryKind.PERSON if person else BeneficiaryKind.EMPLOYER
    key = beneficiary_key(resident_id=beneficiary.pk) if person else beneficiary_key(employer_id=beneficiary.pk)
    offers = []
    for policy in Policy.objects.filter(is_active=True, beneficiary_kind=kind):
        try:
            version, checks, amount = explain_one(policy, beneficiary, period)
        except ValidationError:  # no version for the period
            continue
        if version.amount_kind == AmountKind.POST_MONTH:  # paid with the post, not applied for
            continue
        offers.append({
            "policy": policy, "version": version, "checks": checks, "amount": amount,
            "eligible": not rules.failing(checks),
            "application": _open_or_committed(policy, key, period).first(),
        })  # fmt: skip
    return offers


@transaction.atomic
def give_bank_account(
    application: SubsidyApplication, *, by, scope=None, bank_name: str, account: str
) -> SubsidyApplication:
    """The beneficiary gives the account the subsidy is paid into (before it is in a batch).

    - only the beneficiary's own account (or area staff), while the application is not yet batched or paid;
    - the account is stored encrypted and masked; the audit event names the fields, never the number.
    """
    application = SubsidyApplication.objects.select_for_update().get(pk=application.pk)
    if not _owner_or_staff(application, by, scope):
        raise PermissionDenied("无权修改该申请")
    if application.status in (S.BATCHED, S.PAID) or application.status in CLOSED_STATES:
        raise ValidationError({"bank_account": ["银行账号：该申请已编入发放批次或已办结，不能修改"]})
    account = "".join((account or "").split())
    if not account.isdigit() or not 12 <= len(account) <= 30 or not (bank_name or "").strip():
        raise ValidationError({"bank_account": ["银行账号：请填写开户银行和12–30位数字账号"]})
    application.bank_name = bank_name.strip()[:60]
    application.set_bank_account(account)
    application.save(update_fields=["bank_name", "bank_account_encrypted", "bank_account_masked", "updated_at"])
    log_action("subsidies.application.bank_account", by=by, obj=application, changed_fields=["bank_account"])
    return application


def _budget_used(version: PolicyVersion, *, excluding=None) -> Decimal:
    """Committed and not yet paid (approved, batched) plus the ledger of the version (net of clawbacks)."""
    pending = (
        SubsidyApplication.objects.filter(version=version, status__in=(S.APPROVED, S.BATCHED))
        .exclude(pk=getattr(excluding, "pk", None))
        .aggregate(s=Sum("amount"))["s"]
    )
    paid = Payment.objects.filter(version=version).aggregate(s=Sum("amount"))["s"]
    return (pending or ZERO) + (paid or ZERO)


def _check_approval(application):
    """The never-twice and budget rules of a final approval (run with the version row locked).

    - the version row is locked first, so approvals of one policy version are decided one at a time:
      concurrent approvals for one beneficiary, or against the last of the budget, cannot both pass;
    - no other committed application for the same (policy, beneficiary, period);
    - the amount within the version's cap, and the year's budget not overdrawn.
    """
    version = PolicyVersion.objects.select_for_update().get(pk=application.version_id)
    policy = application.policy
    if (
        SubsidyApplication.objects.committed()
        .filter(policy=policy, beneficiary=application.beneficiary, period=application.period)
        .exclude(pk=application.pk)
        .exists()
    ):
        raise ValidationError({"status": [f"{policy.name}：该对象{application.period}已核定或已发放，不能重复享受"]})
    if version.cap_amount is not None and application.amount > version.cap_amount:
        raise ValidationError({"amount": [f"核定金额：超过{policy.name}每期封顶{version.cap_amount}元"]})
    if version.yearly_budget is not None:
        left = version.yearly_budget - _budget_used(version, excluding=application)
        if application.amount > left:
            raise ValidationError({"amount": [f"核定金额：{policy.name}年度预算余额{max(left, ZERO)}元，不足以核定"]})


def review_application(application: SubsidyApplication, decision: str, *, by, scope, reason="") -> SubsidyApplication:
    """One reviewer's decision at the current level (through the one workflow door).

    - ``approve``: on to the next level of the version, or 已核定 after the last (never-twice and budget checked);
    - ``return`` (with a reason) back to the applicant; ``reject`` (with a reason) closes it;
    - only the level's reviewer in the area, never the submitter.
    """
    if decision == "approve":
        target = _next_after(application.version, application.status)
    elif decision in ("return", "reject"):
        target = S.RETURNED if decision == "return" else S.REJECTED
    else:
        raise ValidationError({"decision": [f"审核意见：无效的取值“{decision}”"]})
    return move_application(application, target, by=by, scope=scope, reason=reason)


def move_application(application: SubsidyApplication, to_state, *, by, scope=None, reason="") -> SubsidyApplication:
    """Move an application to ``to_state`` (common.workflow.transition): the table, who may act, one log row.

    - a review may only go to the version's next level (or 已核定 after the last one);
    - a returned application is resubmitted at the version's first level;
    - 已核定 runs the never-twice and budget checks with the version row locked.
    """

    def prepare(record, current, target):
        if current in REVIEW_STATES and (target in REVIEW_STATES or target == S.APPROVED):
            expected = _next_after(record.version, current)
            if target != expected:
                raise ValidationError({"status": [f"申请状态：下一步应为“{S(expected).label}”"]})
        if current == S.RETURNED and target in REVIEW_STATES and target != review_states(record.version)[0]:
            raise ValidationError({"status": ["申请状态：退回的申请须从第一级审核重新提交"]})
        if target == S.APPROVED and current in REVIEW_STATES:
            _check_approval(record)
        return []

    return transition(APPLICATION_WORKFLOW, application, to_state, by=by, scope=scope, reason=reason, prepare=prepare)


# --- payout batches and the ledger -------------------------------------------------------------------


def _require_manager(by):
    if not has_permission(by, MANAGE_SUBSIDIES):
        raise PermissionDenied("无权管理补贴发放")


@transaction.atomic
def create_batch(policy: Policy, application_ids, *, by, scope) -> PayoutBatch:
    """Group approved applications of one policy into a payout batch (县级管理员).

    - only approved applications of the policy inside the manager's area (others are refused, by count);
    - each application moves 已核定 → 已编入发放批次 (one log row each) and gets one line with its amount.
    """
    _require_manager(by)
    ids = list(application_ids)
    chosen = list(
        SubsidyApplication.objects.in_scope(scope)
        .select_for_update(of=("self",))
        .filter(pk__in=ids, policy=policy, status=S.APPROVED)
        .order_by("pk")
    )
    if not chosen or len(chosen) != len(set(ids)):
        wrong = len(set(ids)) - len(chosen)
        raise ValidationError({"applications": [f"发放批次：{wrong}条申请不是本辖区已核定的{policy.name}申请"]})
    batch = PayoutBatch.objects.create(policy=policy, area_code=scope.area_prefix, created_by=by)
    for application in chosen:
        move_application(application, S.BATCHED, by=by, reason=f"编入第{batch.pk}批")
    PayoutLine.objects.bulk_create([PayoutLine(batch=batch, application=a, amount=a.amount) for a in chosen])
    log_action("subsidies.batch.created", by=by, obj=batch, data={"lines": len(chosen)})
    return batch


@transaction.atomic
def record_line_result(line: PayoutLine, result: str, *, by, reason="", paid_on=None) -> PayoutLine:
    """The bank's answer for one line.

    - paid: one ledger entry (the unique (policy, beneficiary, period) constraint is the last guard) and the
      application 已发放;
    - failed (with a reason): the application back to 已核定, for a later batch;
    - a line is answered once.
    """
    _require_manager(by)
    line = PayoutLine.objects.select_for_update(of=("self",)).select_related("application", "batch").get(pk=line.pk)
    if line.result != LineResult.PENDING:
        raise ValidationError({"result": ["发放结果：该明细已回盘"]})
    application = line.application
    if result == LineResult.PAID:
        paid_on = paid_on or timezone.localdate()
        Payment.objects.create(
            policy_id=application.policy_id, version_id=application.version_id, rule_version=application.rule_version,
            application=application, line=line, resident_id=application.resident_id,
            employer_id=application.employer_id, beneficiary=application.beneficiary, period=application.period,
            amount=line.amount, area_code=application.area_code, paid_on=paid_on, created_by=by,
        )  # fmt: skip
        move_application(application, S.PAID, by=by, reason=f"第{line.batch_id}批发放成功")
    elif result == LineResult.FAILED:
        reason = (reason or "").strip()
        if len(reason) < 2:
            raise ValidationError({"reason": ["失败原因：请填写银行退回的原因"]})
        move_application(application, S.APPROVED, by=by, reason=f"第{line.batch_id}批发放失败：{reason}")
        line.failure_reason = reason[:200]
    else:
        raise ValidationError({"result": [f"发放结果：无效的取值“{result}”"]})
    line.result, line.recorded_at = result, timezone.now()
    line.save(update_fields=["result", "failure_reason", "recorded_at"])
    log_action("subsidies.line.recorded", by=by, obj=line, data={"result": result})
    return line


@transaction.atomic
def claw_back(payment: Payment, *, by, reason: str, on=None) -> Payment:
    """Reverse an improper payment: a negative entry pointing at it (never an edit); once per payment."""
    _require_manager(by)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": ["追回原因：至少4个字"]})
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.kind != LedgerKind.PAYMENT or Payment.objects.filter(reverses=payment).exists():
        raise ValidationError({"payment": ["追回：该笔发放已追回或不是发放记录"]})
    entry = Payment.objects.create(
        policy_id=payment.policy_id, version_id=payment.version_id, rule_version=payment.rule_version,
        application_id=payment.application_id, resident_id=payment.resident_id, employer_id=payment.employer_id,
        beneficiary=payment.beneficiary, period=payment.period, kind=LedgerKind.CLAWBACK, amount=-payment.amount,
        reverses=payment, reason=reason[:200], area_code=payment.area_code, paid_on=on or timezone.localdate(),
        created_by=by,
    )  # fmt: skip
    log_action("subsidies.payment.clawed_back", by=by, obj=entry, data={"amount": str(payment.amount)})
    return entry


def bank_account_of(application) -> str:
    return pii.decrypt(application.bank_account_encrypted) if application.bank_account_encrypted else ""


# --- figures ---------------------------------------------------------------------------------------------


def yuan_to_wan(amount: Decimal) -> Decimal:
    """万元 with up to 4 decimals, as bureaus write them (170.6, not 170.6000)."""
    value = (amount / Decimal(10000)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return value.normalize() if value else Decimal(0)


def statistics(policy: Policy, period: str, *, area_prefix: str = "") -> dict:
    """The figures of one policy and period (补贴发放, INDICATORS.md), net of clawbacks, within ``area_prefix``.

    - beneficiaries: distinct people (人) or employers (家) with a payment not clawed back;
    - person_times: payments not clawed back (人次 / 家次);
    - amount_yuan: paid minus clawed back (元); amount_wan the same in 万元 (up to 4 decimals);
    - budget_used: the policy's versions' committed and paid amounts (元), against their budgets.
    """
    ledger = Payment.objects.filter(policy=policy, period=period)
    if area_prefix:
        ledger = ledger.in_area(Area(area_prefix))
    kept = ledger.filter(kind=LedgerKind.PAYMENT, clawback__isnull=True)
    counts = kept.aggregate(people=Count("beneficiary", distinct=True), times=Count("pk"))
    amount = (ledger.aggregate(s=Sum("amount"))["s"] or ZERO).quantize(CENT)
    version = policy.version_on(as_of_date(period))
    return {
        "policy": policy.code,
        "period": period,
        "unit": "人" if policy.beneficiary_kind == BeneficiaryKind.PERSON else "家",
        "beneficiaries": counts["people"],
        "person_times": counts["times"],
        "amount_yuan": amount,
        "amount_wan": yuan_to_wan(amount),
        "budget_used": _budget_used(version) if version else ZERO,
        "budget": version.yearly_budget if version else None,
    }


def sentence(policy: Policy, period: str, *, area_prefix: str = "") -> str:
    """The work report's sentence: 发放一次性交通补贴N人、N万元."""
    figures = statistics(policy, period, area_prefix=area_prefix)
    return f"发放{policy.name}{figures['beneficiaries']}{figures['unit']}、{figures['amount_wan']}万元"
