"""Running one ledger batch: read, validate every row, then roll back (the check) or commit (the import).

- Checking and applying run the same code; the apply runs in ONE transaction and any row error
  rolls all of it back. Errors come back as a workbook listing row, column and reason.
- Progress is reported through ``common.progress`` so the page shows a bar.
- Called by the background tasks in ``tasks.py``; it never enqueues anything itself (no cycle).
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from jobcircle.accounts.access import Scope, scope_for_user
from jobcircle.common import progress as task_progress
from jobcircle.common.audit import log_action
from jobcircle.common.exports import NUMBER, Column, build_workbook, workbook_bytes
from jobcircle.common.uploads import delete_stored, store_generated, stored_path

from ..enums import ImportKind, ImportState
from ..ledgers import LEDGERS
from ..models import ImportBatch
from .base import ImportErrors
from .casework import MonitoringImporter, WelfarePlacementImporter, WorkshopImporter
from .reader import read_ledger
from .residents import ResidentImporter
from .stations import StationImporter

logger = logging.getLogger(__name__)

IMPORTERS = {
    ImportKind.RESIDENTS: ResidentImporter,
    ImportKind.MONITORING: MonitoringImporter,
    ImportKind.WELFARE_PLACEMENTS: WelfarePlacementImporter,
    ImportKind.WORKSHOPS: WorkshopImporter,
    ImportKind.STATIONS: StationImporter,
}


def register_ledger(ledger, importer):
    """A ledger owned by an app above assistance (its kind listed in ImportKind) joins the gate.

    - the app calls this from its ``AppConfig.ready``; the gate then offers the template, checks,
      previews and applies the ledger like its own (the importer is a ``BaseImporter``).
    """
    LEDGERS[ledger.kind] = ledger
    IMPORTERS[ledger.kind] = importer


class _Rollback(Exception):
    """Raised inside the batch transaction to undo a dry run or a batch with errors."""


def applied_batch_for(kind, sha256):
    return ImportBatch.objects.filter(kind=kind, sha256=sha256, state=ImportState.APPLIED).first()


def run_import(batch_id: int, *, apply: bool, scope: Scope | None = None) -> ImportBatch:
    """Check (``apply=False``) or apply a batch; never raises — failures are recorded on the batch.

    - ``scope``: the caller's; a background task has no request, so it is the batch creator's.
    """
    batch = ImportBatch.objects.select_related("created_by", "created_by__area").get(pk=batch_id)
    try:
        return _run(batch, apply=apply, scope=scope if scope is not None else scope_for_user(batch.created_by))
    except Exception as exc:  # recorded for the person waiting on the page, and logged for operators
        logger.exception("import batch %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(
            state=ImportState.FAILED, message=f"导入失败：{type(exc).__name__}", finished_at=timezone.now(),
            created_count=0, updated_count=0, unchanged_count=0,
        )  # fmt: skip
        if batch.progress_id:
            task_progress.finish(batch.progress_id, failed=True, message="导入失败，请联系管理员")
        return ImportBatch.objects.get(pk=batch_id)


def _run(batch: ImportBatch, *, apply: bool, scope: Scope) -> ImportBatch:
    if apply:
        earlier = applied_batch_for(batch.kind, batch.sha256)
        if earlier is not None and earlier.pk != batch.pk:
            return _finish(
                batch, ImportState.DUPLICATE, message="相同文件已导入，本次未作任何更改", duplicate_of=earlier
            )
    ledger = LEDGERS[batch.kind]
    by = batch.created_by
    progress_id = batch.progress_id

    def report(done, message=None):
        if progress_id:
            task_progress.advance(progress_id, done, message=message)

    _set_state(batch, ImportState.APPLYING if apply else ImportState.CHECKING)
    report(0, "正在读取文件…")
    if not stored_path(batch.stored_name).is_file():
        return _finish(batch, ImportState.FAILED, message="上传的文件已过期（临时文件保留24小时），请重新上传")
    read = read_ledger(stored_path(batch.stored_name), ledger, on_row=lambda n: report(0, f"正在读取第{n}行…"))
    errors = ImportErrors(ledger, read.errors)
    rows_total = len(read.rows)
    if progress_id:
        task_progress.advance(progress_id, 0, total=max(rows_total * 2, 1), message="正在校验…")
    importer = IMPORTERS[batch.kind](
        by=by, scope=scope, batch=batch, progress=lambda done, message=None: report(min(done, rows_total), message)
    )
    cleaned = importer.clean(read.rows, errors) if rows_total else []
    report(rows_total, "正在写入数据库…" if apply and not errors else "正在核对已有数据…")
    importer.progress = lambda done, message=None: report(rows_total + min(done, rows_total), message)
    counts = None
    try:
        with transaction.atomic():
            counts = importer.apply(cleaned, errors, write=apply and not errors)
            if errors or not apply:
                raise _Rollback
            batch.rows_total = rows_total
            batch.created_count, batch.updated_count = counts.created, counts.updated
            batch.unchanged_count = counts.unchanged
            _finish(batch, ImportState.APPLIED, message=_summary(counts, applied=True, warnings=importer.warnings))
            log_action(
                "assistance.import.applied",
                by=by,
                obj=batch,
                data={"kind": batch.kind, "rows": rows_total, "created": counts.created, "updated": counts.updated},
            )
    except _Rollback:
        pass
    except IntegrityError:
        earlier = applied_batch_for(batch.kind, batch.sha256)
        if earlier is not None:  # the same file was applied meanwhile by another batch
            return _finish(
                batch, ImportState.DUPLICATE, message="相同文件已导入，本次未作任何更改", duplicate_of=earlier
            )
        raise
    if not rows_total and not errors:
        errors.add(0, "", "文件中没有数据行")
    batch.rows_total = rows_total
    if errors:
        batch.error_count = len(errors)
        batch.created_count = batch.updated_count = batch.unchanged_count = 0
        batch.error_file = store_generated(workbook_bytes(_error_workbook(errors)))
        return _finish(
            batch, ImportState.REJECTED, message=f"发现{len(errors)}处错误，文件未导入；请下载错误清单修改后重新上传"
        )
    if not apply:
        batch.created_count, batch.updated_count, batch.unchanged_count = (
            counts.created,
            counts.updated,
            counts.unchanged,
        )
        return _finish(
            batch, ImportState.PREVIEWED, message=_summary(counts, applied=False, warnings=importer.warnings)
        )
    return batch


def _summary(counts, *, applied, warnings=()):
    """The outcome in one line; the importer's warnings (e.g. communities without a station) follow it."""
    verb = "已" if applied else "将"
    text = f"{verb}新增{counts.created}条，{verb}更新{counts.updated}条，{counts.unchanged}条无变化"
    if warnings:
        text += f"。提示（{len(warnings)}条）：" + "；".join(warnings)
    return text[:500]


