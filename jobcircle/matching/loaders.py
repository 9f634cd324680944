"""Snapshots from the database: a handful of ``values_list`` queries, no model instances."""

from collections import defaultdict

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from jobcircle.people.models import JobIntention, Resident

from .conf import MatchingConfig
from .snapshot import JobTable, SeekerTable, SkillVocabulary, build_jobs, build_seekers

# Skills are read as their JSON text ("skills_text"): the snapshot decodes each distinct value
# once (snapshot.skill_list) instead of once per row.
JOB_COLUMNS = (
    "id", "lat", "lng", "occupation__code", "education_min", "age_min", "age_max", "work_type", "pay_max",
    "headcount", "skills_text", "valid_from",
)  # fmt: skip
SEEKER_COLUMNS = (
    "id", "lat", "lng", "education", "birth_date", "skills_text", "area_code", "intention__max_distance_km",
    "intention__work_type", "intention__min_monthly_pay",
)  # fmt: skip


def snapshot_values(queryset, columns):
    """Rows of ``columns`` (JOB_COLUMNS or SEEKER_COLUMNS), in no particular order (tables sort by id)."""
    return queryset.order_by().annotate(skills_text=Cast("skills", TextField())).values_list(*columns)


def job_row(job) -> tuple:
    """The snapshot row of a Job instance (its occupation loaded)."""
    return (
        job.id, job.lat, job.lng, job.occupation.code, job.education_min, job.age_min, job.age_max, job.work_type,
        job.pay_max, job.headcount, job.skills, job.valid_from,
    )  # fmt: skip


def load_jobs(queryset, *, today, config: MatchingConfig, vocabulary=None) -> JobTable:
    """Jobs of ``queryset`` (callers pass ``Job.objects.open(today)`` or a part of it)."""
    return build_jobs(list(snapshot_values(queryset, JOB_COLUMNS)), today=today, config=config, vocabulary=vocabulary)


FEW_SEEKERS = 100


def seeker_features(queryset, *, rows=None):
    """(rows, occupations by id, key groups by id) of the residents in ``queryset``.

    - A seeker's occupations are their own (职业技能) and those of their job intention.
    - ``rows`` may be given when the caller already has them (``seeker_row``).
    - Two round trips: the rows, then occupations and key groups in one UNION.
    """
    rows = list(snapshot_values(queryset, SEEKER_COLUMNS)) if rows is None else rows
    if not rows:
        return rows, {}, {}
    # A few seekers (a request): their ids as values; many (a partition): the query itself.
    ids = [r[0] for r in rows] if len(rows) <= FEW_SEEKERS else queryset.values("pk")
    occupations, key_groups = defaultdict(list), defaultdict(list)
    own = Resident.occupations.through.objects.filter(resident_id__in=ids).values_list(
        "resident_id", "occupation__code", Value("o")
    )
    wanted = JobIntention.occupations.through.objects.filter(jobintention__resident_id__in=ids).values_list(
        "jobintention__resident_id", "occupation__code", Value("o")
    )
    groups = Resident.key_groups.through.objects.filter(resident_id__in=ids, keygroup__is_active=True).values_list(
        "resident_id", "keygroup__code", Value("k")
    )
    for resident_id, code, kind in own.union(wanted, groups, all=True):
        (occupations if kind == "o" else key_groups)[resident_id].append(code)
    return rows, occupations, key_groups


def seeker_row(resident) -> tuple:
    """The snapshot row of a Resident instance (reads ``resident.intention``; select it with the resident)."""
    try:
        intention = resident.intention
    except ObjectDoesNotExist:
        intention = None
    wanted = (intention.max_distance_km, intention.work_type, intention.min_monthly_pay) if intention else (None,) * 3
    return (resident.id, resident.lat, resident.lng, resident.education, resident.birth_date, resident.skills,
            resident.area_code, *wanted)  # fmt: skip


def load_seekers(queryset, *, today, config: MatchingConfig, vocabulary: SkillVocabulary) -> SeekerTable:
    rows, occupations, key_groups = seeker_features(queryset)
    return build_seekers(rows, occupations, key_groups, today=today, config=config, vocabulary=vocabulary)
