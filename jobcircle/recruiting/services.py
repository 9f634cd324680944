"""Applying to jobs and moving an application through the recruiting pipeline."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.accounts.enums import STAFF_ROLES, Role
from jobcircle.accounts.models import User
from jobcircle.areas.codes import Area
from jobcircle.areas.models import Region
from jobcircle.common import pii
from jobcircle.common.audit import log_action
from jobcircle.common.sms import SMSError, send_sms
from jobcircle.common.workflow import Move, Workflow, moves_from
from jobcircle.common.workflow import transition as workflow_transition
from jobcircle.employers.enums import JobStatus
from jobcircle.employers.models import Job
from jobcircle.employers.services import transition_job
from jobcircle.matching.models import InboxMessage
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import Placement, Resident
from jobcircle.people.services import record_employment_status, reveal_resident_pii

from .enums import (
    APPLICATION_TRANSITIONS,
    RESIDENT_TARGETS,
    ApplicationStatus,
    JobFairKind,
    SignInChannel,
)
from .models import (
    Application,
    ApplicationTransition,
    FairAttendance,
    FairEmployer,
    JobFair,
    LiaisonAssignment,
    LiaisonRecommendation,
    LiaisonVisit,
)

# SEC-09: an id of another area is answered exactly like a missing one, naming the field.
NOT_IN_AREA = "{label}：不存在或不在您的管辖范围内"
FAIR_CLOSED = "签到：本场招聘会已结束签到"
OFFICER_NOT_ELIGIBLE = "人社服务专员：须为本辖区内、辖区覆盖该企业的在岗工作人员"


class NoPlacesLeft(Exception):
    """The job has no remaining places: another hire took the last one (the API answers 409)."""

    message = "该岗位招聘名额已满，不能再录用"


@transaction.atomic
def apply_to_job(resident, job, *, by) -> Application:
    """A resident applies to a job (投递).

    - only a job open today can be applied to (open status, inside its validity).
    - one application per resident and job: applying again is refused with a clear message.
    - the application belongs to the job's area; the event is audited.
    """
    job = Job.objects.select_for_update(of=("self",)).select_related("employer").get(pk=job.pk)
    if not job.is_open:
        raise ValidationError({"job": ["该岗位已暂停或结束招聘，不能投递"]})
    if Application.objects.filter(resident=resident, job=job).exists():
        raise ValidationError({"job": ["您已投递过该岗位，请在“我的申请”中查看"]})
    application = Application(resident=resident, job=job, area_code=job.area_code)
    application.created_by = by if getattr(by, "pk", None) else None
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a double click racing itself
        raise ValidationError({"job": ["您已投递过该岗位，请在“我的申请”中查看"]}) from exc
    log_action("recruiting.application.created", by=by, obj=application, data={"job": job.pk})
    return application


def employer_may_see_phone(scope, resident) -> bool:
    """Whether an employer may see ``resident``'s phone (issue 17; the phone only, never the ID number).

    - the scope is an employer's;
    - the resident applied to one of its jobs and has not withdrawn: the applicant chose to contact it.
    """
    if scope.role != Role.EMPLOYER or not scope.employer_id:
        return False
    applications = Application.objects.filter(resident_id=resident.pk, job__employer_id=scope.employer_id)
    return applications.exclude(status=ApplicationStatus.WITHDRAWN).exists()


def reveal_applicant_phone(application: Application, *, by, scope) -> str:
    """The applicant's phone for the employer they applied to (查看电话, issue 17).

    - ``employer_may_see_phone``: an employer sees its own applicants' phones only, never after a
      withdrawal; anyone else is refused (PermissionDenied);
    - through the one reveal door (people.services.reveal_resident_pii): audited and rate-limited;
    - the caller fetched the application through the employer's scope (another employer gets 404).
    """
    if not employer_may_see_phone(scope, application.resident):
        raise PermissionDenied("无权查看完整个人信息")
    reason = f"联系投递本单位岗位的申请人（申请编号{application.pk}）"
    revealed = reveal_resident_pii(
        application.resident, by=by, scope=scope, fields=["phone"], reason=reason, applicant_of_employer=True
    )
    return revealed["phone"]


def remaining_places(job) -> int:
    """Places still open on a job: its headcount less the applications already hired."""
    hired = Application.objects.filter(job_id=job.pk, status=ApplicationStatus.HIRED).count()
    return max(job.headcount - hired, 0)


def _applicant(application, by, scope) -> bool:
    """The applicant (resident) — for their own application only, read from the caller's scope."""
    return scope is not None and scope.role == Role.RESIDENT and scope.resident_id == application.resident_id


