"""Writing employers and jobs: registration, posting with compliance review, status changes."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jobcircle.accounts.access import Scope
from jobcircle.accounts.enums import STAFF_ROLES
from jobcircle.accounts.permissions import CASEWORK, check_writable_fields
from jobcircle.accounts.permissions import EMPLOYER as EMPLOYER_RECORD
from jobcircle.accounts.permissions import JOB as JOB_RECORD
from jobcircle.areas.services import community_for_write, location_from_input
from jobcircle.areas.stations import default_location
from jobcircle.classifications.models import Industry, Occupation
from jobcircle.common import pii
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import (
    model_max_length,
    normalize_mobile_phone,
    parse_credit_code,
    validate_mobile_phone,
    validate_text,
)
from jobcircle.common.workflow import Move, Workflow, moves_from, transition
from jobcircle.people.enums import Education, WorkType

from .compliance import has_blocking, review_posting
from .enums import EmployerSize, EmployerStatus, EmployerType, JobStatus, ReviewResult
from .models import Employer, EmployerTransition, Job, JobTransition
from .signals import OPENED, PLACES_ROSE, announce_job_opened

REVIEWED_FIELDS = {"title": "岗位名称", "description": "工作内容", "requirements": "招聘条件", "benefits": "福利待遇"}
# The structured conditions read by the same rule table (structured_requirements_text), with their labels.
HIT_LABELS = {**REVIEWED_FIELDS, "skills": "技能要求", "age_min": "最低年龄", "age_max": "最高年龄"}


def structured_requirements_text(cleaned: dict) -> dict:
    """The structured conditions of a posting written out as the words they stand for, so the one rule
    table judges 最高年龄 = 35 exactly like "35岁以下" in the text (issue 17).

    - an age range reads "18-35岁", a maximum alone "35岁以下", a minimum alone "45岁以上";
      it is reported on 最高年龄 when one is given, else on 最低年龄;
    - 技能要求 tags are read together ("限男性；叉车证"), like a line of text.
    """
    age_min, age_max = cleaned.get("age_min"), cleaned.get("age_max")
    out = {"skills": "；".join(cleaned.get("skills") or [])}
    if age_min and age_max:
        out["age_max"] = f"{age_min}-{age_max}岁"
    elif age_max:
        out["age_max"] = f"{age_max}岁以下"
    elif age_min:
        out["age_min"] = f"{age_min}岁以上"
    return out


# Legal status changes of a job (the one table; transition_job checks it). "filled" is set by hiring
# (recruiting), expiry needs no state. 待审核 is the staff review queue (审核): a posting the checker holds
# goes there, and only area staff leave it — approved (→ open) or returned with a reason (→ draft).
JOB_TRANSITIONS = {
    JobStatus.DRAFT: {JobStatus.OPEN, JobStatus.REVIEW, JobStatus.CLOSED},
    JobStatus.REVIEW: {JobStatus.OPEN, JobStatus.DRAFT, JobStatus.CLOSED},
    JobStatus.OPEN: {JobStatus.PAUSED, JobStatus.CLOSED, JobStatus.FILLED, JobStatus.REVIEW},
    JobStatus.PAUSED: {JobStatus.OPEN, JobStatus.CLOSED, JobStatus.REVIEW},
    JobStatus.FILLED: {JobStatus.OPEN, JobStatus.CLOSED, JobStatus.REVIEW},
    JobStatus.CLOSED: set(),
}
PUBLISHABLE = {ReviewResult.PASSED, ReviewResult.APPROVED}
TRANSITION_ACTIONS = {
    (JobStatus.REVIEW, JobStatus.OPEN, ReviewResult.APPROVED): "employers.job.approved",
    (JobStatus.REVIEW, JobStatus.DRAFT, ReviewResult.HELD): "employers.job.returned",
}


def _text(errors, data, model, field, required=True, multiline=False):
    """A free-text field by the one text rule (common.validators), its length the model field's."""
    label = str(model._meta.get_field(field).verbose_name)
    value = str(data.get(field) or "").strip()
    if required and not value:
        errors.add(field, f"{label}：不能为空")
        return value
    errors.capture(
        field, validate_text, value, label=label, max_length=model_max_length(model, field), multiline=multiline
    )
    return value


