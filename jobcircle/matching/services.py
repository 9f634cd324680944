"""三公里 queries: which open jobs lie within reach of a point or a resident."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from jobcircle.employers.models import Job


@dataclass
class NearbyPage:
    count: int
    radius_km: float
    items: list  # Job rows annotated with distance_m, nearest first


def clean_radius_km(radius_km) -> float:
    """Radius in km: default the circle (3 km), at most JOBCIRCLE_NEARBY_MAX_RADIUS_KM."""
    if radius_km in (None, ""):
        return float(settings.JOBCIRCLE_CIRCLE_RADIUS_KM)
    try:
        radius = float(radius_km)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"radius_km": ["搜索半径：应为数字（公里）"]}) from exc
    if not 0 < radius <= settings.JOBCIRCLE_NEARBY_MAX_RADIUS_KM:
        raise ValidationError(
            {"radius_km": [f"搜索半径：应大于0且不超过{settings.JOBCIRCLE_NEARBY_MAX_RADIUS_KM}公里"]}
        )
    return radius


def nearby_jobs(lat, lng, radius_km=None, *, limit=20, offset=0, work_type=None, today=None) -> NearbyPage:
    """Open jobs within the radius of a WGS-84 point, nearest first (ties by id).

    - ``count`` is every match; ``items`` is one page of them.
    """
    radius_m = clean_radius_km(radius_km) * 1000
    jobs = Job.objects.open(today).within(lat, lng, radius_m)
    if work_type:
        jobs = jobs.filter(work_type=work_type)
    ordered = jobs.select_related("employer", "occupation").order_by("distance_m", "id")
    return NearbyPage(count=jobs.count(), radius_km=radius_m / 1000, items=list(ordered[offset : offset + limit]))


def nearby_jobs_for_resident(resident, radius_km=None, **kwargs) -> NearbyPage:
    """Jobs near a resident's home; the radius defaults to their intention's maximum distance."""
    if radius_km in (None, ""):
        intention = getattr(resident, "intention", None)
        radius_km = float(intention.max_distance_km) if intention else None
    return nearby_jobs(resident.lat, resident.lng, radius_km, **kwargs)


@dataclass
class Recommendation:
    """One recommended item with its score and the reasons a person can read."""

    item: object  # a Job (for a resident) or a Resident (for a job)
    score: float
    distance_m: float
    reasons: list[str]


def _distance_reason(distance_m):
    return f"距离{distance_m / 1000:.1f}公里" if distance_m >= 1000 else f"距离{distance_m:.0f}米"


def recommend_jobs(resident, k=10) -> list[Recommendation]:
    """Jobs to recommend to a resident, best first.

    Interim rule until the matching engine (issue 4) replaces it: open jobs within the
    resident's maximum distance, nearest first, scored by distance alone.
    """
    page = nearby_jobs_for_resident(resident, limit=k)
    radius_m = page.radius_km * 1000
    return [
        Recommendation(item=job, score=round(1 - job.distance_m / radius_m, 4), distance_m=job.distance_m,
                       reasons=[_distance_reason(job.distance_m)])
        for job in page.items
    ]  # fmt: skip


def recommend_candidates(job, scope, k=20) -> list[Recommendation]:
    """Job seekers near a job whom the caller may see, best first (interim: nearest first, 3 km)."""
    from jobcircle.people.models import Resident

    radius_m = float(settings.JOBCIRCLE_CIRCLE_RADIUS_KM) * 1000
    seekers = (
        Resident.objects.in_scope(scope).job_seekers().within(job.lat, job.lng, radius_m).order_by("distance_m", "id")
    )
    return [
        Recommendation(item=r, score=round(1 - r.distance_m / radius_m, 4), distance_m=r.distance_m,
                       reasons=[_distance_reason(r.distance_m)])
        for r in seekers[:k]
    ]  # fmt: skip
