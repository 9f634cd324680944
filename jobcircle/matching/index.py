"""The per-process snapshot of open jobs that interactive recommendations rank against.

- Rebuilt when the day changes, when the configuration changes, after ``snapshot_ttl_s``
  seconds, and at once when this process saves or deletes a job (signals).
- One thread builds, under a lock. When only the TTL has run out, the other threads go on
  answering from the previous snapshot meanwhile instead of queueing behind the build (it takes
  most of a second on a city); a new day, configuration or a job saved here still waits for it.
- Only a shortlist comes from the snapshot: services re-read and re-score those jobs from the
  database before answering, so a job closed or changed since the snapshot is never shown
  wrongly; a job posted by another process joins within the TTL.
"""

import threading
import time
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from jobcircle.areas.geo.distance import EARTH_RADIUS_M
from jobcircle.employers.models import Job

from .conf import WORK_TYPE_CODES, MatchingConfig, get_config
from .engine import Grid
from .loaders import load_jobs
from .snapshot import JobTable, chord2_for_radius, occupation_keys, unit_vectors

_lock = threading.Lock()
_state = {"index": None, "generation": 0}


@dataclass
class JobIndex:
    today: object
    config: MatchingConfig
    jobs: JobTable
    grid: Grid
    built_at: float
    generation: int
    build_seconds: float

    def nearby(self, lat, lng, radius_m, *, work_type=None, min_pay=None, occupation_code=None):
        """(job ids, distances in metres) within ``radius_m`` of a point, nearest first, ties by id.

        - ``work_type``: that work type only; ``min_pay``: jobs paying up to at least that much;
        - ``occupation_code``: that 职业分类大典 code or any code under it ("4-10" takes "4-10-01-05").
        """
        J = self.jobs
        probe, start, end = self.grid.ranges(np.array([float(lat)]), np.array([float(lng)]), np.array([radius_m]))
        _, ji = self.grid.expand(probe, start, end)
        x, y, z = unit_vectors(float(lat), float(lng))
        d2 = (J.x[ji] - x) ** 2 + (J.y[ji] - y) ** 2 + (J.z[ji] - z) ** 2
        keep = d2 <= chord2_for_radius(radius_m)
        if work_type:
            keep &= J.work_type[ji] == WORK_TYPE_CODES.get(work_type, -1)
        if min_pay:
            keep &= J.pay_max[ji] >= min_pay
        if occupation_code:
            level = occupation_code.count("-") + 1  # 2 中类, 3 小类, 4 an occupation
            column = {2: J.occ_middle, 3: J.occ_minor, 4: J.occ_exact}[level]
            keep &= column[ji] == occupation_keys(occupation_code)[4 - level]
        ji, d2 = ji[keep], d2[keep]
        distance = 2.0 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(d2) / 2.0))
        order = np.lexsort((J.id[ji], distance))
        return J.id[ji][order], distance[order]


def invalidate(*args, **kwargs):
    """Signal receiver: the next request rebuilds the snapshot."""
    _state["generation"] += 1


def _current(index, today, config):
    """Right for today, this configuration and every job saved in this process (maybe past its TTL)."""
    return (
        index is not None
        and index.today == today
        and index.config.freshness_half_days == config.freshness_half_days  # the only setting it holds
        and index.generation == _state["generation"]
    )


def _fresh(index, today, config):
    return _current(index, today, config) and time.monotonic() - index.built_at <= float(config.snapshot_ttl_s)


def _build(today, config) -> JobIndex:
    started = time.perf_counter()
    generation = _state["generation"]
    jobs = load_jobs(Job.objects.open(today), today=today, config=config)
    index = JobIndex(
        today=today, config=config, jobs=jobs, grid=Grid(jobs.lat, jobs.lng), built_at=time.monotonic(),
        generation=generation, build_seconds=time.perf_counter() - started,
    )  # fmt: skip
    _state["index"] = index
    return index


def job_index(today=None, config=None) -> JobIndex:
    today = today or timezone.localdate()
    config = config or get_config()
    index = _state["index"]
    if _fresh(index, today, config):
        return index
    if _current(index, today, config):
        if not _lock.acquire(blocking=False):
            return index  # past its TTL only, and another thread is building the next one
    else:
        _lock.acquire()
    try:
        index = _state["index"]
        return index if _fresh(index, today, config) else _build(today, config)
    finally:
        _lock.release()
