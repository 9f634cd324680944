"""三公里 queries and recommendations: which open jobs suit a resident, which seekers suit a job."""

from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from jobcircle.employers.enums import JobStatus
from jobcircle.employers.models import Job
from jobcircle.people.models import JobIntention, Resident

from .conf import get_config
from .engine import Scorer, rank_jobs, rank_seekers, top_per_seeker
from .index import job_index
from .loaders import job_row, seeker_features
from .models import InboxMessage, JobPush
from .reasons import distance_text, explain, matched_skills
from .snapshot import SkillVocabulary, build_jobs, build_seekers

SHORTLIST_MARGIN = 5
# Long job texts that lists never show: not read for nearby pages and recommendations (still
# loadable one by one if a caller asks for them).
LIST_DEFERRED = ("description", "requirements", "benefits", "review_hits")
# What a recommendation shows and is re-scored on: the API item (``api/matching._job_item``), the
# resident's home page and the back office's resident page. Reading only these columns (21 instead
# of 55 with the employer's and occupation's) is most of the cost of the re-read, in the database
# and in building the SQL; any other field still loads on access.
RECOMMENDATION_FIELDS = (
    "id", "lat", "lng", "title", "headcount", "pay_min", "pay_max", "work_type", "education_min", "age_min",
    "age_max", "skills", "work_address", "valid_from", "valid_until", "status",
    "employer__id", "employer__name", "occupation__id", "occupation__code", "occupation__name",
)  # fmt: skip


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


class NearbyResults:
    """Every open job within a radius, nearest first (ties by id), as a sequence a paginator slices.

    Which jobs, their distances and their order come from the job snapshot (``index``) at once;
    a slice reads its rows by id and re-checks them open, so a job closed since the snapshot never
    shows (its page may then be one short).
    """

    def __init__(self, ids, distances, *, today, radius_km):
        self.ids, self.distances, self.today, self.radius_km = ids, distances, today, radius_km

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index: slice) -> list:
        page_ids = [int(i) for i in self.ids[index]]
        rows = Job.objects.open(self.today).select_related("employer", "occupation").defer(*LIST_DEFERRED)
        rows = rows.in_bulk(page_ids)
        items = []
        for job_id, distance in zip(page_ids, self.distances[index], strict=True):
            job = rows.get(job_id)
            if job is not None:
                job.distance_m = float(distance)
                items.append(job)
        return items


def nearby_results(lat, lng, radius_km=None, *, work_type=None, min_pay=None, occupation_code=None, today=None):
    """Open jobs within the radius of a WGS-84 point (``NearbyResults``): the one answer to "jobs near me".

    - The radius is checked by ``clean_radius_km`` (default the circle, 3 km).
    - Filters: ``work_type``; ``min_pay`` (the job pays up to at least that); ``occupation_code`` (that
      code or any under it).
    - A job posted by another process shows within ``snapshot_ttl_s``; in this process at once.
    """
    radius_km = clean_radius_km(radius_km)
    today = today or timezone.localdate()
    ids, distances = job_index(today).nearby(
        lat, lng, radius_km * 1000, work_type=work_type, min_pay=min_pay, occupation_code=occupation_code
    )
    return NearbyResults(ids, distances, today=today, radius_km=radius_km)


def nearby_jobs(lat, lng, radius_km=None, *, limit=20, offset=0, **filters) -> NearbyPage:
    """One page of ``nearby_results`` (same arguments): ``count`` is every match, ``items`` the page."""
    results = nearby_results(lat, lng, radius_km, **filters)
    return NearbyPage(count=len(results), radius_km=results.radius_km, items=results[offset : offset + limit])


def nearby_radius_km(where, radius_km=None):
    """The radius asked for, else the resident's intention's maximum distance, else None (the circle)."""
    if radius_km in (None, ""):
        intention = getattr(where, "intention", None)
        radius_km = float(intention.max_distance_km) if intention else None
    return radius_km


def nearby_jobs_for_resident(resident, radius_km=None, **kwargs) -> NearbyPage:
    """Jobs near a resident's home; the radius defaults to their intention's maximum distance."""
    return nearby_jobs(resident.lat, resident.lng, nearby_radius_km(resident, radius_km), **kwargs)