def _enum(errors, data, field, label, choices, default):
    value = data.get(field)
    if value in (None, ""):
        return default
    if value not in choices.values:
        errors.add(field, f"{label}取值无效：{value}")
        return default
    return value


def _location(errors, data, fallback):
    return errors.capture("location", location_from_input, data, fallback)


# --- employers ---------------------------------------------------------------


def clean_employer_input(data: dict, *, scope, instance: Employer | None = None) -> dict:
    """Validate employer input.

    - 统一社会信用代码 through the one validator (letter authorities such as N accepted); its warnings
      (e.g. an unknown division code) are returned under ``warnings`` for staff to check.
    - contact phone is a mainland mobile; a community given must be inside the actor's scope.
    - when updating (``instance``), a credit code, community or location not changed stays as stored,
      unchecked and unconverted; a new record's location defaults to the community's service station.
    """
    errors = FieldErrors()
    out = {
        "name": _text(errors, data, Employer, "name"),
        "address": _text(errors, data, Employer, "address"),
        "contact_name": _text(errors, data, Employer, "contact_name"),
        "employer_type": _enum(errors, data, "employer_type", "单位类型", EmployerType, EmployerType.ENTERPRISE),
        "size": _enum(errors, data, "size", "企业规模", EmployerSize, EmployerSize.SMALL),
        "is_key_enterprise": bool(data.get("is_key_enterprise")),
    }
    if instance is not None and data.get("credit_code") == instance.credit_code:
        # Checked when it was written; a stricter rule since must not lock the record against other edits.
        out["credit_code"], out["warnings"] = instance.credit_code, []
    else:
        info = errors.capture("credit_code", parse_credit_code, data.get("credit_code") or "")
        out["credit_code"] = info.code if info else None
        out["warnings"] = list(info.warnings) if info else []
    phone = normalize_mobile_phone(data.get("contact_phone") or "")
    if not phone:
        errors.add("contact_phone", "联系电话：不能为空")
    else:
        errors.capture("contact_phone", validate_mobile_phone, phone)
    out["contact_phone"] = phone
    industry = None
    if data.get("industry_code"):
        industry = Industry.objects.filter(code=data["industry_code"]).first()
        if industry is None:
            errors.add("industry_code", f"行业代码不存在：{data['industry_code']}（请使用GB/T 4754-2017代码）")
    out["industry"] = industry
    if instance is not None and data.get("community_code") in (None, instance.area_code):
        community = instance.community
    else:
        community = errors.capture("community_code", community_for_write, scope, data.get("community_code"))
    out["community"] = community
    if instance is not None:
        stored = (instance.lat, instance.lng, instance.source_crs)
        out["location"] = _location(errors, data, lambda: stored)
    else:
        out["location"] = _location(
            errors, data, lambda: community and errors.capture("location", default_location, community)
        )
    errors.raise_if_any()
    return out


@transaction.atomic
def register_employer(*, by, scope: Scope | None, data: dict, self_service=False) -> Employer:
    """Register an employer; the same credit code twice is refused with a clear message.

    - ``scope``: the caller's scope (``request.scope``); staff register inside its area only.
    - ``self_service``: the employer registers itself on the portal and may choose any community (the
      scope is not read; the sign-up passes None).
    """
    if by is not None:  # by=None: the employer's own sign-up on the portal
        check_writable_fields(by, EMPLOYER_RECORD, data)
    cleaned = clean_employer_input(data, scope=None if self_service else scope)
    if Employer.objects.filter(credit_code=cleaned["credit_code"]).exists():
        raise ValidationError({"credit_code": ["统一社会信用代码：该单位已注册，请勿重复注册"]})
    employer = Employer(
        community=cleaned["community"], area_code=cleaned["community"].code,
        **{k: cleaned[k] for k in ("name", "credit_code", "employer_type", "size", "address", "contact_name",
                                   "is_key_enterprise", "industry")},
    )  # fmt: skip
    employer.set_contact_phone(cleaned["contact_phone"])
    employer.set_location(*cleaned["location"])
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError as exc:
        raise ValidationError({"credit_code": ["统一社会信用代码：该单位已注册，请勿重复注册"]}) from exc
    log_action("employers.employer.created", by=by, obj=employer, changed_fields=cleaned.keys())
    employer.registration_warnings = cleaned["warnings"]
    return employer


# --- jobs ------------------------------------------------------------------


