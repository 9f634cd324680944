"""精准送岗: push k suitable jobs to every job seeker of an area ("一点填写、精准送岗").

How a run goes (docs/matching.md has the reasoning):

- ``start_push`` plans the run: one partition per county (or township, ``partition_level``) that
  has job seekers, each a background task (``tasks.push_partition_task``). A run is unique per
  (day, area) and a partition per (day, area): re-running a day finds them and redoes nothing.
- ``run_partition`` claims its partition, loads a snapshot of its seekers and of the open jobs
  within their reach (the county plus a margin of the largest distance its seekers accept, at
  least 3 km), computes, and writes the pushes and inbox messages in one transaction.
- Rules of the allocation:
    - every hard filter of the engine holds, and a job is never pushed to the same person twice
      within ``window_days``;
    - a job with headcount h reaches at most ``capacity_factor`` × h seekers per run; a job within
      reach of several partitions has that capacity split among them in proportion to the
      seekers of each who can reach it,
      so partitions never exceed it together, whichever worker runs them and in whatever order;
    - within a partition, the greedy rule: the highest-scoring pair first (see ``engine.allocate``).
- SMS go out afterwards (``send_push_sms``), at most once per message.
"""

import datetime
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import h3
import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from jobcircle.areas.codes import pad_code, prefix_of
from jobcircle.areas.geo.cells import COARSE_RES, EDGE_MAX_FACTOR, EDGE_MIN_FACTOR
from jobcircle.areas.models import Region
from jobcircle.common import pii, progress
from jobcircle.common.audit import log_action
from jobcircle.common.sms import SMSError, send_sms
from jobcircle.employers.models import Job
from jobcircle.people.models import Resident

from .conf import MatchingConfig, get_config
from .engine import (
    M_PER_DEG,
    CandidateFinder,
    Grid,
    Pairs,
    Scorer,
    allocate,
    apportion,
    chunks_by_query,
    open_admission,
    top_per_seeker,
)
from .loaders import JOB_COLUMNS, int_pairs, seeker_features, snapshot_values
from .models import InboxMessage, JobPush, PartitionStatus, PushPartition, PushReach, PushRun
from .reasons import distance_text
from .snapshot import (
    JobTable,
    SeekerTable,
    build_jobs,
    build_seekers,
    chord2_for_radius,
    unique_values,
    unit_vectors,
)

PREFIX_LENGTH = {"county": 6, "township": 9}
SQL_IN_CHUNK = 900  # stays under SQLite's bound-parameter limit
PUSH_TITLE = "为您推荐{n}个附近岗位"


def area_range(prefix, field="area_code"):
    """Codes starting with ``prefix`` as a range, which a b-tree index serves in any collation."""
    return {f"{field}__gte": prefix.ljust(12, "0"), f"{field}__lte": prefix.ljust(12, "9")}


# --- planning -------------------------------------------------------------------------------------


