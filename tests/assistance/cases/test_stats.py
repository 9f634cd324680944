"""The cases figures (assistance.cases.stats), each checked against data counted in the test."""

import pytest

from jobcircle.assistance.cases import services as case_services
from jobcircle.assistance.cases import stats as case_stats
from jobcircle.assistance.enums import ServiceKind

from ..factories import record, tagged_resident, this_month, whole_percent

pytestmark = pytest.mark.django_db


WILLING = {"employment_status": "unemployed", "not_employed_reason": "no_skills", "wants_work": True}


def test_assistance_coverage_reaches_100_percent_when_everyone_willing_got_a_service(community, community_staff):
    willing = [tagged_resident(community, "poverty_alleviated") for _ in range(3)]
    for person in willing:
        record(person, this_month(), WILLING)
    cases = [person.assistance_cases.get() for person in willing]
    for case in cases[:2]:
        case_services.record_case_service(case, by=community_staff, kind=ServiceKind.GUIDANCE)
    partial = case_stats.assistance_coverage(community.code, this_month())
    assert (partial.willing, partial.assisted, partial.ratio) == (3, 2, whole_percent(2, 3))
    case_services.record_case_service(cases[2], by=community_staff, kind=ServiceKind.TRAINING)
    full = case_stats.assistance_coverage(community.code, this_month())
    assert full.ratio == 100 and "实现了100%就业帮扶" in full.sentence


def test_1131_completions_are_counted_in_coverage_and_case_figures(community, community_staff):
    person = tagged_resident(community, "poverty_alleviated")
    record(person, this_month(), WILLING)
    case = person.assistance_cases.get()
    for kind in ("guidance", "job_info", "job_info", "job_info", "training"):
        case_services.record_case_service(case, by=community_staff, kind=kind)
    assert case_stats.assistance_coverage(community.code, this_month()).service_1131_done == 1
    assert case_stats.case_figures(community.code).open_1131_done == 1
