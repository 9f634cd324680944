"""推送频次 (issue 18): how often a person may get a job-push message, and who is due today.

Rules, the same for the daily batch and the real-time pushes (``push_realtime``):

- A person gets at most one job-push message (``InboxMessage`` of kind ``job_push``) per period.
  The period is data the county edits (``PushCadence``): a row per area ("" = everywhere) and key
  group ("" = everyone else); the most specific area wins; a person in key groups with rows of their
  own gets the shortest of those periods, anyone else the default row's (7 days when there is none).
- Due on ``day``: no push message in the ``period`` days before (the last one on day − period or earlier).
- Paused or stopped (the resident's H5 choice, ``Resident.objects.accepting_pushes``): never due.
- At most one text a week (``SMS_PERIOD_DAYS``) unless the person asked for a text with every push;
  a message that is not texted is marked ``in_app``: the inbox carries it.
- Writers of push messages serialise per county (``lock_push_keys``) and re-check due-ness inside
  their transaction, so two workers, retries and the batch never exceed the cadence together.
"""

import datetime
import zlib
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Q

from jobcircle.areas.codes import pad_code, prefix_of
from jobcircle.areas.models import Region
from jobcircle.common.audit import log_action
from jobcircle.people.models import KeyGroup, Resident

from .models import InboxMessage, JobPush, PushCadence, PushSource

DEFAULT_PERIOD_DAYS = 7
SMS_PERIOD_DAYS = 7
COUNTY_LENGTH = 6
TEXTED = (InboxMessage.SmsStatus.PENDING, InboxMessage.SmsStatus.SENDING, InboxMessage.SmsStatus.SENT)
IN_CHUNK = 900  # bound parameters per query, under SQLite's limit


class Cadence:
    """The periods of ``PushCadence``, read once; ``period(area_code, key_groups)`` answers per person."""

    def __init__(self, rules=None):
        rules = (
            PushCadence.objects.values_list("area_code", "key_group_code", "period_days") if rules is None else rules
        )
        # {key group: [(prefix length, prefix, days)]}, most specific prefix first.
        self.by_group = defaultdict(list)
        for area_code, group, days in rules:
            prefix = prefix_of(area_code) if area_code else ""
            self.by_group[group].append((len(prefix), prefix, int(days)))
        for entries in self.by_group.values():
            entries.sort(reverse=True)
        self.longest = max([DEFAULT_PERIOD_DAYS] + [d for e in self.by_group.values() for _, _, d in e])
        self._memo = {}

    def _days(self, group, area_code):
        for _, prefix, days in self.by_group.get(group, ()):
            if area_code.startswith(prefix):
                return days
        return None

    def period(self, area_code, key_groups=()) -> int:
        """The period in days of a person living in ``area_code`` with these key-group codes."""
        key = (area_code, tuple(key_groups))
        if key not in self._memo:
            own = [d for d in (self._days(g, area_code) for g in key_groups if g) if d is not None]
            default = self._days("", area_code)
            self._memo[key] = min(own) if own else (default or DEFAULT_PERIOD_DAYS)
        return self._memo[key]


def _push_messages(resident_ids=None, area_prefix=None):
    """Push messages of some residents (in chunks of ids), or of an area (one range on the (day, area) index)."""
    rows = InboxMessage.objects.filter(kind=InboxMessage.Kind.JOB_PUSH).order_by()
    if area_prefix is not None:
        yield rows.filter(area_code__gte=area_prefix.ljust(12, "0"), area_code__lte=area_prefix.ljust(12, "9"))
        return
    ids = list(resident_ids)
    for i in range(0, len(ids), IN_CHUNK):
        yield rows.filter(resident_id__in=ids[i : i + IN_CHUNK])


def last_push_days(resident_ids=None, *, since, before=None, area_prefix=None) -> dict:
    """{resident id: day of their last push message} on or after ``since`` (and before ``before``),
    for the given residents or everyone of ``area_prefix``."""
    out = {}
    for rows in _push_messages(resident_ids, area_prefix):
        rows = rows.filter(pushed_on__gte=since)
        if before is not None:
            rows = rows.filter(pushed_on__lt=before)
        out.update(rows.values("resident_id").annotate(day=Max("pushed_on")).values_list("resident_id", "day"))
    return out


def texted_recently(resident_ids=None, day=None, *, area_prefix=None) -> set:
    """Residents with a push message of the last ``SMS_PERIOD_DAYS`` days up to ``day`` that was (or will
    be) texted, among the given residents or everyone of ``area_prefix``."""
    since = day - datetime.timedelta(days=SMS_PERIOD_DAYS - 1)
    out = set()
    for rows in _push_messages(resident_ids, area_prefix):
        rows = rows.filter(pushed_on__gte=since, pushed_on__lte=day, sms_status__in=TEXTED)
        out.update(rows.values_list("resident_id", flat=True))
    return out


def is_due(last_day, period, day) -> bool:
    return last_day is None or (day - last_day).days >= period


def due_residents(people, day, *, cadence: Cadence | None = None, last=None) -> set:
    """Ids of ``people`` ((id, area code, key-group codes) triples) due a push message on ``day``.

    ``last`` ({id: last push day}) may be given by a caller that read it already.
    """
    cadence = cadence or Cadence()
    people = list(people)
    if last is None:
        since = day - datetime.timedelta(days=cadence.longest)
        last = last_push_days([p[0] for p in people], since=since)
    return {rid for rid, area, groups in people if is_due(last.get(rid), cadence.period(area, groups), day)}