def _employer_side(application, by, scope) -> bool:
    """The employer (its own jobs) or staff of the application's area, read from the caller's scope.
    Callers fetch the application through a scoped QuerySet, so ownership and area are already checked;
    this checks the role. No scope (a system move) is neither."""
    if scope is None:
        return False
    if scope.role == Role.EMPLOYER:
        return scope.employer_id == application.job.employer_id
    return scope.role in STAFF_ROLES and scope.covers(application.area_code)


def _who_moves(frm, to) -> Move:
    """The applicant only withdraws; the employer side makes every other move."""
    return Move(who=_applicant if to in RESIDENT_TARGETS else _employer_side)


APPLICATION_WORKFLOW = Workflow(
    model=Application,
    states=ApplicationStatus,
    moves=moves_from(APPLICATION_TRANSITIONS, _who_moves),
    log=ApplicationTransition,
    subject="application",
    action="recruiting.application.{to}",
    label="申请状态",
    related=("resident", "job"),
)


def _clean_details(to_state, details) -> dict:
    """Interview needs a time and a place or an online link; hire needs a start date."""
    errors = {}
    out = {}
    if to_state == ApplicationStatus.INTERVIEW:
        at = details.get("interview_at")
        if not isinstance(at, datetime.datetime):
            errors["interview_at"] = ["面试时间：请填写面试时间"]
        elif timezone.is_naive(at):
            at = timezone.make_aware(at)
        place = (details.get("interview_place") or "").strip()
        link = (details.get("interview_link") or "").strip()
        if not place and not link:
            errors["interview_place"] = ["面试地点：请填写面试地点或线上面试链接"]
        if link and not link.startswith(("https://", "http://")):
            errors["interview_link"] = ["线上面试链接：请填写以 https:// 开头的链接"]
        if len(place) > 200:
            errors["interview_place"] = ["面试地点：不超过200字"]
        out = {"interview_at": at, "interview_place": place, "interview_link": link}
    elif to_state == ApplicationStatus.HIRED:
        started_on = details.get("started_on")
        if not isinstance(started_on, datetime.date):
            errors["started_on"] = ["入职日期：请填写入职日期"]
        out = {"started_on": started_on}
    if errors:
        raise ValidationError(errors)
    return out


def _hire(application, job, *, by):
    """Side effects of a hire: the employment record, the resident's status, the job's places."""
    resident = application.resident
    Placement.objects.get_or_create(
        resident=resident,
        employer_id=job.employer_id,
        started_on=application.started_on,
        defaults={"job": job, "area_code": resident.area_code, "recorded_by": by},
    )
    record_employment_status(
        resident, EmploymentStatus.EMPLOYED, by=by, on=application.started_on, note=f"平台录用：{job.title}"
    )
    if remaining_places(job) == 0 and job.status == JobStatus.OPEN:
        transition_job(job, JobStatus.FILLED, by=by)


def _invitation_text(application, job, to_state) -> str:
    employer = job.employer.name
    if to_state == ApplicationStatus.INTERVIEW:
        at = timezone.localtime(application.interview_at).strftime("%m月%d日 %H:%M")
        where = application.interview_place or "线上面试（链接见站内消息）"
        return f"面试邀请：{employer}邀请您参加“{job.title}”面试，时间{at}，地点{where}"
    return f"录用通知：{employer}决定录用您担任“{job.title}”，请留意单位联系"


