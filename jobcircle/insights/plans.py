"""目标任务 and 重点任务分工: yearly targets for registered figures with their monthly progress, and the
key-task table. Writes are audited; values come from the figures registry, never re-counted here."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from jobcircle.areas.models import Region
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import validate_text

from . import figures as registry
from .models import KeyTask, KeyTaskNote, Target

# 红黄绿: on pace (progress ≥ the share of the year elapsed) is green; up to AMBER_MARGIN percentage
# points behind is amber; further behind is red. The bureau's usual margin; a county may change it here.
AMBER_MARGIN = Decimal(10)
GREEN, AMBER, RED = "green", "amber", "red"
RAG_LABELS = {GREEN: "绿（进度达标）", AMBER: "黄（略滞后）", RED: "红（明显滞后）"}


def _decimal(errors, field, label, value):
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.add(field, f"{label}：应为数字（收到“{value}”）")
        return None
    if not number.is_finite() or number <= 0:
        errors.add(field, f"{label}：应大于0（收到“{value}”）")
        return None
    return number


@transaction.atomic
def set_target(region: Region, *, by, year, figure_code, value) -> Target:
    """Set (or replace) an area's yearly target for a registered figure.

    - ``figure_code`` must be registered (insights.figures); ``year`` 2000–2100; ``value`` > 0;
    - one target per area, year and figure: setting it again replaces the value;
    - audited as ``insights.target.set``.
    """
    errors = FieldErrors()
    if figure_code not in registry.REGISTRY:
        errors.add("figure_code", f"指标：未登记的指标代码“{figure_code}”")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors.add("year", f"年度：应在2000至2100之间（收到“{year}”）")
    number = _decimal(errors, "value", "目标值", value)
    errors.raise_if_any()
    target, _ = Target.objects.update_or_create(
        area_code=region.code, year=year, figure_code=figure_code, defaults={"value": number, "set_by": by}
    )
    log_action("insights.target.set", by=by, obj=target, data={"year": year, "figure": figure_code, "value": number})
    return target


@transaction.atomic
def split_target(target: Target, *, by, parts: dict[str, object]) -> list[Target]:
    """Split a target down to the areas one level below (乡镇分解).

    - ``parts`` maps each child area's code to its share; every code must be a child of the target's area;
    - for a count or an amount the shares must add up to the target (a rate in % is given to each as is);
    - each share is a target of its own (``parent`` = this one), replacing an earlier split;
    - audited as ``insights.target.split``.
    """
    errors = FieldErrors()
    children = {r.code: r for r in Region.objects.current().filter(parent__code=target.area_code)}
    shares = {}
    for code, value in parts.items():
        if code not in children:
            errors.add("parts", f"分解：{code} 不是本区域的下级区划")
            continue
        number = _decimal(errors, "parts", f"分解：{children[code].name}", value)
        if number is not None:
            shares[code] = number
    figure = registry.REGISTRY.get(target.figure_code)
    if shares and figure is not None and figure.unit != "%" and sum(shares.values()) != target.value:
        errors.add("parts", f"分解：各乡镇合计{sum(shares.values())}，应等于目标{target.value}")
    if not parts:
        errors.add("parts", "分解：请填写各乡镇的目标")
    errors.raise_if_any()
    split = [
        Target.objects.update_or_create(
            area_code=code, year=target.year, figure_code=target.figure_code,
            defaults={"value": value, "parent": target, "set_by": by},
        )[0]
        for code, value in shares.items()
    ]  # fmt: skip
    log_action("insights.target.split", by=by, obj=target, data={code: str(v) for code, v in shares.items()})
    return split


@dataclass(frozen=True)
class Progress:
    target: Target
    label: str
    unit: str
    area_name: str
    actual: object  # the figure's value for January to the month's end (None: no data)
    elapsed: Decimal  # share of the year elapsed at the month's end, percent

    @property
    def percent(self) -> Decimal | None:
        """Progress as a percentage of the target (one decimal); None without a value."""
        if self.actual is None:
            return None
        return (Decimal(self.actual) * 100 / self.target.value).quantize(Decimal("0.1"))

    @property
    def rag(self) -> str | None:
        if self.percent is None:
            return None
        if self.percent >= self.elapsed:
            return GREEN
        return AMBER if self.percent >= self.elapsed - AMBER_MARGIN else RED

    @property
    def rag_label(self) -> str:
        return RAG_LABELS.get(self.rag, "无数据")


def year_to_month(year: int, month: int) -> registry.Period:
    """January 1 to the end of ``month``: the period a yearly target's progress is read for."""
    end = registry.parse_period(f"{year}-{month:02d}").end
    return registry.Period(datetime.date(year, 1, 1), end, f"{year}年1—{month}月")


