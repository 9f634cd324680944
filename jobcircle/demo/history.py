"""A year of history for the demo county, so trends and period comparisons look like a real county's.

Called by ``demo.generator`` with its builder (one random generator: deterministic for a seed).
Everything is dated over the 12 months before today, more in the spring recruitment drive (春风行动,
February–March) and the graduates' summer, less around the Spring Festival, and growing a little as
the platform is taken up: registrations, job publications (expired, filled and closed ones too),
applications with their outcomes, hires (each a Placement from a hired application), job fairs with
their employers, and daily page visits. Monitoring months and public-welfare placements are spread
by ``assistance.demo``. Writes in bulk; timestamps that Django sets on insert (auto_now_add) are put
back with one executemany per table.
"""

import datetime

from django.db import connection
from django.utils import timezone

from jobcircle.common.workflow import log_created
from jobcircle.employers.enums import JobStatus
from jobcircle.employers.models import Job, JobTransition
from jobcircle.employers.services import JOB_WORKFLOW
from jobcircle.insights.models import PageVisitDaily
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import Placement
from jobcircle.recruiting.enums import ApplicationStatus, JobFairKind
from jobcircle.recruiting.models import Application, FairEmployer, JobFair
from jobcircle.recruiting.services import APPLICATION_WORKFLOW

DAYS = 365
# Calendar month → how busy it is (1.0 = an ordinary month).
SEASON = {1: 0.7, 2: 1.3, 3: 1.5, 4: 1.1, 5: 1.0, 6: 1.1, 7: 1.2, 8: 1.0, 9: 1.0, 10: 0.8, 11: 0.9, 12: 0.8}
FAIR_KINDS = {2: JobFairKind.TWO_PLUS_N, 3: JobFairKind.TWO_PLUS_N, 5: JobFairKind.PRIVATE_ENTERPRISE,
              6: JobFairKind.GRADUATES, 7: JobFairKind.GRADUATES, 8: JobFairKind.VETERANS}  # fmt: skip
# How the applications of a job whose posting has ended came out (the rest are still under way).
ENDED = {ApplicationStatus.HIRED: 18, ApplicationStatus.REJECTED: 52, ApplicationStatus.WITHDRAWN: 15,
         ApplicationStatus.OFFER: 5, ApplicationStatus.INTENTION: 10}  # fmt: skip
OPEN = {ApplicationStatus.APPLIED: 40, ApplicationStatus.SCREENING: 20, ApplicationStatus.INTERVIEW: 15,
        ApplicationStatus.INTENTION: 5, ApplicationStatus.OFFER: 5, ApplicationStatus.HIRED: 5,
        ApplicationStatus.REJECTED: 7, ApplicationStatus.WITHDRAWN: 3}  # fmt: skip


class Calendar:
    """Days of the past year, drawn by how busy they were."""

    def __init__(self, rng, today):
        self.rng, self.today = rng, today
        self.days = [today - datetime.timedelta(days=back) for back in range(DAYS)]
        # growth: the last month about 1.5 times the first
        self.weights = [SEASON[d.month] * (1.0 + 0.5 * (DAYS - back) / DAYS) for back, d in enumerate(self.days)]

    def draw(self, k):
        return self.rng.choices(self.days, self.weights, k=k)