def _set_state(batch, state):
    batch.state = state
    ImportBatch.objects.filter(pk=batch.pk).update(state=state)


def _finish(batch, state, *, message, duplicate_of=None):
    """Record the outcome; the uploaded file (full ID numbers) is deleted once no step needs it."""
    batch.state, batch.message, batch.finished_at = state, message[:500], timezone.now()
    if state != ImportState.PREVIEWED:
        transaction.on_commit(lambda name=batch.stored_name: delete_stored(name))
    if duplicate_of is not None:
        batch.duplicate_of = duplicate_of
        batch.created_count = batch.updated_count = 0
    batch.save()
    if batch.progress_id:
        task_progress.finish(
            batch.progress_id,
            result={"state": state, "created": batch.created_count, "updated": batch.updated_count,
                    "unchanged": batch.unchanged_count, "errors": batch.error_count},
            message=batch.message,
        )  # fmt: skip
    return batch


def _error_workbook(errors: ImportErrors):
    columns = [
        Column("行号", lambda e: e.row or None, NUMBER, 8),
        Column("列名", lambda e: e.column, width=20),
        Column("错误原因", lambda e: e.message, width=80),
    ]
    rows = sorted(errors.items, key=lambda e: (e.row, e.column))
    sheets = [("错误清单", columns, rows)]
    if errors.total > len(errors.items):
        sheets.append(
            ("说明", [Column("说明", lambda t: t, width=80)], [f"共{errors.total}处错误，仅列出前{len(rows)}处"])
        )
    return build_workbook(sheets)
