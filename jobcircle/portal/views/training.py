"""H5 附近培训 (programmes within the resident's reach, intention matches first, with the eligibility checks and
enrolment) and 见习岗位 (positions near home, apply). Thin: the rules are training's services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobcircle.people.models import Resident
from jobcircle.training import internships, services
from jobcircle.training.enums import EnrolmentSource
from jobcircle.training.models import Enrolment, InternshipPosition, Programme

from .resident import resident_required


def _me(request):
    return Resident.objects.select_related("intention").get(pk=request.scope.resident_id)


@resident_required
def m_training(request):
    me = _me(request)
    only_intention = request.GET.get("mine") == "1"
    programmes = services.nearby_programmes(me, only_intention=only_intention)
    for programme in programmes:
        programme.checks = services.eligibility(programme, me)
        programme.eligible = all(c.holds for c in programme.checks)
    mine = Enrolment.objects.filter(resident=me).select_related("programme").order_by("-enrolled_on", "-id")[:20]
    context = {"programmes": programmes, "enrolments": mine, "only_intention": only_intention, "tab": "training",
               "reach_km": services.reach_m(me) / 1000}  # fmt: skip
    return render(request, "training/m_training.html", context)


@resident_required
@require_POST
def m_training_enrol(request, pk):
    programme = Programme.objects.open_for_enrolment().filter(pk=pk).first()
    if programme is None:
        raise Http404("未找到该培训项目")
    try:
        services.enrol(programme, _me(request), by=request.user, source=EnrolmentSource.SELF)
        messages.success(request, f"已报名“{programme.name}”，开班前工作人员会联系您")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("portal:m_training")


@resident_required
def m_internships(request):
    me = _me(request)
    positions = internships.nearby_positions(me)
    for position in positions:
        position.checks = internships.intern_eligibility(position, me)
        position.eligible = all(c.holds for c in position.checks)
    applied = set(me.internship_applications.values_list("position_id", flat=True))
    context = {"positions": positions, "applied": applied, "tab": "training"}
    return render(request, "training/m_internships.html", context)


@resident_required
@require_POST
def m_internship_apply(request, pk):
    position = InternshipPosition.objects.filter(pk=pk, is_open=True).first()
    if position is None:
        raise Http404("未找到该见习岗位")
    try:
        internships.apply_for_position(position, _me(request), by=request.user)
        messages.success(request, f"已报名“{position.title}”见习，工作人员会联系您安排")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("portal:m_internships")
