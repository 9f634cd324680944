"""Applying to jobs and moving an application through the recruiting pipeline."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobcircle.accounts.enums import STAFF_ROLES, Role
from jobcircle.common.audit import log_action
from jobcircle.employers.enums import JobStatus
from jobcircle.employers.models import Job

from .enums import APPLICATION_TRANSITIONS, EMPLOYER_SIDE_TARGETS, RESIDENT_TARGETS, ApplicationStatus
from .models import Application, ApplicationTransition


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


def remaining_places(job) -> int:
    """Places still open on a job: its headcount less the applications already hired."""
    hired = Application.objects.filter(job_id=job.pk, status=ApplicationStatus.HIRED).count()
    return max(job.headcount - hired, 0)


def _check_actor(application, to_state, by):
    """Who may make a move.

    - the applicant (resident) may only withdraw their own application;
    - the employer (its own jobs) and area staff move it along the employer side;
    - everyone else may do nothing. Callers fetch the application through a scoped QuerySet,
      so ownership and area are already checked; this checks the role against the move.
    """
    role = getattr(by, "role", None)
    if role == Role.RESIDENT and by.resident_id == application.resident_id:
        allowed = RESIDENT_TARGETS
    elif role == Role.EMPLOYER and by.employer_id == application.job.employer_id:
        allowed = EMPLOYER_SIDE_TARGETS
    elif role in STAFF_ROLES:
        allowed = EMPLOYER_SIDE_TARGETS
    else:
        allowed = frozenset()
    if to_state not in allowed:
        raise PermissionDenied("无权执行此操作")


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
    from jobcircle.employers.services import change_job_status
    from jobcircle.people.enums import EmploymentStatus
    from jobcircle.people.models import Placement
    from jobcircle.people.services import record_employment_status

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
        change_job_status(job, JobStatus.FILLED, by=by)


@transaction.atomic
def transition(application: Application, to_state, *, by, note="", **details) -> Application:
    """Move an application to ``to_state`` (the one door for every pipeline step).

    - only the moves in APPLICATION_TRANSITIONS are legal; the final states have none;
    - the resident may only withdraw; the employer (own jobs) and area staff make the other moves;
    - interview: a time and a place or an online link; hire: a start date;
    - hire: the job row is locked first, so two hires for its last place cannot both succeed
      (the loser gets NoPlacesLeft); a placement is recorded, the resident becomes 已就业, and
      the job turns 已招满 when no place remains;
    - every move writes a transition-log row (who, when) and an audit event.
    """
    if to_state not in ApplicationStatus.values:
        raise ValidationError({"status": [f"状态取值无效：{to_state}"]})
    # Lock order: job, then application — the same for every hire of this job.
    job = Job.objects.select_for_update(of=("self",)).get(pk=application.job_id)
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("resident", "job").get(pk=application.pk)
    )
    _check_actor(application, to_state, by)
    current = ApplicationStatus(application.status)
    if to_state not in APPLICATION_TRANSITIONS[current]:
        target = ApplicationStatus(to_state).label
        raise ValidationError({"status": [f"申请状态不能从“{current.label}”改为“{target}”"]})
    cleaned = _clean_details(to_state, details)
    if to_state == ApplicationStatus.HIRED and remaining_places(job) <= 0:
        raise NoPlacesLeft(NoPlacesLeft.message)
    for field, value in cleaned.items():
        setattr(application, field, value)
    application.status = to_state
    application.save(update_fields=["status", "updated_at", *cleaned])
    ApplicationTransition.objects.create(
        application=application, from_status=current, to_status=to_state, by=by, note=(note or "")[:200]
    )
    log_action(
        f"recruiting.application.{to_state}",
        by=by,
        obj=application,
        changed_fields=["status", *cleaned],
        data={"from": current.value, "to": to_state, "job": job.pk},
    )
    if to_state == ApplicationStatus.HIRED:
        _hire(application, job, by=by)
    return application


def funnel(area_prefix: str, date_from=None, date_to=None) -> dict:
    """Applications by current state for jobs in an area (招聘漏斗), for staff.

    - counts applications whose ``area_code`` starts with ``area_prefix`` (the job's area);
    - the period, when given, is the application date (local date, both ends included);
    - every state appears, zero when none; ``total`` is their sum.
    """
    from django.db.models import Count

    qs = Application.objects.filter(area_code__startswith=area_prefix)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    counts = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    out = {state: counts.get(state, 0) for state in ApplicationStatus.values}
    out["total"] = sum(out.values())
    return out