def _int(errors, data, field, label, minimum=0, required=True):
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors.add(field, f"{label}：不能为空")
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, f"{label}：应为整数")
        return None
    if number < minimum:
        errors.add(field, f"{label}：不能小于{minimum}")
        return None
    return number


SKILL_MAX_LENGTH, MAX_SKILLS = 30, 30


def _skills(errors, data):
    """技能要求: at most MAX_SKILLS short single-line tags."""
    skills = [str(s).strip() for s in (data.get("skills") or []) if str(s).strip()][:MAX_SKILLS]
    for skill in skills:
        errors.capture("skills", validate_text, skill, label="技能要求", max_length=SKILL_MAX_LENGTH)
    return skills


def _date(errors, data, field, label):
    value = data.get(field)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        errors.add(field, f"{label}：请填写日期，格式如2026-12-31")
        return None


def clean_job_input(data: dict, *, employer: Employer, instance: Job | None = None) -> dict:
    """Validate a posting. The mandatory elements (SEC-40) are required.

    - 招聘人数 ≥ 1; pay range in yuan with 上限 ≥ 下限; age range sensible; 有效期止 ≥ 有效期起.
    - occupation from the 职业分类大典; location defaults to the employer's.
    - compliance review: a BLOCK hit is a field error quoting the phrase and the rule.
    """
    errors = FieldErrors()
    out = {
        "title": _text(errors, data, Job, "title"),
        "description": _text(errors, data, Job, "description", multiline=True),
        "requirements": _text(errors, data, Job, "requirements", multiline=True),
        "benefits": _text(errors, data, Job, "benefits", required=False, multiline=True),
        "work_address": _text(errors, data, Job, "work_address", required=False) or employer.address,
        "headcount": _int(errors, data, "headcount", "招聘人数", minimum=1),
        "pay_min": _int(errors, data, "pay_min", "月薪下限", minimum=0),
        "pay_max": _int(errors, data, "pay_max", "月薪上限", minimum=0),
        "age_min": _int(errors, data, "age_min", "最低年龄", minimum=16, required=False),
        "age_max": _int(errors, data, "age_max", "最高年龄", minimum=16, required=False),
        "work_type": _enum(errors, data, "work_type", "工作类型", WorkType, WorkType.FULL_TIME),
        "education_min": _enum(errors, data, "education_min", "最低学历", Education, Education.NONE),
        "skills": _skills(errors, data),
        "valid_from": _date(errors, data, "valid_from", "有效期起"),
        "valid_until": _date(errors, data, "valid_until", "有效期止"),
    }
    if out["pay_min"] is not None and out["pay_max"] is not None and out["pay_max"] < out["pay_min"]:
        errors.add("pay_max", "月薪上限：不能低于月薪下限")
    if out["age_min"] and out["age_max"] and out["age_max"] < out["age_min"]:
        errors.add("age_max", "最高年龄：不能低于最低年龄")
    if out["valid_from"] and out["valid_until"] and out["valid_until"] < out["valid_from"]:
        errors.add("valid_until", "有效期止：不能早于有效期起")
    occupation = Occupation.objects.filter(code=data.get("occupation_code") or "").first()
    if occupation is None:
        errors.add(
            "occupation_code",
            f"职业代码不存在：{data.get('occupation_code') or '（空）'}（请使用职业分类大典2022版代码）",
        )
    out["occupation"] = occupation
    stored = instance if instance is not None else employer  # a new job stands at its employer
    out["location"] = _location(errors, data, lambda: (stored.lat, stored.lng, stored.source_crs))

    # Lengths first: a field already refused (too long, control characters) is not scanned (SEC-39 cost).
    reviewed = {field: out[field] for field in REVIEWED_FIELDS}
    reviewed.update(structured_requirements_text(out))
    hits = review_posting({field: text for field, text in reviewed.items() if field not in errors.errors})
    for hit in hits:
        if hit.severity == "BLOCK":
            errors.add(hit.field, f"{HIT_LABELS[hit.field]}：{hit.message}")
    out["review_hits"] = [
        {"rule": h.rule_id, "severity": h.severity, "field": h.field, "phrase": h.phrase, "message": h.message}
        for h in hits
    ]
    out["review_result"] = (
        ReviewResult.BLOCKED if has_blocking(hits) else ReviewResult.HELD if hits else ReviewResult.PASSED
    )
    errors.raise_if_any()
    return out


