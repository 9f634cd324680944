"""A plausible synthetic county (or city) for demos and benchmarks — never real people (SEC-43).

- ID numbers carry the reserved prefix 990000, which no real division uses and
  which only settings with JOBCIRCLE_DEMO_ID_PREFIXES accept; phones use the
  140 segment, which carries no voice numbers; credit codes use division 99xxxx.
- Regions use the fictitious province code 99 (示范省), so demo areas never
  collide with the real division codes loaded from python-stdnum.
- Deterministic for a seed: the same seed gives the same county.
- A year of history (``demo.history``, ``assistance.demo``): registrations, publications, applications,
  hires, fairs, monitoring months, public-welfare placements and page visits over the past 12 months.
"""

import datetime
import math
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.models import Region, ServiceStation
from jobcircle.assistance.demo import build_assistance_demo
from jobcircle.classifications.models import Industry, Occupation
from jobcircle.common.validators import organization_code_check_char
from jobcircle.common.workflow import log_created
from jobcircle.demo.entrepreneurship import build_entrepreneurship_demo
from jobcircle.employers.enums import EmployerSize, EmployerType, JobStatus
from jobcircle.employers.models import Employer, Job
from jobcircle.employers.services import JOB_WORKFLOW
from jobcircle.people.enums import Education, EmploymentStatus, WorkType
from jobcircle.people.models import EmploymentStatusChange, JobIntention, KeyGroup, Resident

from . import history
from .gigs import build_gigs_demo
from .households import build_households_demo
from .scheduling import build_schedule_demo
from .training import build_training_demo

DEMO_ID_PREFIX = "990000"
DEMO_PHONE_PREFIX = "140"
PROVINCE_CODE, CITY_CODE = "990000000000", "990100000000"
SOURCE = "演示数据（seed_demo 生成，非真实区划）"


@dataclass(frozen=True)
class Scale:
    counties: int
    residents_per_county: int
    employers_per_county: int
    positions_per_county: int
    seekers_per_county: int