def target_progress(targets, year: int, month: int) -> list[Progress]:
    """Each target's progress at the end of ``month``, against the time elapsed (month ÷ 12).

    - the value is the registered figure for the target's area from January 1 to the month's end
      (a flow: the year's cumulative count; a stock: its value at the month's end);
    - 红黄绿 per ``Progress.rag``; a figure without a value (no denominator, no data) has none.
    """
    period = year_to_month(year, month)
    elapsed = (Decimal(month) * 100 / 12).quantize(Decimal("0.1"))
    names = dict(Region.objects.filter(code__in=[t.area_code for t in targets]).values_list("code", "name"))
    rows, cache = [], {}
    for target in targets:
        figure = registry.REGISTRY.get(target.figure_code)
        if figure is None:  # a figure removed from the registry: its target is kept, not shown
            continue
        prefix = Region(code=target.area_code).scope_prefix
        actual = figure.value(prefix, period, cache)
        rows.append(Progress(target, figure.label, figure.unit, names.get(target.area_code, ""), actual, elapsed))
    return rows


def township_ranking(parent: Target, month: int) -> list[Progress]:
    """The split of a target ranked by progress (招工排名): highest percentage first, no value last."""
    rows = target_progress(list(parent.parts.order_by("area_code")), parent.year, month)
    return sorted(rows, key=lambda row: (row.percent is None, -(row.percent or 0), row.target.area_code))


# --- 重点任务分工 -------------------------------------------------------------------------------


def _text(errors, data, field, label, model, *, required=True):
    text = str(data.get(field) or "").strip()
    if required and not text:
        errors.add(field, f"{label}：不能为空")
        return ""
    max_length = model._meta.get_field(field).max_length
    multiline = field == "text"  # a progress note may run over several lines
    return errors.capture(field, validate_text, text, label=label, max_length=max_length, multiline=multiline) or ""


def _date(errors, data, field, label):
    value = data.get(field)
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        errors.add(field, f"{label}：格式应为“2026-11-05”（收到“{value or ''}”）")
        return None


@transaction.atomic
def create_key_task(region: Region, *, by, data: dict) -> KeyTask:
    """A key task of an area.

    - ``title``, ``responsible_unit``, ``lead`` required text; ``deadline`` a date;
    - audited as ``insights.key_task.created``.
    """
    errors = FieldErrors()
    values = {
        "title": _text(errors, data, "title", "重点任务", KeyTask),
        "deadline": _date(errors, data, "deadline", "完成时限"),
        "responsible_unit": _text(errors, data, "responsible_unit", "责任单位", KeyTask),
        "lead": _text(errors, data, "lead", "牵头领导/责任人", KeyTask),
    }
    errors.raise_if_any()
    task = KeyTask.objects.create(area_code=region.code, created_by=by, **values)
    log_action("insights.key_task.created", by=by, obj=task, data={"deadline": task.deadline})
    return task


@transaction.atomic
def add_key_task_note(task: KeyTask, *, by, data: dict) -> KeyTaskNote:
    """A dated progress note, optionally moving the task's status.

    - ``noted_on`` a date; ``text`` required; ``status`` empty (unchanged) or one of KeyTask.Status;
    - audited as ``insights.key_task.noted`` (with the status change, if any).
    """
    errors = FieldErrors()
    noted_on = _date(errors, data, "noted_on", "日期")
    text = _text(errors, data, "text", "进展情况", KeyTaskNote)
    status = data.get("status") or ""
    if status and status not in KeyTask.Status.values:
        errors.add("status", f"状态取值无效：{status}")
    errors.raise_if_any()
    task = KeyTask.objects.select_for_update(of=("self",)).get(pk=task.pk)
    note = KeyTaskNote.objects.create(task=task, noted_on=noted_on, text=text, recorded_by=by)
    if status and status != task.status:
        task.status = status
        task.save(update_fields=["status"])
    log_action("insights.key_task.noted", by=by, obj=task, data={"noted_on": noted_on, "status": task.status})
    return note
