"""Cron expressions, read by croniter (a maintained library; we write no cron parser).

Five fields, minute hour day month weekday, in the deployment's time zone (``TIME_ZONE``,
Asia/Shanghai): ``30 1 * * *`` is 01:30 every day, ``10 0 1 * *`` 00:10 on the 1st of each month.
"""

import datetime

from croniter import CroniterBadCronError, CroniterBadDateError, croniter
from django.core.exceptions import ValidationError
from django.utils import timezone

from jobcircle.common.validators import validate_text

from .models import ScheduleEntry

LABEL = str(ScheduleEntry._meta.get_field("cron").verbose_name)
MAX_LENGTH = ScheduleEntry._meta.get_field("cron").max_length
HINT = "应为5段：分 时 日 月 周，如“30 1 * * *”（每天1:30）、“10 0 1 * *”（每月1日0:10）"


def clean_cron(value) -> str:
    """A cron expression as stored, or ``ValidationError({"cron": …})`` naming the field.

    - one line, no control characters, at most 100 characters;
    - exactly five fields (no seconds, no ``@daily`` nicknames: one form for people to read);
    - croniter must read it, and it must fire at least once (``0 0 31 2 *`` never does).
    """
    try:
        text = " ".join(validate_text(value, label=LABEL, max_length=MAX_LENGTH).split())
    except ValidationError as exc:
        raise ValidationError({"cron": exc.messages}) from exc
    if len(text.split(" ")) != 5 or not croniter.is_valid(text):
        raise ValidationError({"cron": [f"{LABEL}：“{text}”格式不正确，{HINT}"]})
    try:
        next_after(text, timezone.now())
    except (CroniterBadCronError, CroniterBadDateError) as exc:
        raise ValidationError({"cron": [f"{LABEL}：“{text}”永远不会运行（日期不存在），{HINT}"]}) from exc
    return text


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(second=0, microsecond=0)


def latest_at_or_before(cron: str, moment: datetime.datetime) -> datetime.datetime:
    """The last time the expression fired at or before ``moment`` (whole minutes, local time)."""
    base = _local(moment)
    if croniter.match(cron, base):
        return base
    return croniter(cron, base).get_prev(datetime.datetime)


def next_after(cron: str, moment: datetime.datetime) -> datetime.datetime:
    """The first time the expression fires strictly after ``moment``."""
    return croniter(cron, _local(moment)).get_next(datetime.datetime)