def notify_applicant(application, job, to_state):
    """Tell the applicant of an interview invitation or an offer (issue 17).

    - one InboxMessage (面试邀请 / 录用通知) in the resident's 消息, with what, when and where;
    - and an SMS to the resident's phone ([三公里就业圈] prefix); no phone or a gateway failure is
      recorded on the message (sms_status), never an error for the employer.
    """
    kind = InboxMessage.Kind.INTERVIEW if to_state == ApplicationStatus.INTERVIEW else InboxMessage.Kind.OFFER
    text = _invitation_text(application, job, to_state)
    resident = application.resident
    now = timezone.now()
    message = InboxMessage.objects.create(
        resident=resident, kind=kind, pushed_on=timezone.localdate(), title=text[:100],
        area_code=resident.area_code, created_at=now,
    )  # fmt: skip
    phone = pii.decrypt(resident.phone_encrypted) if resident.phone_encrypted else ""
    if not phone:
        message.sms_status = InboxMessage.SmsStatus.NO_PHONE
    else:
        link = f"，线上面试链接：{application.interview_link}" if application.interview_link else ""
        try:
            send_sms(phone, f"【三公里就业圈】{text}{link}。")
            message.sms_status, message.sms_sent_at = InboxMessage.SmsStatus.SENT, now
        except SMSError:
            message.sms_status = InboxMessage.SmsStatus.FAILED
    message.save(update_fields=["sms_status", "sms_sent_at"])
    return message


@transaction.atomic
def transition(application: Application, to_state, *, by, scope=None, note="", **details) -> Application:
    """Move an application to ``to_state`` (the one door for every pipeline step; common.workflow.transition).

    - only the moves in APPLICATION_TRANSITIONS are legal; the final states have none;
    - the resident may only withdraw; the employer (own jobs) and area staff make the other moves —
      read from ``scope``, the caller's (``request.scope``);
    - interview: a time and a place or an online link; hire: a start date;
    - hire: the job row is locked first, so two hires for its last place cannot both succeed
      (the loser gets NoPlacesLeft); a placement is recorded, the resident becomes 已就业, and
      the job turns 已招满 when no place remains;
    - interview and offer: the applicant gets an inbox message and an SMS (notify_applicant);
    - every move writes a transition-log row (who, when) and an audit event.
    """
    APPLICATION_WORKFLOW.state_of(to_state)
    # Lock order: job, then application — the same for every hire of this job.
    job = Job.objects.select_for_update(of=("self",)).select_related("employer").get(pk=application.job_id)

    def steps(application, current, to_state):
        cleaned = _clean_details(to_state, details)
        if to_state == ApplicationStatus.HIRED and remaining_places(job) <= 0:
            raise NoPlacesLeft(NoPlacesLeft.message)
        for field, value in cleaned.items():
            setattr(application, field, value)
        return list(cleaned)

    application = workflow_transition(
        APPLICATION_WORKFLOW,
        application,
        to_state,
        by=by,
        scope=scope,
        reason=note,
        prepare=steps,
        data={"job": job.pk},
    )
    if to_state == ApplicationStatus.HIRED:
        _hire(application, job, by=by)
    if to_state in (ApplicationStatus.INTERVIEW, ApplicationStatus.OFFER):
        notify_applicant(application, job, to_state)
    return application


def funnel(region, date_from=None, date_to=None) -> dict:
    """Applications by current state for jobs in an area (招聘漏斗), for staff.

    - counts applications inside ``region`` (the job's area; a ``Region`` or an ``Area``);
    - the period, when given, is the application date (local date, both ends included);
    - every state appears, zero when none; ``total`` is their sum.
    """
    from django.db.models import Count

    qs = Application.objects.in_area(region)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    counts = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    out = {state: counts.get(state, 0) for state in ApplicationStatus.values}
    out["total"] = sum(out.values())
    return out


# ── Job fairs (招聘会) ──────────────────────────────────────────────────────────


def _require_staff_covering(scope, area_code):
    """Only staff whose scope (the caller's) covers ``area_code`` act."""
    if not scope.covers(area_code):
        raise PermissionDenied("无权执行此操作")


def _require_in_area(scope, field, label, records):
    """Staff attach only records of their own area (SEC-09).

    - each record (resident, employer, job: its ``area_code``) must lie inside the caller's scope;
    - one outside it is refused like a missing id: 422 naming the input field, with NOT_IN_AREA.
    """
    if any(not scope.covers(record.area_code) for record in records):
        raise ValidationError({field: [NOT_IN_AREA.format(label=label)]})


