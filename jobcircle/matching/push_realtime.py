"""精准送岗 in real time (issue 18): "一点发布、精准送岗".

- ``push_job_now``: a job was published, reopened or got more places → its best candidates within
  reach get it at once, as their push message of the period.
- ``push_seeker_now``: a job seeker registered, or changed their intention or home → their top k
  (``push_k``, 3) jobs at once.

Rules, those of the batch (``push``), in one place each:

- the engine's hard filters and score (``engine.Scorer``); the reasons come from the stored components;
- the 30-day no-repeat rule (``window_days``; today's pushes count here too);
- the cadence and the one-text-a-week rule (``cadence``); paused or stopped people get nothing;
- a job reaches at most ``capacity_factor`` × places people a day, shared with the batch
  (``cadence.pushed_today``);
- idempotent under retries and concurrent workers: the write takes the county (and job) locks
  (``cadence.lock_push_keys``) and re-checks all of the above inside its transaction; a run that
  finds nothing left to do writes nothing.
- the pushes count for the 1131 service of people with an open assistance case, and texts follow
  (``tasks`` enqueues them).
"""

import datetime

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jobcircle.common.bulk import bulk_insert
from jobcircle.employers.models import Job
from jobcircle.people.models import Resident

from .cadence import (
    COUNTY_LENGTH,
    IN_CHUNK,
    Cadence,
    county_key,
    is_due,
    last_push_days,
    lock_push_keys,
    pushed_today,
    sms_statuses,
)
from .conf import get_config
from .engine import Scorer, rank_jobs, rank_seekers
from .index import job_index
from .loaders import job_row, seeker_features
from .models import InboxMessage, JobPush, PushSource
from .push_candidates import _pair_keys
from .services import SHORTLIST_MARGIN, jobs_for_seeker
from .snapshot import SkillVocabulary, build_jobs, build_seekers

JOB_TITLE = "新岗位推荐：{title}"
SEEKER_TITLE = "为您推荐{n}个附近岗位"
# Columns of a seeker row after SEEKER_COLUMNS (``seeker_features(extra=...)``).
EXTRA = ("push_sms_every_time",)
SMS_EVERY_TIME = 10


def _window_start(today, config):
    return today - datetime.timedelta(days=int(config.window_days))


def _candidates(today):
    return Resident.objects.job_seekers().accepting_pushes(today)


# --- a job opened -------------------------------------------------------------------------------


def push_job_now(job_id, *, today=None) -> dict:
    """Push a job that just opened (or got more places) to its best due candidates; returns counts.

    - Candidates: job seekers accepting pushes who have the job within their own reach and pass
      every hard filter; ranked by the engine's pair score (ties: smaller resident id).
    - Left out: people who had this job pushed within the window, people not due by their cadence.
    - At most the job's capacity of the day left (factor × places − the day's pushes of the job).
    """
    config = get_config()
    today = today or timezone.localdate()
    job = Job.objects.open(today).select_related("occupation").filter(pk=job_id).first()
    if job is None:
        return {"job": job_id, "skipped": "not_open"}
    near = _candidates(today)
    widest = near.aggregate(m=Max("intention__max_distance_km"))["m"] or 0
    near = near.within(job.lat, job.lng, max(float(widest), float(config.default_max_distance_km)) * 1000)
    rows, occupations, key_groups = seeker_features(near, extra=EXTRA)
    if not rows:
        return {"job": job_id, "pushes": 0}
    vocabulary = SkillVocabulary([job.skills])
    table = build_jobs([job_row(job)], today=today, config=config, vocabulary=vocabulary)
    seekers = build_seekers(rows, occupations, key_groups, today=today, config=config, vocabulary=vocabulary)
    ranked = rank_seekers(Scorer(seekers, table, config), 0, len(seekers))
    by_id = {r[0]: r for r in rows}
    order = [int(seekers.id[s]) for s in ranked.s]
    counties = sorted({by_id[rid][6][:COUNTY_LENGTH] for rid in order})
    with transaction.atomic():
        lock_push_keys([f"job:{job.pk}", *(county_key(c) for c in counties)])
        left = int(config.capacity_factor) * job.headcount - pushed_today([job.pk], today, counties).get(job.pk, 0)
        if left <= 0 or not order:
            return {"job": job_id, "pushes": 0, "capacity_left": max(left, 0)}
        recent = JobPush.objects.filter(job_id=job.pk, pushed_on__gt=_window_start(today, config))
        seen = set()
        for i in range(0, len(order), IN_CHUNK):
            seen.update(recent.filter(resident_id__in=order[i : i + IN_CHUNK]).values_list("resident_id", flat=True))
        fresh = [rid for rid in order if rid not in seen]
        due = _due(fresh, by_id, key_groups, today)
        chosen = [i for i, rid in enumerate(order) if rid in due][:left]
        picked = [(order[i], i) for i in chosen]
        rows_out = [(rid, job.pk, ranked.take([i])) for rid, i in picked]
        written = _write(today, rows_out, by_id, source=PushSource.JOB,
                         title=lambda n: JOB_TITLE.format(title=job.title))  # fmt: skip
    return {"job": job_id, **written}


# --- a seeker registered or changed -----------------------------------------------------------------