JOB_FIELDS = (
    "title", "description", "requirements", "benefits", "work_address", "headcount", "pay_min", "pay_max",
    "age_min", "age_max", "work_type", "education_min", "skills", "valid_from", "valid_until", "occupation",
    "review_hits", "review_result",
)  # fmt: skip


@transaction.atomic
def post_job(*, by, employer: Employer, data: dict, publish=True) -> Job:
    """Post a job for an employer.

    - blocked wording is refused (nothing written);
    - a clean posting opens at once when ``publish``, else stays a draft;
    - wording or a structured condition held for review sends it to the staff review queue (待审核).
    """
    check_writable_fields(by, JOB_RECORD, data)
    _require_active(employer)
    cleaned = clean_job_input(data, employer=employer)
    job = Job(employer=employer, area_code=employer.area_code, created_by=by if getattr(by, "pk", None) else None)
    for field in JOB_FIELDS:
        setattr(job, field, cleaned[field])
    job.set_location(*cleaned["location"])
    job.status = JobStatus.DRAFT
    job.save()
    log_action("employers.job.created", by=by, obj=job, changed_fields=JOB_FIELDS, data={"review": job.review_result})
    if job.review_result == ReviewResult.HELD:
        job = transition_job(job, JobStatus.REVIEW, by=by, reason="合规检查需人工复核")
    elif publish:
        job = transition_job(job, JobStatus.OPEN, by=by)
    return job


def _same_hits(old_hits, new_hits) -> bool:
    key = lambda hits: sorted((h.get("rule"), h.get("field"), h.get("phrase")) for h in hits)  # noqa: E731
    return key(old_hits) == key(new_hits)


@transaction.atomic
def update_job(job: Job, *, by, data: dict) -> Job:
    """Edit a posting; it is checked again (fix → re-check → publish, or → the review queue).

    - blocked wording is refused; nothing is written;
    - held wording (or a held structured condition) sends a draft, open, paused or filled job to the
      staff review queue, off the open list — unless staff already approved exactly these phrases;
    - a flagged posting that now passes is published (a returned draft too); a clean draft stays a draft.
    """
    check_writable_fields(by, JOB_RECORD, data)
    job = Job.objects.select_for_update().get(pk=job.pk)
    was_flagged = job.review_result != ReviewResult.PASSED
    merged = {field: getattr(job, field) for field in JOB_FIELDS}
    merged.update(occupation_code=job.occupation.code)
    merged.update({k: v for k, v in data.items() if v is not None})
    cleaned = clean_job_input(merged, employer=job.employer, instance=job)
    if job.review_result == ReviewResult.APPROVED and cleaned["review_result"] == ReviewResult.HELD:
        if _same_hits(job.review_hits, cleaned["review_hits"]):
            cleaned["review_result"] = ReviewResult.APPROVED
    changed = [f for f in JOB_FIELDS if getattr(job, f) != cleaned[f]]
    places_rose = cleaned["headcount"] > job.headcount
    for field in JOB_FIELDS:
        setattr(job, field, cleaned[field])
    job.set_location(*cleaned["location"])
    job.save()
    log_action("employers.job.updated", by=by, obj=job, changed_fields=changed)
    status = JobStatus(job.status)
    if job.review_result == ReviewResult.HELD and status not in (JobStatus.REVIEW, JobStatus.CLOSED):
        job = transition_job(job, JobStatus.REVIEW, by=by, reason="修改后合规检查需人工复核")
    elif job.review_result == ReviewResult.PASSED and was_flagged and status in (JobStatus.DRAFT, JobStatus.REVIEW):
        job = transition_job(job, JobStatus.OPEN, by=by, reason="修改后合规检查通过")
    elif places_rose and job.status == JobStatus.OPEN:
        announce_job_opened(job, PLACES_ROSE)
    return job


def _area_caseworker(job, by, scope) -> bool:
    """Area staff with casework rights over the job's area (审核), read from the caller's scope.

    - no scope (a system move) is no caseworker.
    """
    return scope is not None and scope.role in STAFF_ROLES and scope.can(CASEWORK) and scope.covers(job.area_code)


def _approver(job, by, scope) -> bool:
    """Approving is staff work (审核) — unless a fix made the queued posting pass, then it leaves by itself."""
    return job.review_result == ReviewResult.PASSED or _area_caseworker(job, by, scope)


