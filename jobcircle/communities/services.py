"""“三公里”充分就业社区: the standard (versioned data), the live assessment and the certification workflow.

- ``standard_for(community, day)``: the version that applies — the newest valid on the day among those of
  the community's county, city and province (the nearest area wins), else the shipped default (area "").
- ``new_standard_version``: the county edits its standard by adding a number (never by editing a used one).
- ``assess``: each criterion's value, pass/fail and records, computed live; ``assess_area`` for every
  community of an area and ``compliance`` its 达标率.
- Certification: ``submit`` (社区申报) → ``review`` at 乡镇初审, 县审核, 市认定 (or 退回 with a reason), through
  ``common.workflow.transition``; 市认定 fixes the year's reward from the standard.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jobcircle.accounts.access import Scope
from jobcircle.accounts.enums import Role
from jobcircle.areas.codes import prefix_of
from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.models import Region
from jobcircle.common.audit import log_action
from jobcircle.common.validators import validate_text
from jobcircle.common.workflow import Move, Workflow, moves_from, transition

from .enums import AT_MOST, CERTIFICATION_MOVES, CertificationStatus, Measure
from .measures import MEASURES, NONE_PASSES, percent
from .models import Certification, CertificationTransition, Criterion, Standard

S = CertificationStatus
MAX_THRESHOLD = Decimal("100000")


# --- the standard -------------------------------------------------------------------------------


def year_day(year: int, today: datetime.date | None = None) -> datetime.date:
    """The day a year is read on: its last day, or today while it runs."""
    return min(datetime.date(year, 12, 31), today or timezone.localdate())


def standard_for(community: Region, day: datetime.date) -> Standard | None:
    """The standard version that applies to ``community`` on ``day``: the nearest area's newest valid one."""
    best = None
    for standard in Standard.objects.filter(valid_from__lte=day).order_by("-number"):
        prefix = prefix_of(standard.area_code) if standard.area_code else ""
        if community.code.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), standard)
    return best[1] if best else None


def _threshold(errors, index, value):
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        errors[f"criteria[{index}].threshold"] = ["达标值：请输入数字"]
        return None
    if not Decimal(0) <= number <= MAX_THRESHOLD:
        errors[f"criteria[{index}].threshold"] = ["达标值：应在0到100000之间"]
        return None
    return number


@transaction.atomic
def new_standard_version(region: Region, *, by, name: str, valid_from: datetime.date, criteria: list[dict],
                         reward=Decimal("6000.00")) -> Standard:  # fmt: skip
    """Add the next version of ``region``'s standard with ``criteria`` [{measure, threshold, evidence}].

    Bad input is refused naming the field, and nothing is written: an unknown or repeated measure, a
    threshold outside 0–100000, evidence empty or over 200 characters, a reward under 6000 元.
    """
    errors: dict[str, list[str]] = {}
    for key, label, value, limit in (("name", "标准名称", name, 60),):
        try:
            validate_text(value, label=label, max_length=limit)
        except ValidationError as exc:
            errors[key] = exc.messages
        if not (value or "").strip():
            errors[key] = [f"{label}：必填"]
    try:
        reward = Decimal(str(reward)).quantize(Decimal("0.01"))
        if not Decimal("6000") <= reward <= Decimal("10000000"):
            errors["reward"] = ["年度奖补：每个社区每年不少于6000元"]
    except (InvalidOperation, ValueError, TypeError):
        errors["reward"] = ["年度奖补：请输入金额"]
    rows, seen = [], set()
    if not criteria:
        errors["criteria"] = ["评价指标：至少一项"]
    for index, item in enumerate(criteria or []):
        measure = (item or {}).get("measure")
        if measure not in Measure.values or measure in seen:
            errors[f"criteria[{index}].measure"] = [f"指标：取值无效或重复：{measure}"]
            continue
        seen.add(measure)
        threshold = _threshold(errors, index, item.get("threshold"))
        evidence = (item.get("evidence") or "").strip()
        try:
            validate_text(evidence, label="佐证材料", max_length=200)
        except ValidationError as exc:
            errors[f"criteria[{index}].evidence"] = exc.messages
        if not evidence:
            errors[f"criteria[{index}].evidence"] = ["佐证材料：必填"]
        rows.append((measure, threshold, evidence))
    if errors:
        raise ValidationError(errors)
    number = (Standard.objects.filter(area_code=region.code).aggregate(n=Max("number"))["n"] or 0) + 1
    standard = Standard.objects.create(
        area_code=region.code, number=number, name=name.strip(), valid_from=valid_from, reward=reward, created_by=by
    )
    Criterion.objects.bulk_create(
        Criterion(standard=standard, measure=m, threshold=t, evidence=e, sort_order=i)
        for i, (m, t, e) in enumerate(rows)
    )
    log_action("community_standard.create", by=by, obj=standard, data={"area": region.code, "number": number})
    return standard


