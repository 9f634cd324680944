"""The same recommendation as a PostGIS query: the benchmarks' comparison, never the default.

``bench/matching.py`` loads the jobs into ``JOB_TABLE`` (a ``geography(Point, 4326)`` column with a
GiST index, queried uncast) and compares this query with the engine; for the endpoint comparison it
stands ``recommend_jobs`` below in for ``jobcircle.matching.services.recommend_jobs`` while it times
the PostGIS side, so both endpoints are timed the same way. The application never reaches this
module (issue 21: it lived in ``jobcircle/matching/`` behind a setting). The filters and the score
are the engine's rules written in SQL (distances on the sphere, as the engine's); ties go to the
smaller id.
"""

from django.db import connection
from django.utils import timezone

from jobcircle.matching.conf import WORK_TYPE_CODES, MatchingConfig, get_config
from jobcircle.matching.loaders import seeker_features
from jobcircle.matching.services import jobs_for_seeker
from jobcircle.matching.snapshot import skill_list
from jobcircle.people.models import Resident, age_on

JOB_TABLE = "bench_job_geo"
SEEKER_TABLE = "bench_seeker_geo"

CREATE_JOB_TABLE = """
DROP TABLE IF EXISTS bench_job_geo;
CREATE TABLE bench_job_geo AS
SELECT j.id,
       ST_SetSRID(ST_MakePoint(j.lng, j.lat), 4326)::geography AS geog,
       o.code AS occ_code,
       CASE WHEN o.level >= 3 THEN left(o.code, 7) END AS occ_minor,
       CASE WHEN o.level >= 2 THEN left(o.code, 4) END AS occ_middle,
       j.education_min, j.age_min, j.age_max, j.work_type, j.pay_max,
       ARRAY(SELECT jsonb_array_elements_text(j.skills::jsonb)) AS skills,
       j.valid_from, j.valid_until, j.status
FROM employers_job j JOIN classifications_occupation o ON o.id = j.occupation_id;
ALTER TABLE bench_job_geo ADD PRIMARY KEY (id);
CREATE INDEX bench_job_geo_geog ON bench_job_geo USING gist (geog);
ANALYZE bench_job_geo;
"""

CREATE_SEEKER_TABLE = """
DROP TABLE IF EXISTS bench_seeker_geo;
CREATE TABLE bench_seeker_geo AS
SELECT r.id,
       ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326)::geography AS geog,
       coalesce(i.max_distance_km, %(default_km)s)::float * 1000 AS max_m,
       r.education, date_part('year', age(%(today)s::date, r.birth_date))::int AS age,
       i.work_type
FROM people_resident r LEFT JOIN people_jobintention i ON i.resident_id = r.id
WHERE r.is_job_seeking;
ALTER TABLE bench_seeker_geo ADD PRIMARY KEY (id);
CREATE INDEX bench_seeker_geo_geog ON bench_seeker_geo USING gist (geog);
ANALYZE bench_seeker_geo;
"""


def recommend_sql(config: MatchingConfig) -> str:
    """Top-k jobs for one seeker: the engine's hard filters and score, in SQL."""
    w = {name: float(v) for name, v in config.weights.items()}
    levels = config.occupation_levels
    return f"""
SELECT id, score FROM (
  SELECT j.id,
    {w["distance"]} * power(2, -ST_Distance(j.geog, q.p, false) / {float(config.distance_half_m)})
    + {w["occupation"]} * CASE WHEN j.occ_code = ANY(%(codes)s) THEN {float(levels["exact"])}
                               WHEN j.occ_minor = ANY(%(minors)s) THEN {float(levels["minor"])}
                               WHEN j.occ_middle = ANY(%(middles)s) THEN {float(levels["middle"])} ELSE 0 END
    + {w["skills"]} * CASE WHEN cardinality(j.skills) > 0 THEN
        (SELECT count(*) FROM unnest(j.skills) s WHERE s = ANY(%(skills)s))::float / cardinality(j.skills) ELSE 0 END
    + {w["pay"]} * CASE WHEN %(min_pay)s <= 0 OR j.pay_max >= %(min_pay)s THEN 1 ELSE 0 END
    + {w["freshness"]} * power(2, -greatest(%(today)s::date - j.valid_from, 0) / {float(config.freshness_half_days)})
    + %(boost)s AS score
  FROM {JOB_TABLE} j, (SELECT ST_SetSRID(ST_MakePoint(%(lng)s, %(lat)s), 4326)::geography AS p) q
  WHERE ST_DWithin(j.geog, q.p, %(max_m)s, false)
    AND j.status = 'open' AND j.valid_from <= %(today)s AND j.valid_until >= %(today)s
    AND j.education_min <= %(education)s
    AND j.work_type = ANY(%(work_types)s)
) ranked
ORDER BY score DESC, id
LIMIT %(k)s
"""  # noqa: S608 - table names and weights come from code and settings, values are bound


def seeker_params(features, *, today, config: MatchingConfig, k) -> dict | None:
    """Query parameters for the one seeker described by ``seeker_features`` output."""
    rows, occupations, key_groups = features
    if not rows:
        return None
    (rid, lat, lng, education, birth, skills, _area, max_km, work_type, min_pay) = rows[0]
    codes = sorted(set(occupations.get(rid, ())))
    if work_type is None:
        work_types = list(WORK_TYPE_CODES)
    else:
        work_types = list(config.work_types.get(work_type, [work_type]))
    return {
        "lat": lat, "lng": lng, "today": today, "k": k, "education": education, "age": age_on(birth, today),
        "max_m": float(config.default_max_distance_km if max_km is None else max_km) * 1000,
        "work_types": work_types, "min_pay": min_pay or 0, "skills": skill_list(skills),
        "codes": codes, "minors": [c[:7] for c in codes if c.count("-") >= 2],
        "middles": [c[:4] for c in codes if c.count("-") >= 1],
        "boost": config.boost_for(key_groups.get(rid, ())),
    }  # fmt: skip


def recommend_jobs(resident, k=10, *, today=None, config: MatchingConfig | None = None):
    """``services.recommend_jobs`` answered by the PostGIS query (the benchmark's endpoint comparison)."""
    config = config or get_config()
    today = today or timezone.localdate()
    features = seeker_features(Resident.objects.filter(pk=resident.pk))
    params = seeker_params(features, today=today, config=config, k=2 * k + 5)
    if params is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(recommend_sql(config), params)
        ids = [row[0] for row in cursor.fetchall()]
    return jobs_for_seeker(resident, features, ids, k, today=today, config=config)