STAFF_ONLY = "仅限本辖区人社工作人员审核"
# Moves out of the review queue that only area staff make: approve, and return with a reason.
STAFF_REVIEW_MOVES = {
    (JobStatus.REVIEW, JobStatus.OPEN): Move(who=_approver, refused=STAFF_ONLY),
    (JobStatus.REVIEW, JobStatus.DRAFT): Move(
        who=_area_caseworker,
        refused=STAFF_ONLY,
        min_reason=4,
        reason_error="退回原因：请写明需要修改的内容（至少4个字）",
    ),
}


def _job_action(job, current, to_state) -> str:
    return TRANSITION_ACTIONS.get((current, to_state, job.review_result), "employers.job.status_changed")


JOB_WORKFLOW = Workflow(
    model=Job,
    states=JobStatus,
    moves=moves_from(JOB_TRANSITIONS, lambda frm, to: STAFF_REVIEW_MOVES.get((frm, to), Move())),
    log=JobTransition,
    subject="job",
    action=_job_action,
    label="岗位状态",
)


def _review_rules(job, current, to_state) -> list[str]:
    """Approving marks a held posting 人工复核通过; only a publishable posting of an employer in standing
    (正常) opens; only a held one is queued."""
    changed = []
    if (current, to_state) == (JobStatus.REVIEW, JobStatus.OPEN) and job.review_result == ReviewResult.HELD:
        job.review_result = ReviewResult.APPROVED
        changed.append("review_result")
    if to_state == JobStatus.OPEN:
        _require_active(job.employer)
    if to_state == JobStatus.OPEN and job.review_result not in PUBLISHABLE:
        raise ValidationError({"status": ["岗位合规审查未通过，不能发布；请修改后提交人社部门审核"]})
    if to_state == JobStatus.REVIEW and job.review_result != ReviewResult.HELD:
        raise ValidationError({"status": ["岗位未被合规检查标记，无需审核，可直接发布"]})
    return changed


def transition_job(job: Job, to_state, *, by, scope=None, reason="") -> Job:
    """Move a job to ``to_state`` — the one door for every job status change (common.workflow.transition).

    - only the moves in JOB_TRANSITIONS are legal; 已关闭 is final;
    - 发布 (→ 招聘中) needs a posting that passed the check or that staff approved;
      → 待审核 is for a posting the checker held;
    - out of 待审核 only area staff move it (unless a fix made it pass): approve (→ 招聘中, the posting
      becomes 人工复核通过) or return (→ 草稿) with a reason of at least 4 characters;
      the employer sees the outcome and the reason on its page (review_notices);
    - ``scope``: the caller's (``request.scope``), read by the staff-only moves; None for a system move;
    - every move writes a JobTransition row (from, to, who, why, when) and an audit event.
    """
    job = transition(
        JOB_WORKFLOW, job, to_state, by=by, scope=scope, reason=reason, prepare=_review_rules, data={"status": to_state}
    )
    if to_state == JobStatus.OPEN:
        announce_job_opened(job, OPENED)
    return job


def _require_active(employer: Employer):
    """A 停用 or 注销 employer cannot post or publish jobs (422 ``employer``)."""
    if employer.status != EmployerStatus.ACTIVE:
        raise ValidationError(
            {"employer": [f"用工单位已{employer.get_status_display()}，不能发布岗位；恢复正常后再发布"]}
        )


# Legal status changes of an employer: 停用 can be lifted, 注销 is final. Every move is area staff work
# with a reason (at least 4 characters), logged in EmployerTransition and audited.
EMPLOYER_TRANSITIONS = {
    EmployerStatus.ACTIVE: {EmployerStatus.SUSPENDED, EmployerStatus.DEREGISTERED},
    EmployerStatus.SUSPENDED: {EmployerStatus.ACTIVE, EmployerStatus.DEREGISTERED},
    EmployerStatus.DEREGISTERED: set(),
}
EMPLOYER_STAFF_ONLY = "仅限本辖区人社工作人员变更用工单位状态"

EMPLOYER_WORKFLOW = Workflow(
    model=Employer,
    states=EmployerStatus,
    moves=moves_from(
        EMPLOYER_TRANSITIONS,
        lambda frm, to: Move(
            who=_area_caseworker,
            refused=EMPLOYER_STAFF_ONLY,
            min_reason=4,
            reason_error="原因：请写明停用、注销或恢复的原因（至少4个字）",
        ),
    ),  # fmt: skip
    log=EmployerTransition,
    subject="employer",
    action="employers.employer.status_{to}",
    label="单位状态",
)