SCALES = {
    "county": Scale(1, 25_000, 1_300, 3_700, 800),
    "city": Scale(6, 25_000, 5_340, 16_700, 800),
    "tiny": Scale(1, 600, 60, 180, 40),  # tests
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍鹏建华红梅飞鑫波斌宇浩凯健俊帆帅旭宁婷雪琳晨欣怡"
COUNTY_NAMES = ["三公里示范县", "东湖区", "西山区", "南河县", "北岭县", "清源县"]
COUNTY_SHORT = ["示范", "东湖", "西山", "南河", "北岭", "清源"]
COUNTY_CODES = ["990121", "990102", "990103", "990122", "990123", "990124"]
STREETS = ["城关街道", "东城街道", "西城街道"]
TOWNS = ["李集镇", "高庙镇", "双浮镇", "旧县镇", "马集镇", "宫集镇", "赵集乡", "胡总镇", "清浅镇"]
COMMUNITY_WORDS = "幸福 和平 解放 人民 光明 建设 文昌 新华 长安 清河 育才 东关 西关 南关 北关 花园 锦绣 振兴".split()
VILLAGE_WORDS = "王庄 李楼 张寨 刘集 陈湖 杨桥 黄岗 赵庄 吴营 周庙 徐圩 孙洼 马店 朱港 胡堂 郭园 何村 高台".split()
COMPANY_WORDS = "鑫源 华泰 恒达 宏发 瑞丰 金穗 天成 永安 顺达 丰收 鸿运 广盛 佳禾 润泽 兴旺 聚力 同心 康健".split()
COMPANY_KINDS = ["制衣有限公司", "食品有限公司", "电子科技有限公司", "物流有限公司", "建材有限公司", "农业专业合作社",
                 "超市", "餐饮店", "家政服务有限公司", "汽车维修厂", "养老服务中心", "纺织有限公司"]  # fmt: skip
KEY_GROUP_SHARES = {
    "poverty_alleviated": 0.08, "monitored": 0.01, "graduate": 0.05, "veteran": 0.03, "migrant_worker": 0.25,
    "employment_difficulty": 0.02, "unemployed": 0.03, "retired_fisher": 0.005, "disabled": 0.02,
}  # fmt: skip
EDUCATION_WEIGHTS = {
    Education.PRIMARY: 15, Education.JUNIOR: 35, Education.SENIOR: 25, Education.COLLEGE: 12, Education.BACHELOR: 11,
    Education.MASTER: 2,
}  # fmt: skip
STATUS_WEIGHTS = {
    EmploymentStatus.EMPLOYED: 55, EmploymentStatus.FLEXIBLE: 15, EmploymentStatus.UNEMPLOYED: 5,
    EmploymentStatus.STUDENT: 10, EmploymentStatus.NOT_IN_LABOUR_FORCE: 15,
}  # fmt: skip
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def synthetic_id_number(birth: datetime.date, sequence: int) -> str:
    """A checksum-valid ID number under the reserved prefix; an odd sequence means male."""
    body = f"{DEMO_ID_PREFIX}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "?")  # stdnum expects the check position present


def _offset(lat, lng, distance_m, bearing):
    """A point ``distance_m`` from (lat, lng) along ``bearing`` radians (flat-earth is fine at county size)."""
    dlat = distance_m * math.cos(bearing) / 111_320
    dlng = distance_m * math.sin(bearing) / (111_320 * math.cos(math.radians(lat)))
    return lat + dlat, lng + dlng


class DemoBuilder:
    def __init__(self, seed: int, scale: Scale):
        self.rng = random.Random(seed)
        self.scale = scale
        self.today = timezone.localdate()
        self.used_ids: set[str] = set()
        people = scale.counties * (scale.residents_per_county + scale.employers_per_county)
        self.phones = iter(self.rng.sample(range(10**8), people + 10))
        self.credit_serial = 0

    # --- identities -----------------------------------------------------------
    def id_number(self, birth, male):
        while True:
            number = synthetic_id_number(birth, self.rng.randrange(0, 500) * 2 + (1 if male else 0))
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def phone(self):
        return f"{DEMO_PHONE_PREFIX}{next(self.phones):08d}"

    def credit_code(self, county6, kind):
        self.credit_serial += 1
        head = {"sole": "92", "collective": "N2"}.get(kind, "91")
        # 组织机构代码: 8 characters (the serial keeps them unique) and its own GB 11714 check character.
        org = "".join(self.rng.choice(USCC_ALPHABET) for _ in range(4)) + f"{self.credit_serial:04d}"
        if self.credit_serial >= 10_000:  # city scale: keep 8 characters (PostgreSQL enforces the 18)
            org = org[:3] + f"{self.credit_serial:05d}"
        body = head + county6 + org + organization_code_check_char(org)
        return body + uscc.calc_check_digit(body)

    def person_name(self):
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    # --- areas ------------------------------------------------------------------
    def region(self, code, name, level, parent):
        region, _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent, "source": SOURCE}
        )
        return region

    def build_county(self, index, city):
        county6, name = COUNTY_CODES[index], COUNTY_NAMES[index]
        center = (33.16 + 0.35 * (index % 3), 115.62 + 0.45 * (index // 3))
        county = self.region(county6 + "000000", name, RegionLevel.COUNTY, city)
        communities = []
        # County town: streets with communities packed into about 10 km across.
        for s, street_name in enumerate(STREETS):
            street = self.region(f"{county6}{s + 1:03d}000", street_name, RegionLevel.TOWNSHIP, county)
            for c in range(5 if s == 0 else 4):
                lat, lng = _offset(*center, self.rng.uniform(300, 4500), self.rng.uniform(0, 2 * math.pi))
                word = COMMUNITY_WORDS[(s * 5 + c) % len(COMMUNITY_WORDS)]
                communities.append(
                    (self.region(f"{county6}{s + 1:03d}{c + 1:03d}", f"{word}社区", 5, street), lat, lng)
                )
        # Townships 10–30 km out, villages within ~3 km of the town seat.
        for t, town_name in enumerate(TOWNS):
            town_code = (
                f"{county6}{100 + t + 1:03d}000" if town_name.endswith("镇") else f"{county6}{200 + t + 1:03d}000"
            )
            town = self.region(town_code, town_name, RegionLevel.TOWNSHIP, county)
            seat = _offset(*center, self.rng.uniform(10_000, 30_000), 2 * math.pi * t / len(TOWNS))
            for v in range(self.rng.randint(6, 9)):
                lat, lng = (
                    seat if v == 0 else _offset(*seat, self.rng.uniform(800, 3500), self.rng.uniform(0, 2 * math.pi))
                )
                word = VILLAGE_WORDS[(t * 3 + v) % len(VILLAGE_WORDS)]
                label = f"{town_name[:2]}社区" if v == 0 else f"{word}村"
                communities.append(
                    (self.region(town_code[:9] + f"{(1 if v == 0 else 200 + v):03d}", label, 5, town), lat, lng)
                )
        stations = []
        for community, lat, lng in communities:
            station = ServiceStation(community=community, area_code=community.code, name=f"{community.name}就业服务站",
                                     address=f"{community.parent.name}{community.name}便民服务中心")  # fmt: skip
            station.set_location(lat, lng)
            stations.append(station)
        ServiceStation.objects.bulk_create(stations)
        return county, stations

    # --- people -----------------------------------------------------------------
    def build_residents(self, stations, count, seekers, occupations):
        rng, key_groups = self.rng, {g.code: g for g in KeyGroup.objects.all()}
        weights = [3 if s.area_code[9:] != "000" and s.area_code[6:9] < "100" else 1 for s in stations]
        residents, seeker_flags = [], []
        registered = history.registration_days(rng, self.today, count)
        for i in range(count):
            station = rng.choices(stations, weights)[0]
            birth = datetime.date(rng.randint(1955, 2006), rng.randint(1, 12), rng.randint(1, 28))
            male = rng.random() < 0.51
            seeking = i < seekers
            status = (
                EmploymentStatus.UNEMPLOYED
                if seeking
                else rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
            )
            resident = Resident(
                name=self.person_name(), birth_date=birth, gender="M" if male else "F",
                community_id=station.community_id, area_code=station.area_code,
                education=rng.choices(list(EDUCATION_WEIGHTS), list(EDUCATION_WEIGHTS.values()))[0],
                employment_status=status,
                is_job_seeking=seeking,
            )  # fmt: skip
            resident.set_id_number(self.id_number(birth, male))
            resident.set_phone(self.phone())
            resident.set_location(*_offset(station.lat, station.lng, rng.uniform(0, 1500), rng.uniform(0, 2 * math.pi)))
            resident.registered_on = registered[i]
            residents.append(resident)
            seeker_flags.append(seeking)
        Resident.objects.bulk_create(residents, batch_size=2000)
        history.set_timestamps(
            Resident, "created_at", [(r.pk, history.moment(r.registered_on, rng)) for r in residents]
        )
        self._residents_extras(residents, key_groups, occupations)
        return residents

    def _residents_extras(self, residents, key_groups, occupations):
        rng = self.rng
        through = Resident.key_groups.through
        links, history, intentions = [], [], []
        for resident in residents:
            for code, share in KEY_GROUP_SHARES.items():
                if code in key_groups and rng.random() < share:
                    links.append(through(resident_id=resident.pk, keygroup_id=key_groups[code].pk))
            history.append(EmploymentStatusChange(resident_id=resident.pk, status=resident.employment_status,
                                                  changed_on=resident.registered_on, note="演示数据登记"))  # fmt: skip
            if resident.is_job_seeking:
                intentions.append(JobIntention(
                    resident_id=resident.pk, min_monthly_pay=rng.choice((2000, 2500, 3000, 3500, 4000, 5000)),
                    max_distance_km=rng.choices((3, 5, 10), (70, 20, 10))[0],
                    work_type=rng.choices(WorkType.values, (70, 15, 15))[0],
                    available_from=self.today + datetime.timedelta(days=rng.randint(0, 30)),
                ))  # fmt: skip
        through.objects.bulk_create(links, batch_size=5000)
        EmploymentStatusChange.objects.bulk_create(history, batch_size=5000)
        JobIntention.objects.bulk_create(intentions, batch_size=2000)
        occ_through = JobIntention.occupations.through
        saved = JobIntention.objects.filter(resident_id__in=[i.resident_id for i in intentions])
        occ_through.objects.bulk_create(
            [occ_through(jobintention_id=i.pk, occupation_id=o.pk) for i in saved for o in rng.sample(occupations, 2)],
            batch_size=5000,
        )

    # --- employers and jobs -------------------------------------------------------
    def build_employers(self, county, stations, count, industries):
        rng, employers = self.rng, []
        for _ in range(count):
            station = rng.choice(stations)
            kind = rng.choices(("enterprise", "sole", "collective"), (60, 35, 5))[0]
            employer_type = {"sole": EmployerType.SOLE_PROPRIETOR, "collective": EmployerType.COLLECTIVE}.get(
                kind, EmployerType.ENTERPRISE
            )
            employer = Employer(
                name=f"{COUNTY_SHORT[COUNTY_CODES.index(county.code6)]}{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_KINDS)}",
                credit_code=self.credit_code(county.code6, kind), employer_type=employer_type,
                industry=rng.choice(industries) if industries else None,
                size=rng.choices(EmployerSize.values, (50, 35, 12, 3))[0],
                address=f"{station.address}附近{rng.randint(1, 300)}号", community_id=station.community_id,
                area_code=station.area_code, contact_name=self.person_name(), is_key_enterprise=rng.random() < 0.05,
            )  # fmt: skip
            employer.set_contact_phone(self.phone())
            employer.set_location(*_offset(station.lat, station.lng, rng.uniform(0, 2000), rng.uniform(0, 2 * math.pi)))
            employers.append(employer)
        Employer.objects.bulk_create(employers, batch_size=2000)
        return employers

    def build_jobs(self, employers, positions, occupations):
        rng, jobs, open_positions = self.rng, [], 0
        families = {}  # 中类 code → its occupations; an employer mostly hires within one 中类
        for occupation in occupations:
            families.setdefault(occupation.code[:4], []).append(occupation)
        family_of = {e.pk: rng.choice(sorted(families)) for e in employers}
        while open_positions < positions:
            employer = rng.choice(employers)
            pool = families[family_of[employer.pk]] if rng.random() < 0.8 else occupations
            occupation = rng.choice(pool)
            headcount = min(rng.choices((1, 2, 3, 5, 10), (35, 25, 20, 15, 5))[0], positions - open_positions) or 1
            pay_min = rng.choice((2200, 2500, 3000, 3500, 4000, 4500, 5000, 6000))
            state = rng.choices(("open", "paused", "closed", "expired"), (85, 5, 5, 5))[0]
            valid_from = self.today - datetime.timedelta(days=rng.randint(1, 60))
            valid_until = self.today + datetime.timedelta(days=rng.randint(10, 90))
            if state == "expired":
                valid_until = self.today - datetime.timedelta(days=rng.randint(1, 20))
                valid_from = valid_until - datetime.timedelta(days=60)
            job = Job(
                employer=employer, title=occupation.name, occupation=occupation, headcount=headcount,
                pay_min=pay_min, pay_max=pay_min + rng.choice((500, 1000, 1500, 2000)),
                work_type=rng.choices(WorkType.values, (75, 15, 10))[0],
                education_min=rng.choices((Education.NONE, Education.JUNIOR, Education.SENIOR, Education.COLLEGE),
                                          (50, 25, 15, 10))[0],
                age_min=18, age_max=rng.choice((45, 50, 55, 60)),
                description=f"负责{occupation.name}相关工作，服从班组安排，按时完成生产任务。",
                requirements="具备岗位所需基本技能，能适应倒班；有相关工作经验者可优先安排。",
                benefits="缴纳社会保险，提供工作餐，法定节假日休息。", work_address=employer.address,
                area_code=employer.area_code, valid_from=valid_from, valid_until=valid_until,
                status=JobStatus.OPEN if state in ("open", "expired") else JobStatus(state),
            )  # fmt: skip
            job.set_location(employer.lat, employer.lng)
            jobs.append(job)
            if state == "open":
                open_positions += headcount
        Job.objects.bulk_create(jobs, batch_size=2000)
        log_created(JOB_WORKFLOW, jobs, reason="演示数据")  # every job's status has its log, from its creation
        return jobs


def demo_exists() -> bool:
    return Region.objects.filter(code=CITY_CODE).exists()


@transaction.atomic
def build_demo(*, seed: int = 1, scale: str = "county", log=print) -> dict:
    """Create the demo area(s) with residents, employers and jobs; returns counts."""
    plan = SCALES[scale]
    builder = DemoBuilder(seed, plan)
    province = builder.region(PROVINCE_CODE, "示范省", RegionLevel.PROVINCE, None)
    city = builder.region(CITY_CODE, "示范市", RegionLevel.CITY, province)
    # County jobs: services, farming and manufacturing (大类 4, 5, 6) rather than party or state leaders.
    occupations = [o for o in Occupation.objects.filter(level=4).order_by("code") if o.code[0] in "456"]
    industries = list(Industry.objects.filter(level=4).order_by("code"))
    counts = {"residents": 0, "employers": 0, "jobs": 0}
    for index in range(plan.counties):
        county, stations = builder.build_county(index, city)
        log(f"{county.name}：{len(stations)} 个服务站")
        residents = builder.build_residents(stations, plan.residents_per_county, plan.seekers_per_county, occupations)
        employers = builder.build_employers(county, stations, plan.employers_per_county, industries)
        jobs = builder.build_jobs(employers, plan.positions_per_county, occupations)
        past = history.past_jobs(builder, employers, jobs, occupations)
        fairs = history.fairs(builder, county, stations, employers, jobs + past)
        applications = history.applications(builder, residents, jobs + past, fairs)
        visits = history.page_visits(builder, county, stations)
        counts["residents"] += len(residents)
        counts["employers"] += len(employers)
        counts["jobs"] += len(jobs) + len(past)
        log(f"{county.name}：居民 {len(residents)}，用工单位 {len(employers)}，岗位 {len(jobs)}（往期 {len(past)}）")
        log(f"{county.name}：求职申请 {len(applications)}，招聘会 {len(fairs)}，页面访问 {visits}")
        casework = build_assistance_demo(
            seed=seed, county=county, residents=residents, stations=stations, today=builder.today
        )
        log(
            f"{county.name}：监测任务 {casework['tasks']}，公益性岗位 {casework['posts']}，车间 {casework['workshops']}"
        )
        gig_demo = build_gigs_demo(seed=seed, stations=stations, residents=residents, employers=employers,
                                   today=builder.today)  # fmt: skip
        log(
            f"{county.name}：零工 {gig_demo['gigs']}，零工报名 {gig_demo['signups']}，共享协议 {gig_demo['agreements']}"
        )
        log(build_households_demo(seed=seed, county=county, residents=residents, today=builder.today))
        trained = build_training_demo(builder, county=county, stations=stations, residents=residents,
                                      employers=employers, today=builder.today)  # fmt: skip
        log(f"{county.name}：培训 {trained['programmes']} 期 {trained['trainees']} 人次，见习 {trained['interns']} 人")
        code6 = county.code[:6]
        ventures = build_entrepreneurship_demo(  # issue 15
            seed=seed, county=county, residents=residents, employers=employers, today=builder.today,
            credit_code=lambda n, code6=code6: builder.credit_code(code6, "sole"),
        )  # fmt: skip
        log(f"{county.name}：创业担保贷款 {ventures['loans']}，创业实体 {ventures['startups']}，"
            f"孵化基地 {ventures['bases']}")  # fmt: skip
    log("定时任务：{entries} 项，运行记录 {runs} 条".format(**build_schedule_demo(seed=seed)))
    return counts