def _clean_fair(scope, data: dict) -> dict:
    """The rules of a fair's details, for scheduling it and for editing it.

    - name, kind, start and end (end not before start) are required;
    - an on-site fair needs a venue; 直播带岗 needs an https stream link;
    - the organising area must be inside the actor's area.
    """
    errors = {}
    name = (data.get("name") or "").strip()
    if not name or len(name) > 100:
        errors["name"] = ["名称：请填写，不超过100字"]
    kind = data.get("kind") or JobFairKind.COMPREHENSIVE
    if kind not in JobFairKind.values:
        errors["kind"] = [f"类型取值无效：{kind}"]
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts_at, datetime.datetime) or not isinstance(ends_at, datetime.datetime):
        errors["starts_at"] = ["时间：请填写开始和结束时间"]
    else:
        starts_at, ends_at = (timezone.make_aware(t) if timezone.is_naive(t) else t for t in (starts_at, ends_at))
        if ends_at < starts_at:
            errors["ends_at"] = ["结束时间：不能早于开始时间"]
    venue = (data.get("venue") or "").strip()[:200]
    stream_link = (data.get("stream_link") or "").strip()
    if kind == JobFairKind.LIVESTREAM:
        if not stream_link.startswith("https://"):
            errors["stream_link"] = ["直播链接：直播带岗请填写以 https:// 开头的直播链接"]
    elif not venue:
        errors["venue"] = ["举办地点：请填写举办地点"]
    region = Region.objects.filter(code=(data.get("area_code") or "").ljust(12, "0")).first()
    if region is None:
        errors["area_code"] = ["主办区划：请选择主办区划"]
    if errors:
        raise ValidationError(errors)
    _require_staff_covering(scope, region.code)
    return {"name": name, "kind": kind, "starts_at": starts_at, "ends_at": ends_at, "venue": venue,
            "stream_link": stream_link, "lat": data.get("lat"), "lng": data.get("lng"),
            "area_code": region.code}  # fmt: skip


@transaction.atomic
def create_job_fair(*, by, scope, data: dict) -> JobFair:
    """Staff schedule a fair for their area (the rules of its details: ``_clean_fair``)."""
    import secrets

    fields = _clean_fair(scope, data)
    fair = JobFair.objects.create(**fields, sign_in_token=secrets.token_urlsafe(16), created_by=by)
    log_action("recruiting.job_fair.created", by=by, obj=fair, data={"kind": fair.kind})
    return fair


@transaction.atomic
def update_job_fair(fair: JobFair, *, by, scope, data: dict) -> JobFair:
    """Staff edit a fair's details (改期、换场地、改为直播带岗…).

    - only staff covering the fair's current area, and the new area must be theirs too;
    - the same rules as scheduling it (``_clean_fair``); its sign-in code stays the same,
      so a poster already printed keeps working.
    """
    _require_staff_covering(scope, fair.area_code)
    fields = _clean_fair(scope, data)
    fair = JobFair.objects.select_for_update(of=("self",)).get(pk=fair.pk)
    changed = [name for name, value in fields.items() if getattr(fair, name) != value]
    for name in changed:
        setattr(fair, name, fields[name])
    if changed:
        fair.save(update_fields=[*changed, "updated_at"])
        log_action("recruiting.job_fair.updated", by=by, obj=fair, data={"fields": changed})
    return fair


@transaction.atomic
def close_job_fair(fair: JobFair, *, by, scope) -> JobFair:
    """Close a fair (结束签到) once it is over; its report then stands.

    - only staff covering the fair's area;
    - a closed fair takes no more sign-ins, by QR or by staff; closing twice changes nothing;
    - intentions reached at the fair may still be recorded afterwards (登记往往在会后补录).
    """
    _require_staff_covering(scope, fair.area_code)
    fair = JobFair.objects.select_for_update(of=("self",)).get(pk=fair.pk)
    if fair.closed_at is None:
        fair.closed_at = timezone.now()
        fair.save(update_fields=["closed_at", "updated_at"])
        log_action("recruiting.job_fair.closed", by=by, obj=fair, data=fair_report(fair))
    return fair


