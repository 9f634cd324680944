"""Two Excel imports through the ledger readers of assistance.imports (same header matching, ID-as-text and
row-error rules): the bank's monthly repayment statement and the market-regulation bureau's new registrations.

Both are all-or-nothing (one transaction; any row error rolls every row back and lists row, column, reason),
checked and applied by the same code (a check is an apply rolled back), and idempotent: a repayment is known by
its 银行流水号, a registration by its 统一社会信用代码 — a re-import changes nothing.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jobcircle.accounts.permissions import CASEWORK, MANAGE_LOANS
from jobcircle.assistance.imports.base import Counts, ImportErrors, id_hash, residents_by_hash
from jobcircle.assistance.imports.reader import read_ledger
from jobcircle.assistance.ledgers import Field, Ledger
from jobcircle.common.audit import log_action
from jobcircle.common.exports import DATE, MONEY, NUMBER, TEXT

from . import services
from .enums import StartupKind
from .models import Loan
from .startups import upsert_startup

REPAYMENT_LEDGER = Ledger(
    kind="loan_repayments",
    title="创业担保贷款还款对账单",
    fields=(
        Field("contract_no", "借款合同号", TEXT, required=True, width=18, aliases=("合同号", "贷款合同号")),
        Field("paid_on", "还款日期", DATE, required=True, aliases=("交易日期",)),
        Field("principal", "还款本金（元）", MONEY, required=True, aliases=("本金",)),
        Field("interest", "还款利息（元）", MONEY, required=True, aliases=("利息",)),
        Field("serial", "银行流水号", TEXT, required=True, width=20, aliases=("流水号", "交易流水号")),
    ),
    notes=("每行一笔还款；同一银行流水号重复导入不会重复记账。",),
)
REGISTRATION_LEDGER = Ledger(
    kind="new_registrations",
    title="新登记市场主体名单",
    fields=(
        Field("name", "名称", TEXT, required=True, width=24, aliases=("企业名称", "字号名称")),
        Field("credit_code", "统一社会信用代码", TEXT, required=True, width=20),
        Field(
            "legal_person_id",
            "法定代表人身份证号",
            TEXT,
            required=True,
            width=20,
            identity=True,
            aliases=("经营者身份证号", "法定代表人（经营者）身份证号"),
        ),  # fmt: skip
        Field("registered_on", "成立日期", DATE, required=True, aliases=("登记日期",)),
        Field("address", "住所", TEXT, width=30, aliases=("经营场所", "住所（经营场所）")),
        Field("kind", "主体类型", TEXT, required=True, choices=tuple(StartupKind.labels), aliases=("类型",)),
        Field("industry_code", "行业代码", TEXT, aliases=("国民经济行业代码",)),
        Field("jobs", "从业人数", NUMBER),
    ),
    notes=("法定代表人（经营者）按身份证号与居民实名台账匹配；同一统一社会信用代码重复导入不会重复登记。",),
)


@dataclass
class ImportResult:
    applied: bool
    counts: Counts
    errors: list = field(default_factory=list)  # RowError(row, column, message)


class _Rollback(Exception):
    pass


def _run(path, ledger, scope, apply: bool, rows_into):
    read = read_ledger(path, ledger)
    errors = ImportErrors(ledger, read.errors)
    counts = Counts()
    if not errors:
        try:
            with transaction.atomic():
                for number, row in read.rows:
                    try:
                        with transaction.atomic():
                            outcome = rows_into(row)
                    except ValidationError as exc:
                        errors.add_validation(number, exc)
                        continue
                    setattr(counts, outcome, getattr(counts, outcome) + 1)
                if errors or not apply:
                    raise _Rollback
        except _Rollback:
            pass
    applied = apply and not errors
    return ImportResult(applied=applied, counts=counts, errors=list(errors.items))


def _decimal(value, key, label):
    try:
        return Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationError({key: [f"{label}：请填写金额"]}) from None


def _date(value):
    """A date cell (a real date, or text like 2026-03-21 / 2026/3/21); anything else stays as it is."""
    if isinstance(value, str):
        try:
            return datetime.date(*map(int, value.replace("/", "-").split("-")))
        except (TypeError, ValueError):
            return value
    return value


def import_repayments(path, *, by, scope, apply: bool) -> ImportResult:
    """The bank's monthly statement (还款对账单): one repayment per row, matched to a loan of the manager's area by
    its 借款合同号 and recorded through services.record_repayment (schedule, state moves)."""
    if scope is None or not scope.can(MANAGE_LOANS):
        raise PermissionDenied("无权导入还款对账单")
    loans = Loan.objects.in_scope(scope)

    def one(row):
        contract = str(row.get("contract_no") or "").strip()
        loan = loans.filter(contract_no=contract).first() if contract else None
        if loan is None:
            raise ValidationError({"contract_no": [f"借款合同号：未找到“{contract[:40]}”（或不在您的辖区）"]})
        paid_on = _date(row.get("paid_on"))
        if not isinstance(paid_on, datetime.date):
            raise ValidationError({"paid_on": ["还款日期：请填写日期，如 2026-03-21"]})
        serial = str(row.get("serial") or "").strip()
        done = services.record_repayment(
            loan, paid_on=paid_on, principal=_decimal(row.get("principal"), "principal", "还款本金"),
            interest=_decimal(row.get("interest"), "interest", "还款利息"), serial=serial, by=by,
        )  # fmt: skip
        return "created" if done else "unchanged"

    result = _run(path, REPAYMENT_LEDGER, scope, apply, one)
    if result.applied:
        log_action("entrepreneurship.repayments.imported", by=by, data=vars(result.counts))
    return result


def import_registrations(path, *, by, scope, apply: bool) -> ImportResult:
    """The market-regulation bureau's new registrations: legal persons matched to residents of the area by the
    blind index of their ID number (never decrypted); an unknown person's business is kept in the importer's
    area without a person."""
    if scope is None or not scope.can(CASEWORK) or scope.region is None:
        raise PermissionDenied("无权导入市场主体名单")
    read = read_ledger(path, REGISTRATION_LEDGER)
    hashes = [id_hash(row["legal_person_id"]) for _, row in read.rows if row.get("legal_person_id")]
    residents = residents_by_hash(scope, hashes)
    labels = {str(label): code for code, label in StartupKind.choices}

    def one(row):
        number = row.get("legal_person_id")
        resident = residents.get(id_hash(number)) if number else None
        jobs = row.get("jobs")
        kind = labels.get(str(row.get("kind") or ""), row.get("kind"))
        whole = isinstance(jobs, (int, float)) and float(jobs).is_integer()
        data = {**row, "registered_on": _date(row.get("registered_on")), "kind": kind,
                "jobs": int(jobs) if whole else jobs}  # fmt: skip
        return upsert_startup(data, resident=resident, area_code=scope.region.code, by=by)[1]

    result = _run(path, REGISTRATION_LEDGER, scope, apply, one)
    if result.applied:
        log_action("entrepreneurship.registrations.imported", by=by, data=vars(result.counts))
    return result
