"""零工 on the resident H5 (附近零工, 我的零工, QR check-in, the sharing consent) and on the employer portal
(its gigs with their sign-ups, its 共享员工 offers and needs with matches). Thin: the gigs services decide."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common.web import add_service_errors
from jobcircle.employers.models import Employer
from jobcircle.gigs import checkin, contacts, services, sharing
from jobcircle.gigs.enums import CONTACT_VISIBLE, AgreementStatus, PayUnit, SignupStatus
from jobcircle.gigs.models import Gig, GigSignup, SharedWorker, SharingAgreement, SharingNeed, SharingOffer
from jobcircle.gigs.views import qr_response
from jobcircle.people.models import Resident

from ..forms import GigCompletionForm, GigPostForm
from .employer import employer_required
from .resident import resident_required

DAYS = {"today": 0, "tomorrow": 1}


def _me(request):
    return Resident.objects.get(pk=request.scope.resident_id)


def _say(request, exc):
    messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc)]))


# --- H5 -----------------------------------------------------------------------------------------


@resident_required
def m_gigs(request):
    """附近零工: today's or tomorrow's gigs within the worker's distance, by start time then distance."""
    day_key = request.GET.get("day") if request.GET.get("day") in DAYS else "today"
    day = timezone.localdate() + datetime.timedelta(days=DAYS[day_key])
    me = _me(request)
    gigs = services.gigs_for_worker(me, day=day)
    mine = set(GigSignup.objects.filter(worker=me, gig__in=[g.pk for g in gigs]).values_list("gig_id", flat=True))
    context = {"gigs": gigs, "day": day_key, "mine": mine, "tab": "gigs"}
    return render(request, "portal/m/gigs.html", context)


@resident_required
@require_POST
def m_gig_sign_up(request, pk):
    gig = Gig.objects.open().filter(pk=pk).first()
    try:
        if gig is None:
            raise ValidationError("该零工已招满或已结束")
        services.sign_up(gig, _me(request), by=request.user)
        messages.success(request, f"已报名“{gig.title}”，发布方确认后会在“我的零工”里显示")
    except ValidationError as exc:
        _say(request, exc)
    return redirect("portal:m_my_gigs")


@resident_required
def m_my_gigs(request):
    """我的零工: my sign-ups (with the poster's contact once confirmed), the months of 灵活就业, the gigs I
    posted, and the 共享用工协议 waiting for my confirmation."""
    me = _me(request)
    signups = GigSignup.objects.filter(worker=me).select_related("gig", "gig__employer").order_by("-gig__starts_at")
    waiting = SharedWorker.objects.filter(resident=me, agreement__status=AgreementStatus.CONSENT).select_related(
        "agreement__lender", "agreement__borrower"
    )
    posted = (
        GigSignup.objects.filter(gig__poster_resident=me).select_related("gig", "worker").order_by("-gig__starts_at")
    )
    context = {"signups": signups[:50], "months": services.flexible_work_by_month(me)[-6:], "tab": "gigs",
               "posted": posted[:50], "waiting": waiting, "contact_states": CONTACT_VISIBLE,
               "revealed": request.session.pop("gig_contact", None)}  # fmt: skip
    return render(request, "portal/m/my_gigs.html", context)


@resident_required
def m_gig_check(request, token):
    """The page a QR code opens: check in (or out) of today's confirmed gig the code belongs to."""
    try:
        kind, object_id = checkin.read(token)
    except ValidationError as exc:
        _say(request, exc)
        return redirect("portal:m_my_gigs")
    active = (SignupStatus.CONFIRMED, SignupStatus.CHECKED_IN)
    rows = GigSignup.objects.filter(worker_id=request.scope.resident_id, status__in=active).select_related("gig")
    rows = rows.filter(gig_id=object_id) if kind == checkin.SITE else rows.filter(gig__gig_station_id=object_id)
    signup = rows.order_by("gig__starts_at").first()
    try:
        if signup is None:
            raise ValidationError("没有找到您在这里的已确认零工")
        signup = services.check_by_qr(signup, token, by=request.user, scope=request.scope)
        messages.success(request, f"“{signup.gig.title}”{signup.get_status_display()}")
    except ValidationError as exc:
        _say(request, exc)
    return redirect("portal:m_my_gigs")


