"""Risk warnings: the daily run (raise once per condition, escalate the overdue) and the staff's moves.

- ``run_warnings(region, on)`` evaluates every rule of ``rules.RULES`` and inserts the warnings whose
  condition key is new (``ignore_conflicts`` on the unique key: a rerun the same day or the next raises
  nothing twice), each assigned to a staff member of its community (else its township);
- ``escalate_overdue(region, on)``: a warning past its due day and not resolved goes up one level, once;
- ``acknowledge`` → ``work`` (linked to an assistance case of the area) → ``resolve`` (with a note),
  through ``common.workflow.transition`` by staff whose area covers the warning.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from jobcircle.accounts.access import Scope
from jobcircle.accounts.enums import Role
from jobcircle.accounts.models import User
from jobcircle.accounts.permissions import CASEWORK
from jobcircle.areas.codes import parent_code
from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.models import Region
from jobcircle.assistance.models import AssistanceCase
from jobcircle.common.audit import log_action
from jobcircle.common.validators import validate_text
from jobcircle.common.workflow import Move, Workflow, moves_from, transition

from .enums import WARNING_MOVES, Level, WarningStatus
from .models import RiskWarning, RiskWarningTransition
from .rules import RULES

W = WarningStatus


def responsible_staff(area_code: str):
    """The staff member a warning goes to: the first active 专干 of its community, else of its township."""
    for role, code in ((Role.COMMUNITY_STAFF, area_code), (Role.TOWNSHIP_STAFF, parent_code(area_code))):
        user = User.objects.filter(is_active=True, role=role, area__code=code).order_by("id").first()
        if user:
            return user
    return None


@transaction.atomic
def run_warnings(region, on: datetime.date | None = None) -> int:
    """Raise the warnings of every rule inside ``region`` on ``on``; returns how many were new."""
    on = on or timezone.localdate()
    rows, staff = [], {}
    for rule in RULES:
        for found in rule.find(region, on, rule):
            if found.area_code not in staff:
                staff[found.area_code] = responsible_staff(found.area_code)
            rows.append(RiskWarning(
                kind=rule.kind, level=rule.level, subject_kind=found.subject_kind, subject_id=found.subject_id,
                subject_label=found.label[:100], detail=found.detail[:200], area_code=found.area_code,
                condition_key=f"{rule.kind}:{found.subject_kind}{found.subject_id}:{found.episode}"[:80],
                raised_on=on, due_on=on + datetime.timedelta(days=rule.due_days), assigned_to=staff[found.area_code],
            ))  # fmt: skip
    before = RiskWarning.objects.count()
    RiskWarning.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    new = RiskWarning.objects.count() - before
    log_action("risk_warning.run", by=None, data={"area": region.scope_prefix, "on": on.isoformat(), "new": new})
    return new


def escalate_overdue(region, on: datetime.date | None = None) -> int:
    """Warnings past their due day, not resolved and not yet escalated, go up one level (red stays red)."""
    on = on or timezone.localdate()
    overdue = (
        RiskWarning.objects.in_area(region).filter(due_on__lt=on, escalated_on__isnull=True).exclude(status=W.RESOLVED)
    )
    count = overdue.filter(level__lt=Level.RED).update(level=F("level") + 1, escalated_on=on)
    count += overdue.filter(level=Level.RED).update(escalated_on=on)
    if count:
        log_action("risk_warning.escalate", by=None, data={"area": region.scope_prefix, "count": count})
    return count


def _area_staff(warning, by, scope: Scope | None) -> bool:
    return scope is not None and scope.can(CASEWORK) and scope.covers(warning.area_code)


_REFUSED = "只有预警所在辖区的工作人员可以处置"
WORKFLOW = Workflow(
    model=RiskWarning,
    states=WarningStatus,
    moves=moves_from(WARNING_MOVES, lambda frm, to: Move(_area_staff, refused=_REFUSED, min_reason=2 if to == W.RESOLVED
                                                             else 0, reason_error="解除说明：至少2个字")),
    log=RiskWarningTransition,
    subject="warning",
    action="risk_warning.{to}",
    label="预警状态",
)  # fmt: skip


def acknowledge(warning: RiskWarning, *, by, scope: Scope | None) -> RiskWarning:
    """签收: the responsible staff have seen it."""
    return transition(WORKFLOW, warning, W.ACKNOWLEDGED, by=by, scope=scope)


def work(warning: RiskWarning, case: AssistanceCase, *, by, scope: Scope | None) -> RiskWarning:
    """处置: linked to an assistance case of the warning's area."""
    if not case.area_code.startswith(warning.area_code[:9]):
        raise ValidationError({"case_id": ["帮扶案件：应为预警所在乡镇/街道的案件"]})

    def prepare(record, frm, to):
        record.case = case
        return ["case"]

    return transition(WORKFLOW, warning, W.WORKING, by=by, scope=scope, prepare=prepare)


def resolve(warning: RiskWarning, note: str, *, by, scope: Scope | None) -> RiskWarning:
    """解除 with a note (at least 2 characters, at most 200, no control characters)."""
    note = validate_text((note or "").strip(), label="解除说明", max_length=200)

    def prepare(record, frm, to):
        record.resolution, record.resolved_on = note, timezone.localdate()
        return ["resolution", "resolved_on"]

    return transition(WORKFLOW, warning, W.RESOLVED, by=by, scope=scope, reason=note, prepare=prepare)


def dashboard(region) -> list[dict]:
    """Unresolved warnings of ``region`` counted by area and kind (the dashboard's table)."""
    return list(
        RiskWarning.objects.in_area(region).exclude(status=W.RESOLVED).values("area_code", "kind")
        .annotate(count=Count("id"), escalated=Count("id", filter=Q(escalated_on__isnull=False)))
        .order_by("area_code", "kind")
    )  # fmt: skip


def run_daily(area_code: str = "") -> dict:
    """The daily run: raise new warnings and escalate the overdue ones in every county (or in ``area_code``)."""
    regions = Region.objects.filter(code=area_code) if area_code else Region.objects.filter(level=RegionLevel.COUNTY)
    raised = escalated = 0
    for region in regions.current().order_by("code"):
        raised += run_warnings(region)
        escalated += escalate_overdue(region)
    return {"raised": raised, "escalated": escalated}
