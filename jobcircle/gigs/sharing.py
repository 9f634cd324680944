"""共享员工 (employee sharing): offers of surplus staff, needs, matching them, and the agreement.

An enterprise in its slack season (停产/淡季) declares people it can lend (``SharingOffer``); one short of
hands declares a need (``SharingNeed``). Matching pairs them by occupation, overlapping period and distance;
staff broker the agreement (``SharingAgreement``), whose named people each confirm it themselves on H5.
While it runs, each person's status history shows the secondment (借调) — their employment does not end.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jobcircle.accounts.enums import STAFF_ROLES, Role
from jobcircle.accounts.permissions import CASEWORK
from jobcircle.areas.geo.distance import haversine_m
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import validate_text
from jobcircle.common.workflow import Move, Workflow, moves_from, transition
from jobcircle.employers.enums import EmployerStatus
from jobcircle.employers.services import _date  # the one date-field rule of postings
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import Resident
from jobcircle.people.services import record_employment_status

from .enums import AGREEMENT_TRANSITIONS, AgreementStatus, Consent, Party, SharingStatus
from .models import AgreementTransition, SharedWorker, SharingAgreement, SharingNeed, SharingOffer
from .services import _int, _occupation, _skills, _text

MATCH_RADIUS_KM = 50  # enterprises lend across a county, not across a province
MAX_AGREEMENT_DAYS = 366
MAX_PEOPLE = 200


def _period(errors, data, *, days=MAX_AGREEMENT_DAYS):
    start = _date(errors, data, "start_date", "期间起")
    end = _date(errors, data, "end_date", "期间止")
    if start and end:
        if end < start:
            errors.add("end_date", "期间止：不能早于期间起")
        elif (end - start).days > days:
            errors.add("end_date", f"期间止：共享用工期间最长{days}天")
        if end < timezone.localdate():
            errors.add("end_date", "期间止：已经过去")
    return start, end


def _may_act_for(scope, employer) -> bool:
    """The employer itself, or area staff with casework rights over it."""
    if scope is None:
        return False
    if scope.role == Role.EMPLOYER:
        return scope.employer_id == employer.pk
    return scope.role in STAFF_ROLES and scope.can(CASEWORK) and scope.covers(employer.area_code)


@transaction.atomic
def declare(model, employer, *, by, scope, data: dict):
    """Declare an offer (``SharingOffer``: surplus staff) or a need (``SharingNeed``).

    - the employer itself or area staff; an employer in standing (正常);
    - 人数 1–200, occupation (职业分类大典), period (at most a year, not over), skills, conditions.
    """
    if not _may_act_for(scope, employer):
        raise PermissionDenied("只能为本单位或本辖区单位登记")
    errors = FieldErrors()
    if employer.status != EmployerStatus.ACTIVE:
        errors.add("employer", f"用工单位已{employer.get_status_display()}，不能登记")
    start, end = _period(errors, data)
    post = model(
        employer=employer, area_code=employer.area_code, start_date=start, end_date=end,
        headcount=_int(errors, data, "headcount", "人数", minimum=1, maximum=MAX_PEOPLE),
        occupation=_occupation(errors, data), skills=_skills(errors, data),
        conditions=_text(errors, data, model, "conditions", required=False, multiline=True),
        created_by=by if getattr(by, "pk", None) else None,
    )  # fmt: skip
    errors.raise_if_any()
    post.save()
    log_action(f"gigs.sharing.{model.__name__.lower()}_declared", by=by, obj=post, data={"headcount": post.headcount})
    return post


def matches_for(post, *, limit=20) -> list:
    """The open declarations of the other kind that fit ``post`` (an offer or a need), best first.

    - the period overlaps; another employer; open;
    - ranked: the same occupation before the same 小类/中类 (code prefix), then by distance (haversine
      between the two employers' points, within MATCH_RADIUS_KM);
    - each row carries ``distance_m``, ``overlap_days`` and ``fit`` (a readable reason).
    """
    other = SharingNeed if isinstance(post, SharingOffer) else SharingOffer
    rows = (
        other.objects.filter(status=SharingStatus.OPEN, start_date__lte=post.end_date, end_date__gte=post.start_date)
        .exclude(employer_id=post.employer_id)
        .select_related("employer", "occupation")
    )
    code = post.occupation.code
    out = []
    for row in rows[:2000]:
        same = row.occupation.code == code
        near = row.occupation.code[:4] == code[:4]
        if not (same or near):
            continue
        distance = haversine_m(post.employer.lat, post.employer.lng, row.employer.lat, row.employer.lng)
        if distance > MATCH_RADIUS_KM * 1000:
            continue
        row.distance_m = distance
        row.overlap_days = (min(row.end_date, post.end_date) - max(row.start_date, post.start_date)).days + 1
        row.fit = "工种相同" if same else "工种相近"
        out.append(row)
    out.sort(key=lambda r: (r.fit != "工种相同", r.distance_m, -r.overlap_days, r.pk))
    return out[:limit]


# --- agreements ---------------------------------------------------------------------------------


def _broker(agreement, by, scope) -> bool:
    """Area staff of either enterprise (staff broker the agreement)."""
    return (
        scope is not None and scope.role in STAFF_ROLES and scope.can(CASEWORK)
        and (scope.covers(agreement.lender.area_code) or scope.covers(agreement.borrower.area_code))
    )  # fmt: skip


def _party_or_broker(agreement, by, scope) -> bool:
    if scope is not None and scope.role == Role.EMPLOYER:
        return scope.employer_id in (agreement.lender_id, agreement.borrower_id)
    return _broker(agreement, by, scope)


A = AgreementStatus
AGREEMENT_WHO = {
    A.CONSENT: _broker,  # sent to the named people for their own confirmation
    A.DRAFT: _party_or_broker,  # back for changes
    A.ACTIVE: _broker,  # every person agreed: it starts
    A.ENDED: _party_or_broker,
    A.CANCELLED: _party_or_broker,
}
AGREEMENT_WORKFLOW = Workflow(
    model=SharingAgreement, states=AgreementStatus,
    moves=moves_from(AGREEMENT_TRANSITIONS, lambda frm, to: Move(
        who=AGREEMENT_WHO[to], min_reason=2 if to in (A.CANCELLED, A.DRAFT) else 0,
        reason_error="原因：请写明（至少2个字）")),
    log=AgreementTransition, subject="agreement", action="gigs.sharing.agreement_{to}", label="协议状态",
    related=("lender", "borrower"),
)  # fmt: skip


def clean_agreement_input(data: dict, *, scope) -> dict:
    """Validate an agreement.

    - two different enterprises in standing, at least one in the caller's area (staff) or the caller
      itself (an employer, as lender or borrower);
    - named people (1–200 residents) — employees of the lender, found by id in the lender's reach;
    - period (at most a year), 报酬约定 (text), who pays and who bears 工伤保险 (lender or borrower).
    """
    errors = FieldErrors()
    lender, borrower = data.get("lender"), data.get("borrower")
    if lender is None:
        errors.add("lender_id", "调出方：请选择原用工单位")
    if borrower is None:
        errors.add("borrower_id", "调入方：请选择缺工单位")
    if lender is not None and borrower is not None:
        if lender.pk == borrower.pk:
            errors.add("borrower_id", "调入方：不能与调出方为同一单位")
        elif not (_may_act_for(scope, lender) or _may_act_for(scope, borrower)):
            errors.add("lender_id", "调出方：须为本单位或本辖区单位")
        for field, employer in (("lender_id", lender), ("borrower_id", borrower)):
            if employer.status != EmployerStatus.ACTIVE:
                errors.add(field, f"{employer.name}已{employer.get_status_display()}，不能签订协议")
    start, end = _period(errors, data)
    people = list(data.get("people") or [])
    if not 1 <= len(people) <= MAX_PEOPLE:
        errors.add("resident_ids", f"共享员工：请列明1到{MAX_PEOPLE}名员工")
    out = {"lender": lender, "borrower": borrower, "start_date": start, "end_date": end, "people": people}
    for field, label in (("payer", "报酬支付方"), ("insurance_party", "工伤保险责任方")):
        value = data.get(field)
        if value not in Party.values:
            errors.add(field, f"{label}：取值无效（lender 调出方 / borrower 调入方）")
        out[field] = value
    out["pay_arrangement"] = _text(errors, data, SharingAgreement, "pay_arrangement")
    offer, need = data.get("offer"), data.get("need")
    if offer is not None and lender is not None and offer.employer_id != lender.pk:
        errors.add("offer_id", "富余人员登记：须为调出方的登记")
    if need is not None and borrower is not None and need.employer_id != borrower.pk:
        errors.add("need_id", "缺工需求：须为调入方的登记")
    out["offer"], out["need"] = offer, need
    errors.raise_if_any()
    return out


@transaction.atomic
def draft_agreement(*, by, scope, data: dict) -> SharingAgreement:
    """Draft a 共享用工协议 (草拟) with its named people (each still to confirm)."""
    cleaned = clean_agreement_input(data, scope=scope)
    people = cleaned.pop("people")
    agreement = SharingAgreement(
        area_code=cleaned["lender"].area_code, created_by=by if getattr(by, "pk", None) else None, **cleaned
    )
    agreement.save()
    SharedWorker.objects.bulk_create([SharedWorker(agreement=agreement, resident=p) for p in people])
    AgreementTransition.objects.create(
        agreement=agreement, from_status="", to_status=A.DRAFT, by=by if getattr(by, "pk", None) else None
    )
    log_action("gigs.sharing.agreement_drafted", by=by, obj=agreement, data={"people": len(people)})
    return agreement


def _agreement_rules(agreement, current, to):
    """Starting needs every named person's own agreement; the people's status history shows it."""
    if to == A.ACTIVE:
        waiting = agreement.workers.exclude(consent=Consent.AGREED).count()
        if waiting:
            raise ValidationError({"status": [f"还有{waiting}名员工未同意，不能生效"]})
    if to == A.CONSENT:
        agreement.workers.update(consent=Consent.PENDING, answered_at=None)
    return []


@transaction.atomic
def transition_agreement(agreement: SharingAgreement, to_state, *, by, scope, reason="") -> SharingAgreement:
    """Move an agreement — the one door (common.workflow.transition).

    - 草拟 → 待员工确认 (staff send it), → 履行中 (staff, once every person agreed), → 已结束 / 已取消
      (either enterprise or staff; cancelling and sending back need a reason);
    - 履行中: each person's status history gets "共享用工：借调至…" with status 已就业 — the employment with
      the lender continues; 已结束 records the return ("共享用工结束，回原单位").
    """
    agreement = transition(
        AGREEMENT_WORKFLOW, agreement, to_state, by=by, scope=scope, reason=reason, prepare=_agreement_rules
    )
    if agreement.status in (A.ACTIVE, A.ENDED):
        _record_secondment(agreement, by=by)
    return agreement


def _record_secondment(agreement, *, by):
    started = agreement.status == A.ACTIVE
    on = agreement.start_date if started else min(timezone.localdate(), agreement.end_date)
    note = (
        f"共享用工：借调至{agreement.borrower.name}（{agreement.start_date:%Y-%m-%d}至{agreement.end_date:%Y-%m-%d}），"
        f"与{agreement.lender.name}的劳动关系不变"
        if started
        else f"共享用工结束，回{agreement.lender.name}"
    )
    for worker in agreement.workers.select_related("resident"):
        record_employment_status(worker.resident, EmploymentStatus.EMPLOYED, by=by, on=on, note=note[:200])


@transaction.atomic
def answer_consent(agreement: SharingAgreement, resident: Resident, *, by, agree: bool) -> SharedWorker:
    """A named person confirms (or refuses) the agreement themselves, on H5, while it awaits them."""
    worker = SharedWorker.objects.select_for_update().filter(agreement=agreement, resident=resident).first()
    if worker is None:
        raise PermissionDenied("您不在该协议的员工名单中")
    if agreement.status != A.CONSENT:
        raise ValidationError({"consent": ["该协议当前不需要您确认"]})
    worker.consent, worker.answered_at = (Consent.AGREED if agree else Consent.REFUSED), timezone.now()
    worker.save(update_fields=["consent", "answered_at"])
    log_action("gigs.sharing.consent_answered", by=by, obj=agreement, data={"agree": bool(agree)})
    return worker


def clean_reason(reason) -> str:
    reason = str(reason or "").strip()
    validate_text(reason, label="原因", max_length=200)
    return reason
