"""The matching engine: hard filters, an explainable score, and exact top-k, all in NumPy.

Rules (docs/matching.md):

- Hard filters, never relaxed: the job lies within the seeker's maximum distance (great-circle,
  the same formula as ``geo.distance.haversine_m``); the job is open and valid (the snapshot holds
  only those); the seeker's education reaches the job's minimum; the seeker's age lies within the
  job's bounds; the work types are compatible; and, for the batch push, the pair was not pushed
  within the window.
- Score = Σ weight × component + key-group boost, with components in [0, 1]: distance decay
  (halves every ``distance_half_m``), occupation (same 职业 > 同小类 > 同中类 > none), share of the
  job's required skills the seeker has, pay fit (the job's top pay reaches the seeker's minimum),
  freshness (halves every ``freshness_half_days``).
- Ties go to the smaller id, so every ranking is a total order and identical on every database.

Candidates for the batch are pruned by occupation: a seeker first scores only the jobs that share
a 中类 with one of their occupations. A job outside those scores at most
``w_distance × decay(d) + rest`` (``rest`` bounds skills, pay, freshness and boost), so the pass
is exact once the seeker's L-th best score reaches that bound; otherwise a fallback pass scores
the other jobs, but only within the distance where the bound can still beat the L-th score.
``tests/matching/test_engine.py`` checks the pruned result against brute force.
"""

from dataclasses import dataclass

import numpy as np

from jobcircle.areas.geo.distance import EARTH_RADIUS_M

from .conf import MatchingConfig
from .snapshot import JobTable, SeekerTable, chord2_for_radius

M_PER_DEG = EARTH_RADIUS_M * np.pi / 180.0
DEFAULT_CELL_M = 1000.0
FALLBACK_CELL_M = 300.0
FALLBACK_RINGS_M = (600.0, np.inf)
FRESH_BANDS = (0.5, 0.85)  # freshness component ≈ 30 and 7 days
MAX_PAIRS_PER_CHUNK = 4_000_000