def start_push(*, by=None, area_code="", k=None, pushed_on=None, enqueue=True) -> PushRun:
    """Plan (or find) the push of ``pushed_on`` for an area and start its partitions.

    - ``area_code``: a region code, or "" for every area; k defaults to ``push_k``.
    - One partition per county (``partition_level``) with job seekers inside the area; an area
      smaller than that level is a partition by itself.
    - Partitions already done or running today are left alone; pending and failed ones are
      (re)started: as background tasks (``enqueue``) or here, one after the other.
    """
    config = get_config()
    pushed_on = pushed_on or timezone.localdate()
    k = int(k or config.push_k)
    if not 1 <= k <= 10:
        raise ValidationError({"k": ["每人推送岗位数：应为1到10"]})
    code, prefix = "", ""
    if area_code:
        try:
            code = pad_code(area_code)
        except ValueError as exc:
            raise ValidationError({"area": [str(exc)]}) from exc
        if not Region.objects.filter(code=code).exists():
            raise ValidationError({"area": [f"区划代码不存在：{area_code}"]})
        prefix = prefix_of(code)
    with transaction.atomic():
        run, created = PushRun.objects.get_or_create(
            pushed_on=pushed_on, area_code=code,
            defaults={"k": k, "capacity_factor": config.capacity_factor, "partition_level": config.partition_level,
                      "created_by": by if getattr(by, "pk", None) else None},
        )  # fmt: skip
        if created:
            by_area = count_reach(run, config)
            counts = _partition_counts(by_area, prefix, config)
            for part_code, seekers in counts.items():
                PushPartition.objects.get_or_create(
                    pushed_on=pushed_on, area_code=part_code, defaults={"run": run, "seekers": seekers}
                )
            total = PushPartition.objects.filter(run=run).aggregate(n=Sum("seekers"))["n"] or 0
            run.progress = progress.start("matching.push_jobs", by=by, total=total, area_code=code,
                                          message=f"{pushed_on} 精准送岗")  # fmt: skip
            run.save(update_fields=["progress"])
            log_action("matching.push.started", by=by, obj=run, area_code=code,
                       data={"pushed_on": str(pushed_on), "k": k, "partitions": len(counts)})  # fmt: skip
    todo = list(run.partitions.filter(status__in=[PartitionStatus.PENDING, PartitionStatus.FAILED]).order_by("pk"))
    if not todo:
        _report_progress(run)
        return run
    max_reach_m = widest_reach_m(run, config)
    for partition in todo:
        if enqueue:
            from .tasks import push_partition_task

            push_partition_task.enqueue(partition.pk, max_reach_m)
        else:
            run_partition(partition.pk, max_reach_m=max_reach_m, worker="inline")
    return run


def _partition_counts(by_area: dict, prefix, config: MatchingConfig) -> dict:
    """{12-digit partition code: job seekers} for the partitions inside ``prefix``."""
    length = max(PREFIX_LENGTH[config.partition_level], len(prefix))
    counts = defaultdict(int)
    for area_code, n in by_area.items():
        if area_code.startswith(prefix):
            counts[area_code[:length].ljust(12, "0")] += n
    return dict(sorted(counts.items()))


def count_reach(run: PushRun, config: MatchingConfig) -> dict:
    """Store the job seekers everywhere per (partition, H3 cell, accepted distance), for shared
    capacities; returns the job seekers per area code (one pass over the seekers serves both)."""
    length = PREFIX_LENGTH[config.partition_level]
    groups = (
        Resident.objects.job_seekers()
        .order_by()
        .values("area_code", "h3_r5", "h3_r7", "intention__max_distance_km")
        .annotate(n=Count("id"))
        .values_list("area_code", "h3_r5", "h3_r7", "intention__max_distance_km", "n")
    )
    reach, by_area = defaultdict(int), defaultdict(int)
    for area_code, r5, r7, max_km, n in groups:
        reach[(area_code[:length], r5, r7, max_km)] += n
        by_area[area_code] += n
    names = ("part", "h3_r5", "h3_r7", "max_distance_km")
    keys = list(reach)
    columns = dict(zip(names, map(list, zip(*keys, strict=True)), strict=True)) if keys else {}
    bulk_insert(PushReach, {"run": run.pk, **columns, "seekers": list(reach.values())})
    return by_area


def widest_reach_m(run: PushRun, config: MatchingConfig) -> float:
    """The largest distance a job seeker of the run accepts (the margin partitions must look across)."""
    widest = PushReach.objects.filter(run=run).aggregate(m=Max("max_distance_km"))["m"]
    return max(float(widest or 0), float(config.default_max_distance_km)) * 1000


# --- one partition ----------------------------------------------------------------------------------


@dataclass
class PartitionInput:
    """Everything one partition computes on: seekers, jobs, history and capacities."""

    seekers: SeekerTable
    jobs: JobTable
    exclude: np.ndarray  # seeker index × len(jobs) + job index, pushed within the window
    capacity: np.ndarray  # per job, this partition's share of factor × headcount
    stats: dict
    write: np.ndarray  # per seeker: whether this partition writes their pushes