# Jobs a 停用/注销 employer stops offering: every job a seeker could see or that could reopen (drafts stay
# drafts: an employer not in standing cannot publish them).
CLOSED_WITH_EMPLOYER = (JobStatus.OPEN, JobStatus.PAUSED, JobStatus.REVIEW, JobStatus.FILLED)


@transaction.atomic
def transition_employer(employer: Employer, to_state, *, by, scope, reason="") -> Employer:
    """Change an employer's status (正常 / 停用 / 注销) — the one door (common.workflow.transition).

    - only the moves in EMPLOYER_TRANSITIONS are legal; 注销 is final, 停用 can be lifted (→ 正常);
    - only area staff with casework rights move it, with a reason of at least 4 characters;
    - a 停用 or 注销 employer no longer counts as 注册用工单位 and cannot post or publish jobs;
    - its jobs stop being open: each one in CLOSED_WITH_EMPLOYER is closed through the job workflow (a
      JobTransition row naming the employer's new status and an audit event each), in the same transaction;
    - every move writes an EmployerTransition row (from, to, who, why, when) and an audit event.
    """
    employer = transition(
        EMPLOYER_WORKFLOW, employer, to_state, by=by, scope=scope, reason=reason, data={"status": to_state}
    )
    if employer.status != EmployerStatus.ACTIVE:
        why = f"用工单位已{employer.get_status_display()}，岗位随之关闭"
        for job in employer.jobs.filter(status__in=CLOSED_WITH_EMPLOYER).order_by("pk"):
            transition_job(job, JobStatus.CLOSED, by=by, scope=scope, reason=why)
    return employer


def review_notices(employer: Employer, limit=10):
    """The employer's notices of staff review (审核通过 / 退回 with the reason), newest first."""
    return (
        JobTransition.objects.filter(job__employer=employer, from_status=JobStatus.REVIEW, by__role__in=STAFF_ROLES)
        .exclude(to_status=JobStatus.CLOSED)
        .select_related("job")
        .order_by("-at", "-id")[:limit]
    )


EMPLOYER_FIELDS = (
    "name", "credit_code", "employer_type", "size", "address", "contact_name", "is_key_enterprise", "industry",
)  # fmt: skip


@transaction.atomic
def update_employer(employer: Employer, *, by, scope: Scope | None, data: dict, self_service=False) -> Employer:
    """Change an employer's record; every field is validated again as at registration.

    - only the fields the actor's role may write (accounts.permissions.WRITABLE_FIELDS);
      any other field given → 403, nothing written.
    - a community or location not given stays as stored.
    - ``scope``: the caller's scope; staff move an employer only within its area.
    - ``self_service``: the employer edits its own record on the portal (the caller checked ownership;
      the scope is not read).
    """
    check_writable_fields(by, EMPLOYER_RECORD, data)

    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    merged = {field: getattr(employer, field) for field in EMPLOYER_FIELDS if field != "industry"}
    merged.update(
        industry_code=employer.industry.code if employer.industry_id else None,
        contact_phone=pii.decrypt(employer.contact_phone_encrypted),
    )  # fmt: skip
    patch = {k: v for k, v in data.items() if v is not None}
    merged.update(patch)
    cleaned = clean_employer_input(merged, scope=None if self_service else scope, instance=employer)
    if Employer.objects.exclude(pk=employer.pk).filter(credit_code=cleaned["credit_code"]).exists():
        raise ValidationError({"credit_code": ["统一社会信用代码：该单位已注册，请勿重复注册"]})
    changed = [f for f in EMPLOYER_FIELDS if getattr(employer, f) != cleaned[f]]
    for field in EMPLOYER_FIELDS:
        setattr(employer, field, cleaned[field])
    if "contact_phone" in patch:
        employer.set_contact_phone(cleaned["contact_phone"])
        changed.append("contact_phone")
    employer.community, employer.area_code = cleaned["community"], cleaned["community"].code
    employer.set_location(*cleaned["location"])
    employer.save()
    log_action("employers.employer.updated", by=by, obj=employer, changed_fields=changed)
    employer.registration_warnings = cleaned["warnings"]
    return employer