# --- the assessment -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    value: Decimal | None
    passed: bool
    note: str
    records: object  # the QuerySet behind the value

    def as_dict(self) -> dict:
        return {
            "measure": self.criterion.measure,
            "label": self.criterion.get_measure_display(),
            "threshold": str(self.criterion.threshold),
            "value": None if self.value is None else str(self.value),
            "passed": self.passed,
            "note": self.note,
        }


@dataclass(frozen=True)
class Assessment:
    community: Region
    year: int
    standard: Standard | None
    results: list[CriterionResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """达标: a standard applies and every criterion of it passes."""
        return self.standard is not None and all(r.passed for r in self.results)

    @property
    def state(self) -> str:
        if self.standard is None:
            return "无适用标准"
        return "达标" if self.passed else f"未达标（{sum(not r.passed for r in self.results)}项）"


def judge(criterion: Criterion, value: Decimal | None) -> bool:
    """A value meets a criterion: at most the threshold for the AT_MOST measures, at least it for the others;
    no value passes only where there is nobody to count (``measures.NONE_PASSES``)."""
    if value is None:
        return criterion.measure in NONE_PASSES
    return value <= criterion.threshold if criterion.measure in AT_MOST else value >= criterion.threshold


def assess(community: Region, year: int, *, on: datetime.date | None = None) -> Assessment:
    """The live assessment of ``community`` for ``year`` read on ``on`` (default: the year's last day or today)."""
    on = on or year_day(year)
    standard = standard_for(community, on)
    if standard is None:
        return Assessment(community, year, None)
    results = []
    for criterion in standard.criteria.all():
        reading = MEASURES[criterion.measure](community, year, on)
        results.append(CriterionResult(criterion, reading.value, judge(criterion, reading.value), reading.note,
                                       reading.records))  # fmt: skip
    return Assessment(community, year, standard, results)


def communities_of(region) -> list[Region]:
    """The current communities (社区/村) inside ``region``."""
    return list(Region.objects.communities().current().in_area(region).order_by("code"))


def assess_area(region, year: int, *, on: datetime.date | None = None) -> list[Assessment]:
    """Every community of ``region`` assessed live for ``year``."""
    return [assess(community, year, on=on) for community in communities_of(region)]


@dataclass(frozen=True)
class Compliance:
    communities: int  # 社区/村 in the area (个, stock)
    passing: int  # of them meeting every criterion now (个, stock)
    certified: int  # of them certified for the year (个, stock)

    @property
    def rate(self) -> Decimal:
        """达标率 (%): passing ÷ communities × 100, two decimals; 0 without communities."""
        return percent(self.passing, self.communities) or Decimal("0")

    @property
    def certified_rate(self) -> Decimal:
        """认定率 (%): certified ÷ communities × 100, two decimals; 0 without communities."""
        return percent(self.certified, self.communities) or Decimal("0")


def certified(region, year: int):
    """Certifications of ``year`` inside ``region`` the city has certified (市级认定)."""
    return Certification.objects.in_area(region).filter(year=year, status=S.CERTIFIED).select_related("community")


def compliance(region, year: int, *, on: datetime.date | None = None) -> Compliance:
    """达标 and 认定 of ``region``'s communities for ``year`` (live assessment; certifications as recorded)."""
    assessments = assess_area(region, year, on=on)
    return Compliance(len(assessments), sum(a.passed for a in assessments), certified(region, year).count())


# --- certification ------------------------------------------------------------------------------


def _role_covering(role, *, level_at_most=None):
    def who(certification, by, scope: Scope | None) -> bool:
        if scope is None or not scope.covers(certification.area_code) or scope.role != role:
            return False
        return level_at_most is None or scope.region.level <= level_at_most

    return who


_MOVERS = {
    S.SUBMITTED: Move(_role_covering(Role.COMMUNITY_STAFF), refused="只有本社区/村就业专干可以申报"),
    S.TOWNSHIP_PASSED: Move(_role_covering(Role.TOWNSHIP_STAFF), refused="只有所属乡镇/街道工作人员可以初审"),
    S.COUNTY_PASSED: Move(
        _role_covering(Role.COUNTY_ADMIN, level_at_most=RegionLevel.COUNTY), refused="只有所属区县人社局可以审核"
    ),
    S.CERTIFIED: Move(
        _role_covering(Role.COUNTY_ADMIN, level_at_most=RegionLevel.CITY), refused="只有所属市人社局可以认定"
    ),
}
_REVIEWERS = {S.SUBMITTED: S.TOWNSHIP_PASSED, S.TOWNSHIP_PASSED: S.COUNTY_PASSED, S.COUNTY_PASSED: S.CERTIFIED}


def _move(frm, to) -> Move:
    if to == S.RETURNED:
        reviewer = _MOVERS[_REVIEWERS[frm]]
        return Move(reviewer.who, refused=reviewer.refused, min_reason=2, reason_error="退回原因：至少2个字")
    return _MOVERS[to]


WORKFLOW = Workflow(
    model=Certification,
    states=CertificationStatus,
    moves=moves_from(CERTIFICATION_MOVES, _move),
    log=CertificationTransition,
    subject="certification",
    action="community_certification.{to}",
    label="申报状态",
    related=("community", "standard"),
)


def _evidence(errors, evidence):
    items = []
    for index, text in enumerate(evidence or []):
        if not isinstance(text, str):
            errors[f"evidence[{index}]"] = ["佐证材料：每项应为文字"]
            continue
        text = text.strip()
        try:
            validate_text(text, label="佐证材料", max_length=200)
        except (ValidationError, TypeError):
            errors[f"evidence[{index}]"] = ["佐证材料：每项不超过200字，不含控制字符"]
            continue
        if text:
            items.append(text)
    if len(items) > 50:
        errors["evidence"] = ["佐证材料：不超过50项"]
    return items


def submit(community: Region, year: int, *, by, scope: Scope | None, statement: str = "", evidence=()) -> Certification:
    """社区申报 for ``year`` (a new application, or the returned one again), with the live assessment kept."""
    errors: dict[str, list[str]] = {}
    statement = (statement or "").strip()
    try:
        validate_text(statement, label="申报说明", max_length=2000, multiline=True)
    except ValidationError as exc:
        errors["statement"] = exc.messages
    items = _evidence(errors, evidence)
    today = timezone.localdate()
    if not 2000 <= year <= today.year:
        errors["year"] = [f"认定年度：应在2000年到{today.year}年之间"]
    if errors:
        raise ValidationError(errors)
    if scope is None or not scope.covers(community.code):
        raise PermissionDenied(_MOVERS[S.SUBMITTED].refused)
    assessment = assess(community, year)
    if assessment.standard is None:
        raise ValidationError({"community": ["社区/村：没有适用的充分就业社区评价标准"]})
    with transaction.atomic():
        certification, _ = Certification.objects.get_or_create(
            community=community, year=year,
            defaults={"standard": assessment.standard, "created_by": by if getattr(by, "pk", None) else None},
        )  # fmt: skip

        def prepare(record, frm, to):
            record.statement, record.evidence, record.standard = statement, items, assessment.standard
            record.assessment = [r.as_dict() for r in assessment.results]
            return ["statement", "evidence", "standard", "assessment"]

        return transition(WORKFLOW, certification, S.SUBMITTED, by=by, scope=scope, prepare=prepare)


def review(certification: Certification, decision: str, *, by, scope: Scope | None, reason: str = "") -> Certification:
    """The current level's decision: "pass" moves to the next level (市认定 at the last), "return" sends it back."""
    if decision not in ("pass", "return"):
        raise ValidationError({"decision": ["审核意见：只能是 pass（通过）或 return（退回）"]})
    current = CertificationStatus(certification.status)
    if current not in _REVIEWERS:
        raise ValidationError({"status": [f"申报状态：“{current.label}”的申报不能审核"]})
    to = _REVIEWERS[current] if decision == "pass" else S.RETURNED

    def prepare(record, frm, target):
        if target != S.CERTIFIED:
            return []
        record.certified_on = timezone.localdate()
        record.reward = record.standard.reward
        return ["certified_on", "reward"]

    return transition(WORKFLOW, certification, to, by=by, scope=scope, reason=reason, prepare=prepare)