@transaction.atomic
def add_fair_employer(fair: JobFair, employer, *, by, scope, jobs=(), booth="") -> FairEmployer:
    """An employer joins a fair with the jobs it brings (登记参会企业).

    - only staff covering the fair's area register participants;
    - the employer and each job (by its workplace) must lie in the registering staff member's area;
    - the jobs must be the employer's own; registering again adds to its jobs.
    """
    _require_staff_covering(scope, fair.area_code)
    jobs = list(jobs)
    _require_in_area(scope, "employer_id", "参会企业", [employer])
    _require_in_area(scope, "job_ids", "岗位", jobs)
    if any(job.employer_id != employer.pk for job in jobs):
        raise ValidationError({"job_ids": ["岗位：只能登记该企业自己的岗位"]})
    entry, _ = FairEmployer.objects.get_or_create(fair=fair, employer=employer, defaults={"booth": booth[:20]})
    entry.jobs.add(*jobs)
    log_action(
        "recruiting.job_fair.employer_added",
        by=by,
        obj=fair,
        data={"employer": employer.pk, "jobs": [j.pk for j in jobs]},
    )
    return entry


def sign_in_at_fair(fair: JobFair, resident, *, by, scope, channel=SignInChannel.QR) -> tuple[FairAttendance, bool]:
    """A resident signs in at a fair; returns (attendance, created).

    - QR sign-in: the resident themself, from the H5 after scanning the fair's code;
    - staff sign-in (walk-ins): staff covering the fair's area, for a resident of their area;
    - signing in twice is harmless: the first sign-in stands and ``created`` is False;
    - a closed fair takes no new sign-ins (FAIR_CLOSED); one made before still stands.
    """
    if channel == SignInChannel.QR:
        if getattr(by, "role", None) != Role.RESIDENT or by.resident_id != resident.pk:
            raise PermissionDenied("无权执行此操作")
    else:
        _require_staff_covering(scope, fair.area_code)
        _require_in_area(scope, "resident_id", "求职者", [resident])
    if fair.is_closed:
        existing = FairAttendance.objects.filter(fair=fair, resident=resident).first()
        if existing is None:
            raise ValidationError({"resident_id": [FAIR_CLOSED]})
        return existing, False
    with transaction.atomic():
        attendance, created = FairAttendance.objects.get_or_create(
            fair=fair, resident=resident, defaults={"channel": channel, "signed_in_by": by}
        )
    if created:
        log_action("recruiting.job_fair.signed_in", by=by, obj=fair, data={"channel": channel})
    return attendance, created


@transaction.atomic
def record_fair_intention(fair: JobFair, resident, job, *, by, scope, note="") -> Application:
    """A resident and an employer reach a hiring intention at a fair (达成就业意向).

    - the resident and the job must lie in the staff member's area (SEC-09);
    - the job must be one brought to this fair;
    - the resident's application to the job is created if missing, attributed to the fair, and
      moved to 达成就业意向 through ``transition`` (so it is logged and audited like any move);
      a later hire of that application counts as a hire from the fair.
    """
    _require_staff_covering(scope, fair.area_code)
    _require_in_area(scope, "resident_id", "求职者", [resident])
    _require_in_area(scope, "job_id", "岗位", [job])
    if not FairEmployer.objects.filter(fair=fair, jobs=job).exists():
        raise ValidationError({"job_id": ["岗位：该岗位未登记在本场招聘会"]})
    application, _ = Application.objects.get_or_create(
        resident=resident, job=job, defaults={"area_code": job.area_code, "created_by": by, "fair": fair}
    )
    if application.fair_id is None:
        application.fair = fair
        application.save(update_fields=["fair", "updated_at"])
    return transition(application, ApplicationStatus.INTENTION, by=by, scope=scope, note=note or f"招聘会：{fair.name}")


