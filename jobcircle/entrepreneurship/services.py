"""创业担保贷款: application with the policy's rule and cap, the review pipeline (workflow helper), disbursement with
its schedule, repayments, overdue loans, and the quarterly 贴息 handed to the subsidies ledger.
ADR docs/decisions/entrepreneurship.md."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from jobcircle.accounts.enums import Role
from jobcircle.accounts.permissions import CASEWORK, MANAGE_LOANS
from jobcircle.common.audit import log_action
from jobcircle.common.workflow import Move, Workflow, log_created, transition
from jobcircle.subsidies import rules
from jobcircle.subsidies.services import submit_computed_application

from . import schedule
from .eligibility import explain_loan
from .enums import LENT_STATES, BorrowerKind, CreditFlag, LoanStatus, RepaymentMethod
from .models import ZERO, Instalment, InterestSubsidy, Loan, LoanEmployee, LoanPolicy, LoanTransition, Repayment

L = LoanStatus
CENT = Decimal("0.01")


def overdue_days() -> int:
    """Days past due before an instalment counts as overdue (warning list, 逾期 state, no 贴息 for it)."""
    return getattr(settings, "JOBCIRCLE_LOAN_OVERDUE_DAYS", 30)


# --- who may act --------------------------------------------------------------------------------------------


def _owner(loan, by, scope=None) -> bool:
    """The borrower's own account: the loan is among what the caller's scope owns (Loan.scope_owner_fields)."""
    return scope is not None and scope.region is None and Loan.objects.in_scope(scope).filter(pk=loan.pk).exists()


def _local_staff(loan, by, scope) -> bool:
    """社区/乡镇初审: community or township staff whose area covers the borrower's, not the submitter."""
    return (
        scope is not None
        and scope.role in (Role.COMMUNITY_STAFF, Role.TOWNSHIP_STAFF)
        and scope.can(CASEWORK)
        and scope.covers(loan.area_code)
        and loan.submitted_by_id != getattr(by, "pk", None)
    )


def _bureau(loan, by, scope) -> bool:
    """人社局: the loan manager whose area covers the borrower's (also records the guarantor's and bank's answers)."""
    return scope is not None and scope.can(MANAGE_LOANS) and scope.covers(loan.area_code)


def _area_staff(loan, by, scope) -> bool:
    return scope is not None and scope.can(CASEWORK) and scope.covers(loan.area_code)


def _owner_or_staff(loan, by, scope) -> bool:
    return _owner(loan, by, scope) or _area_staff(loan, by, scope)


def _system(loan, by, scope) -> bool:
    """Moves the records make (a repayment, the overdue check): no person's scope is handed in."""
    return scope is None


LOCAL_REFUSED = "无权初审：须为借款人所在社区/乡镇的工作人员，且不能审核自己提交的申请"
BUREAU_REFUSED = "无权办理：须为本辖区人社局创业担保贷款经办人员"
_reject_local = Move(who=_local_staff, refused=LOCAL_REFUSED, min_reason=2, reason_error="原因：请说明不予通过的原因")
_reject_bureau = Move(who=_bureau, refused=BUREAU_REFUSED, min_reason=2, reason_error="原因：请说明不予通过的原因")
_withdraw = Move(who=_owner_or_staff)
_system_move = Move(who=_system, refused="该状态由还款记录自动变更")
MOVES = {
    (L.APPLIED, L.LOCAL_PASSED): Move(who=_local_staff, refused=LOCAL_REFUSED),
    (L.APPLIED, L.REJECTED): _reject_local,
    (L.APPLIED, L.WITHDRAWN): _withdraw,
    (L.LOCAL_PASSED, L.BUREAU_APPROVED): Move(who=_bureau, refused=BUREAU_REFUSED),
    (L.LOCAL_PASSED, L.REJECTED): _reject_bureau,
    (L.LOCAL_PASSED, L.WITHDRAWN): _withdraw,
    (L.BUREAU_APPROVED, L.GUARANTEED): Move(who=_bureau, refused=BUREAU_REFUSED),
    (L.BUREAU_APPROVED, L.REJECTED): _reject_bureau,
    (L.BUREAU_APPROVED, L.WITHDRAWN): _withdraw,
    (L.GUARANTEED, L.DISBURSED): Move(who=_bureau, refused=BUREAU_REFUSED),
    (L.GUARANTEED, L.REJECTED): _reject_bureau,
    (L.GUARANTEED, L.WITHDRAWN): _withdraw,
    (L.DISBURSED, L.REPAYING): _system_move,
    (L.DISBURSED, L.OVERDUE): _system_move,
    (L.REPAYING, L.OVERDUE): _system_move,
    (L.OVERDUE, L.REPAYING): _system_move,
    (L.REPAYING, L.SETTLED): _system_move,
    (L.OVERDUE, L.SETTLED): _system_move,
    (L.OVERDUE, L.COMPENSATED): Move(
        who=_bureau, refused=BUREAU_REFUSED, min_reason=4, reason_error="原因：请填写担保基金代偿的依据（至少4个字）"
    ),
}
LOAN_WORKFLOW = Workflow(
    model=Loan, states=LoanStatus, moves=MOVES, log=LoanTransition, subject="loan",
    action="entrepreneurship.loan.{to}", label="贷款状态", related=("policy",),
)  # fmt: skip