def sms_statuses(resident_ids, every_time: dict, day, *, recent=None) -> dict:
    """{resident id: sms status of today's push message}: pending, unless texted this week and not opted in."""
    recent = texted_recently(resident_ids, day) if recent is None else recent
    return {
        rid: InboxMessage.SmsStatus.PENDING
        if every_time.get(rid) or rid not in recent
        else InboxMessage.SmsStatus.IN_APP
        for rid in resident_ids
    }


def pushed_today(job_ids, day, counties) -> dict:
    """{job id: pushes of ``day``}: real-time ones everywhere, the batch's within ``counties`` (prefixes).

    A job's capacity (factor × places) is one per day, shared by the batch and the real-time pushes;
    the batch's pushes of a job go to seekers around it, so the counties around it are where to count.
    """
    counts = defaultdict(int)
    ids = list(job_ids)
    for i in range(0, len(ids), IN_CHUNK):
        chunk = ids[i : i + IN_CHUNK]
        realtime = JobPush.objects.filter(pushed_on=day, job_id__in=chunk).exclude(source=PushSource.BATCH)
        for job_id in realtime.values_list("job_id", flat=True):
            counts[job_id] += 1
        if counties:
            areas = Q()
            for prefix in counties:
                areas |= Q(area_code__gte=prefix.ljust(12, "0"), area_code__lte=prefix.ljust(12, "9"))
            batch = JobPush.objects.filter(areas, pushed_on=day, job_id__in=chunk, source=PushSource.BATCH)
            for job_id in batch.values_list("job_id", flat=True):
                counts[job_id] += 1
    return dict(counts)


def lock_push_keys(keys):
    """Serialise writers of push messages on ``keys`` ("county:990121", "job:17") until the transaction ends.

    - PostgreSQL: transaction-scoped advisory locks, taken in one sorted order (no deadlock).
    - SQLite: every write transaction is already exclusive (``transaction_mode = IMMEDIATE``).
    """
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("lock_push_keys needs a transaction")
    with connection.cursor() as cursor:
        for key in sorted(set(keys)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_id(key)])


def _lock_id(key) -> int:
    """A stable signed 63-bit id of a lock key (namespace 0x4A43, "JC")."""
    return (0x4A43 << 47) | (zlib.crc32(f"jobcircle.push:{key}".encode()) << 8)


def county_key(area_code) -> str:
    return f"county:{area_code[:COUNTY_LENGTH]}"


# --- what staff see, and what the county edits -------------------------------------------------


@dataclass
class PersonCadence:
    """A person's push cadence as staff see it on the person's page."""

    period_days: int
    last_push_on: datetime.date | None
    next_due_on: datetime.date
    paused_until: datetime.date | None
    stopped: bool
    sms_every_time: bool
    last_sms_on: datetime.date | None


def person_cadence(resident: Resident, *, today) -> PersonCadence:
    """Cadence, last push, next due day and the resident's own choices."""
    groups = resident.key_groups.filter(is_active=True).values_list("code", flat=True)
    period = Cadence().period(resident.area_code, sorted(groups))
    messages = InboxMessage.objects.filter(resident_id=resident.pk, kind=InboxMessage.Kind.JOB_PUSH)
    last = messages.aggregate(day=Max("pushed_on"))["day"]
    last_sms = messages.filter(sms_status=InboxMessage.SmsStatus.SENT).aggregate(day=Max("pushed_on"))["day"]
    next_due = today if last is None else max(today, last + datetime.timedelta(days=period))
    if resident.push_paused_until and resident.push_paused_until >= next_due:
        next_due = resident.push_paused_until + datetime.timedelta(days=1)
    return PersonCadence(period, last, next_due, resident.push_paused_until, resident.push_stopped,
                         resident.push_sms_every_time, last_sms)  # fmt: skip


@transaction.atomic
def set_push_cadence(*, by, area_code="", key_group_code="", period_days) -> PushCadence:
    """Set (or change) the push period of an area and key group; audited.

    - ``area_code``: a region's code, "" for every area; ``key_group_code``: an active key group, "" for
      everyone else; ``period_days``: 1 to 90.
    - Bad input is refused naming the field; nothing is written.
    """
    errors = {}
    code = ""
    if area_code:
        try:
            code = pad_code(area_code)
        except ValueError as exc:
            errors["area_code"] = [f"区划代码：{exc}"]
        else:
            if not Region.objects.filter(code=code).exists():
                errors["area_code"] = [f"区划代码不存在：{area_code}"]
    if key_group_code and not KeyGroup.objects.filter(code=key_group_code, is_active=True).exists():
        errors["key_group_code"] = [f"重点群体不存在：{key_group_code}"]
    try:
        days = int(period_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 90:
        errors["period_days"] = ["推送间隔：应为1到90天"]
    if errors:
        raise ValidationError(errors)
    rule, _ = PushCadence.objects.update_or_create(
        area_code=code, key_group_code=key_group_code,
        defaults={"period_days": days, "updated_by": by if getattr(by, "pk", None) else None},
    )  # fmt: skip
    log_action("matching.cadence.set", by=by, obj=rule, area_code=code,
               data={"key_group": key_group_code, "period_days": days})  # fmt: skip
    return rule
