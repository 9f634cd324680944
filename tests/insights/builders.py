"""A small county built through the services, with the truth of what was built written down beside it.

Two townships (``town`` with two communities, ``other_township`` with ``village``); in each community:
residents of a key group (one seeking work), an employer with a job, a public-welfare post with one
person on it (of all four welfare groups; the post urban in a township's first community, else rural), a
workshop with this month's check (in a township's first community certified this month and 缓冲监测);
in each township a fair this month with sign-ins, an intention and a hire; monitoring this month: one
willing person with the full 1131 service, one away (省内县外), the hired person working (本县 in a
township's first community, else 省外), each 1 month worked this year: tests/insights/conftest.py sets the
work-scale and transfer minimum months to 1.
Formal registrations (people.services): the hired person was registered unemployed and certified
就业困难人员 since the 1st and registered employed (城镇) today; the seeker is registered unemployed;
each township and the county have their 城镇从业人员基数 (URBAN_EMPLOYED_BASE per community).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.areas.codes import Area
from jobcircle.assistance.cases.services import record_case_service
from jobcircle.assistance.monitoring.services import generate_monitoring_tasks, record_monitoring
from jobcircle.assistance.welfare.services import disburse_welfare_subsidies, place_on_welfare_post
from jobcircle.assistance.workshops.services import record_workshop_check
from jobcircle.employers.services import transition_job
from jobcircle.people import services as people_services
from jobcircle.people.models import KeyGroup
from jobcircle.recruiting.enums import ApplicationStatus, SignInChannel
from jobcircle.recruiting.services import (
    add_fair_employer,
    create_job_fair,
    record_fair_intention,
    sign_in_at_fair,
    transition,
)
from tests.assistance.factories import tagged_resident, this_month, welfare_post, workshop
from tests.factories import EmployerFactory, JobFactory
from tests.training.builders import build_training

RESIDENTS_PER_COMMUNITY = 4
SIGN_INS_PER_COMMUNITY = 2
JOB_HEADCOUNT = 3
POST_HEADCOUNT = 2
SHOP_WORKERS, SHOP_POVERTY_WORKERS, SHOP_MONITORED_WORKERS, SHOP_SUBSIDY = 10, 4, 2, 1000
WELFARE_GROUPS = ("poverty_alleviated", "monitored", "employment_difficulty", "disabled")
WILLING = {"employment_status": "unemployed", "not_employed_reason": "no_skills", "wants_work": True}
URBAN_EMPLOYED_BASE = 99  # per community: a township of n communities has n × 99
AWAY = {"employment_status": "employed", "work_location": "in_province", "months_worked": 1}
LOCAL = {**AWAY, "work_location": "local"}
OUT_OF_PROVINCE = {**AWAY, "work_location": "out_of_province"}


@dataclass
class Truth:
    """What was built, counted as it was built (never read back through a service)."""

    communities: int = 0
    residents: int = 0
    seekers: int = 0
    employers: int = 0
    employed: int = 0
    fairs: int = 0
    fair_employers: int = 0
    fair_positions: int = 0
    jobs_published: int = 0
    places_published: int = 0
    places_left: int = 0
    sign_ins: int = 0
    intentions: int = 0
    hires: int = 0
    welfare_posts: int = 0
    welfare_placed: int = 0
    welfare_urban: int = 0
    welfare_rural: int = 0
    workshops: int = 0
    shops_normal: int = 0
    shops_buffer: int = 0
    shops_new: int = 0
    shop_workers: int = 0
    shop_poverty_workers: int = 0
    shop_key_workers: int = 0
    shop_subsidy: int = 0
    work_local: int = 0
    work_in_province: int = 0
    work_out_of_province: int = 0
    willing: int = 0
    done_1131: int = 0
    away: int = 0
    monitoring_tasks: int = 0
    monitoring_done: int = 0
    registered_employed: int = 0  # 城镇新增就业, 失业人员再就业 and 就业困难人员就业 alike
    registered_unemployed: int = 0
    by_area: dict = field(default_factory=dict)

    @property
    def work_scale(self) -> int:
        """Everybody working is 脱贫人口 here, so 务工规模 and 转移就业 (1 month counts) are the same people."""
        return self.work_local + self.work_in_province + self.work_out_of_province


def build_county(by, townships) -> Truth:
    """``townships``: [(township region, [community regions])]; ``by``: a county officer."""
    county_truth = Truth()
    today = timezone.localdate()
    starts_at = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    for township, communities in townships:
        truth = Truth()
        fair = create_job_fair(
            by=by, scope=scope_for_user(by),
            data={"name": f"{township.name}招聘会", "kind": "comprehensive", "starts_at": starts_at,
                  "ends_at": starts_at + datetime.timedelta(hours=3), "venue": "文化广场", "area_code": township.code},
        )  # fmt: skip
        truth.fairs += 1
        for index, community in enumerate(communities):
            first = index == 0
            people = [tagged_resident(community, "poverty_alleviated") for _ in range(RESIDENTS_PER_COMMUNITY)]
            people[0].is_job_seeking = True
            people[0].save(update_fields=["is_job_seeking"])
            employer = EmployerFactory(community=community)
            job = transition_job(
                JobFactory(employer=employer, headcount=JOB_HEADCOUNT, status="draft"),
                "open",
                by=by,
                scope=scope_for_user(by),
            )
            add_fair_employer(fair, employer, by=by, scope=scope_for_user(by), jobs=[job])
            for person in people[:SIGN_INS_PER_COMMUNITY]:
                sign_in_at_fair(fair, person, by=by, scope=scope_for_user(by), channel=SignInChannel.STAFF)
            application = record_fair_intention(fair, people[1], job, by=by, scope=scope_for_user(by))
            transition(application, ApplicationStatus.HIRED, by=by, scope=scope_for_user(by), started_on=today)
            post = welfare_post(community, headcount=POST_HEADCOUNT, start=this_month())
            post.area_type = "urban" if first else "rural"
            post.save(update_fields=["area_type"])
            people[2].key_groups.set(KeyGroup.objects.filter(code__in=WELFARE_GROUPS))
            place_on_welfare_post(post, people[2], by=by, started_on=this_month())
            shop = workshop(community, certified_on=this_month() if first else None)
            record_workshop_check(shop, by=by, data={
                "month": this_month(), "status": "buffer" if first else "normal", "workers": SHOP_WORKERS,
                "poverty_workers": SHOP_POVERTY_WORKERS, "monitored_workers": SHOP_MONITORED_WORKERS,
                "subsidy_granted": SHOP_SUBSIDY})  # fmt: skip
            generate_monitoring_tasks(this_month(), by=by, region=community)
            record_monitoring(people[3], month=this_month(), by=by, data=WILLING)
            case = people[3].assistance_cases.get()
            for kind in ("policy", "guidance", "job_info", "job_info", "job_info", "training"):
                record_case_service(case, by=by, kind=kind)
            record_monitoring(people[2], month=this_month(), by=by, data=AWAY)
            record_monitoring(people[1], month=this_month(), by=by, data=LOCAL if first else OUT_OF_PROVINCE)
            people_services.record_unemployment_registration(people[1], by=by, data={"registered_on": this_month()})
            people_services.certify_employment_difficulty(
                people[1], by=by, data={"category": "poverty", "valid_from": this_month(), "evidence": "脱贫户"}
            )
            people_services.record_employment_registration(people[1], by=by, data={"registered_on": today})
            people_services.record_unemployment_registration(people[0], by=by, data={"registered_on": this_month()})
            # training and internships (tests/training/builders.py): its interns are new residents
            truth.residents += build_training(by, community, trainees=people[1:3], employer=employer)
            build_entrepreneurship(community, people[0], employer, by=by)  # issue 15
            truth.communities += 1
            truth.residents += RESIDENTS_PER_COMMUNITY
            truth.seekers += 1
            truth.employers += 1
            truth.employed += 1
            truth.fair_employers += 1
            truth.fair_positions += JOB_HEADCOUNT
            truth.jobs_published += 1
            truth.places_published += JOB_HEADCOUNT
            truth.places_left += JOB_HEADCOUNT - 1  # one hire
            truth.sign_ins += SIGN_INS_PER_COMMUNITY
            truth.intentions += 1
            truth.hires += 1
            truth.welfare_posts += POST_HEADCOUNT
            truth.welfare_placed += 1
            truth.welfare_urban += first
            truth.welfare_rural += not first
            truth.workshops += 1
            truth.shops_buffer += first
            truth.shops_normal += not first
            truth.shops_new += first
            truth.shop_workers += SHOP_WORKERS
            truth.shop_poverty_workers += SHOP_POVERTY_WORKERS
            truth.shop_key_workers += SHOP_POVERTY_WORKERS + SHOP_MONITORED_WORKERS
            truth.shop_subsidy += SHOP_SUBSIDY
            truth.willing += 1
            truth.done_1131 += 1
            truth.away += 1 + (not first)
            truth.work_local += first
            truth.work_in_province += 1
            truth.work_out_of_province += not first
            truth.monitoring_tasks += RESIDENTS_PER_COMMUNITY
            truth.monitoring_done += 3
            truth.registered_employed += 1
            truth.registered_unemployed += 1
        county_truth.by_area[township.scope_prefix] = truth
        people_services.set_urban_employed_base(
            township.code, today.year, URBAN_EMPLOYED_BASE * len(communities), by=by
        )
        for name in Truth.__dataclass_fields__:
            if name != "by_area":
                setattr(county_truth, name, getattr(county_truth, name) + getattr(truth, name))
    county_prefix = townships[0][0].scope_prefix[:6]
    people_services.set_urban_employed_base(
        county_prefix.ljust(12, "0"), today.year, URBAN_EMPLOYED_BASE * county_truth.communities, by=by
    )
    disburse_welfare_subsidies(this_month(), by=by, region=Area(county_prefix))
    return county_truth


def build_entrepreneurship(community, person, employer, *, by):
    """Issue 15, in one community: the person's and the employer's guarantee loans disbursed today, their two
    start-ups (the person's a declared 返乡创业), and a provincial base with the person's start-up as tenant."""
    from decimal import Decimal  # local import: this block stays self-contained for the merge

    from jobcircle.entrepreneurship import data_policies, services, startups
    from jobcircle.entrepreneurship.models import IncubationBase, LoanPolicy
    from jobcircle.subsidies.models import Policy, PolicyVersion
    from tests.factories import Role, demo_credit_code, make_user

    data_policies.load(LoanPolicy, Policy, PolicyVersion)
    today = timezone.localdate()
    local = make_user(f"ent_{community.code}", Role.COMMUNITY_STAFF, area=community)
    own, _ = startups.upsert_startup(
        {"name": f"{community.name}返乡小店", "credit_code": demo_credit_code(), "kind": "sole",
         "registered_on": today}, resident=person, area_code=community.code, by=by, declared_returnee=True,
    )  # fmt: skip
    startups.upsert_startup(
        {"name": employer.name, "credit_code": employer.credit_code, "kind": "private", "registered_on": today},
        resident=None, area_code=community.code, by=by,
    )  # fmt: skip
    for code, borrower, contract in (("personal", person, "P"), ("business", employer, "B")):
        loan = services.apply_for_loan(LoanPolicy.objects.get(code=code), borrower, amount=Decimal("100000"),
                                       term_months=12, purpose="开店", by=by, jobs_created=2)  # fmt: skip
        loan = services.move_loan(loan, "local_passed", by=local, scope=scope_for_user(local))
        loan = services.move_loan(loan, "bureau_approved", by=by, scope=scope_for_user(by))
        loan = services.move_loan(loan, "guaranteed", by=by, scope=scope_for_user(by), guarantor="县担保中心")
        services.disburse_loan(loan, by=by, scope=scope_for_user(by), amount=Decimal("100000"),
                               annual_rate=Decimal("0.04"), bank="县农商银行", disbursed_on=today,
                               contract_no=f"{contract}{community.code}")  # fmt: skip
    base = IncubationBase.objects.create(name=f"{community.name}孵化基地", level="province", certified_on=today,
                                         area_code=community.code, capacity=10)  # fmt: skip
    startups.move_in(base, own, moved_in=today, by=local, scope=scope_for_user(local), jobs=2)
