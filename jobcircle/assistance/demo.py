"""Demo casework for the synthetic county (called by demo.generator; deterministic for a seed).

Uses its own random generator, so adding it does not change the residents, employers and jobs
the rest of the generator makes for the same seed. Writes in bulk, like the generator.
"""

import datetime
import random
from decimal import Decimal

from jobcircle.common.workflow import log_created
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import KeyGroup, Resident

from .cases.services import CASE_WORKFLOW
from .enums import (
    CaseState,
    NotEmployedReason,
    PostAreaType,
    ServiceKind,
    TaskState,
    WorkLocation,
    WorkshopStatus,
)
from .models import (
    AssistanceCase,
    CaseService,
    MonitoringRecord,
    MonitoringTask,
    WelfarePlacement,
    WelfarePost,
    WelfareSubsidyPayment,
    Workshop,
    WorkshopCheck,
)
from .monitoring.services import DEFAULT_MONITORED_GROUPS, log_new_tasks, policy_for
from .periods import add_months, month_end, month_start
from .welfare.services import WELFARE_ELIGIBLE_GROUPS, subsidy_due

POST_NAMES = ["保洁员", "护林员", "河道巡查员", "治安巡逻员", "村级公共服务专员", "养老服务员", "道路养护员"]
WORKSHOP_KINDS = ["制衣", "电子元件组装", "手工编织", "食品加工", "箱包", "假发制品"]
REASONS = list(NotEmployedReason.values)


def _members(residents, codes):
    groups = KeyGroup.objects.filter(code__in=codes).values_list("id", flat=True)
    through = Resident.key_groups.through
    ids = {r.pk for r in residents}
    found = set(through.objects.filter(keygroup_id__in=list(groups)).values_list("resident_id", flat=True))
    return [r for r in residents if r.pk in found and r.pk in ids]


def _record(rng, resident, month, status):
    working = status in (EmploymentStatus.EMPLOYED, EmploymentStatus.FLEXIBLE)
    unemployed = status == EmploymentStatus.UNEMPLOYED
    return MonitoringRecord(
        resident_id=resident.pk, month=month, area_code=resident.area_code, employment_status=status,
        work_location=rng.choices(WorkLocation.values, (50, 25, 25))[0] if working else "",
        employer_name=rng.choice(["", "本地企业", "某电子厂", "建筑工地", "物流公司"]) if working else "",
        months_worked=min(month.month, rng.randint(1, 12)) if working else 0,
        monthly_income=Decimal(rng.randrange(2400, 7000, 100)) if working else Decimal("0"),
        not_employed_reason=rng.choice(REASONS) if unemployed else "", wants_work=unemployed and rng.random() < 0.7,
        source="import",
    )  # fmt: skip