@resident_required
@require_POST
def m_gig_signup_action(request, pk):
    """Withdraw, see the poster's phone, rate the poster or flag a dispute — on one's own sign-up."""
    signup = get_in_scope_or_404(GigSignup.objects.select_related("gig"), request.scope, pk=pk)
    _signup_action(request, signup)
    return redirect("portal:m_my_gigs")


def _signup_action(request, signup):
    action, text = request.POST.get("action", ""), request.POST.get("text", "")
    by, scope = request.user, request.scope
    try:
        if action in ("withdrawn", "confirmed", "declined", "checked_in", "checked_out", "no_show"):
            services.transition_signup(signup, action, by=by, scope=scope)
        elif action == "complete":
            services.complete_signup(signup, by=by, scope=scope, data=request.POST.dict())
        elif action == "contact":
            revealed = contacts.other_side_phone(signup, by=by, scope=scope)
            request.session["gig_contact"] = {"signup": signup.pk, **revealed}
        elif action == "rate":
            services.rate(signup, by=by, scope=scope, score=request.POST.get("score"), reason=text)
        elif action == "dispute":
            services.flag_dispute(signup, by=by, scope=scope, note=text)
        else:
            raise ValidationError("无效的操作")
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)


@resident_required
@require_POST
def m_sharing_consent(request, pk):
    worker = SharedWorker.objects.filter(agreement_id=pk, resident_id=request.scope.resident_id).first()
    try:
        if worker is None:
            raise PermissionDenied("您不在该协议的员工名单中")
        agree = request.POST.get("answer") == "agree"
        sharing.answer_consent(worker.agreement, worker.resident, by=request.user, agree=agree)
        messages.success(request, "已同意该共享用工安排" if agree else "已拒绝该共享用工安排")
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    return redirect("portal:m_my_gigs")


# --- H5: a household posts a gig and handles its sign-ups ----------------------------------------