# --- application -----------------------------------------------------------------------------------------------


def _money(value, field, label) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (ArithmeticError, ValueError, TypeError):
        raise ValidationError({field: [f"{label}：请填写金额（元）"]}) from None
    if amount <= 0 or amount >= Decimal("1e10"):
        raise ValidationError({field: [f"{label}：须大于0且小于100亿元"]})
    return amount


def _check_cap(policy: LoanPolicy, amount: Decimal, field: str, label: str):
    if amount > policy.cap_amount:
        raise ValidationError({field: [f"{label}：超过{policy.name}额度上限{policy.cap_amount}元"]})


def _check_term(policy: LoanPolicy, term_months):
    if not isinstance(term_months, int) or not 3 <= term_months <= policy.max_term_months or term_months % 3:
        raise ValidationError({"term_months": [f"期限（月）：3–{policy.max_term_months}个月，且为3的倍数（按季还款）"]})


def _refuse_failing(policy, checks):
    failed = rules.failing(checks)
    if failed:
        raise ValidationError({"policy": [f"不符合{policy.name}条件：{c}" for c in failed]})


@transaction.atomic
def apply_for_loan(policy: LoanPolicy, borrower, *, amount, term_months: int, purpose: str, by,
                   jobs_created: int = 0) -> Loan:  # fmt: skip
    """A person or small business applies (or staff apply for them).

    - the borrower's kind must match the policy's (a resident for 个人贷款, an employer for 小微企业贷款);
    - the amount within the policy's cap, the term within its maximum and a multiple of 3 months;
    - the policy's rule is checked now (subsidies' rule library and facts): a failing condition refuses it, named;
    - never a second outstanding loan: a partial unique constraint on the borrower holds under concurrency.
    """
    person = policy.borrower_kind == BorrowerKind.PERSON
    if person != (borrower._meta.model_name == "resident") or not policy.is_active:
        raise ValidationError({"policy": [f"贷款政策：{policy.name}不适用于该借款人"]})
    amount = _money(amount, "amount_applied", "申请金额")
    _check_cap(policy, amount, "amount_applied", "申请金额")
    _check_term(policy, term_months)
    purpose = (purpose or "").strip()
    if not 2 <= len(purpose) <= 200:
        raise ValidationError({"purpose": ["贷款用途：请填写2–200个字"]})
    if not isinstance(jobs_created, int) or not 0 <= jobs_created <= 100000:
        raise ValidationError({"jobs_created": ["带动就业人数：0–100000"]})
    checks = explain_loan(policy, borrower, amount=amount)
    _refuse_failing(policy, checks)
    loan = Loan(
        policy=policy, borrower_kind=policy.borrower_kind, resident=borrower if person else None,
        employer=None if person else borrower, area_code=borrower.area_code, purpose=purpose,
        amount_applied=amount, term_months=term_months, jobs_created=jobs_created,
        explanation=[c.as_dict() for c in checks], submitted_by=by if getattr(by, "pk", None) else None,
    )  # fmt: skip
    try:
        with transaction.atomic():
            loan.save()
    except IntegrityError:
        raise ValidationError({"policy": ["借款人已有未结清的创业担保贷款，不能再次申请"]}) from None
    log_created(LOAN_WORKFLOW, [loan], by=by, reason="提交申请")
    log_action("entrepreneurship.loan.created", by=by, obj=loan, data={"amount": str(amount)})
    return loan


