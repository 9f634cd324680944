"""Writing employers and jobs: registration, posting with compliance review, status changes."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jobcircle.accounts.permissions import EMPLOYER as EMPLOYER_RECORD
from jobcircle.accounts.permissions import JOB as JOB_RECORD
from jobcircle.accounts.permissions import check_writable_fields
from jobcircle.areas.scoping import scope_for_user
from jobcircle.areas.services import community_for_write, default_location, location_from_input
from jobcircle.classifications.models import Industry, Occupation
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import (
    model_max_length,
    normalize_mobile_phone,
    parse_credit_code,
    validate_mobile_phone,
    validate_text,
)
from jobcircle.people.enums import Education, WorkType

from .compliance import has_blocking, review_posting
from .enums import EmployerSize, EmployerType, JobStatus, ReviewResult
from .models import Employer, Job

REVIEWED_FIELDS = {"title": "岗位名称", "description": "工作内容", "requirements": "招聘条件", "benefits": "福利待遇"}
# Legal status changes of a job; "filled" is set by hiring (recruiting), expiry needs no state.
JOB_TRANSITIONS = {
    JobStatus.DRAFT: {JobStatus.OPEN, JobStatus.CLOSED},
    JobStatus.OPEN: {JobStatus.PAUSED, JobStatus.CLOSED, JobStatus.FILLED},
    JobStatus.PAUSED: {JobStatus.OPEN, JobStatus.CLOSED},
    JobStatus.FILLED: {JobStatus.OPEN, JobStatus.CLOSED},
    JobStatus.CLOSED: set(),
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
def register_employer(*, by, data: dict, self_service=False) -> Employer:
    """Register an employer; the same credit code twice is refused with a clear message.

    ``self_service``: the employer registers itself on the portal and may choose any community.
    """
    if by is not None:  # by=None: the employer's own sign-up on the portal
        check_writable_fields(by, EMPLOYER_RECORD, data)
    cleaned = clean_employer_input(data, scope=None if self_service else scope_for_user(by))
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
    hits = review_posting({field: out[field] for field in REVIEWED_FIELDS if field not in errors.errors})
    for hit in hits:
        if hit.severity == "BLOCK":
            errors.add(hit.field, f"{REVIEWED_FIELDS[hit.field]}：{hit.message}")
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

    - blocked wording is refused (nothing written); wording held for review saves the job as a draft.
    - ``publish`` opens a clean posting at once.
    """
    check_writable_fields(by, JOB_RECORD, data)
    cleaned = clean_job_input(data, employer=employer)
    job = Job(employer=employer, area_code=employer.area_code, created_by=by if getattr(by, "pk", None) else None)
    for field in JOB_FIELDS:
        setattr(job, field, cleaned[field])
    job.set_location(*cleaned["location"])
    job.status = JobStatus.OPEN if publish and job.review_result == ReviewResult.PASSED else JobStatus.DRAFT
    job.save()
    log_action("employers.job.created", by=by, obj=job, changed_fields=JOB_FIELDS, data={"review": job.review_result})
    return job


@transaction.atomic
def update_job(job: Job, *, by, data: dict) -> Job:
    """Edit a posting; it is reviewed again, and held or blocked wording takes it off the open list."""
    check_writable_fields(by, JOB_RECORD, data)
    job = Job.objects.select_for_update().get(pk=job.pk)
    merged = {field: getattr(job, field) for field in JOB_FIELDS}
    merged.update(occupation_code=job.occupation.code)
    merged.update({k: v for k, v in data.items() if v is not None})
    cleaned = clean_job_input(merged, employer=job.employer, instance=job)
    changed = [f for f in JOB_FIELDS if getattr(job, f) != cleaned[f]]
    for field in JOB_FIELDS:
        setattr(job, field, cleaned[field])
    job.set_location(*cleaned["location"])
    if job.review_result != ReviewResult.PASSED and job.status == JobStatus.OPEN:
        job.status = JobStatus.DRAFT
    job.save()
    log_action("employers.job.updated", by=by, obj=job, changed_fields=changed)
    return job


@transaction.atomic
def change_job_status(job: Job, status, *, by) -> Job:
    """Move a job along its lifecycle; only the transitions in JOB_TRANSITIONS are allowed."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if status not in JOB_TRANSITIONS[JobStatus(job.status)]:
        target = JobStatus(status).label if status in JobStatus.values else status
        raise ValidationError({"status": [f"岗位状态不能从“{job.get_status_display()}”改为“{target}”"]})
    if status == JobStatus.OPEN and job.review_result != ReviewResult.PASSED:
        raise ValidationError({"status": ["岗位合规审查未通过，不能发布"]})
    job.status = status
    job.save(update_fields=["status", "updated_at"])
    log_action("employers.job.status_changed", by=by, obj=job, changed_fields=["status"], data={"status": status})
    return job


EMPLOYER_FIELDS = (
    "name", "credit_code", "employer_type", "size", "address", "contact_name", "is_key_enterprise", "industry",
)  # fmt: skip


@transaction.atomic
def update_employer(employer: Employer, *, by, data: dict, self_service=False) -> Employer:
    """Change an employer's record; every field is validated again as at registration.

    - only the fields the actor's role may write (accounts.permissions.WRITABLE_FIELDS);
      any other field given → 403, nothing written.
    - a community or location not given stays as stored.
    - ``self_service``: the employer edits its own record on the portal (the caller checked ownership).
    """
    from jobcircle.common import pii

    check_writable_fields(by, EMPLOYER_RECORD, data)

    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    merged = {field: getattr(employer, field) for field in EMPLOYER_FIELDS if field != "industry"}
    merged.update(
        industry_code=employer.industry.code if employer.industry_id else None,
        contact_phone=pii.decrypt(employer.contact_phone_encrypted),
    )  # fmt: skip
    patch = {k: v for k, v in data.items() if v is not None}
    merged.update(patch)
    cleaned = clean_employer_input(merged, scope=None if self_service else scope_for_user(by), instance=employer)
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
