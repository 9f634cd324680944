"""定时任务 (system administrator): the schedule, one entry's time and history, run now."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobcircle.accounts.permissions import MANAGE_SCHEDULE
from jobcircle.areas.models import Region
from jobcircle.common.web import add_service_errors, permission_required

from . import services
from .forms import EntryForm
from .jobs import JOBS


def _region(request):
    """The county an administrator's account serves, if it names one (they see its entries only);
    none: the whole deployment. Administrators' scopes carry no region (they see no residents)."""
    return request.user.area


def _rows(entries):
    now = timezone.now()
    last = services.last_runs(entries)
    names = dict(Region.objects.filter(code__in={e.area_code for e in entries}).values_list("code", "name"))
    return [
        {"entry": e, "job": JOBS[e.job], "where": names.get(e.area_code, e.area_code) or "全系统",
         "last": last.get(e.pk), "next": services.next_run(e, now)}
        for e in entries
    ]  # fmt: skip


@permission_required(MANAGE_SCHEDULE)
def entry_list(request):
    """Every entry with its time, last run (result, duration) and next run."""
    services.ensure_schedule()  # counties imported since the scheduler last looked get their entries
    entries = list(services.entries_for(_region(request)))
    return render(request, "scheduling/entry_list.html", {"rows": _rows(entries), "nav": "schedule"})


@permission_required(MANAGE_SCHEDULE)
def entry_detail(request, pk):
    """Change one entry's time or switch it on or off; its latest runs below."""
    entry = services.entry_or_404(_region(request), pk)
    initial = {"cron": entry.cron, "enabled": entry.enabled}
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_entry(entry, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存：{JOBS[entry.job].label}")
            return redirect("scheduling:entry_list")
    (row,) = _rows([entry])
    runs = entry.runs.select_related("requested_by")[:20]
    return render(request, "scheduling/entry_detail.html", {**row, "form": form, "runs": runs, "nav": "schedule"})


@permission_required(MANAGE_SCHEDULE)
@require_POST
def entry_run(request, pk):
    """立即运行: queue the job now; its result shows on the schedule when a worker has run it."""
    entry = services.entry_or_404(_region(request), pk)
    try:
        services.run_now(entry, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已交给后台任务：{JOBS[entry.job].label}，结果见“上次运行”")
    return redirect("scheduling:entry_list")