def move_loan(loan: Loan, to_state, *, by, scope=None, reason="", credit_flags=None, guarantor="") -> Loan:
    """One review step through the workflow door (the table, who may act, one log row, one audit event).

    - 初审 may record the credit flags (CreditFlag codes) staff got from the bank or the credit bureau;
    - 人社审核 re-checks the policy's rule with those flags (a failing condition refuses the approval, named);
    - 担保机构审核 records the guarantor (担保机构) that agreed;
    - 银行放款 goes through ``disburse_loan`` (it needs the bank's terms).
    """
    if to_state == L.DISBURSED:
        raise ValidationError({"status": ["放款请填写银行放款信息（放款金额、利率、合同号）"]})

    def prepare(record, current, target):
        changed = []
        if credit_flags is not None and target == L.LOCAL_PASSED:
            unknown = set(credit_flags) - set(CreditFlag.values)
            if unknown:
                raise ValidationError({"credit_flags": [f"信用情况：无效的取值“{'、'.join(sorted(unknown))}”"]})
            record.credit_flags = sorted(set(credit_flags))
            changed.append("credit_flags")
        if target == L.BUREAU_APPROVED:
            borrower = record.resident or record.employer
            checks = explain_loan(record.policy, borrower, amount=record.amount_applied,
                                  credit_flags=record.credit_flags, excluding=record)  # fmt: skip
            _refuse_failing(record.policy, checks)
            record.explanation = [c.as_dict() for c in checks]
            changed.append("explanation")
        if target == L.GUARANTEED:
            name = (guarantor or "").strip()
            if not 2 <= len(name) <= 60:
                raise ValidationError({"guarantor": ["担保机构：请填写2–60个字"]})
            record.guarantor = name
            changed.append("guarantor")
        return changed

    return transition(LOAN_WORKFLOW, loan, to_state, by=by, scope=scope, reason=reason, prepare=prepare)


def disburse_loan(loan: Loan, *, by, scope, amount, annual_rate, bank: str, contract_no: str,
                  disbursed_on: datetime.date, method=RepaymentMethod.BULLET, term_months=None) -> Loan:  # fmt: skip
    """银行放款: the bank's terms, recorded by the loan manager, and the repayment schedule built from them.

    - the granted amount within the policy's cap (and no more than applied); the rate within the policy's maximum;
    - the 贴息 share is the policy's on the day (kept on the loan: later policy changes do not touch it);
    - the schedule's instalments are written (schedule.build_schedule).
    """
    amount = _money(amount, "amount_granted", "放款金额")
    term = term_months or loan.term_months

    def prepare(record, current, target):
        policy = record.policy
        _check_cap(policy, amount, "amount_granted", "放款金额")
        if amount > record.amount_applied:
            raise ValidationError({"amount_granted": ["放款金额：不能超过申请金额"]})
        _check_term(policy, term)
        try:
            rate = Decimal(str(annual_rate)).quantize(Decimal("0.0001"))
        except (ArithmeticError, ValueError, TypeError):
            rate = Decimal(-1)
        if not 0 < rate <= policy.max_rate:
            raise ValidationError({"annual_rate": [f"年利率：须大于0且不超过{policy.max_rate}"]})
        if method not in RepaymentMethod.values:
            raise ValidationError({"method": [f"还款方式：无效的取值“{method}”"]})
        if not isinstance(disbursed_on, datetime.date) or disbursed_on > timezone.localdate():
            raise ValidationError({"disbursed_on": ["放款日期：请填写不晚于今天的日期"]})
        bank_name, contract = (bank or "").strip(), (contract_no or "").strip()
        if not 2 <= len(bank_name) <= 60:
            raise ValidationError({"bank": ["经办银行：请填写2–60个字"]})
        if not 4 <= len(contract) <= 40 or not contract.isprintable():
            raise ValidationError({"contract_no": ["借款合同号：请填写4–40个字符"]})
        if Loan.objects.filter(contract_no=contract).exclude(pk=record.pk).exists():
            raise ValidationError({"contract_no": ["借款合同号：已被另一笔贷款使用"]})
        lines = schedule.build_schedule(amount, rate, term, disbursed_on, method)
        record.amount_granted, record.annual_rate, record.term_months, record.method = amount, rate, term, method
        record.bank, record.contract_no, record.disbursed_on = bank_name, contract, disbursed_on
        record.subsidy_share, record.maturity_on = policy.subsidy_share, lines[-1].due_on
        Instalment.objects.bulk_create([
            Instalment(loan=record, number=x.number, due_on=x.due_on, principal=x.principal, interest=x.interest)
            for x in lines
        ])  # fmt: skip
        return ["amount_granted", "annual_rate", "term_months", "method", "bank", "contract_no", "disbursed_on",
                "subsidy_share", "maturity_on"]  # fmt: skip

    return transition(LOAN_WORKFLOW, loan, L.DISBURSED, by=by, scope=scope, reason="银行放款", prepare=prepare,
                      data={"amount": str(amount)})  # fmt: skip