def build_assistance_demo(*, seed: int, county, residents, stations, today: datetime.date) -> dict:
    """A year of casework: monitoring records for each of the past 12 months (and last December), tasks
    for last month and this month, cases with services, public-welfare posts with placements started
    over the past year and their subsidies paid month by month, workshops with monthly checks."""
    rng = random.Random(seed * 7919 + int(county.code[:6]))
    this_month, last_month = month_start(today), add_months(month_start(today), -1)
    december = datetime.date(this_month.year - 1, 12, 1)
    policy = policy_for(county.code)
    earliest, latest = policy.birth_range(this_month)
    monitored = [r for r in _members(residents, DEFAULT_MONITORED_GROUPS) if earliest <= r.birth_date <= latest]
    tasks, records = [], []
    for month in (last_month, this_month):
        for resident in monitored:
            done = month == last_month or rng.random() < 0.6
            tasks.append(MonitoringTask(
                resident_id=resident.pk, month=month, area_code=resident.area_code, due_on=policy.due_on(month),
                state=TaskState.DONE if done else TaskState.PENDING,
            ))  # fmt: skip
            if done:
                records.append(_record(rng, resident, month, resident.employment_status))
    earlier = [add_months(this_month, -back) for back in range(2, 12)]  # the year before: records, no tasks
    if december not in (last_month, this_month, *earlier):  # last year-end, for the out-migration comparison
        earlier.append(december)
    for month in earlier:
        for resident in monitored:
            records.append(_record(rng, resident, month, resident.employment_status))
    MonitoringTask.objects.bulk_create(tasks, batch_size=2000, ignore_conflicts=True)
    for month in (last_month, this_month):
        log_new_tasks(month, region=county)
    MonitoringRecord.objects.bulk_create(records, batch_size=2000, ignore_conflicts=True)

    latest_month = {}
    for record in records:
        if record.month >= latest_month.get(record.resident_id, (december, None))[0]:
            latest_month[record.resident_id] = (record.month, record)
    willing = [rec for _, rec in latest_month.values() if rec.employment_status == "unemployed" and rec.wants_work]
    cases = [AssistanceCase(resident_id=rec.resident_id, area_code=rec.area_code, state=CaseState.OPEN,
                            opened_on=month_end(rec.month) if month_end(rec.month) < today else today,
                            opened_reason="月度监测：未就业且有就业意愿") for rec in willing]  # fmt: skip
    AssistanceCase.objects.bulk_create(cases)
    log_created(CASE_WORKFLOW, cases, reason=lambda c: c.opened_reason)
    services = []
    for case in cases:
        for kind in rng.sample([ServiceKind.GUIDANCE, ServiceKind.JOB_INFO, ServiceKind.JOB_INFO, ServiceKind.JOB_INFO,
                                ServiceKind.TRAINING], rng.randint(0, 5)):  # fmt: skip
            services.append(CaseService(case=case, kind=kind, provided_on=case.opened_on, note="演示数据"))
    CaseService.objects.bulk_create(services)

    communities = [s.community for s in stations]
    posts = []
    for i in range(min(20, len(communities))):
        community = communities[(i * 7) % len(communities)]
        start = add_months(this_month, -rng.randint(1, 12))  # posts opened over the past year
        posts.append(WelfarePost(
            code=f"GY{community.code}{i + 1:03d}", name=rng.choice(POST_NAMES),
            area_type=PostAreaType.RURAL if community.code[9:] != "000" and community.code[6:9] >= "100"
            else PostAreaType.URBAN,
            community=community, area_code=community.code, unit_name=f"{community.name}村（居）民委员会",
            headcount=rng.choice((2, 3, 5)), monthly_pay=Decimal("1800"),
            monthly_subsidy=Decimal(rng.choice((800, 1000, 1500))),
            term_start=start, term_end=add_months(start, 36) - datetime.timedelta(days=1),
        ))  # fmt: skip
    WelfarePost.objects.bulk_create(posts)
    eligible = _members(residents, WELFARE_ELIGIBLE_GROUPS)
    rng.shuffle(eligible)
    placements = []
    for post in posts:
        for _ in range(post.headcount - rng.randint(0, 1)):
            if not eligible:
                break
            person = eligible.pop()
            started = post.term_start + datetime.timedelta(days=rng.randint(0, 30))
            if started > today:
                continue
            placements.append(WelfarePlacement(
                post=post, resident_id=person.pk, area_code=post.area_code, started_on=started,
                planned_end_on=post.term_end, monthly_subsidy=post.monthly_subsidy,
            ))  # fmt: skip
    WelfarePlacement.objects.bulk_create(placements)
    payments = []
    for month in (add_months(this_month, -back) for back in range(12, 0, -1)):
        for placement in placements:
            amount = subsidy_due(placement, month)
            if amount > 0:
                payments.append(
                    WelfareSubsidyPayment(placement=placement, month=month, amount=amount,
                                          area_code=placement.area_code, paid_on=month_end(month))
                )  # fmt: skip
    WelfareSubsidyPayment.objects.bulk_create(payments)

    shops, checks = [], []
    for i in range(12):
        community = communities[(i * 5 + 3) % len(communities)]
        shops.append(Workshop(
            code=f"CJ{county.code[:6]}{i + 1:03d}", name=f"{community.name}{rng.choice(WORKSHOP_KINDS)}帮扶车间",
            community=community, area_code=community.code, operator_name=f"示范{rng.choice(WORKSHOP_KINDS)}有限公司",
            certified_on=add_months(this_month, -rng.randint(6, 30)), address=f"{community.name}工业园",
        ))  # fmt: skip
    Workshop.objects.bulk_create(shops)
    for shop in shops:
        status = rng.choices(WorkshopStatus.values, (80, 15, 5))[0]
        for month in (add_months(this_month, -back) for back in range(12, 0, -1)):
            workers = rng.randint(8, 60) if status != WorkshopStatus.CLEARED else 0
            poverty = rng.randint(0, workers // 2)
            checks.append(WorkshopCheck(workshop=shop, month=month, area_code=shop.area_code, status=status,
                                        workers=workers, poverty_workers=poverty,
                                        monitored_workers=(workers - poverty) // 10,
                                        subsidy_granted=Decimal(rng.choice((0, 2000, 5000)))))  # fmt: skip
        shop.status = status
    WorkshopCheck.objects.bulk_create(checks)
    Workshop.objects.bulk_update(shops, ["status"])
    return {"tasks": len(tasks), "records": len(records), "cases": len(cases), "posts": len(posts),
            "placements": len(placements), "workshops": len(shops)}  # fmt: skip
