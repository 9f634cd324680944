"""The matching configuration, read from ``settings.JOBCIRCLE_MATCHING`` (the only place it lives)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jobcircle.people.enums import WorkType

WEIGHT_KEYS = ("distance", "occupation", "skills", "pay", "freshness")
# Work types as small integers in the snapshot; ANY_WORK_TYPE is a seeker without an intention.
WORK_TYPE_CODES = {value: index for index, value in enumerate(WorkType.values)}
ANY_WORK_TYPE = len(WORK_TYPE_CODES)


@dataclass(frozen=True)
class MatchingConfig:
    weights: dict
    distance_half_m: float
    freshness_half_days: float
    occupation_levels: dict
    key_group_boost: float
    key_group_boosts: dict
    default_max_distance_km: float
    work_types: dict
    push_k: int
    capacity_factor: int
    window_days: int
    push_retention_days: int
    partition_level: str
    candidate_pool: int
    send_sms: bool
    snapshot_ttl_s: float
    extra: dict = field(default_factory=dict)

    @property
    def occupation_scores(self):
        """Component value by match level: 0 none, 1 同中类, 2 同小类, 3 same occupation."""
        levels = self.occupation_levels
        return (0.0, float(levels["middle"]), float(levels["minor"]), float(levels["exact"]))

    def work_type_matrix(self):
        """compatible[seeker code][job code]; the last seeker row (no intention) accepts everything."""
        size = len(WORK_TYPE_CODES)
        rows = [[False] * size for _ in range(size)] + [[True] * size]
        for wanted, accepted in self.work_types.items():
            for job_type in accepted:
                rows[WORK_TYPE_CODES[wanted]][WORK_TYPE_CODES[job_type]] = True
        return rows

    def boost_for(self, key_group_codes) -> float:
        """The key-group boost of a seeker: the largest among their groups, 0 without any."""
        boosts = [float(self.key_group_boosts.get(code, self.key_group_boost)) for code in key_group_codes]
        return max(boosts, default=0.0)


def get_config(**overrides) -> MatchingConfig:
    """The configured matching settings (``overrides`` for benchmarks and tests)."""
    raw = {**settings.JOBCIRCLE_MATCHING, **overrides}
    known = set(MatchingConfig.__dataclass_fields__) - {"extra"}
    missing = known - set(raw)
    if missing:
        raise ImproperlyConfigured(f"JOBCIRCLE_MATCHING lacks {', '.join(sorted(missing))}")
    weights = raw["weights"]
    if set(weights) != set(WEIGHT_KEYS) or any(float(w) < 0 for w in weights.values()):
        raise ImproperlyConfigured(f"JOBCIRCLE_MATCHING['weights'] needs non-negative {', '.join(WEIGHT_KEYS)}")
    if weights["distance"] <= 0:
        raise ImproperlyConfigured("JOBCIRCLE_MATCHING['weights']['distance'] must be positive (closer is better)")
    unknown_types = {t for pair in raw["work_types"].items() for t in (pair[0], *pair[1])} - set(WORK_TYPE_CODES)
    if unknown_types:
        raise ImproperlyConfigured(f"JOBCIRCLE_MATCHING['work_types'] has unknown types {sorted(unknown_types)}")
    if raw["partition_level"] not in ("county", "township"):
        raise ImproperlyConfigured("JOBCIRCLE_MATCHING['partition_level'] is 'county' or 'township'")
    if int(raw["push_retention_days"]) <= int(raw["window_days"]):
        raise ImproperlyConfigured("JOBCIRCLE_MATCHING['push_retention_days'] must exceed 'window_days'")
    return MatchingConfig(**{key: raw[key] for key in known}, extra={k: v for k, v in raw.items() if k not in known})