class Grid:
    """Points bucketed by (group, latitude row, longitude column) and sorted, so that one row of a
    query window is one contiguous slice. Windows cover a spherical cap exactly; haversine decides."""

    def __init__(self, lat, lng, *, cell_m=DEFAULT_CELL_M, groups=None):
        n = len(lat)
        self.n = n
        self.lat0 = float(lat.min()) if n else 0.0
        self.lng0 = float(lng.min()) if n else 0.0
        self.dy = cell_m / M_PER_DEG
        ref = min(80.0, float(np.abs(lat).max()) if n else 0.0)
        self.dx = self.dy / np.cos(np.radians(ref))
        cy = np.floor((lat - self.lat0) / self.dy).astype(np.int64)
        cx = np.floor((lng - self.lng0) / self.dx).astype(np.int64)
        self.ny = int(cy.max()) + 1 if n else 1
        self.nx = int(cx.max()) + 1 if n else 1
        if groups is None:
            self.group_values = np.zeros(1, dtype=np.int64)
            gidx = np.zeros(n, dtype=np.int64)
        else:
            self.group_values, gidx = np.unique(groups, return_inverse=True)
        key = (gidx * self.ny + cy) * self.nx + cx
        self.order = np.argsort(key, kind="stable")  # rows come sorted by id, so buckets are too
        self.keys = key[self.order]

    def group_index(self, values):
        """Grid group of each value, -1 for values no point carries."""
        pos = np.searchsorted(self.group_values, values)
        pos = np.minimum(pos, len(self.group_values) - 1)
        return np.where(self.group_values[pos] == values, pos, -1)

    def ranges(self, q_lat, q_lng, radius_m, q_group=None):
        """(query index, start, end) slices of ``order`` holding every point within ``radius_m``."""
        nq = len(q_lat)
        if self.n == 0 or nq == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        q_group = np.zeros(nq, dtype=np.int64) if q_group is None else q_group
        theta = np.asarray(radius_m, dtype=np.float64) / EARTH_RADIUS_M * (1 + 1e-9) + 1e-12
        dlat = np.degrees(theta)
        phi = np.radians(np.abs(q_lat))
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.sin(theta) / np.cos(phi)
        dlng = np.where((phi + theta < np.pi / 2) & (ratio < 1), np.degrees(np.arcsin(np.minimum(ratio, 1))), 360.0)
        cy_lo = np.floor((q_lat - dlat - self.lat0) / self.dy).astype(np.int64)
        cy_hi = np.floor((q_lat + dlat - self.lat0) / self.dy).astype(np.int64)
        cx_lo = np.floor((q_lng - dlng - self.lng0) / self.dx).astype(np.int64)
        cx_hi = np.floor((q_lng + dlng - self.lng0) / self.dx).astype(np.int64)
        valid = (q_group >= 0) & (cy_hi >= 0) & (cy_lo < self.ny) & (cx_hi >= 0) & (cx_lo < self.nx)
        cy_lo, cy_hi = np.clip(cy_lo, 0, self.ny - 1), np.clip(cy_hi, 0, self.ny - 1)
        cx_lo, cx_hi = np.clip(cx_lo, 0, self.nx - 1), np.clip(cx_hi, 0, self.nx - 1)
        rows = np.where(valid, cy_hi - cy_lo + 1, 0)
        probe = np.repeat(np.arange(nq), rows)
        row = cy_lo[probe] + (np.arange(len(probe)) - np.repeat(np.cumsum(rows) - rows, rows))
        base = (q_group[probe] * self.ny + row) * self.nx
        start = np.searchsorted(self.keys, base + cx_lo[probe], "left")
        end = np.searchsorted(self.keys, base + cx_hi[probe], "right")
        keep = end > start
        return probe[keep], start[keep], end[keep]

    def expand(self, probe, start, end):
        """(query index, point index) for every point of the slices."""
        counts = end - start
        total = int(counts.sum())
        offsets = np.cumsum(counts) - counts
        pos = np.arange(total) - np.repeat(offsets - start, counts)
        return np.repeat(probe, counts), self.order[pos]


def chunks_by_query(probe, start, end, limit=MAX_PAIRS_PER_CHUNK):
    """Split slices into chunks of about ``limit`` pairs without splitting one query's slices."""
    if len(probe) == 0:
        return
    counts = end - start
    boundaries = np.flatnonzero(np.r_[True, probe[1:] != probe[:-1]])
    per_query = np.add.reduceat(counts, boundaries)
    cumulative = np.cumsum(per_query)
    first = 0
    while first < len(boundaries):
        base = cumulative[first - 1] if first else 0
        last = max(first + 1, int(np.searchsorted(cumulative, base + limit, "right")))
        lo = boundaries[first]
        hi = boundaries[last] if last < len(boundaries) else len(probe)
        yield probe[lo:hi], start[lo:hi], end[lo:hi]
        first = last


@dataclass
class Pairs:
    """Scored seeker–job pairs (indices into the tables) with the components behind each score."""

    s: np.ndarray
    j: np.ndarray
    score: np.ndarray
    distance_m: np.ndarray
    occupation: np.ndarray  # 0 none, 1 同中类, 2 同小类, 3 same occupation
    skills: np.ndarray  # number of the job's required skills the seeker has
    pay_fit: np.ndarray

    def take(self, idx):
        return Pairs(*(getattr(self, name)[idx] for name in self.__dataclass_fields__))

    @staticmethod
    def concat(parts):
        parts = [p for p in parts if p is not None]
        if not parts:
            return Pairs.empty()
        return Pairs(*(np.concatenate([getattr(p, n) for p in parts]) for n in Pairs.__dataclass_fields__))

    @staticmethod
    def empty():
        return Pairs(
            np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0),
            np.zeros(0, np.int8), np.zeros(0, np.int16), np.zeros(0, bool),
        )  # fmt: skip

    def __len__(self):
        return len(self.s)