def run_partition(partition_id, *, max_reach_m, worker="") -> dict:
    """Claim, compute and write one partition; returns its counts (also kept on the row).

    - Only a pending or failed partition is claimed, so two workers never both run one.
    - Computation happens outside any transaction; writing is one transaction (all or nothing).
    """
    claimed = PushPartition.objects.filter(
        pk=partition_id, status__in=[PartitionStatus.PENDING, PartitionStatus.FAILED]
    ).update(status=PartitionStatus.RUNNING, worker=worker[:100], started_at=timezone.now(), error="")
    partition = PushPartition.objects.select_related("run").get(pk=partition_id)
    if not claimed:
        return {"partition": partition.area_code, "skipped": partition.status}
    run = partition.run
    config = get_config()
    try:
        started = time.perf_counter()
        data = load_partition(partition.area_code, partition.pushed_on, config=config, max_reach_m=max_reach_m,
                              run_id=run.pk, partition_id=partition_id)  # fmt: skip
        loaded = time.perf_counter()
        chosen = (
            allocate_partition(data, k=run.k, config=config)
            if data is not None
            else Pairs.empty()
        )  # fmt: skip
        computed = time.perf_counter()
        counts = write_partition(partition, data, chosen)
        stats = {**(data.stats if data else {}), **counts,
                 "load_s": round(loaded - started, 3), "compute_s": round(computed - loaded, 3),
                 "write_s": round(time.perf_counter() - computed, 3)}  # fmt: skip
        PushPartition.objects.filter(pk=partition_id).update(stats=stats)
    except Exception as exc:
        PushPartition.objects.filter(pk=partition_id).update(
            status=PartitionStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        _report_progress(run)
        raise
    _report_progress(run)
    if counts["messages"]:
        from .tasks import record_case_services_task, send_push_sms_task

        record_case_services_task.enqueue(partition.pushed_on.isoformat(), prefix_of(partition.area_code))
        if config.send_sms:
            send_push_sms_task.enqueue(partition.pushed_on.isoformat(), prefix_of(partition.area_code))
    return {"partition": partition.area_code, **counts}


def load_partition(area_code, pushed_on, *, config: MatchingConfig, max_reach_m, run_id, partition_id=None):
    """The snapshot of one partition, read with a few indexed queries; None when nothing is left to write.

    - The computation always covers a whole unit of ``partition_level`` (a county): a smaller area
      run first, or a county run after it, are then slices of one and the same allocation.
    - Written are only the seekers inside ``area_code`` that no partition finished today covers
      and who have no push message today.
    """
    prefix = prefix_of(area_code)
    share_length = PREFIX_LENGTH[config.partition_level]
    unit = prefix[:share_length]
    own = Resident.objects.job_seekers().filter(**area_range(unit)).order_by()
    # Each row also carries the seeker's H3 resolution-5 cell (last), for the job cells to read.
    rows, occupations, key_groups = seeker_features(own, extra=("h3_r5",))
    done_today = PushPartition.objects.filter(pushed_on=pushed_on, status=PartitionStatus.DONE, **area_range(unit))
    covered = tuple(prefix_of(code) for code in done_today.exclude(pk=partition_id).values_list("area_code", flat=True))
    messaged = set(
        InboxMessage.objects.filter(kind=InboxMessage.Kind.JOB_PUSH, pushed_on=pushed_on, **area_range(unit))
        .values_list("resident_id", flat=True)
    )  # fmt: skip
    rows.sort(key=lambda r: r[0])
    write = np.array(
        [r[6].startswith(prefix) and not (covered and r[6].startswith(covered)) and r[0] not in messaged for r in rows],
        dtype=bool,
    )
    if not write.any():
        return None
    default_m = float(config.default_max_distance_km) * 1000
    lat = np.array([r[1] for r in rows])
    lng = np.array([r[2] for r in rows])
    own_reach = max(default_m if r[7] is None else float(r[7]) * 1000 for r in rows)
    seeker_cells = {r[-1] for r in rows}
    # Jobs: every open job within the farthest distance one of these seekers accepts.
    box = _bounding_box(lat, lng, own_reach)
    job_rows = []
    in_box = Job.objects.open(pushed_on).filter(lat__range=box[:2], lng__range=box[2:])
    for chunk in _chunks(sorted(covering_coarse_cells(seeker_cells, own_reach))):
        job_rows += snapshot_values(in_box.filter(h3_r5__in=chunk), JOB_COLUMNS)
    jobs = build_jobs(job_rows, today=pushed_on, config=config)
    seekers = build_seekers(rows, occupations, key_groups, today=pushed_on, config=config, vocabulary=jobs.vocabulary)
    # Pushes of the window's earlier days are never repeated (today's do not count, so the result
    # does not depend on what else ran today).
    window = (pushed_on - datetime.timedelta(days=config.window_days), pushed_on)
    history = (
        JobPush.objects.filter(resident_id__in=own.values("pk"), pushed_on__gt=window[0], pushed_on__lt=window[1])
        .order_by()
        .values_list("resident_id", "job_id")
    )
    exclude = _pair_keys(seekers.id, jobs.id, int_pairs(history))
    remaining = int(config.capacity_factor) * jobs.headcount.astype(np.int64)
    # Seekers of every partition who can reach these jobs share their capacity (see the module doc).
    # Counted once per run (``count_reach``), so every partition sees the same numbers.
    cell_rows = []
    for chunk in _chunks(sorted(covering_coarse_cells(seeker_cells, own_reach + max_reach_m))):
        reach = PushReach.objects.filter(run_id=run_id, h3_r5__in=chunk)
        cell_rows += reach.values_list("part", "h3_r7", "max_distance_km", "seekers")
    capacity, border = partition_capacity(jobs, cell_rows, remaining, own_key=unit, default_m=default_m)
    stats = {"seekers": len(seekers), "written_seekers": int(write.sum()), "jobs": len(jobs),
             "history_pairs": int(len(exclude)), "border_jobs": int(border),
             "seeker_cells_around": len(cell_rows)}  # fmt: skip
    return PartitionInput(seekers, jobs, exclude, capacity, stats, write)


def partition_capacity(jobs: JobTable, cell_rows, remaining, *, own_key, default_m):
    """This partition's capacity per job, and how many jobs it shares with other partitions.

    - ``cell_rows``: (partition key, H3 resolution-7 cell, max distance km or None, seekers) of the
      job seekers around, own partition included.
    - A job is shared when seekers of another partition reach it; its capacity is then
      split in proportion to the seekers of each partition who reach it (largest remainder).
    - Seekers are counted at their cell's centre (cells are about 1.2 km across): every
      partition computes exactly the same counts, so the shares of a job always add up to its
      capacity, whichever worker runs which partition first.
    """
    weights = defaultdict(lambda: defaultdict(int))
    for key, cell, max_km, n in cell_rows:
        weights[key][(cell, default_m if max_km is None else float(max_km) * 1000)] += n
    counts = {}
    for key, groups in sorted(weights.items()):
        cells = sorted(groups)
        centres = np.array([_cell_centre(cell) for cell, _ in cells]).reshape(-1, 2)
        max_m = np.array([m for _, m in cells])
        counts[key] = reach_counts(jobs, centres[:, 0], centres[:, 1], max_m, weights=[groups[c] for c in cells])
    foreign = [key for key in counts if key != own_key]
    if not foreign:
        return remaining.copy(), 0
    shared = np.flatnonzero(np.sum([counts[key] for key in foreign], axis=0) > 0)
    capacity = remaining.copy()
    for j in shared:
        split = {key: int(c[j]) for key, c in counts.items()}
        split.setdefault(own_key, 0)
        capacity[j] = apportion(int(remaining[j]), split)[own_key]
    return capacity, len(shared)


@lru_cache(maxsize=200_000)
def _cell_centre(cell):
    return h3.cell_to_latlng(h3.int_to_str(int(cell)))


def reach_counts(jobs: JobTable, lat, lng, max_m, *, weights=None) -> np.ndarray:
    """For each job, how many of the given seekers (or their weights) have it within their maximum distance."""
    out = np.zeros(len(jobs), dtype=np.int64)
    if len(jobs) == 0 or len(lat) == 0:
        return out
    grid = Grid(jobs.lat, jobs.lng)
    x, y, z = unit_vectors(lat, lng)
    limit = chord2_for_radius(max_m)
    probe, start, end = grid.ranges(lat, lng, max_m)
    for p, st, en in chunks_by_query(probe, start, end):
        qi, ji = grid.expand(p, st, en)
        d2 = (x[qi] - jobs.x[ji]) ** 2 + (y[qi] - jobs.y[ji]) ** 2 + (z[qi] - jobs.z[ji]) ** 2
        keep = d2 <= limit[qi]
        w = None if weights is None else np.asarray(weights, dtype=np.float64)[qi[keep]]
        out += np.bincount(ji[keep], weights=w, minlength=len(jobs)).astype(np.int64)
    return out


def allocate_partition(data: PartitionInput, *, k, config: MatchingConfig) -> Pairs:
    """The chosen pairs of a partition, sorted by seeker and rank (greedy, capacity-aware).

    Seekers whose candidates were all taken get more: their next best pairs among jobs that can
    still accept them (admission bars, see ``engine.allocate``), until they have k or there are none.
    """
    S, J = data.seekers, data.jobs
    if len(J) == 0 or len(S) == 0:
        return Pairs.empty()
    scorer = Scorer(S, J, config, exclude=data.exclude)
    finder = CandidateFinder(scorer)
    pool = max(int(config.candidate_pool), k)
    scorer.admission = open_admission(data.capacity)
    candidates = finder.top(np.arange(len(S)), pool)
    extensions = {"rounds": 0, "seekers": 0, "excluded": 0}

    def extend(short, pairs, bars):
        extensions["rounds"] += 1
        extensions["seekers"] += len(short)
        new = slice(extensions["excluded"], len(pairs))  # pairs proposed since the last extension
        scorer.also_exclude(pairs.s[new] * len(J) + pairs.j[new])
        extensions["excluded"] = len(pairs)
        scorer.admission = bars
        return finder.top(short, pool)

    chosen, pairs = allocate(candidates, S.id, J.id, k=k, capacity=data.capacity, extend=extend)
    picked = pairs.take(chosen)
    data.stats.update(finder.stats, candidates=int(len(candidates)), extension_rounds=extensions["rounds"],
                      extended_seekers=extensions["seekers"])  # fmt: skip
    return top_per_seeker(picked, J.id, k)


def write_partition(partition: PushPartition, data: PartitionInput | None, chosen: Pairs) -> dict:
    """Pushes and inbox messages of a partition, and its status, in one transaction."""
    pushes, messages = {}, {}
    if data is not None:
        chosen = chosen.take(data.write[chosen.s])
    if data is not None and len(chosen):
        S, J = data.seekers, data.jobs
        first = np.r_[True, chosen.s[1:] != chosen.s[:-1]]
        starts = np.flatnonzero(first)
        per_seeker = np.diff(np.r_[starts, len(chosen)])
        rank = np.arange(len(chosen)) - np.repeat(starts, per_seeker) + 1
        seeker_ids, area = S.id[chosen.s], S.area_code[chosen.s]
        # Column-wise: one list per field, so that a province partition's rows never become objects.
        pushes = {"resident": seeker_ids, "job": J.id[chosen.j], "pushed_on": partition.pushed_on, "rank": rank,
                  "score": chosen.score, "distance_m": np.round(chosen.distance_m, 1),
                  "occupation_match": chosen.occupation, "skill_overlap": chosen.skills, "pay_fit": chosen.pay_fit,
                  "area_code": area}  # fmt: skip
        messages = {"resident": seeker_ids[starts], "kind": InboxMessage.Kind.JOB_PUSH.value,
                    "pushed_on": partition.pushed_on, "title": [PUSH_TITLE.format(n=n) for n in per_seeker.tolist()],
                    "area_code": area[starts], "created_at": timezone.now(),
                    "sms_status": InboxMessage.SmsStatus.PENDING.value}  # fmt: skip
    with transaction.atomic():
        n_messages = bulk_insert(InboxMessage, messages)
        n_pushes = bulk_insert(JobPush, pushes)
        PushPartition.objects.filter(pk=partition.pk).update(
            status=PartitionStatus.DONE, pushes=n_pushes, messages=n_messages, finished_at=timezone.now()
        )
    return {"pushes": n_pushes, "messages": n_messages}


def record_case_services(pushed_on, area_prefix) -> int:
    """Pushes of a day to people with an open assistance case count toward their "3 job infos".

    - Calls the assistance hook once per push; the hook is idempotent on the reference, so
      running this again changes nothing.
    - Runs after the partition, as a task of its own: the hook audits every record one by one.
    """
    from jobcircle.assistance.cases.services import record_job_push
    from jobcircle.assistance.models import AssistanceCase

    pushes = JobPush.objects.filter(pushed_on=pushed_on, **area_range(area_prefix))
    with_case = AssistanceCase.objects.open().filter(resident_id__in=pushes.values("resident_id"))
    recorded = 0
    rows = pushes.filter(resident_id__in=with_case.values("resident_id")).order_by("resident_id", "rank")
    for resident_id, job_id in rows.values_list("resident_id", "job_id"):
        ref = f"push:{pushed_on}:{resident_id}:{job_id}"
        recorded += record_job_push(resident_id, job_id=job_id, pushed_on=pushed_on, reference=ref) is not None
    return recorded


def bulk_insert(model, columns: dict) -> int:
    """Insert rows given column by column: {field name: a sequence, or one value for every row}.

    COPY (text format) on PostgreSQL, executemany elsewhere; the same values either way. Returns
    the number of rows.
    """
    n = max((len(v) for v in columns.values() if _is_column(v)), default=0)
    if not n:
        return 0
    fields = [model._meta.get_field(name) for name in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            texts = [_copy_texts(value, n) for value in columns.values()]
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for lo in range(0, n, COPY_CHUNK):
                    lines = map("\t".join, zip(*(t[lo : lo + COPY_CHUNK] for t in texts), strict=True))
                    copy.write("\n".join(lines) + "\n")
            return n
        values = [_as_list(value, n) for value in columns.values()]
        prepared = [
            [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
            for row in zip(*values, strict=True)
        ]
        placeholders = ", ".join(["%s"] * len(fields))
        # Table and column names come from the model's _meta, quoted; values are bound parameters.
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", prepared)  # noqa: S608
    return n


COPY_CHUNK = 100_000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _is_column(value):
    return isinstance(value, (list, tuple, np.ndarray))


def _as_list(value, n):
    if isinstance(value, np.ndarray):
        return value.tolist()
    return list(value) if _is_column(value) else [value] * n


def _copy_texts(value, n) -> list[str]:
    """COPY text-format fields of one column (floats as their shortest exact repr)."""
    values = _as_list(value, n) if _is_column(value) else [value]
    typed = isinstance(value, np.ndarray) and value.dtype != object  # one Python type for every value
    mixed = not typed and len({type(v) for v in values}) > 1
    texts = [_copy_text(v) for v in values] if mixed else _copy_same_type(values)
    return texts if _is_column(value) else texts * n


def _copy_same_type(values) -> list[str]:
    kind = type(values[0])
    if kind is bool:
        return ["t" if v else "f" for v in values]
    if kind is int:
        return list(map(str, values))
    if kind is float:
        return list(map(repr, values))
    if kind is str and not any(c in "".join(values) for c in "\\\t\n\r"):
        return values  # nothing to escape (area codes, titles)
    return [_copy_text(v) for v in values]


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _report_progress(run: PushRun):
    """Seekers of finished partitions as progress; the run's progress finishes with its last partition."""
    if run.progress_id is None:
        return
    parts = PushPartition.objects.filter(run=run)
    done = parts.filter(status=PartitionStatus.DONE).aggregate(
        seekers=Sum("seekers"), pushes=Sum("pushes"), messages=Sum("messages")
    )
    open_parts = parts.exclude(status__in=[PartitionStatus.DONE, PartitionStatus.FAILED]).count()
    progress.advance(run.progress_id, done["seekers"] or 0)
    if open_parts == 0:
        failed = parts.filter(status=PartitionStatus.FAILED).count()
        result = {"partitions": parts.count(), "failed": failed, "pushes": done["pushes"] or 0,
                  "messages": done["messages"] or 0}  # fmt: skip
        message = f"推送岗位 {result['pushes']} 条，站内信 {result['messages']} 条" + (
            f"；{failed} 个分区失败，可重新运行" if failed else ""
        )
        progress.finish(run.progress_id, result=result, message=message, failed=bool(failed))


# --- SMS ----------------------------------------------------------------------------------------------


def sms_text(pushes) -> str:
    """The text of one push SMS: job, employer and distance only (no personal data)."""
    items = "；".join(
        f"{i}.{p.job.title}（{p.job.employer.name}，{distance_text(p.distance_m).removeprefix('距离')}）"
        for i, p in enumerate(pushes, 1)
    )
    return f"【三公里就业圈】为您推荐{len(pushes)}个附近岗位：{items}。详情请在“社区快聘”消息中查看。"


def send_push_sms(pushed_on, area_prefix, *, chunk=200) -> dict:
    """Text every pending push message of a day and area, each at most once.

    - A chunk is claimed (pending → sending) before any text leaves, so a crash never sends
      twice; messages left "sending" by a crash are not retried automatically.
    - No phone on record → ``no_phone``; a gateway error → ``failed``.
    """
    counts = defaultdict(int)
    pending = InboxMessage.objects.filter(
        kind=InboxMessage.Kind.JOB_PUSH, pushed_on=pushed_on, sms_status=InboxMessage.SmsStatus.PENDING,
        **area_range(area_prefix),
    ).order_by("pk")  # fmt: skip
    while True:
        ids = list(pending.values_list("pk", flat=True)[:chunk])
        if not ids:
            break
        claimed = list(
            InboxMessage.objects.filter(pk__in=ids, sms_status=InboxMessage.SmsStatus.PENDING).values_list(
                "pk", "resident_id"
            )
        )
        InboxMessage.objects.filter(pk__in=[pk for pk, _ in claimed]).update(sms_status=InboxMessage.SmsStatus.SENDING)
        residents = dict(Resident.objects.filter(pk__in=[r for _, r in claimed]).values_list("pk", "phone_encrypted"))
        by_resident = defaultdict(list)
        for push in (
            JobPush.objects.filter(resident_id__in=residents, pushed_on=pushed_on)
            .select_related("job__employer")
            .order_by("resident_id", "rank")
        ):
            by_resident[push.resident_id].append(push)
        outcome = defaultdict(list)
        for pk, resident_id in claimed:
            phone = pii.decrypt(residents.get(resident_id, ""))
            if not phone or not by_resident[resident_id]:
                outcome[InboxMessage.SmsStatus.NO_PHONE].append(pk)
                continue
            try:
                send_sms(phone, sms_text(by_resident[resident_id]))
                outcome[InboxMessage.SmsStatus.SENT].append(pk)
            except SMSError:
                outcome[InboxMessage.SmsStatus.FAILED].append(pk)
        for status, pks in outcome.items():
            extra = {"sms_sent_at": timezone.now()} if status == InboxMessage.SmsStatus.SENT else {}
            InboxMessage.objects.filter(pk__in=pks).update(sms_status=status, **extra)
            counts[str(status)] += len(pks)
    return dict(counts)


# --- retention ----------------------------------------------------------------------------------------


def purge_old_pushes(*, today=None, by=None, config: MatchingConfig | None = None) -> dict:
    """Delete the pushes, push messages and reach counts older than ``push_retention_days``.

    - A province writes millions of pushes a day; kept for ever they would slow every history read
      and fill the disk. The retention exceeds ``window_days`` (``get_config`` checks), so the
      no-repeat rule never loses a push it needs.
    - One day per transaction, oldest first: a long purge can be stopped and run again, and a second
      run deletes nothing more. Runs and partitions stay: one row per area and day, the record of
      what was pushed when and how much.
    - Each day's deletion is audited with its counts, in its transaction.
    Returns {"before": cutoff, "days", "pushes", "messages", "reach"}.
    """
    config = config or get_config()
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=config.push_retention_days)
    old_pushes = JobPush.objects.filter(pushed_on__lt=cutoff)
    old_messages = InboxMessage.objects.filter(kind=InboxMessage.Kind.JOB_PUSH, pushed_on__lt=cutoff)
    counts = {"before": cutoff, "days": 0, "pushes": 0, "messages": 0, "reach": 0}
    while True:
        # Min() reads one end of the pushed_on indexes, where a DISTINCT would scan every old row.
        firsts = [rows.aggregate(day=Min("pushed_on"))["day"] for rows in (old_pushes, old_messages)]
        if not any(firsts):
            break
        day = min(first for first in firsts if first)
        with transaction.atomic():  # the day's deletion and its audit row commit together
            day_counts = {"pushes": old_pushes.filter(pushed_on=day).delete()[0],
                          "messages": old_messages.filter(pushed_on=day).delete()[0]}  # fmt: skip
            log_action("matching.push.purged", by=by, data={"day": day.isoformat(), **day_counts})
        counts["days"] += 1
        counts["pushes"] += day_counts["pushes"]
        counts["messages"] += day_counts["messages"]
    counts["reach"] = PushReach.objects.filter(run__pushed_on__lt=cutoff).delete()[0]  # counts, no personal data
    return counts


# --- helpers ------------------------------------------------------------------------------------------


def covering_coarse_cells(cells, radius_m) -> set[int]:
    """H3 resolution-5 cells holding every point within ``radius_m`` of any point of ``cells``.

    A point lies within one edge of its cell's centre, so the centres are at most
    radius + 2 edges apart; each ring adds at least 1.5 × the smallest edge (geo/cells.py).
    """
    edge = h3.average_hexagon_edge_length(COARSE_RES, unit="m")
    rings = math.ceil((radius_m + 2 * EDGE_MAX_FACTOR * edge) / (1.5 * EDGE_MIN_FACTOR * edge))
    out = set()
    for cell in cells:
        out.update(h3.str_to_int(c) for c in h3.grid_disk(h3.int_to_str(int(cell)), rings))
    return out


def _bounding_box(lat, lng, margin_m):
    """(lat min, lat max, lng min, lng max) around the points, widened by ``margin_m`` (loosely)."""
    dlat = margin_m / M_PER_DEG * 1.01 + 1e-6
    top = min(89.0, float(np.abs(lat).max()) + dlat)
    dlng = dlat / math.cos(math.radians(top))
    return float(lat.min()) - dlat, float(lat.max()) + dlat, float(lng.min()) - dlng, float(lng.max()) + dlng


def _chunks(values, size=SQL_IN_CHUNK):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _pair_keys(seeker_ids, job_ids, rows) -> np.ndarray:
    """Keys (seeker index × len(jobs) + job index) of the (resident id, job id) rows (n × 2) present in both tables."""
    if len(rows) == 0 or len(job_ids) == 0 or len(seeker_ids) == 0:
        return np.zeros(0, dtype=np.int64)
    si = np.minimum(np.searchsorted(seeker_ids, rows[:, 0]), len(seeker_ids) - 1)
    ji = np.minimum(np.searchsorted(job_ids, rows[:, 1]), len(job_ids) - 1)
    keep = (seeker_ids[si] == rows[:, 0]) & (job_ids[ji] == rows[:, 1])
    return unique_values(si[keep] * len(job_ids) + ji[keep])
