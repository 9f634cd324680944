"""一对一帮扶 cases: one open case per person, the transition table with its log, the services given
under a case (counted against 1-3-1), and the hook the matching engine calls for each job pushed."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from jobcircle.areas.querysets import AreaValue
from jobcircle.common import workflow
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.workflow import Move, Workflow, log_created
from jobcircle.employers.models import Job
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import Resident

from ..enums import CaseState, ServiceKind, ServiceSource
from ..models import AssistanceCase, CaseService, CaseTransition, MonitoringRecord
from ..services import WORKING, actor, community_staff_for, today

# (from, to) → what the move is called. Anything else is refused.
CASE_TRANSITIONS = {
    (CaseState.OPEN, CaseState.CLOSED): "结案（已就业）",
    (CaseState.OPEN, CaseState.WITHDRAWN): "退出帮扶",
    (CaseState.CLOSED, CaseState.OPEN): "重新纳入帮扶",
    (CaseState.WITHDRAWN, CaseState.OPEN): "重新纳入帮扶",
}


# Who may move a case: the screens guard every path (staff role, case fetched in scope) and the
# system moves (monthly monitoring, hires) act with no user, so the moves themselves ask no more.
CASE_WORKFLOW = Workflow(
    model=AssistanceCase,
    states=CaseState,
    field="state",
    moves={pair: Move() for pair in CASE_TRANSITIONS},
    log=CaseTransition,
    subject="case",
    action="assistance.case.transitioned",
    label="帮扶状态",
)


def allowed_transitions(case: AssistanceCase) -> list[tuple[str, str]]:
    return [(to, label) for (frm, to), label in CASE_TRANSITIONS.items() if frm == case.state]


@transaction.atomic
def open_case(resident: Resident, *, by, reason: str, on=None) -> AssistanceCase:
    """Open an assistance case for a person (or return the one already open).

    - at most one open case per person (a database constraint backs this);
    - assigned to the first active staff member of the person's community;
    - the opening is the first row of the case's transition log.
    """
    existing = AssistanceCase.objects.open().filter(resident=resident).first()
    if existing is not None:
        return existing
    on = on or today()
    assignee = community_staff_for([resident.area_code]).get(resident.area_code)
    try:
        with transaction.atomic():
            case = AssistanceCase.objects.create(
                resident=resident,
                area_code=resident.area_code,
                assigned_to_id=assignee,
                opened_on=on,
                opened_reason=reason[:200],
            )
    except IntegrityError:  # opened concurrently
        return AssistanceCase.objects.open().get(resident=resident)
    log_created(CASE_WORKFLOW, [case], by=by, reason=reason)
    log_action("assistance.case.opened", by=by, obj=case, data={"reason": reason[:200]})
    return case


def transition(case: AssistanceCase, to_state, *, by, note: str = "", on=None) -> AssistanceCase:
    """Move a case to another state (through the one workflow helper, ``CASE_WORKFLOW``).

    - only the moves in CASE_TRANSITIONS; anything else is refused naming both states;
    - reopening is refused while the person has another open case;
    - closing or withdrawing stamps the date; reopening clears it;
    - writes a transition-log row (who, from, to, why) and an audit event; a refusal writes nothing.
    """

    def prepare(case, current, target):
        if target == CaseState.OPEN and AssistanceCase.objects.open().filter(resident_id=case.resident_id).exists():
            raise ValidationError({"state": ["该居民已有进行中的帮扶，不能重复纳入"]})
        case.closed_on = None if target == CaseState.OPEN else (on or today())
        return ["closed_on"]

    note = note or ""
    return workflow.transition(
        CASE_WORKFLOW, case, to_state, by=by, reason=note, prepare=prepare, data={"note": note[:200]}
    )


def sync_assistance_case(resident: Resident, *, by, on, record: MonitoringRecord | None = None):
    """Keep a person's case in line with what is known about them.

    - not employed (未就业) and wanting work → a case is opened automatically;
    - employed or in flexible work → an open case is closed ("已就业");
    - anything else leaves the case as it is (staff may withdraw it).
    Returns the open or just-closed case, or None.
    """
    status = record.employment_status if record is not None else resident.employment_status
    wants_work = record.wants_work if record is not None else resident.is_job_seeking
    case = AssistanceCase.objects.open().filter(resident=resident).first()
    if status == EmploymentStatus.UNEMPLOYED and wants_work:
        return case or open_case(resident, by=by, reason="月度监测：未就业且有就业意愿", on=on)
    if status in WORKING and case is not None:
        return transition(case, CaseState.CLOSED, by=by, note="已实现就业，自动结案", on=on)
    return case


def close_cases_of_employed(*, by=None, region: AreaValue | None = None, on=None) -> int:
    """Close open cases of people whose status now says employed (e.g. hired through recruiting).

    - inside the region if one is given, else in every area.
    """
    cases = AssistanceCase.objects.open().filter(resident__employment_status__in=WORKING)
    if region is not None:
        cases = cases.in_area(region)
    closed = 0
    for case in cases.select_related("resident"):
        transition(case, CaseState.CLOSED, by=by, note="就业状态为已就业，自动结案", on=on)
        closed += 1
    return closed


@transaction.atomic
def record_case_service(
    case: AssistanceCase,
    *,
    by,
    kind,
    provided_on=None,
    note: str = "",
    job=None,
    source=ServiceSource.STAFF,
    reference: str = "",
) -> CaseService:
    """Log a service given under a case (career guidance, job information, training referral, post offered).

    - the case must be open;
    - the date is not in the future and not before the case was opened;
    - with a reference (e.g. a push id), the same service is recorded once only.
    """
    errors = FieldErrors()
    case = AssistanceCase.objects.select_for_update().get(pk=case.pk)
    provided_on = provided_on or today()
    if kind not in ServiceKind.values:
        errors.add("kind", f"服务类型取值无效：{kind}")
    if case.state != CaseState.OPEN:
        errors.add("case", "该帮扶已结案或退出，不能再记录服务")
    if provided_on > today():
        errors.add("provided_on", "服务日期：不能晚于今天")
    elif provided_on < case.opened_on:
        errors.add("provided_on", "服务日期：不能早于立案日期")
    note = (note or "").strip()
    if len(note) > 300:
        errors.add("note", "服务内容：不能超过300个字")
    errors.raise_if_any()
    if reference:
        existing = CaseService.objects.filter(case=case, source=source, reference=reference).first()
        if existing is not None:
            return existing
    service = CaseService.objects.create(
        case=case,
        kind=kind,
        provided_on=provided_on,
        note=note,
        job=job,
        source=source,
        reference=reference[:64],
        recorded_by=actor(by),
    )
    log_action("assistance.case.service_recorded", by=by, obj=case, data={"kind": kind, "source": source})
    return service


def record_job_push(resident_id: int, *, job_id=None, pushed_on=None, reference: str, by=None):
    """HOOK for the matching engine (精准送岗): call once per job pushed to a person.

    - counts toward the "3 job infos" of the 1131 service when the person has an open case;
    - a person without an open case is not logged here (returns None);
    - idempotent on ``reference`` (use the push record's id), so re-runs never double count.
    """
    case = AssistanceCase.objects.open().filter(resident_id=resident_id).first()
    if case is None:
        return None
    return record_case_service(
        case,
        by=by,
        kind=ServiceKind.JOB_INFO,
        provided_on=max(pushed_on or today(), case.opened_on),
        job=_job(job_id) if job_id is not None else None,
        note="精准送岗推送",
        source=ServiceSource.MATCHING,
        reference=str(reference),
    )


def _job(job_id):
    return Job.objects.filter(pk=job_id).first()


# "1131": 1 policy briefing, 1 career guidance, 3 job offers, 1 training or internship place — complete
# only when the whole set is recorded (INDICATORS.md). The one definition, read by every count below.
GOAL_1131 = {
    ServiceKind.POLICY: 1, ServiceKind.GUIDANCE: 1, ServiceKind.JOB_INFO: 3, ServiceKind.TRAINING: 1,
}  # fmt: skip
# The same set as a filter on ``with_1131_counts`` (n_<kind> ≥ its goal).
DONE_1131 = {f"n_{kind}__gte": goal for kind, goal in GOAL_1131.items()}


def done_1131(counts) -> bool:
    """Whether ``counts`` (service kind → how many) hold the full 1131 set."""
    return all(counts.get(kind, 0) >= goal for kind, goal in GOAL_1131.items())


@dataclass(frozen=True)
class Service1131:
    """The "1 policy briefing, 1 guidance, 3 job offers, 1 training or internship" service (1131) of one person."""

    policy: int
    guidance: int
    job_info: int
    training: int

    @property
    def done(self) -> bool:
        return done_1131({kind: getattr(self, kind) for kind in GOAL_1131})

    @property
    def label(self) -> str:
        return "已完成" if self.done else "未完成"

    @property
    def summary(self) -> str:
        return "　".join(f"{ServiceKind(kind).label}{getattr(self, kind)}/{goal}" for kind, goal in GOAL_1131.items())


def service_1131(case: AssistanceCase) -> Service1131:
    """Count a case's policy briefings, guidance, job offers and training/internship against 1-1-3-1."""
    counts = dict(case.services.values_list("kind").annotate(n=Count("id")).order_by())
    return Service1131(*(counts.get(kind, 0) for kind in GOAL_1131))


def with_1131_counts(cases):
    """Annotate a case QuerySet with the four 1131 counts ``n_<kind>`` (one query for a whole list)."""
    return cases.annotate(**{f"n_{kind}": Count("services", filter=Q(services__kind=kind)) for kind in GOAL_1131})
