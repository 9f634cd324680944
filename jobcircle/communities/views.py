"""充分就业社区 screens: the area's live assessment (with Excel), one community's criteria and records,
and the certification queue with its workflow actions (through communities.services)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobcircle.accounts.permissions import VIEW_DASHBOARD
from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.common.audit import log_action
from jobcircle.common.exports import Column
from jobcircle.common.web import paginate, permission_required, staff_required, xlsx_response

from . import services
from .enums import CertificationStatus, Measure
from .forms import CertificationReviewForm, CertificationSubmitForm
from .measures import percent
from .models import Certification

MAX_COMMUNITIES = 500  # as the API: larger areas are read township by township
RECORDS_SHOWN = 20
QUEUE = (CertificationStatus.SUBMITTED, CertificationStatus.TOWNSHIP_PASSED, CertificationStatus.COUNTY_PASSED)


def _year(request) -> int:
    """?year=2026, or this year when absent, malformed or in the future."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year else this_year


def _result(measure):
    def value(assessment):
        found = next((r for r in assessment.results if r.criterion.measure == measure), None)
        if found is None:
            return "—"
        return f"{'' if found.value is None else found.value}（{'达标' if found.passed else '未达标'}）"

    return value


EXPORT_COLUMNS = [
    Column("社区/村", lambda a: a.community.name, width=18),
    Column("区划代码", lambda a: a.community.code),
    Column("评价标准", lambda a: str(a.standard or "无适用标准"), width=20),
    Column("总体状态", lambda a: a.state),
    *[Column(label, _result(measure), width=20) for measure, label in Measure.choices],
]


@staff_required
@permission_required(VIEW_DASHBOARD)
def assessment_list(request):
    """Every community of the chosen area assessed live for the year; ``export=xlsx``: the same as Excel."""
    region, year = region_in_scope_or_404(request.scope, request.GET.get("area")), _year(request)
    communities = services.communities_of(region)
    if len(communities) > MAX_COMMUNITIES:
        messages.error(request, f"区划：社区/村超过{MAX_COMMUNITIES}个，请按乡镇查看")
        communities = []
    assessments = [services.assess(community, year) for community in communities]
    passing = sum(a.passed for a in assessments)
    if request.GET.get("export") == "xlsx":
        log_action("communities.assessment.exported", by=request.user, area_code=region.code,
                   data={"rows": len(assessments), "year": year})  # fmt: skip
        return xlsx_response(f"充分就业社区评价{year}.xlsx", "充分就业社区评价", EXPORT_COLUMNS, assessments,
                             user=request.user)  # fmt: skip
    context = {"area": region, "year": year, "assessments": assessments, "passing": passing,
               "rate": percent(passing, len(assessments)) or 0, "measures": Measure.choices,
               "nav": "communities"}  # fmt: skip
    return render(request, "communities/assessment_list.html", context)


@staff_required
@permission_required(VIEW_DASHBOARD)
def community_detail(request, code):
    """One community: each criterion's value, pass/fail and the first records behind it; its certification."""
    community, year = region_in_scope_or_404(request.scope, code), _year(request)
    if community.level != RegionLevel.COMMUNITY:
        raise Http404("未找到该社区/村")
    assessment = services.assess(community, year)
    rows = [(r, r.records.count(), list(r.records[:RECORDS_SHOWN])) for r in assessment.results]
    context = {
        "community": community, "year": year, "assessment": assessment, "rows": rows,
        "certification": Certification.objects.filter(community=community, year=year).first(),
        "submit_form": CertificationSubmitForm(), "nav": "communities",
    }  # fmt: skip
    return render(request, "communities/community_detail.html", context)


@staff_required
@permission_required(VIEW_DASHBOARD)
@require_POST
def certification_submit(request, code):
    """社区申报 (or again after 退回) for the year, with the statement and evidence."""
    community, year = region_in_scope_or_404(request.scope, code), _year(request)
    form = CertificationSubmitForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        services.submit(community, year, by=request.user, scope=request.scope,
                        statement=form.cleaned_data["statement"], evidence=form.evidence_items())  # fmt: skip
        messages.success(request, f"已申报：{community.name} {year}年")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(f"{reverse('communities:community_detail', args=[community.code])}?year={year}")


@staff_required
@permission_required(VIEW_DASHBOARD)
def certification_queue(request):
    """申报 waiting at a review level inside the area (oldest first); ``all=1``: every status of the year."""
    certifications = Certification.objects.in_scope(request.scope).select_related("community", "standard")
    show_all = request.GET.get("all") == "1"
    if show_all:
        certifications = certifications.filter(year=_year(request))
    else:
        certifications = certifications.filter(status__in=QUEUE)
    context = {"page_obj": paginate(request, certifications.order_by("updated_at", "id")), "show_all": show_all,
               "year": _year(request), "review_form": CertificationReviewForm(), "nav": "communities"}  # fmt: skip
    return render(request, "communities/certification_queue.html", context)


@staff_required
@permission_required(VIEW_DASHBOARD)
@require_POST
def certification_review(request, pk):
    """乡镇初审 / 县审核 / 市认定, or 退回 with a reason: the service decides who may at which level."""
    certification = get_in_scope_or_404(Certification.objects.all(), request.scope, pk=pk)
    form = CertificationReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        done = services.review(certification, form.cleaned_data["decision"], by=request.user, scope=request.scope,
                               reason=form.cleaned_data["reason"])  # fmt: skip
        messages.success(request, f"{done.community.name}：{done.get_status_display()}")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("communities:certification_queue")