def reached_intention(applications):
    """The applications that reached 达成就业意向 at any time — whatever happened after (hired, rejected…).

    Read from the transition log (ApplicationTransition into the intention state), not the current status.
    """
    into = ApplicationTransition.objects.filter(application=OuterRef("pk"), to_status=ApplicationStatus.INTENTION)
    return applications.filter(Exists(into))


def fair_figures(fairs) -> dict:
    """The results (招聘会成效) of a set of fairs, with distinct 家/人 beside 家次/人次 as reports use both.

    - fairs: how many;
    - enterprises: distinct employers (家); enterprise_visits: participations, one per employer per fair (家次);
    - positions: headcount of the jobs brought, summed over fairs (a job brought to two fairs counts at each);
    - attendees: sign-ins (人次); attendee_people: distinct residents signed in (人);
    - intentions: distinct residents with an application of these fairs that reached 达成就业意向 at any
      time (人); intention_visits: those applications (人次) — ``reached_intention``;
    - hires: applications of these fairs now 已入职.
    """
    fair_apps = Application.objects.filter(fair__in=fairs).order_by()
    entries = FairEmployer.objects.filter(fair__in=fairs).order_by()
    attendances = FairAttendance.objects.filter(fair__in=fairs).order_by()
    intentions = reached_intention(fair_apps)
    return {
        "fairs": fairs.count(),
        "enterprises": entries.values("employer_id").distinct().count(),
        "enterprise_visits": entries.count(),
        "positions": Job.objects.filter(fair_entries__fair__in=fairs).aggregate(n=Sum("headcount"))["n"] or 0,
        "attendees": attendances.count(),
        "attendee_people": attendances.values("resident_id").distinct().count(),
        "intentions": intentions.values("resident_id").distinct().count(),
        "intention_visits": intentions.count(),
        "hires": fair_apps.filter(status=ApplicationStatus.HIRED).count(),
    }


def fair_report(fair: JobFair) -> dict:
    """One fair's results (招聘会成效): ``fair_figures`` of that fair alone.

    - enterprises: employers registered at the fair; positions: the headcount of the jobs they brought;
    - attendees: sign-ins; intentions: residents who reached an intention at the fair (at any time);
    - hires: applications from the fair that ended in 入职.
    """
    figures = fair_figures(JobFair.objects.filter(pk=fair.pk))
    del figures["fairs"]
    return figures


def fair_statistics(region, date_from=None, date_to=None, kind=None) -> dict:
    """Period statistics of fairs for work reports, by organising area, period (start date) and kind.

    - the figures of ``fair_figures`` over the fairs held (家 and 家次, 人 and 人次);
    - sentence: "组织各类招聘会N场，参会企业N家，提供岗位N个，达成就业意向N人".
    """
    fairs = JobFair.objects.in_area(region).in_period(date_from, date_to)
    if kind:
        fairs = fairs.filter(kind=kind)
    out = fair_figures(fairs)
    out["sentence"] = (
        f"组织各类招聘会{out['fairs']}场，参会企业{out['enterprises']}家，"
        f"提供岗位{out['positions']}个，达成就业意向{out['intentions']}人"
    )
    return out


# ── Liaison officers (人社服务专员) and key enterprises (包保) ─────────────────────


def liaison_officer_candidates(*, scope):
    """Staff who may be named 人社服务专员 by the caller: active staff users of the caller's scope (SEC-09).

    ``assign_liaison_officer`` still checks that the one chosen covers the enterprise.
    """
    if not scope.is_staff:
        return User.objects.none()
    users = User.objects.filter(is_active=True, role__in=STAFF_ROLES, area__in=Region.objects.in_area(scope.region))
    return users.select_related("area").order_by("area__code", "username")


