"""Ledger imports as the staff see them: upload → check (dry run) → confirm → apply, as background tasks.

- The uploaded file passes the one upload gate (``common.uploads``) and is kept under a generated name.
- A batch is keyed by the file's SHA-256: a file already applied is recognised at once and changes
  nothing (0 created / 0 updated); rows are upserted by the ID blind index anyway.
- The work itself is ``runner.run_import``, run by the tasks in ``tasks.py``.
"""

from django.db import transaction
from django.utils import timezone

from jobcircle.common import progress as task_progress
from jobcircle.common.audit import log_action
from jobcircle.common.uploads import XLSX_POLICY, delete_stored, store_upload

from ..enums import ImportState
from ..ledgers import LEDGERS
from ..models import ImportBatch
from .runner import applied_batch_for
from .tasks import apply_ledger_import, check_ledger_import


@transaction.atomic
def submit_import(*, by, kind, upload) -> ImportBatch:
    """Accept an uploaded ledger and queue its check (dry run).

    - the upload gate refuses anything but a sane .xlsx (size, signature, zip limits);
    - a file identical to one already imported is marked duplicate and never queued.
    """
    if kind not in LEDGERS:
        raise ValueError(kind)
    stored = store_upload(upload, XLSX_POLICY)
    area_code = by.area.code if getattr(by, "area_id", None) else ""
    batch = ImportBatch(
        kind=kind, sha256=stored.sha256, original_name=stored.original_name or "台账.xlsx",
        stored_name=stored.name, size=stored.size, area_code=area_code, created_by=by,
    )  # fmt: skip
    earlier = applied_batch_for(kind, stored.sha256)
    if earlier is not None:
        batch.state, batch.duplicate_of, batch.finished_at = ImportState.DUPLICATE, earlier, timezone.now()
        when = timezone.localtime(earlier.finished_at or earlier.created_at)
        batch.message = f"该文件已于{when:%Y-%m-%d %H:%M}导入（批次{earlier.pk}），本次未作任何更改"
        batch.save()
        delete_stored(stored.name)
        log_action("assistance.import.duplicate", by=by, obj=batch, data={"kind": kind, "earlier": earlier.pk})
        return batch
    batch.progress = task_progress.start(f"import:{kind}", by=by, area_code=area_code, message="排队中")
    batch.save()
    log_action("assistance.import.submitted", by=by, obj=batch, data={"kind": kind, "size": stored.size})
    check_ledger_import.enqueue(batch.pk)
    batch.refresh_from_db()  # an immediate backend (tests) has already run the check
    return batch


@transaction.atomic
def confirm_import(batch: ImportBatch, *, by) -> ImportBatch:
    """Queue the real import of a batch whose check passed."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != ImportState.PREVIEWED:
        raise ValueError("只有预检通过的批次可以确认导入")
    batch.state, batch.message = ImportState.QUEUED, "排队中"
    batch.save(update_fields=["state", "message"])
    if batch.progress_id:
        task_progress.advance(batch.progress_id, 0, message="排队中")
    log_action("assistance.import.confirmed", by=by, obj=batch, data={"kind": batch.kind})
    apply_ledger_import.enqueue(batch.pk)
    batch.refresh_from_db()
    return batch
