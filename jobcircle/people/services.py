"""Writing residents: registration, updates, job intention, employment status.

Every write validates all fields first (one ValidationError naming each bad
field, nothing written), runs in one transaction, and leaves an audit event.
Many residents at once (the 居民实名台账 import): ``people.bulk``, with these same rules.
"""

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobcircle.accounts.access import Scope
from jobcircle.accounts.enums import Role
from jobcircle.accounts.permissions import RESIDENT as RESIDENT_RECORD
from jobcircle.accounts.permissions import REVEAL_PII, check_writable_fields
from jobcircle.accounts.security import alert_security_administrators
from jobcircle.accounts.services import RateLimited, hit_rate_counter
from jobcircle.areas.services import community_for_write, location_from_input
from jobcircle.areas.stations import location_for_community
from jobcircle.classifications.models import Occupation
from jobcircle.common import pii
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import (
    model_max_length,
    normalize_mobile_phone,
    parse_id_number,
    parse_identity_document,
    validate_mobile_phone,
    validate_text,
)

from .enums import (
    DifficultyCategory,
    Education,
    EmploymentEndReason,
    EmploymentStatus,
    IdType,
    KeyGroupChangeSource,
    UnemploymentEndReason,
    WorkType,
)
from .models import (
    DifficultyCertification,
    EmploymentRegistration,
    EmploymentStatusChange,
    JobIntention,
    KeyGroup,
    KeyGroupChange,
    Resident,
    UnemploymentRegistration,
    UrbanEmployedBase,
)
from .signals import HOME, INTENTION, REGISTERED, announce_job_seeker

RESIDENT_FIELDS = (
    "name", "id_type", "id_number", "phone", "community_code", "lat", "lng", "coord", "birth_date", "gender",
    "education", "occupation_codes", "skills", "key_groups", "key_group_evidence", "employment_status",
    "is_job_seeking",
)  # fmt: skip
# Cleaned values that are not columns of the resident: left out of the audit's changed fields.
_NOT_RESIDENT_FIELDS = {"key_group_change", "key_group_evidence", "warnings"}


def _choice(errors, field, label, value, choices, default=None):
    if value in (None, ""):
        return default
    if value not in choices.values:
        errors.add(field, f"{label}取值无效：{value}（可选：{'、'.join(str(v) for v in choices.values)}）")
        return default
    return choices(value)