@transaction.atomic
def assign_liaison_officer(officer, employer, *, by, scope, started_on=None) -> LiaisonAssignment:
    """Assign an officer to serve a key enterprise (包保).

    - only staff covering the enterprise's area assign;
    - the enterprise must be on the key-enterprise list (白名单);
    - the officer must be an active staff user of the assigning staff member's own area (SEC-09)
      whose area covers the enterprise; every other officer gets the one answer OFFICER_NOT_ELIGIBLE;
    - an officer serves an enterprise once at a time: assigning again returns the active assignment.
    """
    _require_staff_covering(scope, employer.area_code)
    if not employer.is_key_enterprise:
        raise ValidationError({"employer_id": ["包保企业：只能为重点企业（白名单）配备专员"]})
    # The OFFICER's own scope (the area they would serve), not the caller's: built from the officer on purpose.
    officer_scope = scope_for_user(officer)
    if not (officer_scope.is_staff and scope.covers(officer.area.code) and officer_scope.covers(employer.area_code)):
        raise ValidationError({"officer_id": [OFFICER_NOT_ELIGIBLE]})
    existing = LiaisonAssignment.objects.active().filter(officer=officer, employer=employer).first()
    if existing:
        return existing
    assignment = LiaisonAssignment.objects.create(
        officer=officer, employer=employer, started_on=started_on or timezone.localdate(),
        area_code=employer.area_code, assigned_by=by,
    )  # fmt: skip
    log_action("recruiting.liaison.assigned", by=by, obj=assignment, data={"officer": officer.pk})
    return assignment


def _require_officer_or_staff(assignment, by, scope):
    """The assigned officer, or staff covering the enterprise's area, act on an assignment."""
    if assignment.officer_id != getattr(by, "pk", None):
        _require_staff_covering(scope, assignment.area_code)
    if assignment.ended_on is not None:
        raise ValidationError({"assignment": ["该包保关系已结束"]})


@transaction.atomic
def end_liaison_assignment(assignment, *, by, scope, ended_on=None) -> LiaisonAssignment:
    """End an assignment (staff covering the area); its visits and recommendations stay on record.

    Ending one already ended changes nothing.
    """
    _require_staff_covering(scope, assignment.area_code)
    if assignment.ended_on is not None:
        return assignment
    assignment.ended_on = ended_on or timezone.localdate()
    assignment.save(update_fields=["ended_on", "updated_at"])
    log_action("recruiting.liaison.ended", by=by, obj=assignment)
    return assignment


@transaction.atomic
def record_liaison_visit(assignment, *, by, scope, visited_on, needed_headcount=0, needs="", notes="") -> LiaisonVisit:
    """Record a visit to the enterprise (走访) and its hiring need (用工需求人数 ≥ 0)."""
    _require_officer_or_staff(assignment, by, scope)
    if not isinstance(visited_on, datetime.date) or visited_on > timezone.localdate():
        raise ValidationError({"visited_on": ["走访日期：请填写不晚于今天的日期"]})
    if needed_headcount is None or needed_headcount < 0:
        raise ValidationError({"needed_headcount": ["用工需求人数：不能为负数"]})
    visit = LiaisonVisit.objects.create(
        assignment=assignment, visited_on=visited_on, needed_headcount=needed_headcount,
        needs=(needs or "")[:500], notes=(notes or "")[:500], recorded_by=by,
    )  # fmt: skip
    log_action("recruiting.liaison.visited", by=by, obj=assignment, data={"needed_headcount": needed_headcount})
    return visit


@transaction.atomic
def recommend_candidate(assignment, resident, *, by, scope, job=None, on=None) -> tuple[LiaisonRecommendation, bool]:
    """Recommend a candidate to the enterprise (推荐用工); returns (recommendation, created).

    - the resident and the job, when given, must lie in the recommending user's area (SEC-09);
    - the job, when given, must be the enterprise's own;
    - recommending the same person to the same enterprise again is kept once.
    """
    _require_officer_or_staff(assignment, by, scope)
    _require_in_area(scope, "resident_id", "求职者", [resident])
    if job is not None:
        _require_in_area(scope, "job_id", "推荐岗位", [job])
    if job is not None and job.employer_id != assignment.employer_id:
        raise ValidationError({"job_id": ["推荐岗位：只能是该企业的岗位"]})
    recommendation, created = LiaisonRecommendation.objects.get_or_create(
        assignment=assignment, resident=resident,
        defaults={"job": job, "recommended_on": on or timezone.localdate(), "recorded_by": by},
    )  # fmt: skip
    if created:
        log_action("recruiting.liaison.recommended", by=by, obj=assignment, data={"resident": resident.pk})
    return recommendation, created