def moment(day, rng):
    """A working-hours moment of ``day`` (aware, local time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59))))


def registration_days(rng, today, count):
    """The day each of ``count`` residents registered, over the past year."""
    return Calendar(rng, today).draw(count)


def set_timestamps(model, field, pairs):
    """Put back ``field`` (auto_now_add) for (pk, value) pairs, one executemany per table."""
    table, model_field = model._meta.db_table, model._meta.get_field(field)
    column = model_field.column
    with connection.cursor() as cursor:
        cursor.executemany(
            # names from the model's own meta, values as parameters
            f"UPDATE {connection.ops.quote_name(table)} SET {connection.ops.quote_name(column)} = %s WHERE id = %s",  # noqa: S608
            [(model_field.get_db_prep_value(value, connection), pk) for pk, value in pairs],
        )


def past_jobs(builder, employers, jobs, occupations):
    """Postings of the past year that have ended: expired, filled or closed (about as many as open now)."""
    rng, calendar = builder.rng, Calendar(builder.rng, builder.today)
    templates = rng.choices(jobs, k=len(jobs))
    old = []
    for template, posted in zip(templates, calendar.draw(len(templates)), strict=True):
        ends = posted + datetime.timedelta(days=rng.randint(30, 60))
        if ends >= builder.today - datetime.timedelta(days=60):  # the recent weeks are the open postings
            posted, ends = posted - datetime.timedelta(days=90), ends - datetime.timedelta(days=90)
        job = Job(
            employer_id=template.employer_id, title=template.title, occupation_id=template.occupation_id,
            headcount=template.headcount, pay_min=template.pay_min, pay_max=template.pay_max,
            work_type=template.work_type, education_min=template.education_min, age_min=18, age_max=template.age_max,
            description=template.description, requirements=template.requirements, benefits=template.benefits,
            work_address=template.work_address, area_code=template.area_code, valid_from=posted, valid_until=ends,
            status=rng.choices((JobStatus.OPEN, JobStatus.FILLED, JobStatus.CLOSED), (50, 30, 20))[0],
        )  # fmt: skip
        job.set_location(template.lat, template.lng)
        old.append(job)
    Job.objects.bulk_create(old, batch_size=2000)
    log_created(JOB_WORKFLOW, old, reason="演示数据")
    set_timestamps(Job, "created_at", [(j.pk, moment(j.valid_from, rng)) for j in old])
    # 发布岗位 and the 新发布岗位 trend count publications by the log's time: a demo job was published
    # on its 有效期起, so its creation log (current and past jobs alike) is dated there.
    logs = JobTransition.objects.filter(from_status="", reason="演示数据").values_list("pk", "job__valid_from")
    set_timestamps(JobTransition, "at", [(pk, moment(day, rng)) for pk, day in logs])
    return old


def applications(builder, residents, jobs, fairs):
    """Applications to the year's postings, dated within each posting; hires become Placements.

    - applicants: job seekers mostly, and people who are employed now (the hired come from them);
    - a posting that has ended has its outcomes; an open one is mostly still under way;
    - an application made on a fair's day to a job its employer brought there counts for the fair.
    """
    rng, today = builder.rng, builder.today
    seekers = [r for r in residents if r.is_job_seeking]
    employed = [r for r in residents if r.employment_status == EmploymentStatus.EMPLOYED and not r.is_job_seeking]
    fair_on = {}
    for fair, entries in fairs:
        for entry in entries:
            for job_id in entry.job_ids:
                fair_on[(job_id, timezone.localdate(fair.starts_at))] = fair
    made, seen, hired_people = [], set(), set()
    for job in jobs:
        ended = job.valid_until < today
        for _ in range(rng.choices((0, 1, 2, 3, 5, 8), (25, 30, 22, 12, 8, 3))[0]):
            status = rng.choices(list(ENDED if ended else OPEN), list((ENDED if ended else OPEN).values()))[0]
            pool = employed if status == ApplicationStatus.HIRED else seekers if rng.random() < 0.8 else employed
            if not pool:
                continue
            resident = rng.choice(pool)
            if (resident.pk, job.pk) in seen or (status == ApplicationStatus.HIRED and resident.pk in hired_people):
                continue
            seen.add((resident.pk, job.pk))
            applied = _between(rng, job.valid_from, min(job.valid_until, today))
            application = Application(resident_id=resident.pk, job_id=job.pk, status=status, area_code=job.area_code,
                                      fair=fair_on.get((job.pk, applied)))  # fmt: skip
            if status == ApplicationStatus.HIRED:
                hired_people.add(resident.pk)
                application.started_on = min(applied + datetime.timedelta(days=rng.randint(5, 20)), today)
            application.applied_on = applied
            made.append(application)
    Application.objects.bulk_create(made, batch_size=2000)
    log_created(APPLICATION_WORKFLOW, made, reason="演示数据")
    set_timestamps(Application, "created_at", [(a.pk, moment(a.applied_on, rng)) for a in made])
    employers = {j.pk: j.employer_id for j in jobs}
    area = {r.pk: r.area_code for r in residents}
    Placement.objects.bulk_create(
        [Placement(resident_id=a.resident_id, employer_id=employers[a.job_id], job_id=a.job_id,
                   started_on=a.started_on, area_code=area[a.resident_id])
         for a in made if a.status == ApplicationStatus.HIRED],
        batch_size=2000,
    )  # fmt: skip
    return made


def _between(rng, first, last):
    return first if last <= first else first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def fairs(builder, county, stations, employers, jobs):
    """One or two fairs a month over the past year (and one coming up), each with its employers and jobs."""
    rng, today = builder.rng, builder.today
    townships = sorted({s.community.parent_id: s for s in stations}.values(), key=lambda s: s.area_code)
    jobs_of = {}
    for job in jobs:
        jobs_of.setdefault(job.employer_id, []).append(job)
    made = []
    for back in range(12, -1, -1):
        first = (today.replace(day=1) - datetime.timedelta(days=back * 30)).replace(day=1)
        for n in range(2 if SEASON[first.month] >= 1.2 else 1):
            day = first + datetime.timedelta(days=rng.randint(5, 25))
            if back == 0 and n == 0:
                day = today + datetime.timedelta(days=rng.randint(3, 10))  # the next fair, for the H5
            kind = FAIR_KINDS.get(first.month, JobFairKind.COMPREHENSIVE)
            station = rng.choice(stations) if n else stations[0]
            if n:
                kind = JobFairKind.TOWNSHIP
                station = rng.choice(townships)
            fair = JobFair(
                name=f"{day.year}年{day.month}月{station.community.name if n else county.name}{kind.label}",
                kind=kind, starts_at=moment(day, rng).replace(hour=9, minute=0),
                ends_at=moment(day, rng).replace(hour=12, minute=0), venue=station.address,
                lat=station.lat, lng=station.lng, area_code=county.code if not n else station.area_code[:9] + "000",
                sign_in_token=f"demo{county.code6}{rng.getrandbits(64):016x}",
            )  # fmt: skip
            made.append(fair)
    JobFair.objects.bulk_create(made)
    set_timestamps(JobFair, "created_at", [(f.pk, f.starts_at - datetime.timedelta(days=14)) for f in made])
    result, entries = [], []
    for fair in made:
        fair_entries = []
        for employer in rng.sample(employers, min(len(employers), rng.randint(8, 20))):
            entry = FairEmployer(fair=fair, employer=employer, booth=f"{len(fair_entries) + 1:02d}")
            day = timezone.localdate(fair.starts_at)
            entry.job_ids = [j.pk for j in jobs_of.get(employer.pk, []) if j.valid_from <= day <= j.valid_until][:3]
            fair_entries.append(entry)
        entries += fair_entries
        result.append((fair, fair_entries))
    FairEmployer.objects.bulk_create(entries)
    through = FairEmployer.jobs.through
    through.objects.bulk_create(
        [through(fairemployer_id=e.pk, job_id=job_id) for e in entries for job_id in e.job_ids], batch_size=5000
    )
    return result


def page_visits(builder, county, stations):
    """Daily human page views over the past year: the county's (anonymous) and its communities'."""
    rng, calendar = builder.rng, Calendar(builder.rng, builder.today)
    rows = []
    sample = rng.sample(stations, min(len(stations), 12))
    for day, weight in zip(calendar.days, calendar.weights, strict=True):
        rows.append(PageVisitDaily(day=day, area_code=county.code, count=int(rng.randint(60, 140) * weight)))
        rows += [PageVisitDaily(day=day, area_code=s.area_code, count=int(rng.randint(2, 25) * weight))
                 for s in sample]  # fmt: skip
    PageVisitDaily.objects.bulk_create(rows, batch_size=5000)
    return sum(r.count for r in rows)
