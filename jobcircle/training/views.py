"""Back-office screens of training and internships: programmes (roster, attendance grid, completion), providers,
internship bases, positions and interns. Thin: guard, fetch in scope, call one service, redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobcircle.accounts.permissions import CASEWORK
from jobcircle.areas.codes import Area
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.assistance.enums import ImportKind
from jobcircle.assistance.imports.services import submit_import
from jobcircle.common.web import add_service_errors, paginate, permission_required, staff_required
from jobcircle.employers.models import Employer
from jobcircle.people.models import Resident

from . import internships, services, stats
from .enums import BaseStatus, ProgrammeStatus, ProviderStatus
from .forms import InternshipBaseForm, InternshipPositionForm, ProgrammeForm, ProviderForm, RosterUploadForm
from .models import (
    Attendance,
    InternPlacement,
    InternshipApplication,
    InternshipBase,
    InternshipPosition,
    Programme,
    TrainingProvider,
)


def _year(request):
    today = timezone.localdate()
    return Area(request.scope.area_prefix), today.replace(month=1, day=1), today


@staff_required
@permission_required(CASEWORK)
def programme_list(request):
    programmes = Programme.objects.in_scope(request.scope).select_related("provider", "occupation")
    status = request.GET.get("status")
    if status in ProgrammeStatus.values:
        programmes = programmes.filter(status=status)
    context = {
        "page_obj": paginate(request, programmes), "statuses": ProgrammeStatus.choices, "status": status,
        "figures": stats.training_figures(*_year(request)), "nav": "training",
        "providers": TrainingProvider.objects.in_scope(request.scope)[:100],
    }  # fmt: skip
    return render(request, "training/programme_list.html", context)


@staff_required
@permission_required(CASEWORK)
def programme_detail(request, pk):
    programme = get_in_scope_or_404(Programme.objects.select_related("provider", "occupation"), request.scope, pk=pk)
    sessions = list(programme.sessions.all())
    roster = list(programme.enrolments.select_related("resident").order_by("id"))
    ticks = set(
        Attendance.objects.filter(session__programme=programme, present=True).values_list("session_id", "enrolment_id")
    )
    grid = [(e, [(s, (s.pk, e.pk) in ticks) for s in sessions]) for e in roster]
    context = {
        "programme": programme, "sessions": sessions, "grid": grid, "outcomes": services.programme_outcomes(programme),
        "targets": services.PROGRAMME_WORKFLOW.targets(programme.status), "nav": "training",
        "transitions": programme.transitions.select_related("by"), "roster_form": RosterUploadForm(),
        "roster_kind": ImportKind.TRAINING_ROSTER,
    }  # fmt: skip
    return render(request, "training/programme_detail.html", context)


def _form_page(request, form, create, title):
    """GET shows the form; a valid POST calls ``create()`` (one service) and goes to its page; refusals stay."""
    if request.method == "POST" and form.is_valid():
        try:
            return create()
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "training/form.html", {"form": form, "title": title, "nav": "training"})


@staff_required
@permission_required(CASEWORK)
def provider_create(request):
    form = ProviderForm(request.POST or None, scope=request.scope)

    def create():
        services.register_provider(form.service_data(), by=request.user, scope=request.scope)
        messages.success(request, "培训机构已登记")
        return redirect("training:programme_list")

    return _form_page(request, form, create, "登记培训机构")


@staff_required
@permission_required(CASEWORK)
def programme_create(request):
    providers = TrainingProvider.objects.in_scope(request.scope).filter(status=ProviderStatus.ACTIVE)
    form = ProgrammeForm(request.POST or None, scope=request.scope, providers=providers[:200])

    def create():
        chosen = form.cleaned_data["provider"]
        provider = _chosen(providers, chosen, "provider", "培训机构：请选择本辖区内有效的培训机构")
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("provider", "sessions")}
        programme = services.create_programme(provider, data, by=request.user, scope=request.scope,
                                              sessions=form.cleaned_data["sessions"])  # fmt: skip
        return redirect("training:programme_detail", pk=programme.pk)

    return _form_page(request, form, create, "新开培训项目（招生）")


def _on_programme(request, pk, act):
    """A POST on one programme of the caller's area: ``act(programme)`` calls the service; its refusal is shown."""
    programme = get_in_scope_or_404(Programme.objects, request.scope, pk=pk)
    try:
        act(programme)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("training:programme_detail", pk=programme.pk)


