"""The warning rules, declared as data: kind, level, days to resolve, the threshold, and the finder.

A finder ``find(region, on, rule)`` yields ``Found(subject_kind, subject_id, label, area_code, episode,
detail)`` for every subject the condition holds for on ``on``; ``episode`` is what began the condition
(so the key ``kind:subject:episode`` is raised once). Thresholds are the rule's ``days``.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Subquery

from jobcircle.assistance.enums import AWAY_LOCATIONS, WorkshopStatus
from jobcircle.assistance.models import MonitoringRecord, MonitoringTask, Workshop
from jobcircle.assistance.services import WORKING
from jobcircle.common.pii import mask_name
from jobcircle.households.stats import open_at
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import EmploymentStatusChange, Resident

from .enums import Level, SubjectKind, WarningKind


@dataclass(frozen=True)
class Found:
    subject_kind: str
    subject_id: int
    label: str
    area_code: str
    episode: str
    detail: str


@dataclass(frozen=True)
class Rule:
    kind: str
    level: int
    days: int  # how long the condition must have lasted
    due_days: int  # days the responsible staff have to resolve it
    find: Callable[[object, datetime.date, "Rule"], Iterable[Found]]


def long_unemployed(region, on: datetime.date, rule: Rule) -> Iterable[Found]:
    """Monitored people (a monthly monitoring task) whose last status change, at least ``days`` ago, is 未就业."""
    last = EmploymentStatusChange.objects.filter(resident=OuterRef("pk"), changed_on__lte=on).order_by(
        "-changed_on", "-id"
    )
    people = (
        Resident.objects.in_area(region)
        .filter(Exists(MonitoringTask.objects.filter(resident=OuterRef("pk"))))
        .annotate(
            last_id=Subquery(last.values("id")[:1]),
            last_status=Subquery(last.values("status")[:1]),
            last_on=Subquery(last.values("changed_on")[:1]),
        )  # fmt: skip
        .filter(last_status=EmploymentStatus.UNEMPLOYED, last_on__lte=on - datetime.timedelta(days=rule.days))
    )
    for person in people.order_by("id"):
        yield Found(SubjectKind.PERSON, person.pk, mask_name(person.name), person.area_code, f"S{person.last_id}",
                    f"自{person.last_on:%Y-%m-%d}起未就业，已超过{rule.days}天")  # fmt: skip


def zero_household_open(region, on: datetime.date, rule: Rule) -> Iterable[Found]:
    """零就业家庭 on the list for at least ``days`` (the open spell, households.stats)."""
    spells = open_at(region, on).filter(found_on__lte=on - datetime.timedelta(days=rule.days))
    for spell in spells.select_related("household").order_by("id"):
        yield Found(SubjectKind.HOUSEHOLD, spell.household_id, spell.household.number, spell.area_code,
                    f"Z{spell.pk}", f"{spell.found_on:%Y-%m-%d}列入零就业家庭，超过{rule.days}天未清零")  # fmt: skip


def workshop_buffer(region, on: datetime.date, rule: Rule) -> Iterable[Found]:
    """帮扶车间 in 缓冲监测: once per workshop and year (the status keeps no start date)."""
    for shop in Workshop.objects.in_area(region).filter(status=WorkshopStatus.BUFFER).order_by("id"):
        yield Found(SubjectKind.WORKSHOP, shop.pk, shop.name[:100], shop.area_code, f"Y{on.year}",
                    "帮扶车间处于缓冲监测期，吸纳就业可能减少")  # fmt: skip


def returned_idle(region, on: datetime.date, rule: Rule) -> Iterable[Found]:
    """返乡农民工 without work: the monthly monitoring showed the person working away (省内县外/省外), the first
    record after the last such month (the return) is at least ``days`` old, and no record since shows work.

    The episode is that return record, so a person who leaves again and comes back is a new condition.
    """
    records = MonitoringRecord.objects.filter(resident=OuterRef("pk"), month__lte=on)
    last_away = records.filter(work_location__in=AWAY_LOCATIONS).values("resident").annotate(m=Max("month"))
    back = records.filter(month__gt=OuterRef("last_away")).order_by("month")
    people = (
        Resident.objects.in_area(region)
        .annotate(last_away=Subquery(last_away.values("m")[:1]))
        .filter(last_away__isnull=False)
        .annotate(back_id=Subquery(back.values("id")[:1]), back_month=Subquery(back.values("month")[:1]))
        .filter(back_month__lte=on - datetime.timedelta(days=rule.days))
        .exclude(Exists(records.filter(month__gte=OuterRef("back_month"), employment_status__in=WORKING)))
    )
    for person in people.order_by("id"):
        yield Found(SubjectKind.PERSON, person.pk, mask_name(person.name), person.area_code, f"R{person.back_id}",
                    f"{person.back_month:%Y年%m月}监测显示返乡，超过{rule.days}天未就业")  # fmt: skip


RULES = [
    Rule(WarningKind.LONG_UNEMPLOYED, Level.YELLOW, days=180, due_days=15, find=long_unemployed),
    Rule(WarningKind.ZERO_HOUSEHOLD_OPEN, Level.ORANGE, days=30, due_days=7, find=zero_household_open),
    Rule(WarningKind.WORKSHOP_BUFFER, Level.YELLOW, days=0, due_days=30, find=workshop_buffer),
    Rule(WarningKind.RETURNED_IDLE, Level.BLUE, days=60, due_days=15, find=returned_idle),
]
