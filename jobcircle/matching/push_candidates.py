"""精准送岗, stage 1, candidates: who and what a partition computes on.

- ``count_reach`` counts, once per run, the job seekers everywhere per (partition, H3 cell,
  accepted distance); every partition reads the same counts to split shared capacities.
- ``load_partition`` reads one partition's snapshot: its seekers, the open jobs within their reach,
  the pushes of the no-repeat window and this partition's share of each job's capacity.

The hand-written area filter of the push (``area_range``) lives here; ``push_writing`` uses it too.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import h3
import numpy as np
from django.db import connection
from django.db.models import Count, Max

from jobcircle.areas.codes import prefix_of
from jobcircle.areas.geo.cells import COARSE_RES, EDGE_MAX_FACTOR, EDGE_MIN_FACTOR
from jobcircle.common.bulk import bulk_insert
from jobcircle.employers.models import Job
from jobcircle.people.models import Resident

from .cadence import Cadence, is_due, last_push_days, pushed_today, texted_recently
from .conf import MatchingConfig
from .engine import M_PER_DEG, Grid, apportion, chunks_by_query
from .loaders import JOB_COLUMNS, int_pairs, seeker_features, snapshot_values
from .models import InboxMessage, JobPush, PartitionStatus, PushPartition, PushReach, PushRun
from .snapshot import JobTable, SeekerTable, build_jobs, build_seekers, chord2_for_radius, unique_values, unit_vectors

PREFIX_LENGTH = {"county": 6, "township": 9}
SQL_IN_CHUNK = 900  # stays under SQLite's bound-parameter limit


def area_range(prefix, field="area_code"):
    """Codes starting with ``prefix`` as a range, which a b-tree index serves in any collation."""
    return {f"{field}__gte": prefix.ljust(12, "0"), f"{field}__lte": prefix.ljust(12, "9")}


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


@dataclass
class PartitionInput:
    """Everything one partition computes on: seekers, jobs, history and capacities."""

    seekers: SeekerTable
    jobs: JobTable
    exclude: np.ndarray  # seeker index × len(jobs) + job index, pushed within the window
    capacity: np.ndarray  # per job, this partition's share of factor × headcount
    stats: dict
    write: np.ndarray  # per seeker: whether this partition writes their pushes
    sms_pending: np.ndarray | None = None  # per seeker: today's message is texted (else inbox only); None: all

    def __post_init__(self):
        if self.sms_pending is None:
            self.sms_pending = np.ones(len(self.write), dtype=bool)


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
    own = Resident.objects.job_seekers().accepting_pushes(pushed_on).filter(**area_range(unit)).order_by()
    # Each row also carries the seeker's wish for a text every time and H3 resolution-5 cell (last).
    rows, occupations, key_groups = seeker_features(own, extra=("push_sms_every_time", "h3_r5"))
    # Only seekers due by their cadence (``cadence``), judged on earlier days: what else ran today
    # does not change who is computed (a community run then its county run = the county run alone).
    cadence = Cadence()
    last = last_push_days(since=pushed_on - datetime.timedelta(days=cadence.longest), before=pushed_on,
                          area_prefix=unit)  # fmt: skip
    everyone = len(rows)
    rows = [r for r in rows if is_due(last.get(r[0]), cadence.period(r[6], key_groups.get(r[0], ())), pushed_on)]
    done_today = PushPartition.objects.filter(pushed_on=pushed_on, status=PartitionStatus.DONE, **area_range(unit))
    covered = tuple(prefix_of(code) for code in done_today.exclude(pk=partition_id).values_list("area_code", flat=True))
    messaged = messaged_since(unit, pushed_on)
    rows.sort(key=lambda r: r[0])
    write = np.array(
        [r[6].startswith(prefix) and not (covered and r[6].startswith(covered)) and r[0] not in messaged for r in rows],
        dtype=bool,
    )
    if not write.any():
        return None
    recent = texted_recently(day=pushed_on, area_prefix=unit)
    sms_pending = np.array([bool(r[10]) or r[0] not in recent for r in rows], dtype=bool)
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
    exclude = _pair_keys(seekers.id, jobs.id, history_pairs(seekers.id, window))
    # Today's real-time pushes of a job (``push_realtime``) come off its capacity for the day.
    realtime = pushed_today(jobs.id.tolist(), pushed_on, counties=())
    remaining = int(config.capacity_factor) * jobs.headcount.astype(np.int64)
    if realtime:
        used = np.fromiter((realtime.get(j, 0) for j in jobs.id.tolist()), dtype=np.int64, count=len(jobs))
        remaining = np.maximum(remaining - used, 0)
    # Seekers of every partition who can reach these jobs share their capacity (see the module doc).
    # Counted once per run (``count_reach``), so every partition sees the same numbers.
    cell_rows = []
    for chunk in _chunks(sorted(covering_coarse_cells(seeker_cells, own_reach + max_reach_m))):
        reach = PushReach.objects.filter(run_id=run_id, h3_r5__in=chunk)
        cell_rows += reach.values_list("part", "h3_r7", "max_distance_km", "seekers")
    capacity, border = partition_capacity(jobs, cell_rows, remaining, own_key=unit, default_m=default_m)
    stats = {"seekers": len(seekers), "not_due_seekers": everyone - len(seekers), "written_seekers": int(write.sum()),
             "jobs": len(jobs),
             "history_pairs": int(len(exclude)), "border_jobs": int(border),
             "seeker_cells_around": len(cell_rows)}  # fmt: skip
    return PartitionInput(seekers, jobs, exclude, capacity, stats, write, sms_pending)


def messaged_since(prefix, day) -> set:
    """Residents of ``prefix`` with a push message on ``day`` or later (real-time, or a run of the day)."""
    rows = InboxMessage.objects.filter(kind=InboxMessage.Kind.JOB_PUSH, pushed_on__gte=day, **area_range(prefix))
    return set(rows.values_list("resident_id", flat=True))


def history_pairs(seeker_ids, window) -> np.ndarray:
    """(resident id, job id) of the seekers' pushes strictly inside ``window`` (first day, last day), n × 2.

    By id lists (only the seekers due today are computed): chunks under SQLite's parameter limit,
    large ones on PostgreSQL.
    """
    ids = [int(i) for i in seeker_ids]
    size = SQL_IN_CHUNK if connection.vendor == "sqlite" else 20_000
    parts = [
        int_pairs(
            JobPush.objects.filter(resident_id__in=ids[i : i + size], pushed_on__gt=window[0], pushed_on__lt=window[1])
            .order_by()
            .values_list("resident_id", "job_id")
        )
        for i in range(0, len(ids), size)
    ]  # fmt: skip
    return np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)


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