@transaction.atomic
def name_employees(loan: Loan, names, *, by, scope) -> Loan:
    """带动就业: the people the loan's business employs, named where known (area staff or the borrower).

    - each name 1–40 characters; the count updates the loan's 带动就业人数 when it is larger."""
    if not _owner_or_staff(loan, by, scope):
        raise PermissionDenied("无权修改该贷款")
    rows = [(n or "").strip() for n in names]
    if any(not 1 <= len(n) <= 40 or not n.isprintable() for n in rows) or len(rows) > 1000:
        raise ValidationError({"employees": ["带动就业人员：每个姓名1–40个字，最多1000人"]})
    LoanEmployee.objects.bulk_create([LoanEmployee(loan=loan, name=n) for n in rows])
    count = loan.employees.count()
    if count > loan.jobs_created:
        Loan.objects.filter(pk=loan.pk).update(jobs_created=count)
    log_action("entrepreneurship.loan.employees", by=by, obj=loan, data={"count": count})
    return Loan.objects.get(pk=loan.pk)


# --- repayments and overdue loans ------------------------------------------------------------------------------


def _allocate(loan: Loan, principal: Decimal, interest: Decimal, paid_on: datetime.date):
    """Spread a repayment over the earliest unpaid instalments: interest to interest, principal to principal;
    what is left over stays on the last instalment (an early repayment)."""
    instalments = list(loan.instalments.select_for_update().order_by("number"))
    for kind, amount in (("interest", interest), ("principal", principal)):
        for item in instalments:
            if amount <= 0:
                break
            owed = getattr(item, kind) - getattr(item, f"paid_{kind}")
            take = min(owed, amount) if item is not instalments[-1] else amount
            if take > 0:
                setattr(item, f"paid_{kind}", getattr(item, f"paid_{kind}") + take)
                amount -= take
    for item in instalments:
        if item.settled_on is None and item.unpaid <= 0:
            item.settled_on = paid_on
    Instalment.objects.bulk_update(instalments, ["paid_principal", "paid_interest", "settled_on"])
    return instalments


