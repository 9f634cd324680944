"""The cases figures (assistance.cases.stats), each checked against data counted in the test."""

import pytest

from jobcircle.areas.codes import Area
from jobcircle.assistance.cases import services as case_services
from jobcircle.assistance.cases import stats as case_stats
from jobcircle.assistance.enums import CaseState, ServiceKind

from ..factories import months_ago, record, tagged_resident, this_month, whole_percent

pytestmark = pytest.mark.django_db


WILLING = {"employment_status": "unemployed", "not_employed_reason": "no_skills", "wants_work": True}


def test_assistance_coverage_reaches_100_percent_when_everyone_willing_got_a_service(community, community_staff):
    willing = [tagged_resident(community, "poverty_alleviated") for _ in range(3)]
    for person in willing:
        record(person, this_month(), WILLING)
    cases = [person.assistance_cases.get() for person in willing]
    for case in cases[:2]:
        case_services.record_case_service(case, by=community_staff, kind=ServiceKind.GUIDANCE)
    partial = case_stats.assistance_coverage(community, this_month())
    assert (partial.willing, partial.assisted, partial.ratio) == (3, 2, whole_percent(2, 3))
    case_services.record_case_service(cases[2], by=community_staff, kind=ServiceKind.TRAINING)
    full = case_stats.assistance_coverage(community, this_month())
    assert full.ratio == 100 and "实现了100%就业帮扶" in full.sentence


def test_1131_completions_are_counted_in_coverage_and_case_figures(community, community_staff):
    person = tagged_resident(community, "poverty_alleviated")
    record(person, this_month(), WILLING)
    case = person.assistance_cases.get()
    for kind in ("guidance", "job_info", "job_info", "job_info", "training"):
        case_services.record_case_service(case, by=community_staff, kind=kind)
    # without the policy briefing (政策宣讲) the set is not complete
    assert case_stats.assistance_coverage(community, this_month()).service_1131_done == 0
    assert case_stats.case_figures(community).open_1131_done == 0
    case_services.record_case_service(case, by=community_staff, kind="policy")
    assert case_stats.assistance_coverage(community, this_month()).service_1131_done == 1
    assert case_stats.case_figures(community).open_1131_done == 1


def test_case_figures_count_open_and_employed_closures_of_the_area_only(community, village, community_staff):
    people = [tagged_resident(community, "monitored") for _ in range(4)]
    opened = [case_services.open_case(person, by=None, reason="测试") for person in people]
    closed, withdrawn = opened[:2], opened[2:3]
    for case in closed:
        case_services.transition(case, CaseState.CLOSED, by=community_staff, note="已就业")
    for case in withdrawn:
        case_services.transition(case, CaseState.WITHDRAWN, by=community_staff, note="外出上学")
    case_services.open_case(tagged_resident(village, "monitored"), by=None, reason="别处")
    figures = case_stats.case_figures(community)
    assert (figures.open, figures.closed_employed) == (len(opened) - len(closed) - len(withdrawn), len(closed))
    assert figures.sentence == f"在帮{figures.open}人（其中完成“1131”服务0人），已就业结案{len(closed)}人"


def test_coverage_leaves_out_other_areas_and_services_after_the_month(community, village, community_staff):
    inside, outside = tagged_resident(community, "monitored"), tagged_resident(village, "monitored")
    last_month = months_ago(1)
    for person in (inside, outside):
        record(person, last_month, WILLING)
    case_services.record_case_service(inside.assistance_cases.get(), by=community_staff, kind=ServiceKind.GUIDANCE)
    coverage = case_stats.assistance_coverage(community, last_month)
    # one willing person in the area; the service today falls after last month's end
    assert (coverage.willing, coverage.assisted) == (1, 0)
    assert case_stats.assistance_coverage(Area(community.code[:9]), last_month).willing == 1
    assert case_stats.assistance_coverage(Area(community.code[:6]), last_month).willing == 2
