"""The bank's result file (回盘文件) of a payout batch: per line paid, or failed with the bank's reason.

The bank returns the disbursement file (subsidies.payouts.bank_file) with 发放结果 and 失败原因 filled in.
The import goes through the upload gate (common.uploads.check_upload) and is all-or-nothing and idempotent, like
the ledger imports: every row is checked first and any row error refuses the whole file, naming the row and the
column; a line already recorded with the same result is left as it is, so importing the same file again changes
nothing. A failed line sends its application back to 已核定, ready for a later batch (services.record_line_result).
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from python_calamine import CalamineError, CalamineWorkbook

from jobcircle.common.audit import log_action
from jobcircle.common.uploads import check_upload

from .enums import LineResult
from .models import PayoutBatch
from .services import _require_manager, record_line_result

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 20_000
RESULT_WORDS = {
    "成功": LineResult.PAID, "发放成功": LineResult.PAID, "已发放": LineResult.PAID, "paid": LineResult.PAID,
    "失败": LineResult.FAILED, "发放失败": LineResult.FAILED, "退回": LineResult.FAILED, "failed": LineResult.FAILED,
}  # fmt: skip
HEADERS = {"序号": "line", "发放结果": "result", "失败原因": "reason", "金额（元）": "amount"}
_NOISE = re.compile(r"[\s*＊]")


@dataclass(frozen=True)
class BankResultSummary:
    paid: int
    failed: int
    unchanged: int

    @property
    def message(self) -> str:
        return f"回盘导入完成：发放成功{self.paid}条，发放失败{self.failed}条，已回盘未变{self.unchanged}条"


def _header(value) -> str:
    return _NOISE.sub("", str(value or "")).replace("(", "（").replace(")", "）")


def _columns(row) -> dict[str, int]:
    return {HEADERS[_header(cell)]: n for n, cell in enumerate(row) if _header(cell) in HEADERS}


def read_rows(upload) -> list[tuple[int, dict]]:
    """(Excel row number, {line, result, reason, amount}) for every non-empty row under the header row."""
    check_upload(upload)
    try:
        sheet = CalamineWorkbook.from_filelike(upload).get_sheet_by_index(0).to_python()
    except (CalamineError, ValueError, IndexError):
        raise ValidationError({"file": ["回盘文件：无法读取，请上传银行返回的 .xlsx 文件"]}) from None
    found = [(index, _columns(row)) for index, row in enumerate(sheet[:HEADER_SEARCH_ROWS])]
    index, columns = next(((i, c) for i, c in found if {"line", "result"} <= c.keys()), (None, None))
    if columns is None:
        raise ValidationError({"file": ["回盘文件：找不到“序号”和“发放结果”两列（请用本系统导出的代发文件填写）"]})
    rows = []
    for number, row in enumerate(sheet[index + 1 :], start=index + 2):
        values = {key: row[n] if n < len(row) else None for key, n in columns.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        rows.append((number, values))
    if len(rows) > MAX_ROWS:
        raise ValidationError({"file": [f"回盘文件：最多{MAX_ROWS}行"]})
    return rows


def _line_id(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None


def _amount(value):
    try:
        return Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def _check(batch, rows):
    """[(line, result, reason)] for every row, or ValidationError listing every row error (nothing written)."""
    lines = {line.pk: line for line in batch.lines.all()}
    errors, plan, seen = [], [], set()
    for number, values in rows:
        line = lines.get(_line_id(values.get("line")))
        result = RESULT_WORDS.get(_NOISE.sub("", str(values.get("result") or "")))
        reason = re.sub(r"[\x00-\x1f\x7f]", "", str(values.get("reason") or "")).strip()[:200]
        if line is None:
            errors.append(f"第{number}行 序号：不是第{batch.pk}批的发放明细")
            continue
        if line.pk in seen:
            errors.append(f"第{number}行 序号：{line.pk}重复出现")
            continue
        seen.add(line.pk)
        if result is None:
            errors.append(f"第{number}行 发放结果：请填写“成功”或“失败”")
            continue
        if result == LineResult.FAILED and len(reason) < 2:
            errors.append(f"第{number}行 失败原因：发放失败须填写银行退回的原因")
        if "amount" in values and values["amount"] not in (None, "") and _amount(values["amount"]) != line.amount:
            errors.append(f"第{number}行 金额（元）：与发放明细的{line.amount}元不符")
        if line.result != LineResult.PENDING and line.result != result:
            errors.append(f"第{number}行 发放结果：该明细已回盘为“{line.get_result_display()}”，不能改为另一结果")
        plan.append((line, result, reason))
    if errors:
        raise ValidationError({"file": errors})
    return plan


@transaction.atomic
def import_bank_results(batch: PayoutBatch, upload, *, by) -> BankResultSummary:
    """Record the bank's answer for the lines of ``batch`` from its result file.

    - only a subsidy manager (the caller fetched the batch within their scope);
    - the file passes the upload gate; every row is checked before anything is written: the 序号 is a line
      of this batch and appears once, 发放结果 is 成功/失败, a failure has a reason, the amount (if given)
      is the line's, and a line already answered keeps its answer; any error refuses the whole file;
    - pending lines are recorded (paid: one ledger entry; failed: the application back to 已核定 for a
      later batch); lines already recorded with the same result are counted as unchanged (re-import is a no-op).
    """
    _require_manager(by)
    plan = _check(batch, read_rows(upload))
    paid = failed = unchanged = 0
    for line, result, reason in plan:
        if line.result != LineResult.PENDING:
            unchanged += 1
            continue
        record_line_result(line, result, by=by, reason=reason)
        paid, failed = paid + (result == LineResult.PAID), failed + (result == LineResult.FAILED)
    summary = BankResultSummary(paid, failed, unchanged)
    log_action("subsidies.batch.results_imported", by=by, obj=batch,
               data={"paid": paid, "failed": failed, "unchanged": unchanged})  # fmt: skip
    return summary
