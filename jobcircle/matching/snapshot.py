"""In-memory snapshots of jobs and seekers as NumPy columns, the engine's only input.

A snapshot is loaded from the database with plain ``values_list`` queries (or built straight
from arrays by the benchmarks), so the engine computes the same result on SQLite and
PostgreSQL: floats are IEEE doubles in both, and every table is ordered by id.

- Occupations become three integer keys (exact code, 小类, 中类) so the hierarchy test is an
  integer comparison. Jobs lacking a level carry -1, seekers -3 and their padding -2, so a
  missing level never matches.
- Skills are bits over the vocabulary of the jobs' required skills (a seeker's other skills
  cannot overlap with any job), several 64-bit words when the vocabulary is larger.
"""

import datetime
import json
import unicodedata
from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import chain, repeat

import numpy as np

from jobcircle.areas.geo.distance import EARTH_RADIUS_M
from jobcircle.people.models import age_on

from .conf import ANY_WORK_TYPE, WORK_TYPE_CODES, MatchingConfig

NO_AGE_MAX = 999
SEEKER_WORK_TYPES = {None: ANY_WORK_TYPE, **WORK_TYPE_CODES}  # None: no job intention
JOB_MISSING, SEEKER_PAD, SEEKER_MISSING = -1, -2, -3