@resident_required
def m_gig_post(request):
    """发布零工 (个人/家庭, verified phone): the same post_gig as the employer portal and the API; the
    compliance review's messages and highlighted wording appear beside their fields."""
    form = GigPostForm(request.POST or None, initial={"pay_unit": PayUnit.DAY})
    if request.method == "POST" and form.is_valid():
        try:
            poster = services.poster_for(request.scope, resident=_me(request))
            gig = services.post_gig(by=request.user, poster=poster, data=form.service_data())
            messages.success(request, f"已发布零工“{gig.title}”（{gig.get_status_display()}）")
            return redirect("portal:m_posted_gig", pk=gig.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    context = {"form": form, "tab": "gigs", "highlights": form.highlights() if form.errors else []}
    return render(request, "portal/m/gig_post.html", context)


@resident_required
def m_posted_gigs(request):
    """我发布的零工: my gigs, newest first, with places taken and sign-ups waiting."""
    gigs = services.board(Gig.objects.in_scope(request.scope)).order_by("-starts_at", "-id")
    return render(request, "portal/m/posted_gigs.html", {"gigs": gigs[:50], "tab": "gigs"})


@resident_required
def m_posted_gig(request, pk):
    """One gig I posted: its sign-ups; confirm (never beyond the headcount), decline, confirm arrival and
    leaving, mark 未到岗, record completion and pay, see a worker's phone — the services decide each move."""
    gig = get_in_scope_or_404(Gig.objects.select_related("occupation"), request.scope, pk=pk)
    signups = GigSignup.objects.in_scope(request.scope).filter(gig=gig)
    completing, form = None, GigCompletionForm()
    if request.method == "POST":
        signup = get_in_scope_or_404(signups.select_related("gig"), request.scope, pk=request.POST.get("signup"))
        if request.POST.get("action") != "complete":
            _signup_action(request, signup)
            return redirect("portal:m_posted_gig", pk=gig.pk)
        completing, form = signup.pk, GigCompletionForm(request.POST)
        if form.is_valid():
            try:
                services.complete_signup(signup, by=request.user, scope=request.scope, data=form.cleaned_data)
                messages.success(request, "已记录完工和报酬")
                return redirect("portal:m_posted_gig", pk=gig.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                _say(request, exc)
    context = {"gig": services.board(Gig.objects.filter(pk=gig.pk)).get(), "tab": "gigs", "form": form,
               "blank_form": GigCompletionForm(),
               "signups": signups.select_related("worker").order_by("created_at", "id"), "completing": completing,
               "contact_states": CONTACT_VISIBLE, "revealed": request.session.pop("gig_contact", None)}  # fmt: skip
    return render(request, "portal/m/posted_gig.html", context)


# --- employer portal ----------------------------------------------------------------------------


def _employer(request):
    return Employer.objects.get(pk=request.scope.employer_id)


@employer_required
def employer_gigs(request):
    """The employer's gigs (with a form to post one) and their sign-ups."""
    employer = _employer(request)
    if request.method == "POST":
        try:
            poster = services.poster_for(request.scope, employer=employer)
            gig = services.post_gig(by=request.user, poster=poster, data=request.POST.dict())
            messages.success(request, f"已发布零工“{gig.title}”（{gig.get_status_display()}）")
            return redirect("portal:employer_gigs")
        except ValidationError as exc:
            _say(request, exc)
    gigs = services.board(Gig.objects.in_scope(request.scope)).select_related("occupation").order_by("-starts_at")
    signups = GigSignup.objects.in_scope(request.scope).select_related("worker", "gig").order_by("gig", "created_at")
    context = {"employer": employer, "gigs": gigs[:50], "signups": signups[:300], "pay_units": PayUnit.choices,
               "form": request.POST, "revealed": request.session.pop("gig_contact", None)}  # fmt: skip
    return render(request, "portal/employer/gigs.html", context)


@employer_required
@require_POST
def employer_gig_signup_action(request, pk):
    signup = get_in_scope_or_404(GigSignup.objects.select_related("gig"), request.scope, pk=pk)
    _signup_action(request, signup)
    return redirect("portal:employer_gigs")


@employer_required
def employer_gig_qr(request, pk):
    """The site's check-in QR code of one of the employer's gigs (shown on the poster's phone at the site)."""
    gig = get_in_scope_or_404(Gig.objects.all(), request.scope, pk=pk)
    url = request.build_absolute_uri(reverse("portal:m_gig_check", args=[checkin.site_code(gig)]))
    return qr_response(url, f"{gig.title}签到")


@employer_required
def employer_sharing(request):
    """共享员工: declare surplus staff or a need; each declaration shows its best matches."""
    employer = _employer(request)
    if request.method == "POST":
        model = SharingOffer if request.POST.get("kind") == "offer" else SharingNeed
        try:
            sharing.declare(model, employer, by=request.user, scope=request.scope, data=request.POST.dict())
            messages.success(request, "已登记，工作人员会协助撮合")
            return redirect("portal:employer_sharing")
        except (ValidationError, PermissionDenied) as exc:
            _say(request, exc)
    posts = []
    for kind, model in (("富余员工", SharingOffer), ("缺工需求", SharingNeed)):
        for post in model.objects.in_scope(request.scope).select_related("occupation", "employer")[:20]:
            posts.append((kind, post, sharing.matches_for(post, limit=3)))
    agreements = SharingAgreement.objects.in_scope(request.scope).select_related("lender", "borrower")[:20]
    context = {"employer": employer, "posts": posts, "agreements": agreements, "form": request.POST}
    return render(request, "portal/employer/sharing.html", context)