@transaction.atomic
def record_repayment(loan: Loan, *, paid_on: datetime.date, principal, interest, serial: str, by) -> Repayment | None:
    """One repayment of the bank's statement (the import calls it per row; staff may enter one by hand).

    - only a disbursed loan (放款, 还款中, 逾期); a bank reference seen before changes nothing (returns None);
    - allocated to the schedule (earliest instalments first); the loan moves 放款 → 还款中 on the first,
      逾期 → 还款中 once nothing is overdue, and → 已结清 when every instalment is paid (system moves, logged).
    """
    loan = Loan.objects.select_for_update(of=("self",)).get(pk=loan.pk)
    if loan.status not in (L.DISBURSED, L.REPAYING, L.OVERDUE):
        raise ValidationError({"loan": [f"贷款：当前状态“{loan.get_status_display()}”不能登记还款"]})
    serial = (serial or "").strip()
    if not 1 <= len(serial) <= 40 or not serial.isprintable():
        raise ValidationError({"serial": ["银行流水号：请填写1–40个字符"]})
    if Repayment.objects.filter(serial=serial).exists():
        return None
    principal, interest = Decimal(str(principal or 0)).quantize(CENT), Decimal(str(interest or 0)).quantize(CENT)
    if principal < 0 or interest < 0 or principal + interest <= 0 or principal + interest >= Decimal("1e10"):
        raise ValidationError({"principal": ["还款金额：本金和利息不能为负，且合计须大于0"]})
    if loan.disbursed_on and paid_on < loan.disbursed_on:
        raise ValidationError({"paid_on": ["还款日期：不能早于放款日期"]})
    repayment = Repayment.objects.create(
        loan=loan, paid_on=paid_on, principal=principal, interest=interest, serial=serial,
        area_code=loan.area_code, created_by=by if getattr(by, "pk", None) else None,
    )  # fmt: skip
    instalments = _allocate(loan, principal, interest, paid_on)
    if all(item.settled_on for item in instalments):
        target = L.SETTLED
    elif loan.status == L.DISBURSED or (loan.status == L.OVERDUE and not _has_overdue(loan, paid_on)):
        target = L.REPAYING
    else:
        target = None
    if target and target != loan.status:
        transition(LOAN_WORKFLOW, loan, target, by=by, reason=f"还款 {serial}")
    log_action("entrepreneurship.loan.repaid", by=by, obj=loan, data={"serial": serial})
    return repayment


def _has_overdue(loan, as_of) -> bool:
    return overdue_instalments(Loan.objects.filter(pk=loan.pk), as_of).exists()


def overdue_instalments(loans, as_of: datetime.date, days: int | None = None):
    """Instalments of ``loans`` (a Loan QuerySet) unpaid more than ``days`` (default overdue_days()) after due."""
    days = overdue_days() if days is None else days
    cutoff = as_of - datetime.timedelta(days=days)
    return (
        Instalment.objects.filter(loan__in=loans.filter(status__in=(L.DISBURSED, L.REPAYING, L.OVERDUE)))
        .filter(due_on__lt=cutoff)
        .filter(Q(paid_principal__lt=F("principal")) | Q(paid_interest__lt=F("interest")))
        .select_related("loan", "loan__resident", "loan__employer")
        .order_by("due_on", "loan_id", "number")
    )


def overdue_warnings(region, as_of: datetime.date | None = None, days: int | None = None) -> list[dict]:
    """The overdue warning list (逾期预警) of an area: one row per loan with its oldest unpaid instalment,
    days past due and the amount unpaid of the overdue instalments; most overdue first."""
    as_of = as_of or timezone.localdate()
    rows = {}
    for item in overdue_instalments(Loan.objects.in_area(region), as_of, days):
        row = rows.setdefault(item.loan_id, {"loan": item.loan, "due_on": item.due_on, "unpaid": ZERO,
                                             "days": (as_of - item.due_on).days})  # fmt: skip
        row["unpaid"] += item.unpaid
    return sorted(rows.values(), key=lambda r: (-r["days"], r["loan"].pk))


def mark_overdue_loans(region, *, as_of: datetime.date | None = None, days: int | None = None) -> int:
    """Move every loan of the area with an overdue instalment to 逾期 (a system move, logged); returns how many."""
    as_of = as_of or timezone.localdate()
    ids = set(overdue_instalments(Loan.objects.in_area(region), as_of, days).values_list("loan_id", flat=True))
    days = overdue_days() if days is None else days
    moved = 0
    for loan in Loan.objects.filter(pk__in=ids).exclude(status=L.OVERDUE).order_by("pk"):
        transition(LOAN_WORKFLOW, loan, L.OVERDUE, by=None, reason=f"逾期超过{days}天")
        moved += 1
    return moved


# --- 贴息 ------------------------------------------------------------------------------------------------------