@staff_required
@permission_required(CASEWORK)
@require_POST
def programme_enrol(request, pk):
    def act(programme):
        resident_id = request.POST.get("resident_id", "")
        person = get_in_scope_or_404(Resident.objects, request.scope, pk=resident_id if resident_id.isdigit() else 0)
        services.enrol(programme, person, by=request.user, scope=request.scope)

    return _on_programme(request, pk, act)


@staff_required
@permission_required(CASEWORK)
@require_POST
def programme_roster(request, pk):
    """Upload a 培训花名册 for this programme: it goes through the import gate (checked, then confirmed)."""
    programme = get_in_scope_or_404(Programme.objects, request.scope, pk=pk)
    form = RosterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{m}" for k, ms in form.errors.items() for m in ms))
        return redirect("training:programme_detail", pk=programme.pk)
    try:
        batch = submit_import(by=request.user, kind=ImportKind.TRAINING_ROSTER, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        messages.error(request, "花名册（.xlsx）：" + "；".join(exc.messages))
        return redirect("training:programme_detail", pk=programme.pk)
    return redirect("assistance:import_detail", pk=batch.pk)


@staff_required
@permission_required(CASEWORK)
@require_POST
def session_attendance(request, pk, number):
    def act(programme):
        session = programme.sessions.filter(number=number).first()
        if session is None:
            raise Http404("未找到该课次")
        present = [int(i) for i in request.POST.getlist("present") if i.isdigit()]
        services.record_attendance(session, present, by=request.user, scope=request.scope)

    return _on_programme(request, pk, act)


@staff_required
@permission_required(CASEWORK)
@require_POST
def programme_move(request, pk):
    def act(programme):
        reason = request.POST.get("reason", "")[:200]
        services.move_programme(programme, request.POST.get("to", ""), by=request.user, scope=request.scope,
                                reason=reason)  # fmt: skip

    return _on_programme(request, pk, act)


@staff_required
@permission_required(CASEWORK)
def internship_list(request):
    area, start, today = _year(request)
    context = {
        "bases": InternshipBase.objects.in_scope(request.scope).select_related("employer")[:100],
        "positions": InternshipPosition.objects.in_scope(request.scope).select_related("base__employer")[:100],
        "page_obj": paginate(request, InternPlacement.objects.in_scope(request.scope).select_related(
            "resident", "position__base__employer")),
        "applications": InternshipApplication.objects.in_scope(request.scope).filter(placed=False)
        .select_related("resident", "position")[:100],
        "figures": stats.internship_figures(area, start, today), "nav": "training",
    }  # fmt: skip
    return render(request, "training/internship_list.html", context)


def _chosen(queryset, value, key, message):
    """The record a drop-down names, inside the caller's area (another area's reads as not chosen)."""
    found = queryset.filter(pk=int(value)).first() if str(value or "").isdigit() else None
    if found is None:
        raise ValidationError({key: [message]})
    return found


@staff_required
@permission_required(CASEWORK)
def base_create(request):
    employers = Employer.objects.in_scope(request.scope).filter(internship_base__isnull=True).order_by("name")
    form = InternshipBaseForm(request.POST or None, employers=employers[:500])

    def create():
        employer = _chosen(employers, form.cleaned_data["employer"], "employer", "用工单位：请选择本辖区内的用工单位")
        internships.certify_base(employer, form.cleaned_data, by=request.user, scope=request.scope)
        return redirect("training:internship_list")

    return _form_page(request, form, create, "认定见习基地")


@staff_required
@permission_required(CASEWORK)
def position_create(request):
    bases = InternshipBase.objects.in_scope(request.scope).filter(status=BaseStatus.CERTIFIED)
    bases = bases.select_related("employer")
    form = InternshipPositionForm(request.POST or None, bases=bases[:500])

    def create():
        base = _chosen(bases, form.cleaned_data["base"], "base", "见习基地：请选择本辖区内已认定的见习基地")
        internships.raise_position(base, form.cleaned_data, by=request.user, scope=request.scope)
        return redirect("training:internship_list")

    return _form_page(request, form, create, "募集见习岗位")
