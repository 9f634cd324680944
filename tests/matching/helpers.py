"""Random snapshots for engine tests (no database): seekers and jobs around one town."""

import datetime
import math
import random

from jobcircle.matching.conf import get_config
from jobcircle.matching.snapshot import SkillVocabulary, build_jobs, build_seekers

TODAY = datetime.date(2026, 12, 1)
CENTER = (33.16, 115.62)
CODES = [
    "4-10-01-05", "4-10-01-02", "4-10-02-01", "4-10-03-01", "4-01-01-01", "4-01-02-03",
    "6-01-01-01", "6-01-02-01", "6-02-01-01", "4-10-01", "4-10", "5-01-01-01",
]  # fmt: skip
SKILLS = ["电焊", "叉车", "驾驶", "烹饪", "护理", "电工", "收银", "Excel"]


def point_near(center, distance_m, bearing):
    lat = center[0] + distance_m * math.cos(bearing) / 111_320
    lng = center[1] + distance_m * math.sin(bearing) / (111_320 * math.cos(math.radians(center[0])))
    return lat, lng


def job_row(job_id, lat, lng, *, code="4-10-01-05", edu=0, age_min=None, age_max=None, work_type="full_time",
            pay_max=4500, headcount=2, skills=(), opened_days=5):  # fmt: skip
    return (job_id, lat, lng, code, edu, age_min, age_max, work_type, pay_max, headcount, list(skills),
            TODAY - datetime.timedelta(days=opened_days))  # fmt: skip


def seeker_row(seeker_id, lat, lng, *, edu=30, age=35, skills=(), area="990121001001", max_km=3, work_type="full_time",
               min_pay=3000):  # fmt: skip
    birth = datetime.date(TODAY.year - age, 1, 1)
    return (seeker_id, lat, lng, edu, birth, list(skills), area, max_km, work_type, min_pay)


def random_world(seed, *, seekers=60, jobs=300, spread_m=6000):
    rng = random.Random(seed)
    job_rows = []
    for i in range(jobs):
        lat, lng = point_near(CENTER, rng.uniform(0, spread_m), rng.uniform(0, 2 * math.pi))
        job_rows.append(job_row(
            1000 + i * 3, lat, lng, code=rng.choice(CODES), edu=rng.choice((0, 0, 20, 30, 40)),
            age_min=rng.choice((None, 18, 25)), age_max=rng.choice((None, 45, 55)),
            work_type=rng.choice(("full_time", "full_time", "part_time", "gig")),
            pay_max=rng.choice((2500, 3500, 4500, 6000)), headcount=rng.choice((1, 1, 2, 3)),
            skills=rng.sample(SKILLS, rng.choice((0, 0, 1, 2))), opened_days=rng.randint(0, 60),
        ))  # fmt: skip
    seeker_rows, occupations, key_groups = [], {}, {}
    for i in range(seekers):
        sid = 10 + i * 7
        lat, lng = point_near(CENTER, rng.uniform(0, spread_m), rng.uniform(0, 2 * math.pi))
        no_intention = rng.random() < 0.1
        seeker_rows.append(seeker_row(
            sid, lat, lng, edu=rng.choice((10, 20, 30, 40, 50)), age=rng.randint(18, 62),
            skills=rng.sample(SKILLS, rng.choice((0, 1, 2, 3))),
            max_km=None if no_intention else rng.choice((1, 3, 3, 5)),
            work_type=None if no_intention else rng.choice(("full_time", "part_time", "gig")),
            min_pay=None if no_intention else rng.choice((0, 2000, 3000, 5000)),
        ))  # fmt: skip
        occupations[sid] = rng.sample(CODES, rng.choice((0, 1, 1, 2, 3)))
        if rng.random() < 0.2:
            key_groups[sid] = ["poverty_alleviated"]
    return tables(job_rows, seeker_rows, occupations, key_groups)


def tables(job_rows, seeker_rows, occupations=None, key_groups=None, **config_overrides):
    config = get_config(**config_overrides)
    vocabulary = SkillVocabulary(r[10] for r in job_rows)
    jobs = build_jobs(job_rows, today=TODAY, config=config, vocabulary=vocabulary)
    seekers = build_seekers(
        seeker_rows, occupations or {}, key_groups or {}, today=TODAY, config=config, vocabulary=vocabulary
    )
    return seekers, jobs, config