def quarter_subsidy(loan: Loan, quarter: str) -> tuple[Decimal, Decimal]:
    """(interest paid, 贴息) of one loan for one quarter, from its schedule.

    - counted: the instalments due in the quarter that are fully paid no later than overdue_days() after due
      (an overdue instalment earns no 贴息);
    - 贴息 = their interest × the loan's 贴息 share, to the cent (ROUND_HALF_UP).
    """
    first, last = schedule.quarter_range(quarter)
    grace = datetime.timedelta(days=overdue_days())
    interest = sum(
        (i.interest for i in loan.instalments.filter(due_on__range=(first, last), settled_on__isnull=False)
         if i.settled_on <= i.due_on + grace),
        ZERO,
    )  # fmt: skip
    share = loan.subsidy_share or ZERO
    return interest, (interest * share).quantize(CENT, rounding=ROUND_HALF_UP)


def interest_subsidy_rows(quarter: str, scope) -> list[dict]:
    """The 贴息 screen of a quarter: every lent loan of the area with an instalment due in the quarter.

    - its interest paid and 贴息 as ``quarter_subsidy`` computes them (what a claim would hand over);
    - ``claimed``: the InterestSubsidy already made for the loan and quarter, or None (a claim skips it).
    """
    first, last = schedule.quarter_range(quarter)
    claimed = {s.loan_id: s for s in InterestSubsidy.objects.in_scope(scope).filter(quarter=quarter)}
    loans = (
        Loan.objects.in_scope(scope).filter(status__in=LENT_STATES, instalments__due_on__range=(first, last))
        .select_related("resident", "employer").distinct().order_by("pk")
    )  # fmt: skip
    rows = []
    for loan in loans:
        interest, amount = quarter_subsidy(loan, quarter)
        rows.append({"loan": loan, "interest": interest, "amount": amount, "claimed": claimed.get(loan.pk)})
    return rows


@transaction.atomic
def claim_interest_subsidies(quarter: str, *, by, scope) -> list[InterestSubsidy]:
    """贴息 of a quarter for every disbursed loan of the manager's area, handed to the subsidies ledger once.

    - only the loan manager (MANAGE_LOANS); a loan with nothing to subsidise in the quarter is skipped;
    - one InterestSubsidy per (loan, quarter) (unique) and one subsidies application per (policy, borrower,
      quarter): a second run adds nothing; from there the subsidies' review, batch and ledger pay it, never twice.
    """
    if scope is None or not scope.can(MANAGE_LOANS):
        raise PermissionDenied("无权核算贴息")
    first, last = schedule.quarter_range(quarter)
    done = set(InterestSubsidy.objects.filter(quarter=quarter).values_list("loan_id", flat=True))
    loans = (
        Loan.objects.in_scope(scope).filter(status__in=LENT_STATES, instalments__due_on__range=(first, last))
        .exclude(pk__in=done).select_related("policy__interest_policy", "resident", "employer").distinct()
        .order_by("pk")
    )  # fmt: skip
    created = []
    for loan in loans:
        interest, amount = quarter_subsidy(loan, quarter)
        if amount <= 0 or loan.policy.interest_policy is None:
            continue
        basis = f"{loan.contract_no} {quarter}已付利息{interest}元×贴息比例{loan.subsidy_share}"
        application = submit_computed_application(
            loan.policy.interest_policy, loan.resident or loan.employer, quarter, amount, by=by, basis=basis
        )
        created.append(InterestSubsidy.objects.create(
            loan=loan, quarter=quarter, interest_paid=interest, amount=amount, application=application,
            area_code=loan.area_code,
        ))  # fmt: skip
    log_action("entrepreneurship.interest.claimed", by=by, data={"quarter": quarter, "loans": len(created)})
    return created


def outstanding_principal(loans) -> Decimal:
    """Principal granted and not yet repaid of ``loans`` (a Loan QuerySet)."""
    sums = Instalment.objects.filter(loan__in=loans).aggregate(due=Sum("principal"), paid=Sum("paid_principal"))
    return (sums["due"] or ZERO) - (sums["paid"] or ZERO)