@dataclass
class Recommendation:
    """One recommended item with its score and the reasons a person can read."""

    item: object  # a Job (for a resident) or a Resident (for a job)
    score: float
    distance_m: float
    reasons: list[str]
    pair: object = None  # the engine's pair (``engine.Pairs`` of one) behind a fresh recommendation


def _distance_reason(distance_m):
    return distance_text(distance_m)


def recommend_jobs(resident, k=10, *, today=None) -> list[Recommendation]:
    """Jobs to recommend to a resident, best first (the engine; rules in ``engine``'s docstring).

    - Hard filters: within the resident's maximum distance (default 3 km), open and valid today,
      education and age met, work type compatible.
    - The in-memory snapshot gives a shortlist; those jobs are re-read and re-scored from the
      database, so what is shown is never a closed or changed job.
    """
    config = get_config()
    today = today or timezone.localdate()
    index = job_index(today, config)
    features = seeker_features(Resident.objects.filter(pk=resident.pk))
    seekers = build_seekers(*features, today=today, config=config, vocabulary=index.jobs.vocabulary)
    if not len(index.jobs):
        return []
    # A few more than k, in case some closed since the snapshot.
    shortlist = rank_jobs(Scorer(seekers, index.jobs, config), index.grid, 0, k + SHORTLIST_MARGIN)
    return jobs_for_seeker(resident, features, [int(i) for i in index.jobs.id[shortlist.j]], k, today=today,
                           config=config)  # fmt: skip


def jobs_for_seeker(resident, features, job_ids, k, *, today, config) -> list[Recommendation]:
    """Re-score ``job_ids`` from fresh rows and return the best ``k`` with their reasons."""
    fresh = (
        Job.objects.open(today)
        .filter(pk__in=job_ids)
        .select_related("employer", "occupation")
        .only(*RECOMMENDATION_FIELDS)
    )
    jobs = {job.pk: job for job in fresh}
    if not jobs:
        return []
    rows = [job_row(job) for job in jobs.values()]
    vocabulary = SkillVocabulary(r[10] for r in rows)
    table = build_jobs(rows, today=today, config=config, vocabulary=vocabulary)
    seekers = build_seekers(*features, today=today, config=config, vocabulary=vocabulary)
    scorer = Scorer(seekers, table, config)
    ranked = top_per_seeker(scorer.evaluate(np.zeros(len(table), np.int64), np.arange(len(table))), table.id, k)
    min_pay = int(seekers.min_pay[0])
    out = []
    for i in range(len(ranked)):
        job, distance = jobs[int(table.id[ranked.j[i]])], float(ranked.distance_m[i])
        reasons = explain(
            distance_m=distance, occupation_level=int(ranked.occupation[i]), occupation_code=job.occupation.code,
            skills=matched_skills(resident.skills, job.skills), pay_fit=bool(ranked.pay_fit[i]), min_pay=min_pay,
            pay_max=job.pay_max, days_open=(today - job.valid_from).days,
        )  # fmt: skip
        job.distance_m = distance
        out.append(Recommendation(job, round(float(ranked.score[i]), 4), distance, reasons, ranked.take([i])))
    return out


def recommend_candidates(job, scope, k=20, *, today=None) -> list[Recommendation]:
    """Job seekers near a job whom the caller may see, best first, by the same pair score.

    - Only residents in the caller's scope (``Resident.objects.in_scope``), only job seekers.
    - Each seeker's own hard filters apply: the job within *their* maximum distance, education,
      age, work type; a job that is not open today has no candidates.
    """
    config = get_config()
    today = today or timezone.localdate()
    seekers_qs = Resident.objects.in_scope(scope).job_seekers()
    widest = seekers_qs.aggregate(widest=Max("intention__max_distance_km"))["widest"] or 0
    radius_m = max(float(widest), float(config.default_max_distance_km)) * 1000
    return _rank_residents(job, seekers_qs.within(job.lat, job.lng, radius_m), k, today=today, config=config)