@lru_cache(maxsize=8192)
def occupation_keys(code: str) -> tuple[int, int, int]:
    """(exact, 小类, 中类) integer keys of a 职业分类大典 code such as "4-10-01-05"; -1 where absent."""
    parts = [int(p) for p in code.split("-")]
    level = len(parts)
    packed = 0
    for part, scale in zip(parts, (10**6, 10**4, 10**2, 1), strict=False):
        packed += part * scale
    exact = packed * 10 + level
    minor = (packed // 100) * 10 + 3 if level >= 3 else JOB_MISSING
    middle = (packed // 10**4) * 10 + 2 if level >= 2 else JOB_MISSING
    return exact, minor, middle


def occupation_table(codes) -> np.ndarray:
    """(len(codes), 3) int64 keys of distinct occupation codes (``occupation_keys`` of each)."""
    return np.array([occupation_keys(code) for code in codes], dtype=np.int64).reshape(-1, 3)


def distinct_index(values) -> tuple[list, np.ndarray]:
    """(the distinct values in first-seen order, each value's position among them): many rows
    share a value (an occupation, a skills list), so the work is done once per distinct value."""
    values = list(values)
    distinct = list(dict.fromkeys(values))
    position = {value: i for i, value in enumerate(distinct)}
    return distinct, np.fromiter(map(position.__getitem__, values), dtype=np.intp, count=len(values))


def unique_values(values) -> np.ndarray:
    """The sorted distinct values of an integer array (``np.unique`` without its other outputs).

    By sorting: NumPy 2.3 and later hash instead, which took 1.1–1.4 s where a sort takes 0.08 s
    (1.4 million pair keys, the 30-day history of one county).
    """
    ordered = np.sort(np.asarray(values).reshape(-1))
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def normalize_skill(text) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


def skill_list(value) -> list:
    """A skills value as loaded: a list, None, or its JSON text (loaders read the text, see loaders.py)."""
    if isinstance(value, str):
        value = json.loads(value)
    return value or []


def skill_keys(skill_lists) -> list:
    """Each skills value as a hashable key (its JSON text, None or a tuple); ``skill_list`` reads any."""
    return [s if isinstance(s, str) or s is None else tuple(s) for s in skill_lists]


def unit_vectors(lat, lng):
    """Points on the unit sphere; the chord between two of them decides the great-circle distance."""
    phi, lam = np.radians(lat), np.radians(lng)
    cos_phi = np.cos(phi)
    return cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)


def chord2_for_radius(radius_m):
    """Squared chord length of a great-circle distance (haversine h = chord² / 4)."""
    return 4.0 * np.sin(np.asarray(radius_m, dtype=np.float64) / (2.0 * EARTH_RADIUS_M)) ** 2


class SkillVocabulary:
    """Bit positions of the skills jobs ask for."""

    def __init__(self, skill_lists):
        distinct = dict.fromkeys(skill_keys(skill_lists))
        names = sorted({name for skills in distinct for name in map(normalize_skill, skill_list(skills)) if name})
        self.index = {name: i for i, name in enumerate(names)}
        self.words = max(1, (len(names) + 63) // 64)

    def masks(self, skill_lists):
        """(n, words) uint64 bit masks and the number of distinct known skills per row."""
        distinct, row_of = distinct_index(skill_keys(skill_lists))
        masks = np.zeros((len(distinct), self.words), dtype=np.uint64)
        counts = np.zeros(len(distinct), dtype=np.int16)
        for i, skills in enumerate(distinct):
            bits = {self.index[n] for n in map(normalize_skill, skill_list(skills)) if n in self.index}
            for bit in bits:
                masks[i, bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
            counts[i] = len(bits)
        return masks[row_of], counts[row_of]


@dataclass
class Table:
    def take(self, idx):
        """The rows at ``idx`` (same columns)."""
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            values[f.name] = value[idx] if isinstance(value, np.ndarray) else value
        return type(self)(**values)

    def __len__(self):
        return len(self.id)


@dataclass
class JobTable(Table):
    """Open jobs, sorted by id."""

    id: np.ndarray
    lat: np.ndarray
    lng: np.ndarray
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    occ_exact: np.ndarray
    occ_minor: np.ndarray
    occ_middle: np.ndarray
    edu_min: np.ndarray
    age_min: np.ndarray
    age_max: np.ndarray
    work_type: np.ndarray
    pay_max: np.ndarray
    headcount: np.ndarray
    fresh: np.ndarray  # freshness component in [0, 1]
    skills: np.ndarray  # (n, words) uint64
    skill_count: np.ndarray
    vocabulary: SkillVocabulary


@dataclass
class SeekerTable(Table):
    """Job seekers with their intention, sorted by id; occupations padded to a fixed width."""

    id: np.ndarray
    lat: np.ndarray
    lng: np.ndarray
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    max_m: np.ndarray
    edu: np.ndarray
    age: np.ndarray
    work_type: np.ndarray
    min_pay: np.ndarray
    occ_exact: np.ndarray  # (n, width)
    occ_minor: np.ndarray
    occ_middle: np.ndarray
    skills: np.ndarray  # (n, words) against the jobs' vocabulary
    has_skills: np.ndarray
    boost: np.ndarray
    area_code: np.ndarray  # str


def ages_on(births, today: datetime.date) -> np.ndarray:
    """Ages in whole years (int64) by the one age rule, ``people.models.age_on``, worked out once
    per distinct birth date."""
    distinct, row_of = distinct_index(births)
    return np.array([age_on(birth, today) for birth in distinct], dtype=np.int64)[row_of]


def freshness(days_open, config: MatchingConfig):
    return np.exp2(-np.maximum(np.asarray(days_open, dtype=np.float64), 0.0) / float(config.freshness_half_days))


def build_jobs(rows, *, today, config: MatchingConfig, vocabulary=None) -> JobTable:
    """A job table from dicts/tuples of (id, lat, lng, occupation code, education_min, age_min, age_max,
    work_type, pay_max, headcount, skills, valid_from)."""
    rows = sorted(rows, key=lambda r: r[0])
    vocabulary = vocabulary or SkillVocabulary(r[10] for r in rows)
    col = list(zip(*rows, strict=True)) if rows else [()] * 12
    lat = np.array(col[1], dtype=np.float64)
    lng = np.array(col[2], dtype=np.float64)
    distinct, row_of = distinct_index(col[3])
    keys = occupation_table(distinct)[row_of]
    skills, skill_count = vocabulary.masks(col[10])
    x, y, z = unit_vectors(lat, lng)
    return JobTable(
        id=np.array(col[0], dtype=np.int64), lat=lat, lng=lng, x=x, y=y, z=z,
        occ_exact=keys[:, 0].copy(), occ_minor=keys[:, 1].copy(), occ_middle=keys[:, 2].copy(),
        edu_min=np.array(col[4], dtype=np.int16),
        age_min=np.array([a or 0 for a in col[5]], dtype=np.int16),
        age_max=np.array([NO_AGE_MAX if a is None else a for a in col[6]], dtype=np.int16),
        work_type=np.array([WORK_TYPE_CODES[w] for w in col[7]], dtype=np.int8),
        pay_max=np.array(col[8], dtype=np.int32), headcount=np.array(col[9], dtype=np.int32),
        fresh=freshness([(today - d).days for d in col[11]], config),
        skills=skills, skill_count=skill_count, vocabulary=vocabulary,
    )  # fmt: skip


def build_seekers(rows, occupations, key_groups, *, today, config: MatchingConfig, vocabulary) -> SeekerTable:
    """A seeker table.

    - ``rows``: (id, lat, lng, education, birth_date, skills, area_code, max_distance_km or None,
      work_type or None, min_monthly_pay or None); None marks a seeker without a job intention.
    - ``occupations``: {seeker id: collection (list, set) of occupation codes} (own occupations and
      intended ones).
    - ``key_groups``: {seeker id: iterable of key-group codes}.
    """
    rows = sorted(rows, key=lambda r: r[0])
    n = len(rows)
    col = list(zip(*rows, strict=True)) if rows else [()] * 10
    ids = np.array(col[0], dtype=np.int64)
    occ = seeker_occupations(col[0], occupations)
    skills, skill_count = vocabulary.masks(col[5])
    default_m = float(config.default_max_distance_km) * 1000
    # Few distinct distances and key-group sets: each converted once.
    metres = {d: default_m if d is None else float(d) * 1000 for d in set(col[7])}
    boost = np.zeros(n, dtype=np.float64)
    grouped = [(row, tuple(groups)) for row, groups in enumerate(map(key_groups.get, col[0])) if groups]
    if grouped:
        rows_with, groups = zip(*grouped, strict=True)
        by_groups = {g: config.boost_for(g) for g in set(groups)}
        boost[list(rows_with)] = [by_groups[g] for g in groups]
    lat = np.array(col[1], dtype=np.float64)
    lng = np.array(col[2], dtype=np.float64)
    x, y, z = unit_vectors(lat, lng)
    return SeekerTable(
        id=ids, lat=lat, lng=lng, x=x, y=y, z=z,
        max_m=np.fromiter(map(metres.__getitem__, col[7]), dtype=np.float64, count=n),
        edu=np.array(col[3], dtype=np.int16),
        age=ages_on(col[4], today).astype(np.int16),
        work_type=np.fromiter(map(SEEKER_WORK_TYPES.__getitem__, col[8]), dtype=np.int8, count=n),
        min_pay=np.array([p or 0 for p in col[9]], dtype=np.int32),
        occ_exact=occ[:, :, 0].copy(), occ_minor=occ[:, :, 1].copy(), occ_middle=occ[:, :, 2].copy(),
        skills=skills, has_skills=skill_count > 0,
        boost=boost,
        area_code=np.array(col[6], dtype=object),
    )  # fmt: skip


def seeker_occupations(ids, occupations) -> np.ndarray:
    """(n, width, 3) keys of each seeker's distinct occupation codes in code order, SEEKER_PAD after
    them (width: the most any seeker has, at least 1) and SEEKER_MISSING for a missing level."""
    per_row = list(map(occupations.get, ids, repeat(())))  # occupations.get(i, ()) for each id
    flat = list(chain.from_iterable(per_row))
    distinct = sorted(set(flat))
    if not distinct:
        return np.full((len(per_row), 1, 3), SEEKER_PAD, dtype=np.int64)
    rank = {code: r for r, code in enumerate(distinct)}
    owner = np.repeat(np.arange(len(per_row)), np.fromiter(map(len, per_row), dtype=np.int64, count=len(per_row)))
    # One entry per (seeker, distinct code), sorted by seeker then code (a code listed twice takes one
    # slot): its slot is its place in the seeker's run.
    codes = np.fromiter(map(rank.__getitem__, flat), dtype=np.int64, count=len(flat))
    entry = unique_values(owner * len(distinct) + codes)
    owner, code = np.divmod(entry, len(distinct))
    slot = np.arange(len(entry)) - np.searchsorted(owner, owner)
    keys = occupation_table(distinct)
    keys[keys == JOB_MISSING] = SEEKER_MISSING
    occ = np.full((len(per_row), int(slot.max()) + 1, 3), SEEKER_PAD, dtype=np.int64)
    occ[owner, slot] = keys[code]
    return occ
