"""The matching engine: hard filters, an explainable score, and exact top-k, all in NumPy.

Rules (docs/matching.md):

- Hard filters, never relaxed: the job lies within the seeker's maximum distance (great-circle,
  the same formula as ``geo.distance.haversine_m``); the job is open and valid (the snapshot holds
  only those); the seeker's education reaches the job's minimum; the work types are compatible;
  and, for the batch push, the pair was not pushed within the window. A job's age bounds are no
  filter (issue 17): a resident never loses a job for a reason they cannot see — an age condition
  is a posting's wording, held for staff review (employers.services), and shown on the job.
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
The search and the allocation's proposals run as compiled loops (``kernels.py``); this module
decides what they search and scores what they find. ``tests/matching/test_engine.py`` checks the
pruned result against brute force.
"""

from dataclasses import dataclass

import numpy as np

from jobcircle.areas.geo.distance import EARTH_RADIUS_M

from .conf import WORK_TYPE_CODES, MatchingConfig
from .snapshot import JobTable, SeekerTable, chord2_for_radius, unique_values

M_PER_DEG = EARTH_RADIUS_M * np.pi / 180.0
DEFAULT_CELL_M = 1000.0
FALLBACK_CELL_M = 300.0
FALLBACK_RINGS_M = (600.0, np.inf)
FRESH_BANDS = (0.5, 0.85)  # freshness component ≈ 30 and 7 days
MAX_PAIRS_PER_CHUNK = 4_000_000
MAX_LISTED_BUCKETS = 4_000_000  # grid buckets listed with their start (32 MB at most)
MAX_EXCLUDE_BITS = 2**31  # a bit set of excluded pairs up to 256 MB, sorted keys beyond
WORK_KEYS = len(WORK_TYPE_CODES)  # grid group = code × WORK_KEYS + the job's work type