def explain_candidates(job, residents, *, today=None) -> dict:
    """The engine's score and reasons for residents the caller already has (e.g. a job's applicants).

    - Keyed by resident id; a resident for whom a hard filter fails gets no entry.
    - No scoping here: pass only residents the caller may see.
    """
    ids = [r.pk for r in residents]
    if not ids:
        return {}
    config, today = get_config(), today or timezone.localdate()
    recs = _rank_residents(job, Resident.objects.filter(pk__in=ids), len(ids), today=today, config=config)
    return {rec.item.pk: rec for rec in recs}


def _rank_residents(job, residents_qs, k, *, today, config) -> list[Recommendation]:
    if not (job.status == JobStatus.OPEN and job.valid_from <= today <= job.valid_until):
        return []
    features = seeker_features(residents_qs)
    rows = [job_row(job)]
    vocabulary = SkillVocabulary(r[10] for r in rows)
    table = build_jobs(rows, today=today, config=config, vocabulary=vocabulary)
    seekers = build_seekers(*features, today=today, config=config, vocabulary=vocabulary)
    if not len(seekers):
        return []
    ranked = rank_seekers(Scorer(seekers, table, config), 0, k)
    people = Resident.objects.select_related("community").in_bulk([int(seekers.id[s]) for s in ranked.s])
    out = []
    for i in range(len(ranked)):
        s, distance = ranked.s[i], float(ranked.distance_m[i])
        person = people[int(seekers.id[s])]
        reasons = explain(
            distance_m=distance, occupation_level=int(ranked.occupation[i]), occupation_code=job.occupation.code,
            skills=matched_skills(person.skills, job.skills), pay_fit=bool(ranked.pay_fit[i]),
            min_pay=int(seekers.min_pay[s]), pay_max=job.pay_max, key_group=bool(seekers.boost[s] > 0),
        )  # fmt: skip
        person.distance_m = distance
        out.append(Recommendation(person, round(float(ranked.score[i]), 4), distance, reasons))
    return out


# --- inbox ----------------------------------------------------------------------------------------


@dataclass
class InboxEntry:
    """An inbox message with its pushed jobs, each a Recommendation (reasons from the stored components)."""

    message: object
    items: list[Recommendation]


def inbox(resident, *, limit=20) -> list[InboxEntry]:
    """A resident's latest inbox messages of every kind, newest first, with the jobs each push listed."""
    messages = list(InboxMessage.objects.filter(resident=resident).order_by("-pushed_on", "-created_at", "-id")[:limit])
    pushes = (
        JobPush.objects.filter(resident=resident, pushed_on__in={m.pushed_on for m in messages})
        .select_related("job__employer", "job__occupation")
        .order_by("pushed_on", "rank")
    )
    intention = JobIntention.objects.filter(resident=resident).first()
    min_pay = intention.min_monthly_pay if intention else 0
    by_day = {}
    for push in pushes:
        job = push.job
        job.distance_m = push.distance_m
        reasons = explain(
            distance_m=push.distance_m, occupation_level=push.occupation_match, occupation_code=job.occupation.code,
            skill_count=push.skill_overlap, pay_fit=push.pay_fit, min_pay=min_pay, pay_max=job.pay_max,
            days_open=(push.pushed_on - job.valid_from).days,
        )  # fmt: skip
        by_day.setdefault(push.pushed_on, []).append(
            Recommendation(job, round(push.score, 4), push.distance_m, reasons)
        )
    # Only a push message lists the day's pushed jobs; an invitation or an offer stands alone (issue 17).
    return [
        InboxEntry(m, by_day.get(m.pushed_on, []) if m.kind == InboxMessage.Kind.JOB_PUSH else []) for m in messages
    ]


def unread_count(resident_id) -> int:
    """How many of a resident's inbox messages are unread (the H5 badge, the API's ``unread``)."""
    return InboxMessage.objects.filter(resident_id=resident_id, read_at__isnull=True).count()


def mark_message_read(message, *, by):
    """Mark an inbox message read (the first reading counts; reading again changes nothing)."""
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message
