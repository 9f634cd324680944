"""Report progress of a long job so the UI can show a bar (``TaskProgress``)."""

from .models import TaskProgress


def start(kind, *, by=None, total=0, area_code="", message=""):
    return TaskProgress.objects.create(
        kind=kind, total=total, area_code=area_code, message=message,
        created_by=by if getattr(by, "pk", None) else None, status=TaskProgress.Status.PENDING,
    )  # fmt: skip


def advance(progress_id, done, *, total=None, message=None):
    """Record how far the job is; cheap enough to call every few hundred rows."""
    fields = {"done": done, "status": TaskProgress.Status.RUNNING}
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = message
    TaskProgress.objects.filter(pk=progress_id).update(**fields)


def finish(progress_id, *, result=None, message="", failed=False):
    progress = TaskProgress.objects.get(pk=progress_id)
    progress.status = TaskProgress.Status.FAILED if failed else TaskProgress.Status.DONE
    progress.result = result or {}
    progress.message = message
    if not failed:
        progress.done = progress.total
    progress.save(update_fields=["status", "result", "message", "done", "updated_at"])
    return progress