class Scorer:
    """Filters and scores pairs of one seeker table against one job table."""

    def __init__(self, seekers: SeekerTable, jobs: JobTable, config: MatchingConfig, exclude=None):
        self.S, self.J, self.config = seekers, jobs, config
        self.max_chord2 = chord2_for_radius(seekers.max_m)
        self.work_ok = np.array(config.work_type_matrix(), dtype=bool)
        self.occupation_scores = np.array(config.occupation_scores)
        self.use_skills = bool(jobs.skill_count.any()) and bool(seekers.has_skills.any())
        # Pairs never to propose again: sorted keys seeker index × len(jobs) + job index.
        self.exclude = None if exclude is None or len(exclude) == 0 else np.unique(exclude)
        # Optional (score, seeker id) per job below which a pair cannot be accepted (``admission``).
        self.admission = None
        w = config.weights
        self.w = {name: float(value) for name, value in w.items()}
        # Upper bound of everything but distance and occupation, per seeker (for exact pruning).
        fresh_max = float(jobs.fresh.max()) if len(jobs) else 0.0
        self.rest_bound = (
            self.w["skills"] * (seekers.has_skills & self.use_skills) + self.w["pay"] + self.w["freshness"] * fresh_max
        ) + seekers.boost

    def evaluate(self, si, ji, *, occupation_none_only=False, limit_chord2=None, above_chord2=None) -> Pairs:
        """Pairs passing every hard filter, scored.

        ``limit_chord2`` / ``above_chord2`` (per pair) keep only a ring of distances (within the
        seeker's own maximum, which ``limit_chord2`` never exceeds).
        """
        S, J = self.S, self.J
        d2 = (S.x[si] - J.x[ji]) ** 2 + (S.y[si] - J.y[ji]) ** 2 + (S.z[si] - J.z[ji]) ** 2
        keep = d2 <= (self.max_chord2[si] if limit_chord2 is None else limit_chord2)
        if above_chord2 is not None:
            keep &= d2 > above_chord2
        si, ji, d2 = si[keep], ji[keep], d2[keep]
        age = S.age[si]
        keep = (
            (S.edu[si] >= J.edu_min[ji])
            & (age >= J.age_min[ji])
            & (age <= J.age_max[ji])
            & self.work_ok[S.work_type[si], J.work_type[ji]]
        )
        if self.exclude is not None and len(self.exclude):
            pair_keys = si * len(J) + ji
            pos = np.minimum(np.searchsorted(self.exclude, pair_keys), len(self.exclude) - 1)
            keep &= self.exclude[pos] != pair_keys
        si, ji, d2 = si[keep], ji[keep], d2[keep]
        level = np.zeros(len(si), dtype=np.int8)
        for slot in range(S.occ_exact.shape[1]):
            level = np.maximum(
                level,
                (S.occ_middle[si, slot] == J.occ_middle[ji]).astype(np.int8)
                + (S.occ_minor[si, slot] == J.occ_minor[ji])
                + (S.occ_exact[si, slot] == J.occ_exact[ji]),
            )
        if occupation_none_only:
            keep = level == 0
            si, ji, d2, level = si[keep], ji[keep], d2[keep], level[keep]
        distance = 2.0 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(d2) / 2.0))
        if self.use_skills:
            overlap = np.zeros(len(si), dtype=np.int16)
            for word in range(J.skills.shape[1]):
                overlap += np.bitwise_count(S.skills[si, word] & J.skills[ji, word]).astype(np.int16)
            skill_share = overlap / np.maximum(J.skill_count[ji], 1)
        else:
            overlap = np.zeros(len(si), dtype=np.int16)
            skill_share = 0.0
        min_pay = S.min_pay[si]
        pay_fit = (min_pay <= 0) | (J.pay_max[ji] >= min_pay)
        w = self.w
        score = (
            w["distance"] * np.exp2(-distance / float(self.config.distance_half_m))
            + w["occupation"] * self.occupation_scores[level]
            + w["skills"] * skill_share
            + w["pay"] * pay_fit
            + w["freshness"] * J.fresh[ji]
            + S.boost[si]
        )
        pairs = Pairs(si, ji, score, distance, level, overlap, pay_fit)
        if self.admission is not None:
            bar, bar_seeker = self.admission
            ok = (score > bar[ji]) | ((score == bar[ji]) & (S.id[si] < bar_seeker[ji]))
            pairs = pairs.take(np.flatnonzero(ok))
        return pairs