def push_seeker_now(resident_id, *, today=None) -> dict:
    """Push a job seeker's top k jobs at once, if they are due; returns counts.

    - The engine's best jobs for them over the open-job snapshot, without jobs pushed to them within
      the window and jobs whose capacity of the day is used up; re-read and re-scored from the database.
    """
    config = get_config()
    today = today or timezone.localdate()
    qs = _candidates(today).filter(pk=resident_id)
    rows, occupations, key_groups = seeker_features(qs, extra=EXTRA)
    if not rows:
        return {"resident": resident_id, "skipped": "not_seeking"}
    by_id = {rows[0][0]: rows[0]}
    if not _due([resident_id], by_id, key_groups, today):
        return {"resident": resident_id, "skipped": "not_due"}
    k = int(config.push_k)
    index = job_index(today, config)
    if not len(index.jobs):
        return {"resident": resident_id, "pushes": 0}
    seekers = build_seekers(rows, occupations, key_groups, today=today, config=config, vocabulary=index.jobs.vocabulary)
    seen = _seen_jobs(resident_id, today, config)
    history = np.array([(resident_id, j) for j in seen], dtype=np.int64).reshape(-1, 2)
    scorer = Scorer(seekers, index.jobs, config, exclude=_pair_keys(seekers.id, index.jobs.id, history))
    shortlist = rank_jobs(scorer, index.grid, 0, k + SHORTLIST_MARGIN)
    job_ids = [int(i) for i in index.jobs.id[shortlist.j]]
    county = rows[0][6][:COUNTY_LENGTH]
    with transaction.atomic():
        lock_push_keys([county_key(county), *(f"job:{j}" for j in job_ids)])
        if not _due([resident_id], by_id, key_groups, today):  # re-checked under the lock
            return {"resident": resident_id, "skipped": "not_due"}
        seen = _seen_jobs(resident_id, today, config)
        used = pushed_today(job_ids, today, [county])
        capacity = dict(Job.objects.filter(pk__in=job_ids).values_list("pk", "headcount"))
        open_ids = [
            j for j in job_ids if j not in seen and used.get(j, 0) < int(config.capacity_factor) * capacity.get(j, 0)
        ]
        resident = Resident.objects.get(pk=resident_id)
        features = (rows, occupations, key_groups)
        recs = jobs_for_seeker(resident, features, open_ids, k, today=today, config=config)
        rows_out = [(resident_id, rec.item.pk, rec) for rec in recs]
        written = _write(today, rows_out, by_id, source=PushSource.SEEKER, title=lambda n: SEEKER_TITLE.format(n=n))
    return {"resident": resident_id, **written}


# --- shared -------------------------------------------------------------------------------------------


def _seen_jobs(resident_id, today, config) -> set:
    """Jobs pushed to the resident within the window, today's included."""
    return set(
        JobPush.objects.filter(resident_id=resident_id, pushed_on__gt=_window_start(today, config)).values_list(
            "job_id", flat=True
        )
    )


def _due(resident_ids, by_id, key_groups, today) -> set:
    """Which of these residents are due a push message today (``cadence``), read now."""
    cadence = Cadence()
    since = today - datetime.timedelta(days=cadence.longest)
    last = last_push_days(resident_ids, since=since)
    return {
        rid
        for rid in resident_ids
        if is_due(last.get(rid), cadence.period(by_id[rid][6], key_groups.get(rid, ())), today)
    }


def _components(item):
    """(score, distance, occupation level, skills, pay fit) of an engine pair (``Pairs`` of one) or a
    Recommendation (``jobs_for_seeker``, which keeps the components on its pair)."""
    pair = getattr(item, "pair", item)
    return (float(pair.score[0]), round(float(pair.distance_m[0]), 1), int(pair.occupation[0]),
            int(pair.skills[0]), bool(pair.pay_fit[0]))  # fmt: skip


def _write(today, rows_out, by_id, *, source, title) -> dict:
    """One push message per resident with their jobs (rank by order), in the caller's transaction.

    ``rows_out``: (resident id, job id, engine pair or Recommendation), best first per resident.
    """
    if not rows_out:
        return {"pushes": 0, "messages": 0}
    per_resident = {}
    for rid, job_id, item in rows_out:
        per_resident.setdefault(rid, []).append((job_id, _components(item)))
    residents = list(per_resident)
    every_time = {rid: bool(by_id[rid][SMS_EVERY_TIME]) for rid in residents}
    sms = sms_statuses(residents, every_time, today)
    now = timezone.now()
    pushes = {name: [] for name in ("resident", "job", "rank", "score", "distance_m", "occupation_match",
                                    "skill_overlap", "pay_fit", "area_code")}  # fmt: skip
    for rid, items in per_resident.items():
        for rank, (job_id, (score, distance, occupation, skills, pay_fit)) in enumerate(items, 1):
            for name, value in zip(pushes, (rid, job_id, rank, score, distance, occupation, skills, pay_fit,
                                            by_id[rid][6]), strict=True):  # fmt: skip
                pushes[name].append(value)
    messages = {"resident": residents, "kind": InboxMessage.Kind.JOB_PUSH.value, "pushed_on": today,
                "title": [title(len(per_resident[r])) for r in residents],
                "area_code": [by_id[r][6] for r in residents],
                "created_at": now, "sms_status": [str(sms[r]) for r in residents]}  # fmt: skip
    n_messages = bulk_insert(InboxMessage, messages)
    n_pushes = bulk_insert(JobPush, {**pushes, "pushed_on": today, "source": source.value})
    counties = sorted({by_id[r][6][:COUNTY_LENGTH] for r in residents})
    return {"pushes": n_pushes, "messages": n_messages, "residents": residents, "counties": counties}