def _occupations(errors, field, codes):
    codes = list(dict.fromkeys(codes or []))
    found = {o.code: o for o in Occupation.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        errors.add(field, f"职业代码不存在：{'、'.join(missing)}（请使用职业分类大典2022版代码）")
    return [found[c] for c in codes if c in found]


def _key_groups(errors, field, codes, memo=None):
    codes = list(dict.fromkeys(codes or []))
    found = _memo(
        memo,
        ("key_groups", tuple(codes)),
        lambda: {g.code: g for g in KeyGroup.objects.filter(code__in=codes, is_active=True)},
    )
    missing = [c for c in codes if c not in found]
    if missing:
        errors.add(field, f"重点群体不存在：{'、'.join(missing)}")
    return list(found.values())


EVIDENCE_MAX_LENGTH = KeyGroupChange._meta.get_field("evidence").max_length
_FULL_NUMBER = re.compile(r"\d{11,}")  # a whole phone (11 digits) or ID number (15/18) or 残疾人证号 (20)


def clean_key_group_evidence(text) -> str:
    """The 认定依据 a change of key groups must carry (issue 22 item 2).

    - required: at least 4 characters, e.g. the recognising document and its number, the certificate
      type, or the source list (“县乡村振兴局防返贫监测名单（2026年第3批）”);
    - at most EVIDENCE_MAX_LENGTH (200) characters, no control characters (the one text rule);
    - no full ID, certificate or phone number (11 or more digits in a row): the text is kept in the change
      log and shown to staff, where personal numbers never go unmasked (SEC-20).
    """
    text = validate_text(text, label="认定依据", max_length=EVIDENCE_MAX_LENGTH).strip()  # no control characters
    if len(text) < 4:
        raise ValidationError("认定依据：调整重点群体须填写认定依据（如认定文件及文号、证件类型或名单来源，至少4个字）")
    if len(text) > EVIDENCE_MAX_LENGTH:
        raise ValidationError(f"认定依据：不能超过{EVIDENCE_MAX_LENGTH}个字")
    if _FULL_NUMBER.search(text):
        raise ValidationError("认定依据：请勿填写完整的证件号码或手机号（可写证件类型和后4位）")
    return text


def _key_group_change(instance, groups):
    """(added, removed) KeyGroups if ``groups`` became the resident's active key groups.

    A group no longer active (``KeyGroup.is_active`` off) is neither offered nor taken away.
    """
    current = {g.code: g for g in instance.key_groups.filter(is_active=True)} if instance is not None else {}
    wanted = {g.code: g for g in groups}
    added = [wanted[code] for code in sorted(wanted.keys() - current.keys())]
    removed = [current[code] for code in sorted(current.keys() - wanted.keys())]
    return added, removed


def _memo(memo, key, func, *args):
    """Reference look-ups (community, station, key groups) cached per import batch; None: no cache.

    The rule is still the called function; a refusal is cached as its messages and raised afresh.
    """
    if memo is None:
        return func(*args)
    if key not in memo:
        try:
            memo[key] = (func(*args), None)
        except ValidationError as exc:
            memo[key] = (None, exc.messages)
    value, messages = memo[key]
    if messages is not None:
        raise ValidationError(messages)
    return value


def home_point(data: dict, community, *, current=None, memo: dict | None = None) -> tuple[tuple | None, str]:
    """Where this input puts a resident's home point — the one rule of the staff form, the API and the
    居民实名台账 import (issue 21), so matching never keeps the home of a community the person has left.

    - lat/lng given in the same input → that point (``coord`` converted once to WGS-84), whatever the community;
    - else a new record (``current`` None) or a change of community (``current``: the id of the community
      the record has now) → the new community's default location (``areas.stations.location_for_community``:
      its own station, else a stand-in, whose warning is returned to be shown);
    - else (no community given, or the same one) → None: the stored point stays.

    Returns (point or None, warning or ""); a community with neither station nor centre point → ValidationError.
    """
    stand_in = None

    def fallback():
        nonlocal stand_in
        if community is None or community.pk == current:
            return None
        stand_in = _memo(memo, ("location", community.pk), location_for_community, community)
        return stand_in.point

    point = location_from_input(data, fallback)
    return point, stand_in.warning if stand_in is not None else ""


def clean_resident_input(
    data: dict, *, scope, instance: Resident | None = None, memo: dict | None = None, ledger=False
) -> dict:
    """Validate resident input; return cleaned values (only the fields given when updating).

    - 身份证号 through the one validator (checksum, date, province); birth date and gender derive from it.
    - other documents need birth date and gender given explicitly.
    - phone is a mainland mobile; community must be inside the actor's scope.
    - home location: ``home_point`` (a new record or a change of community → the community's default
      location, unless lat/lng were given; other datums are converted to WGS-84).
    - key groups that change need their evidence (``key_group_evidence``, clean_key_group_evidence);
      ``ledger``: the 居民实名台账 import, whose file is the evidence (it logs the change itself).
    - ``memo``: a dict kept for one bulk import, so reference look-ups run once per distinct value.
    """
    errors = FieldErrors()
    creating = instance is None
    given = {k: v for k, v in data.items() if k in RESIDENT_FIELDS and (creating or v is not None)}
    out = {}

    if creating or "name" in given:
        name = str(given.get("name") or "").strip()
        if not name:
            errors.add("name", "姓名：不能为空")
        else:
            errors.capture("name", validate_text, name, label="姓名", max_length=model_max_length(Resident, "name"))
        out["name"] = name

    if creating or "id_number" in given or "id_type" in given:
        id_type = _choice(errors, "id_type", "证件类型", given.get("id_type"), IdType, IdType.RESIDENT_ID)
        raw = given.get("id_number")
        if raw in (None, "") and creating:
            errors.add("id_number", "身份证号：不能为空")
        elif raw not in (None, "") and id_type is not None:
            out["id_type"] = id_type
            try:
                info = parse_identity_document(
                    id_type, raw, birth_date=given.get("birth_date"), gender=given.get("gender")
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        errors.add(field, message)
            else:
                out.update(id_number=info.number, birth_date=info.birth_date, gender=info.gender)
                out["warnings"] = list(info.warnings)

    if "phone" in given:
        phone = normalize_mobile_phone(given["phone"] or "")
        if phone:
            errors.capture("phone", validate_mobile_phone, phone)
        out["phone"] = phone

    community = None
    if creating or "community_code" in given:
        code = str(given.get("community_code") or "").strip()
        community = errors.capture("community_code", _memo, memo, ("community", code), community_for_write, scope, code)
        out["community"] = community

    current = None if creating else instance.community_id
    point, warning = errors.capture("location", home_point, given, community, current=current, memo=memo) or (None, "")
    if point:
        out["location"] = point
    if warning:
        out["warnings"] = [*out.get("warnings", []), warning]

    if "education" in given:
        out["education"] = _choice(errors, "education", "文化程度", given["education"], Education, Education.NONE)
    if "employment_status" in given:
        out["employment_status"] = _choice(
            errors, "employment_status", "就业状态", given["employment_status"], EmploymentStatus
        )
    if "is_job_seeking" in given:
        out["is_job_seeking"] = bool(given["is_job_seeking"])
    if "occupation_codes" in given:
        out["occupations"] = _occupations(errors, "occupation_codes", given["occupation_codes"])
    if "skills" in given:
        out["skills"] = [str(s).strip() for s in (given["skills"] or []) if str(s).strip()][:30]
        for skill in out["skills"]:
            errors.capture("skills", validate_text, skill, label="技能", max_length=30)
    if "key_groups" in given:
        out["key_groups"] = _key_groups(errors, "key_groups", given["key_groups"], memo)
        change = _key_group_change(instance, out["key_groups"]) if not ledger else ([], [])
        if any(change):
            out["key_group_change"] = change
            out["key_group_evidence"] = errors.capture(
                "key_group_evidence", clean_key_group_evidence, given.get("key_group_evidence")
            )

    errors.raise_if_any()
    return out


def _duplicate_error(field):
    label = {"id_number": "身份证号", "phone": "手机号"}[field]
    return ValidationError({field: [f"{label}：该号码已登记，请勿重复登记（可按号码查询已有档案）"]})


def apply_resident_input(resident: Resident, cleaned: dict):
    """Set cleaned input (``clean_resident_input``) on the record, unsaved: the one place a resident's
    columns are written from input — the form and the API (register/update) and the bulk writer
    (people.bulk). Numbers go through their ``common.pii.PIIField`` (ciphertext, blind index, mask)."""
    for field in ("name", "id_type", "birth_date", "gender", "education", "employment_status", "is_job_seeking"):
        if cleaned.get(field) is not None:
            setattr(resident, field, cleaned[field])
    if "skills" in cleaned:
        resident.skills = cleaned["skills"]
    if cleaned.get("id_number"):
        resident.set_id_number(cleaned["id_number"])
    if "phone" in cleaned:
        resident.set_phone(cleaned["phone"])
    if cleaned.get("community") is not None:
        resident.community = cleaned["community"]
        resident.area_code = cleaned["community"].code
    if cleaned.get("location"):
        resident.set_location(*cleaned["location"])


# Issue 22 item 11: a number held by a person outside the caller's area is refused without saying so.
# While numbers are unique county-wide a refusal cannot be avoided; this one names neither the field
# nor the area, reads the same for an ID number and a phone, and points to the way a move is handled.
NOT_REGISTRABLE_HERE = (
    "无法在本辖区以该证件号码或手机号登记：请核对号码；如该居民已在其他地区登记，"
    "需由原登记地办理迁出或由区县管理员调整所属社区后再登记"
)


def _check_unique(resident: Resident, scope):
    """Refuse a duplicate ID number or phone.

    - the caller's own area (or the resident's own sign-up, ``scope`` None): "已登记", naming the field;
    - held by a person outside the caller's area: :data:`NOT_REGISTRABLE_HERE`, which does not reveal
      that the person exists, where, or which number matched.
    """
    duplicates = Resident.objects.exclude(pk=resident.pk)
    for field, lookup in (("id_number", {"id_number_hash": resident.id_number_hash}),
                          ("phone", {"phone_hash": resident.phone_hash})):  # fmt: skip
        if not next(iter(lookup.values())):
            continue
        holders = duplicates.filter(**lookup)
        if not holders.exists():
            continue
        if scope is None or holders.in_scope(scope).exists():
            raise _duplicate_error(field)
        raise ValidationError({"__all__": [NOT_REGISTRABLE_HERE]})


def _save(resident: Resident, scope):
    """Save, turning a lost race on the unique blind index into the same clear message."""
    _check_unique(resident, scope)
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError:
        _check_unique(resident, scope)
        raise


def _change_key_groups(resident: Resident, cleaned: dict, *, by, source) -> KeyGroupChange | None:
    """Apply a change of key groups with its evidence: one KeyGroupChange row and one audit event.

    - only a staff actor changes key groups (the field table keeps residents out; a sign-up has no actor);
    - the audit event names the field and the log row, never the groups (sensitive: 残疾人 …).
    """
    if "key_group_change" not in cleaned:
        return None
    if not getattr(by, "pk", None):
        raise PermissionDenied("重点群体须由工作人员认定")
    added, removed = cleaned["key_group_change"]
    resident.key_groups.add(*added)
    resident.key_groups.remove(*removed)
    change = KeyGroupChange.objects.create(
        resident=resident, added=[g.code for g in added], removed=[g.code for g in removed],
        evidence=cleaned["key_group_evidence"], source=source, changed_by=by,
    )  # fmt: skip
    log_action("people.resident.key_groups_changed", by=by, obj=resident, changed_fields=["key_groups"],
               data={"source": source, "change": change.pk})  # fmt: skip
    return change


def key_group_history(resident: Resident, limit=50) -> list[KeyGroupChange]:
    """The latest changes of a resident's key groups, newest first, with ``added_names``/``removed_names``."""
    changes = list(resident.key_group_changes.select_related("changed_by", "import_batch")[:limit])
    codes = {code for change in changes for code in (*change.added, *change.removed)}
    names = dict(KeyGroup.objects.filter(code__in=codes).values_list("code", "name"))
    for change in changes:
        change.added_names = [names.get(code, code) for code in change.added]
        change.removed_names = [names.get(code, code) for code in change.removed]
    return changes


def _changed_fields(cleaned):
    return [key for key in cleaned if key not in _NOT_RESIDENT_FIELDS]


@transaction.atomic
def register_resident(
    *, by, scope: Scope | None, data: dict, self_service=False, source=KeyGroupChangeSource.FORM
) -> Resident:
    """Register a resident (实名登记).

    - all fields validated first; duplicates of ID number or phone are refused with a clear message.
    - the initial employment status opens the dated history.
    - key groups, if given, need their evidence and are logged (``_change_key_groups``, from ``source``).
    - an intention, if given, is saved with the record.
    - ``scope``: the caller's scope (``request.scope``); staff register inside its area only.
    - ``self_service``: the resident registers themselves (H5) and may choose any community (the scope
      is not read; the sign-up passes None).
    """
    if by is not None:  # by=None: the resident's own sign-up, whose form holds only the registration fields
        check_writable_fields(by, RESIDENT_RECORD, data)
    scope = None if self_service else scope
    cleaned = clean_resident_input(data, scope=scope)
    intention = clean_intention_input(data["intention"]) if data.get("intention") else None
    resident = Resident(employment_status=EmploymentStatus.UNEMPLOYED)
    apply_resident_input(resident, cleaned)
    _save(resident, scope)
    if cleaned.get("occupations"):
        resident.occupations.set(cleaned["occupations"])
    _change_key_groups(resident, cleaned, by=by, source=source)
    EmploymentStatusChange.objects.create(
        resident=resident,
        status=resident.employment_status,
        changed_on=timezone.localdate(),
        note="登记",
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    if intention is not None:
        _save_intention(resident, intention)
    log_action("people.resident.created", by=by, obj=resident, changed_fields=_changed_fields(cleaned))
    announce_job_seeker(resident, REGISTERED)
    resident.registration_warnings = cleaned.get("warnings", [])
    return resident


@transaction.atomic
def update_resident(
    resident: Resident, *, by, scope: Scope | None, data: dict, self_service=False, source=KeyGroupChangeSource.FORM
) -> Resident:
    """Change a resident's record; a status change is appended to the dated history.

    - only the fields the actor's role may write (accounts.permissions.WRITABLE_FIELDS);
      any other field given → 403, nothing written.
    - a change of key groups needs its evidence (422 ``key_group_evidence`` without it) and is logged
      (KeyGroupChange from ``source``, audited); the same set again is no change.
    - ``scope``: the caller's scope; staff move a resident only within its area.
    - ``self_service``: the resident edits their own record (the caller checked ownership; the scope is
      not read).
    """
    check_writable_fields(by, RESIDENT_RECORD, data)
    scope = None if self_service else scope
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    cleaned = clean_resident_input(data, scope=scope, instance=resident)
    intention = clean_intention_input(data["intention"]) if data.get("intention") else None
    old_status = resident.employment_status
    old_home = (resident.lat, resident.lng)
    apply_resident_input(resident, cleaned)
    if resident.employment_status != old_status:
        ends_job_search(resident, said_seeking=cleaned.get("is_job_seeking"))
    _save(resident, scope)
    if "occupations" in cleaned:
        resident.occupations.set(cleaned["occupations"])
    _change_key_groups(resident, cleaned, by=by, source=source)
    if resident.employment_status != old_status:
        EmploymentStatusChange.objects.create(
            resident=resident,
            status=resident.employment_status,
            changed_on=timezone.localdate(),
            recorded_by=by if getattr(by, "pk", None) else None,
        )
    if intention is not None:
        _save_intention(resident, intention)
    log_action("people.resident.updated", by=by, obj=resident, changed_fields=_changed_fields(cleaned))
    if intention is not None or (resident.lat, resident.lng) != old_home:
        announce_job_seeker(resident, INTENTION if intention is not None else HOME)
    resident.registration_warnings = cleaned.get("warnings", [])
    return resident


def ends_job_search(resident: Resident, *, said_seeking: bool | None = None) -> bool:
    """A resident who is now employed stops seeking work, unless they say otherwise.

    - an employed status (已就业 or 灵活就业) and the person said nothing about seeking
      (``said_seeking`` None) → 正在求职 off;
    - ``said_seeking`` given (a form, the API, a ledger column) → that answer stands;
    - any other status leaves 正在求职 as it is.
    Sets the attribute and returns True when it changed; the caller saves.
    """
    employed = (EmploymentStatus.EMPLOYED, EmploymentStatus.FLEXIBLE)
    if resident.employment_status not in employed or said_seeking is not None:
        return False
    if not resident.is_job_seeking:
        return False
    resident.is_job_seeking = False
    return True


@transaction.atomic
def record_employment_status(
    resident: Resident, status, *, by, on: date | None = None, note="", still_seeking: bool | None = None
) -> Resident:
    """Set the resident's current status and append it to the dated history.

    - a status outside EmploymentStatus → 422 ``status``;
    - 已就业 or 灵活就业 ends the job search (``ends_job_search``) unless ``still_seeking`` says otherwise.
    """
    if status not in EmploymentStatus.values:
        raise ValidationError({"status": [f"就业状态取值无效：{status}"]})
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    resident.employment_status = status
    fields = ["employment_status", "updated_at"]
    if still_seeking is not None:
        resident.is_job_seeking = still_seeking
        fields.append("is_job_seeking")
    elif ends_job_search(resident):
        fields.append("is_job_seeking")
    resident.save(update_fields=fields)
    EmploymentStatusChange.objects.create(
        resident=resident,
        status=status,
        changed_on=on or timezone.localdate(),
        note=note,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    log_action("people.resident.status_changed", by=by, obj=resident, changed_fields=fields[:1] + fields[2:])
    return resident


def clean_intention_input(data: dict) -> dict:
    """Validate a job intention: occupations, minimum pay ≥ 0, distance in (0, 50] km, work type."""
    errors = FieldErrors()
    out = {"occupations": _occupations(errors, "intention.occupation_codes", data.get("occupation_codes"))}
    try:
        pay = int(data.get("min_monthly_pay") or 0)
        if pay < 0:
            raise ValueError
        out["min_monthly_pay"] = pay
    except (TypeError, ValueError):
        errors.add("intention.min_monthly_pay", "期望月薪下限：应为不小于0的整数（元）")
    try:
        distance = Decimal(str(data.get("max_distance_km") or 3))
        if not (0 < distance <= 50):
            raise InvalidOperation
        out["max_distance_km"] = distance
    except InvalidOperation:
        errors.add("intention.max_distance_km", "最远通勤距离：应在0到50公里之间")
    out["work_type"] = _choice(
        errors, "intention.work_type", "工作类型", data.get("work_type"), WorkType, WorkType.FULL_TIME
    )
    out["available_from"] = data.get("available_from")
    errors.raise_if_any()
    return out


def _save_intention(resident, cleaned):
    intention, _ = JobIntention.objects.get_or_create(resident=resident)
    for field in ("min_monthly_pay", "max_distance_km", "work_type", "available_from"):
        setattr(intention, field, cleaned[field])
    intention.save()
    intention.occupations.set(cleaned["occupations"])
    if not resident.is_job_seeking:
        resident.is_job_seeking = True
        resident.save(update_fields=["is_job_seeking", "updated_at"])
    return intention


@transaction.atomic
def set_job_intention(resident: Resident, *, by, data: dict) -> JobIntention:
    """Save the resident's job intention; having one makes them a job seeker."""
    intention = _save_intention(resident, clean_intention_input(data))
    log_action("people.intention.saved", by=by, obj=resident, changed_fields=data.keys())
    announce_job_seeker(resident, INTENTION)
    return intention


PUSH_PAUSE_DAYS = (7, 30, 90)


@transaction.atomic
def set_push_preferences(resident: Resident, *, by, data: dict, today=None) -> Resident:
    """A resident's choices about 精准送岗 (H5 推送设置); only the keys given change.

    - ``pause_days``: 0 resumes pushes, 7, 30 or 90 pauses them through today + that many days;
    - ``stopped``: true stops pushes until the resident resumes them (false);
    - ``sms_every_time``: true texts every push message; false (the default) at most one text a week —
      the inbox carries every message either way;
    - anything else, or a value outside these, is refused naming the field; nothing is written.
    """
    errors = FieldErrors()
    today = today or timezone.localdate()
    changes = {}
    unknown = set(data) - {"pause_days", "stopped", "sms_every_time"}
    for field in sorted(unknown):
        errors.add(field, "未知的推送设置")
    if "pause_days" in data:
        try:
            days = int(data["pause_days"])
        except (TypeError, ValueError):
            days = -1
        if days != 0 and days not in PUSH_PAUSE_DAYS:
            errors.add("pause_days", "暂停天数：应为0（恢复推送）、7、30或90")
        else:
            changes["push_paused_until"] = today + timedelta(days=days) if days else None
    for key, field in (("stopped", "push_stopped"), ("sms_every_time", "push_sms_every_time")):
        if key in data:
            if not isinstance(data[key], bool):
                errors.add(key, "应为是或否")
            else:
                changes[field] = data[key]
    errors.raise_if_any()
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    for field, value in changes.items():
        setattr(resident, field, value)
    resident.save(update_fields=[*changes, "updated_at"])
    log_action("people.resident.push_preferences_set", by=by, obj=resident, changed_fields=list(changes),
               data={k: (v.isoformat() if isinstance(v, date) else v) for k, v in changes.items()})  # fmt: skip
    return resident


def find_by_id_number(queryset, raw_id_number):
    """Scoped look-up by ID number through the blind index (never by plaintext)."""
    info = parse_id_number(raw_id_number)
    return queryset.by_id_number(info.number)


REVEALABLE_FIELDS = {"id_number": "id_number_encrypted", "phone": "phone_encrypted"}
# An employer reveals an applicant's phone, never the ID number (recruiting.services.reveal_applicant_phone,
# issue 17).
REVEAL_FIELDS_FOR_EMPLOYER = {"phone"}


def _within_reveal_ceiling(by, resident):
    """Count one reveal of ``by`` in the current window; past the ceiling refuse it and raise the alarm.

    ``resident`` is the one asked for, or None for an export (reveal_residents_pii_for_export).

    - fixed windows of JOBCIRCLE_REVEAL_WINDOW_MINUTES per user, counted atomically (parallel requests
      cannot slip past), at most JOBCIRCLE_REVEAL_LIMIT reveals in each;
    - every refused reveal is audited ``people.resident.pii_reveal_throttled``; the first refusal of a
      window texts the 安全管理员 (accounts.security.alert_security_administrators), later ones do not.
    """
    from datetime import timedelta

    from django.conf import settings

    limit, minutes = settings.JOBCIRCLE_REVEAL_LIMIT, settings.JOBCIRCLE_REVEAL_WINDOW_MINUTES
    now = timezone.now()
    window = int(now.timestamp() // (minutes * 60))
    count = hit_rate_counter(f"reveal:user:{by.pk}:w:{window}", now + timedelta(minutes=2 * minutes))
    if count <= limit:
        return
    log_action("people.resident.pii_reveal_throttled", by=by, obj=resident, result="failure",
               data={"limit": limit, "window_minutes": minutes})  # fmt: skip
    if count == limit + 1:
        alert_security_administrators(
            f"【三公里就业圈】安全告警：账号 {by.username} 在{minutes}分钟内查看完整个人信息超过{limit}次，"
            "已暂停其查看，请登录系统核查。"
        )
    raise RateLimited(f"查看完整号码过于频繁：每{minutes}分钟最多{limit}次，请稍后再试（已通知安全管理员）")


def reveal_resident_pii(resident: Resident, *, by, scope: Scope, fields, reason, applicant_of_employer=False) -> dict:
    """Plaintext ID number and/or phone of one resident, for a typed reason (SEC-10, SEC-12).

    - only roles with the reveal permission, and only inside their area (common.pii.can_view_pii over
      ``scope``, the caller's scope; ``by`` is the audit actor);
    - an employer: the phone only, and only when its caller checked the recruiting rule (the resident
      applied to one of its jobs and has not withdrawn: ``applicant_of_employer``, set by
      recruiting.services.reveal_applicant_phone);
    - a reason of at least 4 characters is required;
    - at most JOBCIRCLE_REVEAL_LIMIT reveals per user in each JOBCIRCLE_REVEAL_WINDOW_MINUTES window
      (``_within_reveal_ceiling``): past it → ``RateLimited`` (429), audited, the 安全管理员 alerted;
    - every reveal is audited with the fields and the reason, never the values.
    """
    if scope.role == Role.EMPLOYER:
        if not applicant_of_employer:
            raise PermissionDenied("无权查看完整个人信息")
        if set(fields or []) - REVEAL_FIELDS_FOR_EMPLOYER:
            raise PermissionDenied("用工单位只能查看申请人的联系电话")
    elif not pii.can_view_pii(scope, resident):
        raise PermissionDenied("无权查看完整个人信息")
    reason = _clean_reveal_request(fields, reason)
    _within_reveal_ceiling(by, resident)
    revealed = _decrypt_fields(resident, fields)
    log_action("people.resident.pii_revealed", by=by, obj=resident, data={"fields": sorted(fields), "reason": reason})
    return revealed


def reveal_residents_pii_for_export(
    residents, *, by, scope: Scope, fields, reason, filters=""
) -> dict[int, dict[str, str]]:
    """Plaintext ID numbers and/or phones of many residents for one export file (SEC-10, SEC-22).

    The bulk form of ``reveal_resident_pii``, with its rules:
    - only a role holding the reveal permission (an employer never exports full numbers);
    - per resident the same predicate (common.pii.can_view_pii); a resident it refuses is left out of
      the answer, so the file keeps that row masked;
    - the same reason and field rules;
    - the reveal ceiling: one export is one reveal, so a user past the ceiling is refused the export
      (``RateLimited``, audited, the 安全管理员 alerted) and an export cannot dodge it; its rows are not
      counted one by one, since the file is one deliberate act over an already scoped list;
    - one audit event ``people.resident.pii_revealed`` for the export, with the fields, the reason, the
      number of residents revealed and the list's filters — never the values.
    Returns {resident pk: {field: plaintext}}.
    """
    if not scope.can(REVEAL_PII):
        raise PermissionDenied("无权导出完整个人信息")
    reason = _clean_reveal_request(fields, reason)
    allowed = {r.pk: r for r in residents if pii.can_view_pii(scope, r)}
    _within_reveal_ceiling(by, None)
    revealed = {pk: _decrypt_fields(resident, fields) for pk, resident in allowed.items()}
    data = {"fields": sorted(fields), "reason": reason, "rows": len(revealed), "filters": filters}
    log_action("people.resident.pii_revealed", by=by, area_code=scope.area_prefix or "", data=data)
    return revealed


def _clean_reveal_request(fields, reason) -> str:
    """The reason (at least 4 characters) and the fields of a reveal; returns the stripped reason."""
    errors = FieldErrors()
    reason = (reason or "").strip()
    if len(reason) < 4:
        errors.add("reason", "查看原因：请填写查看完整号码的原因（至少4个字）")
    unknown = [f for f in fields or [] if f not in REVEALABLE_FIELDS]
    if unknown or not fields:
        errors.add("fields", f"查看字段：只能是 {'、'.join(REVEALABLE_FIELDS)}")
    errors.raise_if_any()
    return reason


def _decrypt_fields(resident, fields) -> dict[str, str]:
    return {field: pii.decrypt(getattr(resident, REVEALABLE_FIELDS[field])) for field in fields}


# --- formal registrations (就业登记, 失业登记, 就业困难人员认定) ---------------------------------------


def _registration_date(errors, data, field, label, *, required=True, not_before=None):
    """A date given as ``date`` or ``YYYY-MM-DD`` text; not in the future; not before ``not_before``."""
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors.add(field, f"{label}：不能为空")
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            errors.add(field, f"{label}：格式应为“2026-11-05”（收到“{value}”）")
            return None
    if field != "valid_to" and value > timezone.localdate():
        errors.add(field, f"{label}：不能晚于今天")
    if not_before is not None and value < not_before:
        errors.add(field, f"{label}：不能早于{not_before:%Y-%m-%d}")
    return value


def _registration_choice(errors, data, field, label, choices, *, required=True):
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors.add(field, f"{label}：不能为空")
        return ""
    if value not in choices.values:
        errors.add(field, f"{label}取值无效：{value}（可选：{'、'.join(choices.values)}）")
        return ""
    return value


def _registration_text(errors, data, field, label, model, *, required=False):
    text = str(data.get(field) or "").strip()
    if required and not text:
        errors.add(field, f"{label}：不能为空")
        return ""
    return errors.capture(field, validate_text, text, label=label, max_length=model_max_length(model, field)) or ""


def _lock_resident(resident):
    return Resident.objects.select_for_update().get(pk=resident.pk)


@transaction.atomic
def record_employment_registration(resident: Resident, *, by, data: dict) -> EmploymentRegistration:
    """就业登记: the resident began work on ``registered_on``.

    - ``registered_on`` is required and not in the future; ``employer_name`` is optional text;
    - ``is_urban`` (城镇就业, default yes) decides whether it counts in 城镇新增就业;
    - a resident has one employment registration in force at a time: another open one → 422 ``registered_on``;
    - a 失业登记 in force on that day is cancelled (注销) with the reason 实现就业, on the same day;
    - audited as ``people.employment_registration.recorded``.
    """
    errors = FieldErrors()
    day = _registration_date(errors, data, "registered_on", "就业日期")
    employer_name = _registration_text(errors, data, "employer_name", "就业单位", EmploymentRegistration)
    errors.raise_if_any()
    resident = _lock_resident(resident)
    if EmploymentRegistration.objects.filter(resident=resident, ended_on__isnull=True).exists():
        errors.add("registered_on", "该居民已有未终止的就业登记，请先登记其终止（离职、退休等）")
        errors.raise_if_any()
    registration = EmploymentRegistration.objects.create(
        resident=resident, registered_on=day, employer_name=employer_name, is_urban=bool(data.get("is_urban", True)),
        area_code=resident.area_code, recorded_by=by,
    )  # fmt: skip
    for open_unemployment in UnemploymentRegistration.objects.filter(resident=resident).open_on(day):
        open_unemployment.ended_on, open_unemployment.end_reason = day, UnemploymentEndReason.EMPLOYED
        open_unemployment.save(update_fields=["ended_on", "end_reason"])
    log_action("people.employment_registration.recorded", by=by, obj=registration,
               data={"resident": resident.pk, "registered_on": day, "is_urban": registration.is_urban})  # fmt: skip
    return registration


def _end_registration(model, registration, *, by, data, words, reasons, action):
    """Shared by the two endings: lock, refuse a second ending, validate the date and reason, save, audit.

    ``words``: (date label, reason label, "终止"/"注销") as the screens name them.
    """
    date_label, reason_label, verb = words
    registration = model.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    errors = FieldErrors()
    if registration.ended_on is not None:
        errors.add("ended_on", f"{date_label}：该登记已于{registration.ended_on:%Y-%m-%d}{verb}")
        errors.raise_if_any()
    registration.ended_on = _registration_date(
        errors, data, "ended_on", date_label, not_before=registration.registered_on
    )
    registration.end_reason = _registration_choice(errors, data, "end_reason", reason_label, reasons)
    errors.raise_if_any()
    registration.save(update_fields=["ended_on", "end_reason"])
    log_action(action, by=by, obj=registration,
               data={"ended_on": registration.ended_on, "end_reason": registration.end_reason})  # fmt: skip
    return registration


@transaction.atomic
def end_employment_registration(registration: EmploymentRegistration, *, by, data: dict) -> EmploymentRegistration:
    """End a 就业登记 (离职、退休、死亡…).

    - ``ended_on`` required, not in the future, not before the registration; ``end_reason`` one of EmploymentEndReason;
    - an already ended registration → 422 ``ended_on``;
    - audited as ``people.employment_registration.ended``.
    """
    return _end_registration(EmploymentRegistration, registration, by=by, data=data,
                             words=("终止日期", "终止原因", "终止"), reasons=EmploymentEndReason,
                             action="people.employment_registration.ended")  # fmt: skip


@transaction.atomic
def record_unemployment_registration(resident: Resident, *, by, data: dict) -> UnemploymentRegistration:
    """失业登记: the resident registered as unemployed on ``registered_on``.

    - ``registered_on`` required, not in the future; ``is_urban`` (城镇, default yes);
    - one 失业登记 in force at a time: another open one → 422 ``registered_on``;
    - a 就业登记 in force that day → 422 ``registered_on`` (end it first: 失业 follows the end of work);
    - audited as ``people.unemployment_registration.recorded``.
    """
    errors = FieldErrors()
    day = _registration_date(errors, data, "registered_on", "失业登记日期")
    errors.raise_if_any()
    resident = _lock_resident(resident)
    if UnemploymentRegistration.objects.filter(resident=resident, ended_on__isnull=True).exists():
        errors.add("registered_on", "失业登记日期：该居民已有未注销的失业登记")
    elif EmploymentRegistration.objects.filter(resident=resident).open_on(day).exists():
        errors.add("registered_on", "失业登记日期：该日该居民有有效的就业登记，请先登记其终止")
    errors.raise_if_any()
    registration = UnemploymentRegistration.objects.create(
        resident=resident, registered_on=day, is_urban=bool(data.get("is_urban", True)),
        area_code=resident.area_code, recorded_by=by,
    )  # fmt: skip
    log_action("people.unemployment_registration.recorded", by=by, obj=registration,
               data={"resident": resident.pk, "registered_on": day, "is_urban": registration.is_urban})  # fmt: skip
    return registration


@transaction.atomic
def end_unemployment_registration(
    registration: UnemploymentRegistration, *, by, data: dict
) -> UnemploymentRegistration:
    """注销失业登记 for another reason than work (a job is recorded with ``record_employment_registration``).

    - ``ended_on`` required, not in the future, not before the registration;
    - ``end_reason`` one of UnemploymentEndReason;
    - an already cancelled registration → 422 ``ended_on``;
    - audited as ``people.unemployment_registration.ended``.
    """
    return _end_registration(UnemploymentRegistration, registration, by=by, data=data,
                             words=("注销日期", "注销原因", "注销"), reasons=UnemploymentEndReason,
                             action="people.unemployment_registration.ended")  # fmt: skip


@transaction.atomic
def certify_employment_difficulty(resident: Resident, *, by, data: dict) -> DifficultyCertification:
    """就业困难人员认定: a category with its validity.

    - ``category`` one of DifficultyCategory; ``evidence`` (认定依据) required;
    - ``valid_from`` required, not in the future; ``valid_to`` optional (until revoked), not before ``valid_from``;
    - audited as ``people.difficulty_certification.recorded``.
    """
    errors = FieldErrors()
    category = _registration_choice(errors, data, "category", "认定类别", DifficultyCategory)
    valid_from = _registration_date(errors, data, "valid_from", "有效期起")
    valid_to = _registration_date(errors, data, "valid_to", "有效期止", required=False, not_before=valid_from)
    evidence = _registration_text(errors, data, "evidence", "认定依据", DifficultyCertification, required=True)
    errors.raise_if_any()
    resident = _lock_resident(resident)
    certification = DifficultyCertification.objects.create(
        resident=resident, category=category, valid_from=valid_from, valid_to=valid_to, evidence=evidence,
        area_code=resident.area_code, recorded_by=by,
    )  # fmt: skip
    log_action("people.difficulty_certification.recorded", by=by, obj=certification,
               data={"resident": resident.pk, "category": category, "valid_from": valid_from,
                     "valid_to": valid_to})  # fmt: skip
    return certification


@transaction.atomic
def set_urban_employed_base(area_code: str, year: int, employed: int, *, by, source="") -> UrbanEmployedBase:
    """城镇从业人员基数 of an area and year (the denominator of 城镇登记失业率), from statistics.

    - ``employed`` a whole number ≥ 0; ``year`` 2000–2100; one row per area and year (replaced);
    - audited as ``people.urban_employed_base.set``.
    """
    errors = FieldErrors()
    if not isinstance(employed, int) or employed < 0:
        errors.add("employed", f"城镇从业人员：应为不小于0的整数（收到“{employed}”）")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors.add("year", f"年度：应在2000至2100之间（收到“{year}”）")
    errors.raise_if_any()
    base, _ = UrbanEmployedBase.objects.update_or_create(
        area_code=area_code, year=year, defaults={"employed": employed, "source": source, "recorded_by": by}
    )
    log_action("people.urban_employed_base.set", by=by, obj=base, area_code=area_code,
               data={"year": year, "employed": employed})  # fmt: skip
    return base
