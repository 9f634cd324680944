"""A synthetic province for the matching benchmarks, generated straight into NumPy arrays.

- 100 counties on a 10 × 10 grid about 44 km apart (fictitious province 99, as in the demo);
  each has a county town (70 % of its seekers and jobs, Gaussian σ ≈ 1.7 km) and ten townships
  12–18 km out (3 % each, σ ≈ 1 km). That puts about 1,500 jobs within 3 km of the average seeker.
- Seekers and jobs follow the demo generator's distributions (education, intention distance
  3/5/10 km, work types, pay, headcount, employer 中类 families) plus a small skill vocabulary.
- ``to_tables`` turns the arrays into the engine's snapshot tables; ``copy_into_postgres``
  writes the rows into the application's own tables with COPY (synthetic identity placeholders,
  never real people: ID prefix 990000, no phone numbers).
"""

import csv
import datetime
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SKILLS = ["电焊", "叉车", "驾驶", "烹饪", "护理", "电工", "收银", "缝纫", "木工", "瓦工",
          "数控", "仓储", "直播", "家政", "育婴", "种植", "养殖", "维修", "保安", "客服"]  # fmt: skip
EDUCATION = ([10, 20, 30, 40, 50, 60], [15, 35, 25, 12, 11, 2])
WORK_TYPES = ["full_time", "part_time", "gig"]
M_PER_DEG_LAT = 111_195.0


def leaf_occupations():
    """Level-4 codes of 大类 4, 5 and 6 (the county trades), as in the demo generator."""
    path = ROOT / "jobcircle" / "classifications" / "data" / "occupations_2022.csv"
    with path.open(encoding="utf-8") as f:
        return sorted(r["code"] for r in csv.DictReader(f) if r["level"] == "4" and r["code"][0] in "456")


@dataclass
class Province:
    today: datetime.date
    county_codes: list
    county_centres: np.ndarray
    codes: list  # occupation codes (index → code)
    # seekers
    s_lat: np.ndarray
    s_lng: np.ndarray
    s_area: np.ndarray  # community code index into ``communities``
    s_edu: np.ndarray
    s_age: np.ndarray
    s_max_km: np.ndarray
    s_work: np.ndarray
    s_min_pay: np.ndarray
    s_occ: np.ndarray  # (n, 2) occupation indices
    s_skills: np.ndarray  # uint64 bit mask over SKILLS
    s_key_group: np.ndarray
    # jobs
    j_lat: np.ndarray
    j_lng: np.ndarray
    j_area: np.ndarray
    j_employer: np.ndarray
    j_occ: np.ndarray
    j_edu: np.ndarray
    j_age_max: np.ndarray
    j_work: np.ndarray
    j_pay_min: np.ndarray
    j_pay_max: np.ndarray
    j_headcount: np.ndarray
    j_skills: np.ndarray
    j_opened_days: np.ndarray
    j_valid_days: np.ndarray
    communities: list  # (code, name, township code, lat, lng)

    @property
    def n_seekers(self):
        return len(self.s_lat)

    @property
    def n_jobs(self):
        return len(self.j_lat)


def _place(rng, centres, counts, sigma_m):
    """Gaussian points around each centre (lat, lng)."""
    lat0 = np.repeat(centres[:, 0], counts)
    lng0 = np.repeat(centres[:, 1], counts)
    n = int(np.sum(counts))
    dy = rng.normal(0, sigma_m, n) / M_PER_DEG_LAT
    dx = rng.normal(0, sigma_m, n) / (M_PER_DEG_LAT * np.cos(np.radians(lat0)))
    return lat0 + dy, lng0 + dx