def liaison_statistics(region, date_from=None, date_to=None) -> dict:
    """Liaison work for an area (by the enterprise's area) and period, for work reports.

    - officers: distinct officers with an assignment active at some time in the period (配备专员N人);
    - enterprises: distinct enterprises under such assignments (包保企业N家);
    - recommended: distinct residents recommended in the period (推荐用工N人);
    - visits and needed_headcount: visits in the period and the hiring need they recorded;
    - sentence: "配备人社服务专员N人，包保企业N家，推荐用工N人".
    """
    from django.db.models import Q, Sum

    assignments = LiaisonAssignment.objects.in_area(region)
    if date_to:
        assignments = assignments.filter(started_on__lte=date_to)
    if date_from:
        assignments = assignments.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=date_from))
    recommendations = LiaisonRecommendation.objects.in_area(region)
    visits = LiaisonVisit.objects.in_area(region)
    if date_from:
        recommendations = recommendations.filter(recommended_on__gte=date_from)
        visits = visits.filter(visited_on__gte=date_from)
    if date_to:
        recommendations = recommendations.filter(recommended_on__lte=date_to)
        visits = visits.filter(visited_on__lte=date_to)
    out = {
        "officers": assignments.order_by().values("officer_id").distinct().count(),
        "enterprises": assignments.order_by().values("employer_id").distinct().count(),
        "recommended": recommendations.order_by().values("resident_id").distinct().count(),
        "visits": visits.count(),
        "needed_headcount": visits.aggregate(n=Sum("needed_headcount"))["n"] or 0,
    }
    out["sentence"] = (
        f"配备人社服务专员{out['officers']}人，包保企业{out['enterprises']}家，推荐用工{out['recommended']}人"
    )
    return out


def fair_reminder_link(fair) -> str:
    """Where a reminder points on the H5: the fair in the 招聘会 list; also what makes a reminder once only."""
    return f"/m/fairs/#fair-{fair.pk}"


@transaction.atomic
def remind_upcoming_fairs(*, day=None, area_code="") -> dict:
    """Put a 招聘会提醒 in the 消息 of every job seeker of a fair's area the day before it opens (issue 17).

    - the fairs that start on ``day`` + 1 (default: tomorrow), not closed, organised inside ``area_code``
      (all areas when empty);
    - the residents still seeking work (``is_job_seeking``) whose area is inside the fair's organising area;
    - once only: a resident who already has this fair's reminder gets no second one, so the command can
      run again the same day; no SMS — the inbox is the channel for reminders.
    Returns {"fairs": how many fairs, "reminded": how many new messages}.
    """
    today = day or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    fairs = JobFair.objects.filter(
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=1),
        closed_at__isnull=True,
    )
    if area_code:
        fairs = fairs.in_area(Area(area_code))
    now, reminded, counted = timezone.now(), 0, 0
    for fair in fairs.order_by("starts_at", "id"):
        counted += 1
        link = fair_reminder_link(fair)
        already = InboxMessage.objects.filter(kind=InboxMessage.Kind.FAIR_REMINDER, link=link).values("resident_id")
        seekers = (
            Resident.objects.job_seekers()
            .in_area(Area(fair.area_code))
            .exclude(pk__in=already)
            .values_list("pk", "area_code")
        )
        where = fair.venue or ("线上直播" if fair.stream_link else "")
        title = f"招聘会提醒：{fair.name}"[:100]
        body = f"{timezone.localtime(fair.starts_at):%m月%d日 %H:%M}开始" + (f"，地点：{where}" if where else "")
        rows = [
            InboxMessage(
                resident_id=pk,
                kind=InboxMessage.Kind.FAIR_REMINDER,
                pushed_on=today,
                title=title,
                body=body,
                link=link,
                area_code=code,
                created_at=now,
            )
            for pk, code in seekers.iterator()
        ]
        InboxMessage.objects.bulk_create(rows, batch_size=2000)
        reminded += len(rows)
        log_action("recruiting.job_fair.reminded", obj=fair, area_code=fair.area_code, data={"count": len(rows)})
    return {"fairs": counted, "reminded": reminded}