def compiled():
    """The compiled batch loops (``kernels``, Numba), imported on first use: web processes, which
    never run the batch, then do without Numba (about 100 MB and 0.3 s per process)."""
    from . import kernels  # local import: Numba only in the processes that run the batch (see above)

    return kernels


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
        # Where each bucket starts in ``order`` (one lookup per window row instead of two binary
        # searches), when the buckets are few enough to list; else ``ranges`` searches ``keys``.
        buckets = len(self.group_values) * self.ny * self.nx
        self.starts = None
        if n and buckets <= MAX_LISTED_BUCKETS:
            self.starts = np.zeros(buckets + 1, dtype=np.int64)
            np.cumsum(np.bincount(self.keys, minlength=buckets), out=self.starts[1:])

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
        if self.starts is not None:
            start = self.starts[base + cx_lo[probe]]
            end = self.starts[base + cx_hi[probe] + 1]
        else:
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
        # Pairs never to propose again: keys seeker index × len(jobs) + job index (``exclude_pairs``).
        self.excluded = None
        self.exclude_pairs(exclude)
        # Optional (score, seeker id) per job below which a pair cannot be accepted (``admission``).
        self.admission = None
        w = config.weights
        self.w = {name: float(value) for name, value in w.items()}
        self.occupation_weighted = self.w["occupation"] * self.occupation_scores
        self.fresh_weighted = self.w["freshness"] * jobs.fresh
        # Upper bound of everything but distance and occupation, per seeker (the occupation tiers' bounds).
        fresh_max = float(jobs.fresh.max()) if len(jobs) else 0.0
        self.rest_bound = (
            self.w["skills"] * (seekers.has_skills & self.use_skills) + self.w["pay"] + self.w["freshness"] * fresh_max
        ) + seekers.boost

    def exclude_pairs(self, keys):
        """Never propose these pairs (keys seeker index × len(jobs) + job index); replaces earlier ones.

        Kept as a bit set over all pairs when that stays small (one lookup per pair), else sorted.
        """
        self.excluded = None
        self.also_exclude(keys)

    def also_exclude(self, keys):
        """Add pairs (keys as in ``exclude_pairs``) to the excluded ones."""
        keys = None if keys is None or len(keys) == 0 else np.asarray(keys, dtype=np.int64)
        if keys is None:
            return
        if self.excluded is None:
            if len(self.S) * len(self.J) <= MAX_EXCLUDE_BITS:
                self.excluded = ("bits", np.zeros((len(self.S) * len(self.J) + 7) // 8, dtype=np.uint8))
            else:
                self.excluded = ("sorted", np.zeros(0, dtype=np.int64))
        kind, table = self.excluded
        if kind == "bits":
            np.bitwise_or.at(table, keys >> 3, (1 << (keys & 7)).astype(np.uint8))
        else:
            self.excluded = ("sorted", unique_values(np.concatenate([table, keys])))

    def _not_excluded(self, si, ji):
        kind, table = self.excluded
        keys = si * len(self.J) + ji
        if kind == "bits":
            return (table[keys >> 3] >> (keys & 7).astype(np.uint8)) & 1 == 0
        pos = np.minimum(np.searchsorted(table, keys), len(table) - 1)
        return table[pos] != keys

    def evaluate(self, si, ji) -> Pairs:
        """Pairs passing every hard filter, scored: the one score every path uses."""
        S, J = self.S, self.J
        # Squared chord, computed in place (large temporaries cost more than the arithmetic).
        d2 = S.x[si]
        d2 -= J.x[ji]
        np.square(d2, out=d2)
        for a, b in ((S.y, J.y), (S.z, J.z)):
            t = a[si]
            t -= b[ji]
            np.square(t, out=t)
            d2 += t
        keep = d2 <= self.max_chord2[si]
        si, ji, d2 = si[keep], ji[keep], d2[keep]
        keep = S.edu[si] >= J.edu_min[ji]
        keep &= self.work_ok[S.work_type[si], J.work_type[ji]]
        si, ji, d2 = si[keep], ji[keep], d2[keep]
        if self.excluded is not None:
            keep = self._not_excluded(si, ji)
            si, ji, d2 = si[keep], ji[keep], d2[keep]
        level = np.zeros(len(si), dtype=np.int8)
        for slot in range(S.occ_exact.shape[1]):  # best level over the seeker's codes
            match = (S.occ_middle[si, slot] == J.occ_middle[ji]).astype(np.int8)
            np.maximum(match, 2 * (S.occ_minor[si, slot] == J.occ_minor[ji]), out=match)
            np.maximum(match, 3 * (S.occ_exact[si, slot] == J.occ_exact[ji]), out=match)
            np.maximum(level, match, out=level)
        distance = np.sqrt(d2, out=d2)
        distance *= 0.5
        np.minimum(distance, 1.0, out=distance)
        np.arcsin(distance, out=distance)
        distance *= 2.0 * EARTH_RADIUS_M
        w = self.w
        score = distance * (-1.0 / float(self.config.distance_half_m))
        np.exp2(score, out=score)
        score *= w["distance"]
        score += self.occupation_weighted[level]
        overlap = np.zeros(len(si), dtype=np.int16)
        if self.use_skills:
            for word in range(J.skills.shape[1]):
                overlap += np.bitwise_count(S.skills[si, word] & J.skills[ji, word]).astype(np.int16)
            score += w["skills"] * (overlap / np.maximum(J.skill_count[ji], 1))
        min_pay = S.min_pay[si]
        pay_fit = (min_pay <= 0) | (J.pay_max[ji] >= min_pay)
        score += w["pay"] * pay_fit
        score += self.fresh_weighted[ji]
        score += S.boost[si]
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
    present = np.bincount(pairs.s) > 0  # seeker indices are small: no sort needed
    local = (np.cumsum(present) - 1)[pairs.s]
    seekers = np.flatnonzero(present)
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
    """Exact top-L candidates of many seekers, pruned by occupation and by score bounds.

    A seeker meets the jobs in tiers: same occupation, same 小类, same 中类 (each found through a
    grid keyed by that code), and the rest, split into classes by what bounds their score
    (asking for skills or not, freshness band). A tier's jobs score at most
    ``w_distance × decay(d) + bound``; every tier is searched in widening rings, and only as far
    as a job of it could still reach the seeker's current L-th score. Each job meets each seeker
    in exactly one tier (its best occupation level), so nothing is counted twice.
    """

    def __init__(self, scorer: Scorer):
        self.scorer = scorer
        J = scorer.J
        # Every grid is also keyed by the job's work type: a seeker probes only the work types
        # they accept, so incompatible jobs are never paired (about 40 % of the pairs otherwise).
        wt = J.work_type.astype(np.int64)
        self.keyed = [  # (occupation level, grid keyed by that level's code, the seekers' codes)
            (3, Grid(J.lat, J.lng, groups=J.occ_exact * WORK_KEYS + wt), scorer.S.occ_exact),
            (2, Grid(J.lat, J.lng, groups=J.occ_minor * WORK_KEYS + wt), scorer.S.occ_minor),
            (1, Grid(J.lat, J.lng, groups=J.occ_middle * WORK_KEYS + wt), scorer.S.occ_middle),
        ]
        # The rest: classes by score bound, each with its largest freshness.
        band = np.searchsorted(FRESH_BANDS, J.fresh, side="right")
        self.job_class = (J.skill_count > 0).astype(np.int64) * (len(FRESH_BANDS) + 1) + band
        self.classes = unique_values(self.job_class)
        self.class_fresh = np.array([J.fresh[self.job_class == c].max() for c in self.classes])
        self.class_skills = np.array([c >= len(FRESH_BANDS) + 1 for c in self.classes])
        # Their radii are often a few hundred metres: finer cells waste fewer pairs.
        self.others = Grid(J.lat, J.lng, cell_m=FALLBACK_CELL_M, groups=self.job_class * WORK_KEYS + wt)
        self.stats = {"primary_pairs": 0, "fallback_seekers": 0, "fallback_pairs": 0}
        self._tables = None
        self._grids = {}  # occupation level → the tier's grid arrays (``_grid_arrays``)

    def _probes(self, seeker_idx):
        """[(level, grid, seeker per probe, grid group per probe, score bound without distance)]."""
        scorer, S = self.scorer, self.scorer.S
        w = scorer.w
        # (seeker, work type) pairs the seeker accepts.
        accepts = scorer.work_ok[S.work_type[seeker_idx]]
        wt_s, wt = np.nonzero(accepts)
        wt_s = seeker_idx[wt_s]
        out = []
        for level, grid, codes in self.keyed:
            keys = codes[wt_s]
            probe_s = np.repeat(wt_s, keys.shape[1])
            values = (keys * WORK_KEYS + wt[:, None]).reshape(-1)
            groups = grid.group_index(values)
            keep = (keys.reshape(-1) >= 0) & (groups >= 0)
            if not keep.any():
                continue
            n_groups = len(grid.group_values)
            key = unique_values(probe_s[keep] * n_groups + groups[keep])  # one probe per (seeker, group)
            probe, group = key // n_groups, key % n_groups
            bound = scorer.occupation_weighted[level] + scorer.rest_bound[probe]
            out.append((level, grid, probe, group, bound))
        n_classes = len(self.classes)
        probe_s = np.repeat(wt_s, n_classes)
        probe_c = np.tile(np.arange(n_classes), len(wt_s))
        groups = self.others.group_index(self.classes[probe_c] * WORK_KEYS + np.repeat(wt, n_classes))
        keep = groups >= 0
        probe_s, probe_c, groups = probe_s[keep], probe_c[keep], groups[keep]
        bound = (
            w["skills"] * (self.class_skills[probe_c] & S.has_skills[probe_s] & scorer.use_skills)
            + w["pay"] + w["freshness"] * self.class_fresh[probe_c] + S.boost[probe_s]
        )  # fmt: skip
        out.append((0, self.others, probe_s, groups, bound))
        return out

    def top(self, seeker_idx, limit) -> Pairs:
        """Top-``limit`` pairs of each seeker in ``seeker_idx``, sorted by seeker index, then rank.

        The compiled loop (``kernels.scan_tier``) walks the tiers one seeker at a time and returns
        the pairs that may rank; they are scored again here, so scores are exactly NumPy's.
        """
        S, J, scorer = self.scorer.S, self.scorer.J, self.scorer
        seeker_idx = np.asarray(seeker_idx, dtype=np.int64)
        if len(seeker_idx) == 0 or len(J) == 0:
            return Pairs.empty()
        best = np.full((len(S), limit), -np.inf)  # per seeker, the best approximate scores so far
        buf = (np.empty(1024, np.int64), np.empty(1024, np.int64), np.empty(1024), 0)
        seekers, jobs, weights = self._kernel_tables()
        kind, table = scorer.excluded or ("", np.zeros(0, np.int64))
        exclusion = (
            {"": 0, "bits": 1, "sorted": 2}[kind],
            table if kind == "bits" else np.zeros(0, np.uint8),
            table if kind == "sorted" else np.zeros(0, np.int64),
        )
        bar = scorer.admission[0] if scorer.admission is not None else np.zeros(0)
        admission = (scorer.admission is not None, bar)
        for level, grid, probe_s, groups, bound in self._probes(seeker_idx):
            order = np.argsort(probe_s, kind="stable")
            rings = np.array(FALLBACK_RINGS_M if level == 0 else (np.inf,))
            buf, met, searched = compiled().scan_tier(
                level, rings, probe_s[order], groups[order], bound[order], self._grid_arrays(level, grid),
                seekers, jobs, weights, exclusion, admission, best, buf,
            )  # fmt: skip
            self.stats["fallback_pairs" if level == 0 else "primary_pairs"] += met
            if level == 0:
                self.stats["fallback_seekers"] += searched
        buf_s, buf_j, buf_score, n = buf
        buf_s, buf_j, buf_score = buf_s[:n], buf_j[:n], buf_score[:n]
        keep = buf_score >= best[buf_s, limit - 1] - compiled().EPS
        return top_per_seeker(scorer.evaluate(buf_s[keep], buf_j[keep]), J.id, limit)

    def _grid_arrays(self, level, grid):
        """The grid of a tier as the compiled loop takes it, with the jobs' unit vectors in the grid's
        order (read one after another in the loop, instead of scattered over the job table)."""
        if level not in self._grids:
            J = self.scorer.J
            starts = grid.starts if grid.starts is not None else np.zeros(0, np.int64)
            self._grids[level] = (grid.order, starts, grid.keys, grid.lat0, grid.lng0, grid.dy, grid.dx, grid.ny,
                                     grid.nx, J.x[grid.order], J.y[grid.order], J.z[grid.order])  # fmt: skip
        return self._grids[level]

    def _kernel_tables(self):
        """The seeker and job columns and the weights, as the compiled loop takes them."""
        if self._tables is None:
            scorer, S, J = self.scorer, self.scorer.S, self.scorer.J
            seekers = (
                S.lat, S.lng, S.x, S.y, S.z, S.max_m, scorer.max_chord2, S.edu, S.age, S.work_type, S.min_pay,
                S.occ_exact, S.occ_minor, S.occ_middle, S.skills, S.boost,
            )  # fmt: skip
            jobs = (
                J.edu_min, J.age_min, J.age_max, J.work_type, J.pay_max, J.occ_exact, J.occ_minor,
                J.occ_middle, J.skills, J.skill_count, scorer.fresh_weighted, scorer.work_ok,
            )  # fmt: skip
            w = scorer.w
            weights = (w["distance"], float(scorer.config.distance_half_m), w["skills"], w["pay"],
                       scorer.occupation_weighted.astype(np.float64), scorer.use_skills)  # fmt: skip
            self._tables = (seekers, jobs, weights)
        return self._tables


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
    It is computed as seeker-proposing deferred acceptance (``kernels.defer_accept``), which with
    one shared order on pairs has exactly one stable outcome, the greedy one, whatever the order
    of proposals.

    ``candidates`` are sorted by seeker then rank. ``extend(seeker_idx, pairs, bars)`` returns the
    next candidates of seekers who proposed to all of theirs and are still short of ``k`` (never
    a pair already in ``pairs``; None when there are none); ``bars`` are the admission bars of the
    moment (see ``_admission``). Returns the indices of the accepted pairs, and the pairs.
    """
    pairs = candidates
    seeker_ids = np.asarray(seeker_ids, dtype=np.int64)
    n_seekers = len(seeker_ids)
    start = np.zeros(n_seekers, dtype=np.int64)
    end = np.zeros(n_seekers, dtype=np.int64)
    _set_lists(pairs, 0, start, end)
    nxt = start.copy()
    held_count = np.zeros(n_seekers, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=np.int64)
    room = np.maximum(capacity, 0)
    heap_start = np.cumsum(room) - room  # each job's held pairs: a heap in one shared array
    heap = np.zeros(int(room.sum()), dtype=np.int64)
    heap_size = np.zeros(len(capacity), dtype=np.int64)
    # Seekers an extension found nothing for: exclusions only grow and full jobs only trade up,
    # so later extensions would find nothing either.
    dry = np.zeros(n_seekers, dtype=bool)
    while True:
        compiled().defer_accept(pairs.s, pairs.j, pairs.score, seeker_ids[pairs.s], end, nxt, held_count, k, capacity,
                             heap, heap_start, heap_size)  # fmt: skip
        short = np.flatnonzero((held_count < k) & (nxt >= end) & ~dry)
        if extend is None or len(short) == 0:
            break
        more = extend(short, pairs, _admission(pairs, seeker_ids, capacity, heap, heap_start, heap_size))
        if more is not None:
            dry[short] = True
            dry[more.s] = False
        if more is None or len(more) == 0:
            break
        offset = len(pairs)
        pairs = Pairs.concat([pairs, more])
        extended = unique_values(more.s)
        _set_lists(more, offset, start, end)
        nxt[extended] = start[extended]
    return np.sort(_held(heap, heap_start, heap_size)), pairs


def _held(heap, heap_start, heap_size):
    """The pair indices every job holds."""
    offsets = np.cumsum(heap_size) - heap_size
    pos = np.repeat(heap_start - offsets, heap_size) + np.arange(int(heap_size.sum()))
    return heap[pos]


def open_admission(capacity):
    """Admission bars (score, seeker id) per job before anyone is held: a job without capacity
    admits no one (+inf), any other job anyone (-inf)."""
    capacity = np.asarray(capacity)
    return np.where(capacity <= 0, np.inf, -np.inf), np.zeros(len(capacity), dtype=np.int64)


def _admission(pairs, seeker_ids, capacity, heap, heap_start, heap_size):
    """Per job, the worst (score, seeker id) it holds when full: a later proposal ranked below it is
    surely refused (a full job only ever trades up). The worst is the top of the job's heap."""
    score, seeker = open_admission(capacity)
    full = np.flatnonzero((heap_size >= capacity) & (capacity > 0))
    worst = heap[heap_start[full]]
    score[full] = pairs.score[worst]
    seeker[full] = seeker_ids[pairs.s[worst]]
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