def generate(seekers=2_000_000, jobs=500_000, *, counties=100, seed=1, today=None) -> Province:
    rng = np.random.default_rng(seed)
    today = today or datetime.date.today()
    side = int(math.ceil(math.sqrt(counties)))
    county_codes, centres, communities = [], [], []
    sites = []  # (community index, centre lat, lng, sigma, share)
    for c in range(counties):
        row, col = divmod(c, side)
        lat = 30.0 + 0.40 * row + rng.uniform(-0.03, 0.03)
        lng = 112.0 + 0.45 * col + rng.uniform(-0.03, 0.03)
        code6 = f"99{row + 1:02d}{col + 1:02d}"
        county_codes.append(code6)
        centres.append((lat, lng))
        town = f"{code6}001"
        for k in range(8):  # county-town communities, by sector
            communities.append((f"{town}{k + 1:03d}", f"城关{k + 1}社区", town, lat, lng))
        sites.append((len(communities) - 8, lat, lng, 1700.0, 0.70, 8))
        for t in range(10):
            angle = 2 * math.pi * t / 10 + rng.uniform(-0.2, 0.2)
            dist = rng.uniform(12_000, 18_000)
            tlat = lat + dist * math.cos(angle) / M_PER_DEG_LAT
            tlng = lng + dist * math.sin(angle) / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
            tcode = f"{code6}{101 + t:03d}"
            communities.append((f"{tcode}001", f"镇{t + 1}社区", tcode, tlat, tlng))
            sites.append((len(communities) - 1, tlat, tlng, 1000.0, 0.03, 1))
    shares = np.array([s[4] for s in sites])
    shares = shares / shares.sum()

    def spread(total):
        counts = np.floor(shares * total).astype(np.int64)
        counts[: total - counts.sum()] += 1
        centre = np.array([(s[1], s[2]) for s in sites])
        lat, lng = np.empty(total), np.empty(total)
        area = np.empty(total, dtype=np.int64)
        pos = 0
        for i, (first, clat, clng, sigma, _, n_comm) in enumerate(sites):
            n = counts[i]
            plat, plng = _place(rng, centre[i : i + 1], [n], sigma)
            lat[pos : pos + n], lng[pos : pos + n] = plat, plng
            if n_comm == 1:
                area[pos : pos + n] = first
            else:  # sector of the county town
                sector = ((np.degrees(np.arctan2(plng - clng, plat - clat)) + 360) % 360 // (360 / n_comm)).astype(int)
                area[pos : pos + n] = first + sector
            pos += n
        order = rng.permutation(total)
        return lat[order], lng[order], area[order]

    codes = leaf_occupations()
    families = sorted({c[:4] for c in codes})
    by_family = {f: [i for i, c in enumerate(codes) if c[:4] == f] for f in families}

    s_lat, s_lng, s_area = spread(seekers)
    s_occ = rng.integers(0, len(codes), size=(seekers, 2))
    s_skills = _skill_masks(rng, seekers, share=0.4, most=3)

    j_lat, j_lng, j_area = spread(jobs)
    n_employers = max(1, jobs // 3)
    j_employer = rng.integers(0, n_employers, size=jobs)
    family_of = rng.integers(0, len(families), size=n_employers)
    in_family = rng.random(jobs) < 0.8
    j_occ = rng.integers(0, len(codes), size=jobs)
    for f_index, family in enumerate(families):
        members = np.array(by_family[family])
        pick = in_family & (family_of[j_employer] == f_index)
        j_occ[pick] = members[rng.integers(0, len(members), size=int(pick.sum()))]
    pay_min = rng.choice([2200, 2500, 3000, 3500, 4000, 4500, 5000, 6000], size=jobs)
    return Province(
        today=today, county_codes=county_codes, county_centres=np.array(centres), codes=codes,
        s_lat=s_lat, s_lng=s_lng, s_area=s_area,
        s_edu=rng.choice(EDUCATION[0], size=seekers, p=np.array(EDUCATION[1]) / sum(EDUCATION[1])),
        s_age=rng.integers(18, 63, size=seekers),
        s_max_km=rng.choice([3, 5, 10], size=seekers, p=[0.7, 0.2, 0.1]),
        s_work=rng.choice(3, size=seekers, p=[0.7, 0.15, 0.15]),
        s_min_pay=rng.choice([2000, 2500, 3000, 3500, 4000, 5000], size=seekers),
        s_occ=s_occ, s_skills=s_skills, s_key_group=rng.random(seekers) < 0.10,
        j_lat=j_lat, j_lng=j_lng, j_area=j_area, j_employer=j_employer, j_occ=j_occ,
        j_edu=rng.choice([0, 20, 30, 40], size=jobs, p=[0.5, 0.25, 0.15, 0.10]),
        j_age_max=rng.choice([45, 50, 55, 60], size=jobs),
        j_work=rng.choice(3, size=jobs, p=[0.75, 0.15, 0.10]),
        j_pay_min=pay_min, j_pay_max=pay_min + rng.choice([500, 1000, 1500, 2000], size=jobs),
        j_headcount=rng.choice([1, 2, 3, 5, 10], size=jobs, p=[0.35, 0.25, 0.20, 0.15, 0.05]),
        j_skills=_skill_masks(rng, jobs, share=0.3, most=2),
        j_opened_days=rng.integers(1, 61, size=jobs), j_valid_days=rng.integers(10, 91, size=jobs),
        communities=communities,
    )  # fmt: skip


def _skill_masks(rng, n, *, share, most):
    masks = np.zeros(n, dtype=np.uint64)
    has = rng.random(n) < share
    for _ in range(most):
        bit = rng.integers(0, len(SKILLS), size=n).astype(np.uint64)
        take = has & (rng.random(n) < 0.7)
        masks[take] |= np.uint64(1) << bit[take]
    return masks


def skill_names(mask):
    return [name for i, name in enumerate(SKILLS) if int(mask) >> i & 1]


def to_tables(p: Province, config, seeker_idx=None, job_idx=None):
    """Engine tables (snapshot.JobTable / SeekerTable) straight from the arrays; ids are 1-based indices."""
    from jobcircle.matching.conf import ANY_WORK_TYPE
    from jobcircle.matching.snapshot import (
        SEEKER_MISSING,
        JobTable,
        SeekerTable,
        SkillVocabulary,
        freshness,
        occupation_keys,
        unit_vectors,
    )

    seeker_idx = np.arange(p.n_seekers) if seeker_idx is None else np.asarray(seeker_idx)
    job_idx = np.arange(p.n_jobs) if job_idx is None else np.asarray(job_idx)
    keys = np.array([occupation_keys(c) for c in p.codes], dtype=np.int64)
    vocabulary = SkillVocabulary([SKILLS])  # bit i of the vocabulary is sorted(SKILLS)[i]
    remap = np.array([vocabulary.index[s] for s in SKILLS], dtype=np.uint64)

    def remap_bits(masks):
        out = np.zeros(len(masks), dtype=np.uint64)
        for i, bit in enumerate(remap):
            out |= ((masks >> np.uint64(i)) & np.uint64(1)) << bit
        return out

    jm = remap_bits(p.j_skills[job_idx])
    jx, jy, jz = unit_vectors(p.j_lat[job_idx], p.j_lng[job_idx])
    jobs = JobTable(
        id=job_idx.astype(np.int64) + 1, lat=p.j_lat[job_idx], lng=p.j_lng[job_idx], x=jx, y=jy, z=jz,
        occ_exact=keys[p.j_occ[job_idx], 0], occ_minor=keys[p.j_occ[job_idx], 1], occ_middle=keys[p.j_occ[job_idx], 2],
        edu_min=p.j_edu[job_idx].astype(np.int16), age_min=np.full(len(job_idx), 18, np.int16),
        age_max=p.j_age_max[job_idx].astype(np.int16), work_type=p.j_work[job_idx].astype(np.int8),
        pay_max=p.j_pay_max[job_idx].astype(np.int32), headcount=p.j_headcount[job_idx].astype(np.int32),
        fresh=freshness(p.j_opened_days[job_idx], config), skills=jm.reshape(-1, 1),
        skill_count=np.bitwise_count(jm).astype(np.int16), vocabulary=vocabulary,
    )  # fmt: skip
    sm = remap_bits(p.s_skills[seeker_idx])
    sx, sy, sz = unit_vectors(p.s_lat[seeker_idx], p.s_lng[seeker_idx])
    occ = keys[p.s_occ[seeker_idx]]  # (n, 2, 3)
    occ = np.where(occ == -1, SEEKER_MISSING, occ)
    boost = np.where(p.s_key_group[seeker_idx], float(config.key_group_boost), 0.0)
    seekers = SeekerTable(
        id=seeker_idx.astype(np.int64) + 1, lat=p.s_lat[seeker_idx], lng=p.s_lng[seeker_idx], x=sx, y=sy, z=sz,
        max_m=p.s_max_km[seeker_idx].astype(np.float64) * 1000, edu=p.s_edu[seeker_idx].astype(np.int16),
        age=p.s_age[seeker_idx].astype(np.int16), work_type=p.s_work[seeker_idx].astype(np.int8),
        min_pay=p.s_min_pay[seeker_idx].astype(np.int32), occ_exact=occ[:, :, 0].copy(),
        occ_minor=occ[:, :, 1].copy(), occ_middle=occ[:, :, 2].copy(), skills=sm.reshape(-1, 1),
        has_skills=sm > 0, boost=boost,
        area_code=np.array([p.communities[a][0] for a in p.s_area[seeker_idx]], dtype=object),
    )  # fmt: skip
    assert ANY_WORK_TYPE == 3
    return seekers, jobs


def _h3_ints(lat, lng):
    import h3

    r5 = np.fromiter((h3.str_to_int(h3.latlng_to_cell(a, b, 5)) for a, b in zip(lat, lng, strict=True)), np.int64)
    r7 = np.fromiter((h3.str_to_int(h3.latlng_to_cell(a, b, 7)) for a, b in zip(lat, lng, strict=True)), np.int64)
    return r5, r7


def _copy(cursor, table, columns, rows):
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def copy_into_postgres(p: Province, *, log=print):
    """Write the province into the application's tables with COPY (PostgreSQL only).

    Identities are placeholders under the synthetic markers (ID prefix 990000, no phone): the
    push reads locations, intentions and occupations, never PII. Returns {table: rows}.
    """
    import time

    from django.db import connection
    from django.utils import timezone

    from jobcircle.areas.models import Region
    from jobcircle.classifications.models import Occupation
    from jobcircle.people.models import KeyGroup

    started = time.perf_counter()
    now = timezone.now()
    today = p.today
    province = Region.objects.update_or_create(code="990000000000", defaults={"name": "示范省", "level": 1})[0]
    regions = {}
    for code6 in p.county_codes:
        city_code = code6[:4] + "00000000"
        if city_code not in regions:
            regions[city_code] = Region.objects.update_or_create(
                code=city_code, defaults={"name": f"示范{code6[2:4]}市", "level": 2, "parent": province}
            )[0]
        regions[code6] = Region.objects.create(code=code6 + "000000", name=f"{code6}县", level=3,
                                               parent=regions[city_code])  # fmt: skip
    townships = {}
    for _code, _, township, _, _ in p.communities:
        if township not in townships:
            townships[township] = Region(code=township + "000", name=f"{township}镇", level=4,
                                         parent=regions[township[:6]])  # fmt: skip
    Region.objects.bulk_create(townships.values(), batch_size=5000)
    saved = {r.code[:9]: r for r in Region.objects.filter(level=4, code__startswith="99")}
    Region.objects.bulk_create(
        [Region(code=code, name=name, level=5, parent=saved[township]) for code, name, township, _, _ in p.communities],
        batch_size=5000,
    )
    community_pk = dict(Region.objects.filter(level=5, code__startswith="99").values_list("code", "pk"))
    comm_codes = np.array([c[0] for c in p.communities])
    comm_pks = np.array([community_pk[c] for c in comm_codes])
    occupation_pk = dict(Occupation.objects.values_list("code", "pk"))
    occ_pks = np.array([occupation_pk[c] for c in p.codes])
    names = dict(Occupation.objects.values_list("code", "name"))
    key_group = KeyGroup.objects.get(code="poverty_alleviated").pk
    log(f"  regions: {len(p.communities)} communities ({time.perf_counter() - started:.1f} s)")

    counts = {}
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        # Employers: one per distinct employer index, at its first job.
        employers, first = np.unique(p.j_employer, return_index=True)
        e_lat, e_lng, e_area = p.j_lat[first], p.j_lng[first], p.j_area[first]
        r5, r7 = _h3_ints(e_lat, e_lng)
        employer_id = np.zeros(int(employers.max()) + 1, dtype=np.int64)
        employer_id[employers] = np.arange(1, len(employers) + 1)
        _copy(cursor, "employers_employer",
              ["id", "created_at", "updated_at", "lat", "lng", "source_crs", "h3_r5", "h3_r7", "name", "credit_code",
               "employer_type", "size", "address", "community_id", "area_code", "contact_name",
               "contact_phone_encrypted", "contact_phone_hash", "contact_phone_masked", "is_key_enterprise"],
              ((i + 1, now, now, float(e_lat[i]), float(e_lng[i]), "wgs84", int(r5[i]), int(r7[i]),
                f"示范单位{i + 1}", f"91{comm_codes[e_area[i]][:6]}{i + 1:010d}", "enterprise", "small", "示范路",
                int(comm_pks[e_area[i]]), comm_codes[e_area[i]], "联系人", "", f"{i:064x}", "", False)
               for i in range(len(employers))))  # fmt: skip
        counts["employers_employer"] = len(employers)
        log(f"  employers: {len(employers)} ({time.perf_counter() - started:.1f} s)")
        r5, r7 = _h3_ints(p.j_lat, p.j_lng)
        opened = [today - datetime.timedelta(days=int(d)) for d in range(0, 61)]
        until = [today + datetime.timedelta(days=int(d)) for d in range(0, 91)]
        _copy(cursor, "employers_job",
              ["id", "created_at", "updated_at", "lat", "lng", "source_crs", "h3_r5", "h3_r7", "employer_id", "title",
               "occupation_id", "headcount", "pay_min", "pay_max", "work_type", "education_min", "age_min", "age_max",
               "skills", "description", "requirements", "benefits", "work_address", "area_code", "valid_from",
               "valid_until", "status", "review_result", "review_hits"],
              ((i + 1, now, now, float(p.j_lat[i]), float(p.j_lng[i]), "wgs84", int(r5[i]), int(r7[i]),
                int(employer_id[p.j_employer[i]]), names[p.codes[p.j_occ[i]]], int(occ_pks[p.j_occ[i]]),
                int(p.j_headcount[i]), int(p.j_pay_min[i]), int(p.j_pay_max[i]), WORK_TYPES[p.j_work[i]],
                int(p.j_edu[i]), 18, int(p.j_age_max[i]), _json(skill_names(p.j_skills[i])), "示范岗位", "示范要求", "",
                "示范路", comm_codes[p.j_area[i]], opened[p.j_opened_days[i]], until[p.j_valid_days[i]], "open",
                "passed", "[]") for i in range(p.n_jobs)))  # fmt: skip
        counts["employers_job"] = p.n_jobs
        log(f"  jobs: {p.n_jobs} ({time.perf_counter() - started:.1f} s)")
        r5, r7 = _h3_ints(p.s_lat, p.s_lng)
        births = {age: datetime.date(today.year - int(age), 1, 1) for age in np.unique(p.s_age)}
        _copy(cursor, "people_resident",
              ["id", "created_at", "updated_at", "lat", "lng", "source_crs", "h3_r5", "h3_r7", "name", "id_type",
               "id_number_encrypted", "id_number_hash", "id_number_masked", "phone_encrypted", "phone_masked",
               "birth_date", "gender", "community_id", "area_code", "education", "skills", "employment_status",
               "is_job_seeking"],
              ((i + 1, now, now, float(p.s_lat[i]), float(p.s_lng[i]), "wgs84", int(r5[i]), int(r7[i]),
                f"求职者{i + 1}", "resident_id", "", f"{i:064x}", "9900**********0000", "", "", births[p.s_age[i]],
                "MF"[i % 2], int(comm_pks[p.s_area[i]]), comm_codes[p.s_area[i]], int(p.s_edu[i]),
                _json(skill_names(p.s_skills[i])), "unemployed", True) for i in range(p.n_seekers)))  # fmt: skip
        log(f"  residents: {p.n_seekers} ({time.perf_counter() - started:.1f} s)")
        _copy(cursor, "people_jobintention",
              ["id", "created_at", "updated_at", "resident_id", "min_monthly_pay", "max_distance_km", "work_type"],
              ((i + 1, now, now, i + 1, int(p.s_min_pay[i]), int(p.s_max_km[i]), WORK_TYPES[p.s_work[i]])
               for i in range(p.n_seekers)))  # fmt: skip
        pairs = {(i + 1, int(occ_pks[o])) for i in range(p.n_seekers) for o in p.s_occ[i]}
        _copy(cursor, "people_jobintention_occupations", ["jobintention_id", "occupation_id"], sorted(pairs))
        _copy(cursor, "people_resident_key_groups", ["resident_id", "keygroup_id"],
              ((int(i) + 1, key_group) for i in np.flatnonzero(p.s_key_group)))  # fmt: skip
        counts.update(
            people_resident=p.n_seekers,
            people_jobintention=p.n_seekers,
            people_jobintention_occupations=len(pairs),
            people_resident_key_groups=int(p.s_key_group.sum()),
        )
        log(f"  intentions and key groups ({time.perf_counter() - started:.1f} s)")
        for table in ("employers_employer", "employers_job", "people_resident", "people_jobintention"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("ANALYZE")
    log(f"  loaded in {time.perf_counter() - started:.1f} s")
    return counts


def _json(values):
    import json

    return json.dumps(values, ensure_ascii=False)