def top_per_seeker(pairs: Pairs, job_ids, limit) -> Pairs:
    """The best ``limit`` pairs of each seeker, ordered by seeker, score (desc), job id."""
    if len(pairs) == 0:
        return pairs
    if len(pairs) > PREFILTER_MIN_PAIRS:
        pairs = pairs.take(_may_be_top(pairs, limit))
    order = np.lexsort((job_ids[pairs.j], -pairs.score, pairs.s))
    s_sorted = pairs.s[order]
    first = np.r_[True, s_sorted[1:] != s_sorted[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
    rank = np.arange(len(order)) - group_start
    return pairs.take(order[rank < limit])


PREFILTER_MIN_PAIRS = 50_000
SCORE_BUCKETS = 128


def _may_be_top(pairs: Pairs, limit):
    """Indices of a superset of each seeker's top ``limit`` pairs, found without sorting.

    Scores are cut into buckets; per seeker, the highest buckets holding ``limit`` pairs are
    kept whole (ties included), so the exact sort afterwards sees every pair that can win.
    """
    seekers, local = np.unique(pairs.s, return_inverse=True)
    low, high = float(pairs.score.min()), float(pairs.score.max())
    scale = (SCORE_BUCKETS - 1) / (high - low) if high > low else 0.0
    bucket = ((pairs.score - low) * scale).astype(np.int64)
    counts = np.bincount(local * SCORE_BUCKETS + bucket, minlength=len(seekers) * SCORE_BUCKETS)
    from_top = np.cumsum(counts.reshape(len(seekers), SCORE_BUCKETS)[:, ::-1], axis=1)
    # Lowest bucket still needed: the first (from the top) where the running count reaches limit.
    reached = from_top >= limit
    first = np.where(reached.any(axis=1), reached.argmax(axis=1), SCORE_BUCKETS - 1)
    threshold = SCORE_BUCKETS - 1 - first
    return np.flatnonzero(bucket >= threshold[local])


class CandidateFinder:
    """Exact top-L candidates of many seekers, pruned by occupation category (see module doc).

    The fallback splits the other jobs into classes by what bounds their score (whether they ask
    for skills, and how fresh they are), so each class is searched only as far as it can matter.
    """

    def __init__(self, scorer: Scorer):
        self.scorer = scorer
        J = scorer.J
        self.by_category = Grid(J.lat, J.lng, groups=J.occ_middle)
        # Bound classes: asks for skills (0/1) × freshness band; each with its largest freshness.
        band = np.searchsorted(FRESH_BANDS, J.fresh, side="right")
        self.job_class = (J.skill_count > 0).astype(np.int64) * (len(FRESH_BANDS) + 1) + band
        self.classes = np.unique(self.job_class)
        self.class_fresh = np.array([J.fresh[self.job_class == c].max() for c in self.classes])
        self.class_skills = np.array([c >= len(FRESH_BANDS) + 1 for c in self.classes])
        # Fallback radii are often a few hundred metres: finer cells waste fewer pairs.
        self.others = Grid(J.lat, J.lng, cell_m=FALLBACK_CELL_M, groups=self.job_class)
        self.stats = {"primary_pairs": 0, "fallback_seekers": 0, "fallback_pairs": 0}

    def top(self, seeker_idx, limit) -> Pairs:
        """Top-``limit`` pairs of each seeker in ``seeker_idx``, sorted by seeker index, then rank."""
        S, scorer = self.scorer.S, self.scorer
        seeker_idx = np.asarray(seeker_idx, dtype=np.int64)
        if len(seeker_idx) == 0 or len(scorer.J) == 0:
            return Pairs.empty()
        # Primary pass: one probe per (seeker, distinct 中类 among their occupations).
        middles = S.occ_middle[seeker_idx]
        probe_s = np.repeat(seeker_idx, middles.shape[1])
        probe_m = middles.reshape(-1)
        groups = np.where(probe_m >= 0, self.by_category.group_index(probe_m), -1)
        keep = groups >= 0
        probe_s, groups = probe_s[keep], groups[keep]
        unique = np.unique(np.stack([probe_s, groups]), axis=1) if len(probe_s) else np.zeros((2, 0), np.int64)
        probe_s, groups = unique[0], unique[1]
        primary = []
        probe, start, end = self.by_category.ranges(S.lat[probe_s], S.lng[probe_s], S.max_m[probe_s], groups)
        for p, st, en in chunks_by_query(probe, start, end):
            qi, ji = self.by_category.expand(p, st, en)
            pairs = scorer.evaluate(probe_s[qi], ji)
            self.stats["primary_pairs"] += len(qi)
            primary.append(top_per_seeker(pairs, scorer.J.id, limit))
        best = top_per_seeker(Pairs.concat(primary), scorer.J.id, limit)
        # Fallback passes over the other jobs, class by class, in widening rings: each ring raises
        # the L-th score, which shrinks the distance within which another job could still beat it.
        n_classes = len(self.classes)
        probe_s = np.repeat(seeker_idx, n_classes)
        probe_c = np.tile(np.arange(n_classes), len(seeker_idx))
        searched = np.zeros(len(probe_s))  # radius within which the probe's jobs have all been scored
        counted = np.zeros(len(S), dtype=bool)
        for ring in FALLBACK_RINGS_M:
            target = np.minimum(S.max_m[probe_s], self._reach(best, probe_s, probe_c, limit))
            needs = np.flatnonzero(target > searched)
            if len(needs) == 0:
                break
            ps, pc = probe_s[needs], probe_c[needs]
            radius = np.minimum(target[needs], ring)
            inner = np.where(searched[needs] > 0, chord2_for_radius(searched[needs]), -1.0)  # ring 1 includes d = 0
            outer = chord2_for_radius(radius)
            fresh = np.unique(ps[~counted[ps]])
            counted[fresh] = True
            self.stats["fallback_seekers"] += len(fresh)
            extra = []
            probe, start, end = self.others.ranges(S.lat[ps], S.lng[ps], radius, pc)
            for p, st, en in chunks_by_query(probe, start, end):
                qi, ji = self.others.expand(p, st, en)
                self.stats["fallback_pairs"] += len(qi)
                pairs = scorer.evaluate(ps[qi], ji, occupation_none_only=True, limit_chord2=outer[qi],
                                        above_chord2=inner[qi])  # fmt: skip
                extra.append(top_per_seeker(pairs, scorer.J.id, limit))
            searched[needs] = radius
            best = top_per_seeker(Pairs.concat([best, *extra]), scorer.J.id, limit)
        return best

    def _reach(self, best, probe_s, probe_c, limit):
        """Per (seeker, class) probe: how far a job of that class outside the seeker's categories
        could lie and still reach the seeker's L-th score (-1: nowhere)."""
        scorer, S = self.scorer, self.scorer.S
        threshold = np.full(len(S), -np.inf)
        counts = np.bincount(best.s, minlength=len(S))
        last = np.cumsum(counts) - 1
        full = np.flatnonzero(counts >= limit)
        threshold[full] = best.score[last[full]]
        w = scorer.w
        bound = (
            w["skills"] * (self.class_skills[probe_c] & S.has_skills[probe_s] & scorer.use_skills)
            + w["pay"] + w["freshness"] * self.class_fresh[probe_c] + S.boost[probe_s]
        )  # fmt: skip
        gap = threshold[probe_s] - bound
        with np.errstate(divide="ignore", invalid="ignore"):
            reach = float(scorer.config.distance_half_m) * np.log2(w["distance"] / np.where(gap > 0, gap, 1))
        reach = np.where(gap > 0, reach * (1 + 1e-9) + 1e-6, np.inf)
        return np.where(gap > w["distance"] + 1e-12, -1.0, reach)


def brute_force_top(scorer: Scorer, limit) -> Pairs:
    """Every seeker against every job, no pruning: the reference the pruned search must equal."""
    ns, nj = len(scorer.S), len(scorer.J)
    si = np.repeat(np.arange(ns), nj)
    ji = np.tile(np.arange(nj), ns)
    return top_per_seeker(scorer.evaluate(si, ji), scorer.J.id, limit)


def rank_jobs(scorer: Scorer, grid: Grid, seeker_index: int, limit) -> Pairs:
    """One seeker's best jobs (interactive): every job within reach is scored, no pruning."""
    S = scorer.S
    s = np.array([seeker_index])
    probe, start, end = grid.ranges(S.lat[s], S.lng[s], S.max_m[s])
    _, ji = grid.expand(probe, start, end)
    pairs = scorer.evaluate(np.full(len(ji), seeker_index, dtype=np.int64), ji)
    return top_per_seeker(pairs, scorer.J.id, limit)


def rank_seekers(scorer: Scorer, job_index: int, limit) -> Pairs:
    """One job's best seekers, ranked by the same pair score (ties: smaller seeker id)."""
    ns = len(scorer.S)
    pairs = scorer.evaluate(np.arange(ns, dtype=np.int64), np.full(ns, job_index, dtype=np.int64))
    order = np.lexsort((scorer.S.id[pairs.s], -pairs.score))[:limit]
    return pairs.take(order)


# --- allocation ---------------------------------------------------------------------------------


def allocate(candidates: Pairs, seeker_ids, job_ids, *, k, capacity, extend=None):
    """Choose up to ``k`` jobs per seeker and at most ``capacity[j]`` seekers per job.

    The result equals the greedy rule "walk all candidate pairs from the highest score down
    (ties: smaller seeker id, then smaller job id) and keep a pair while both sides have room".
    It is computed as seeker-proposing deferred acceptance, which with one shared order on pairs
    has exactly one stable outcome, the greedy one, and runs in vectorised rounds.

    ``candidates`` are sorted by seeker then rank. ``extend(seeker_idx, pairs, held)`` returns the
    next candidates of seekers who proposed to all of theirs and are still short of ``k`` (never
    a pair already in ``pairs``; None when there are none). Returns the indices of the accepted
    pairs, and the pairs.
    """
    pairs = candidates
    n_seekers = len(seeker_ids)
    start = np.full(n_seekers, 0, dtype=np.int64)
    end = np.zeros(n_seekers, dtype=np.int64)
    _set_lists(pairs, 0, start, end)
    nxt = start.copy()
    held = np.zeros(0, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=np.int64)
    # Seekers an extension found nothing for: exclusions only grow and full jobs only trade up,
    # so later extensions would find nothing either.
    dry = np.zeros(n_seekers, dtype=bool)
    while True:
        held_count = np.bincount(pairs.s[held], minlength=n_seekers)
        need = np.maximum(k - held_count, 0)
        room = np.minimum(need, end - nxt)
        active = np.flatnonzero(room > 0)
        if len(active) == 0:
            short = np.flatnonzero((need > 0) & (nxt >= end) & ~dry)
            more = extend(short, pairs, held) if extend is not None and len(short) else None
            if more is not None:
                dry[short] = True
                dry[np.unique(more.s)] = False
            if more is None or len(more) == 0:
                break
            offset = len(pairs)
            pairs = Pairs.concat([pairs, more])
            extended = np.unique(more.s)
            _set_lists(more, offset, start, end)
            nxt[extended] = start[extended]
            continue
        counts = room[active]
        proposals = np.repeat(nxt[active], counts) + (
            np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        )
        nxt[active] += counts
        touched = np.zeros(len(job_ids), dtype=bool)
        touched[pairs.j[proposals]] = True
        contested = touched[pairs.j[held]]
        contenders = np.concatenate([held[contested], proposals])
        order = np.lexsort((seeker_ids[pairs.s[contenders]], -pairs.score[contenders], pairs.j[contenders]))
        contenders = contenders[order]
        jobs = pairs.j[contenders]
        first = np.r_[True, jobs[1:] != jobs[:-1]]
        group_start = np.maximum.accumulate(np.where(first, np.arange(len(jobs)), 0))
        rank = np.arange(len(jobs)) - group_start
        accepted = contenders[rank < capacity[jobs]]
        held = np.concatenate([held[~contested], accepted])
    return np.sort(held), pairs


def admission(pairs: Pairs, held, seeker_ids, capacity):
    """Per job, the worst (score, seeker id) it holds when full: a later proposal ranked below
    it is surely rejected (a full job only ever trades up). Not full: (-inf, 0); no room: +inf."""
    n_jobs = len(capacity)
    score = np.full(n_jobs, -np.inf)
    seeker = np.zeros(n_jobs, dtype=np.int64)
    score[np.asarray(capacity) <= 0] = np.inf
    if len(held):
        jobs = pairs.j[held]
        full = np.bincount(jobs, minlength=n_jobs) >= capacity
        order = np.lexsort((-seeker_ids[pairs.s[held]], pairs.score[held], jobs))  # worst first per job
        jobs_sorted = jobs[order]
        first = np.r_[True, jobs_sorted[1:] != jobs_sorted[:-1]]
        worst = held[order][first]
        worst_jobs = pairs.j[worst]
        keep = full[worst_jobs] & (capacity[worst_jobs] > 0)
        score[worst_jobs[keep]] = pairs.score[worst[keep]]
        seeker[worst_jobs[keep]] = seeker_ids[pairs.s[worst[keep]]]
    return score, seeker


def _set_lists(pairs, offset, start, end):
    """Record where each seeker's candidates sit in the concatenated pair arrays."""
    if len(pairs) == 0:
        return
    s = pairs.s
    first = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    last = np.r_[first[1:], len(s)]
    start[s[first]] = first + offset
    end[s[first]] = last + offset


def greedy_reference(pairs: Pairs, seeker_ids, job_ids, *, k, capacity):
    """The greedy rule, one pair at a time in Python (tests compare ``allocate`` with it)."""
    order = np.lexsort((job_ids[pairs.j], seeker_ids[pairs.s], -pairs.score))
    taken_s = np.zeros(len(seeker_ids), dtype=np.int64)
    taken_j = np.zeros(len(job_ids), dtype=np.int64)
    chosen = []
    for i in order:
        s, j = pairs.s[i], pairs.j[i]
        if taken_s[s] < k and taken_j[j] < capacity[j]:
            taken_s[s] += 1
            taken_j[j] += 1
            chosen.append(i)
    return np.sort(np.array(chosen, dtype=np.int64))


def apportion(total: int, counts: dict) -> dict:
    """Split ``total`` among keys in proportion to ``counts`` (largest remainder, ties by key)."""
    weight = sum(counts.values())
    if weight <= 0 or total <= 0:
        return dict.fromkeys(counts, 0)
    shares = {key: total * c // weight for key, c in counts.items()}
    left = total - sum(shares.values())
    by_remainder = sorted(counts, key=lambda key: (-(total * counts[key] % weight), key))
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares
