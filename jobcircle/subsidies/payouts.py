"""The bank disbursement file (代发文件) of a payout batch."""

from jobcircle.common.audit import log_action
from jobcircle.common.exports import MONEY, TEXT, Column, build_workbook, watermark_for, workbook_bytes
from jobcircle.people.services import reveal_residents_pii_for_export

from .services import _require_manager, bank_account_of


def bank_file(batch, *, by, scope, reason: str) -> bytes:
    """The batch's xlsx for the bank: name, full ID number, bank, account, amount — one row per pending line.

    - only a subsidy manager; the full ID numbers come only through the one reveal door
      (people.services.reveal_residents_pii_for_export: permission, reason, ceiling, one audit event);
      a person the door leaves out keeps the masked number, so the file shows it was refused;
    - an employer line carries its 统一社会信用代码 (not personal data);
    - one audit event ``subsidies.batch.exported`` with the number of lines (never the values).
    """
    _require_manager(by)
    lines = list(batch.lines.filter(result="pending").select_related("application__resident", "application__employer"))
    residents = [line.application.resident for line in lines if line.application.resident_id]
    revealed = reveal_residents_pii_for_export(
        residents, by=by, scope=scope, fields=["id_number"], reason=reason, filters=f"补贴发放批次{batch.pk}"
    )

    def identity(line):
        application = line.application
        if application.employer_id:
            return application.employer.credit_code
        return revealed.get(application.resident_id, {}).get("id_number", application.resident.id_number_masked)

    columns = [
        Column("序号", lambda line: line.pk, width=10),
        Column(
            "姓名/单位名称",
            lambda line: (
                line.application.resident.name if line.application.resident_id else line.application.employer.name
            ),
            width=20,
        ),  # fmt: skip
        Column("证件号码/统一社会信用代码", identity, kind=TEXT, width=24),
        Column("开户银行", lambda line: line.application.bank_name, width=20),
        Column("银行账号", lambda line: bank_account_of(line.application), kind=TEXT, width=24),
        Column("金额（元）", lambda line: line.amount, kind=MONEY),
        # Filled in by the bank and imported back (subsidies.bank_results): 成功 / 失败 and the reason.
        Column("发放结果", lambda line: "", kind=TEXT, width=12),
        Column("失败原因", lambda line: "", kind=TEXT, width=30),
    ]
    workbook = build_workbook([(f"第{batch.pk}批", columns, lines)], watermark=watermark_for(by))
    log_action("subsidies.batch.exported", by=by, obj=batch, data={"lines": len(lines), "reason": reason.strip()})
    return workbook_bytes(workbook)
