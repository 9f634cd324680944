"""免申即享: the screening finds exactly the qualifying unpaid people, near misses name the failing condition,
and confirming turns hits into applications at the review stage with an inbox message."""

import pytest
from django.core.exceptions import PermissionDenied

from jobcircle.accounts.access import scope_for_user
from jobcircle.assistance.enums import WorkLocation
from jobcircle.common.models import TaskProgress
from jobcircle.matching.models import InboxMessage
from jobcircle.subsidies.enums import ApplicationSource, ApplicationStatus
from jobcircle.subsidies.models import SubsidyApplicationTransition
from jobcircle.subsidies.screening import confirm_hits, start_screening
from jobcircle.subsidies.services import submit_application

from .conftest import PERIOD, YEAR, monitored, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(community, village):
    """Built from monitoring records: who worked out of the province, how long, in which group."""
    return {
        "away_5": monitored(person(community, "poverty_alleviated"), [3, 4, 5, 6, 7]),
        "away_3_monitored": monitored(person(village, "monitored"), [1, 2, 3]),
        "away_2": monitored(person(community, "poverty_alleviated"), [3, 4]),
        "in_province": monitored(person(village, "poverty_alleviated"), [1, 2, 3, 4], where=WorkLocation.IN_PROVINCE),
        "not_poor": monitored(person(community, "graduate"), [1, 2, 3, 4]),
        "nobody": person(community),
        "last_year": monitored(person(community, "poverty_alleviated"), [1, 2, 3, 4], year=YEAR - 1),
    }


def qualifying(screening):
    return {h.resident for h in screening.hits.filter(qualifies=True)}


def test_transport_screen_finds_exactly_the_poor_and_monitored_out_of_province_three_months(
    policies, dataset, county_admin
):
    screening = start_screening(policies["transport"], PERIOD, by=county_admin, scope=scope_for_user(county_admin))

    screening.refresh_from_db()
    assert qualifying(screening) == {dataset["away_5"], dataset["away_3_monitored"]}
    hit = screening.hits.get(resident=dataset["away_5"])
    assert f"{YEAR}年省外务工5个月（监测记录：3月、4月、5月、6月、7月）" in [c["detail"] for c in hit.explanation]
    assert TaskProgress.objects.get(pk=screening.progress_id).status == TaskProgress.Status.DONE


def test_near_misses_are_listed_with_the_one_failing_condition(policies, dataset, county_admin):
    screening = start_screening(policies["transport"], PERIOD, by=county_admin, scope=scope_for_user(county_admin))

    near = {h.resident: [c["label"] for c in h.explanation if not c["holds"]] for h in screening.hits.filter(
        qualifies=False)}  # fmt: skip
    assert near == {
        dataset["away_2"]: ["当年省外务工满3个月"],
        dataset["in_province"]: ["当年省外务工满3个月"],
        dataset["not_poor"]: ["脱贫人口或监测对象"],
        dataset["last_year"]: ["当年省外务工满3个月"],
    }


def test_people_already_applying_are_not_listed_again(policies, dataset, county_admin, community_staff):
    submit_application(policies["transport"], dataset["away_5"], PERIOD, by=community_staff)

    screening = start_screening(policies["transport"], PERIOD, by=county_admin, scope=scope_for_user(county_admin))

    assert qualifying(screening) == {dataset["away_3_monitored"]}


def test_a_township_screens_only_its_own_area(policies, dataset, county_admin, town):
    screening = start_screening(
        policies["transport"], PERIOD, by=county_admin, scope=scope_for_user(county_admin), area_code=town.code
    )

    assert qualifying(screening) == {dataset["away_5"]}


def test_only_the_county_subsidy_manager_may_screen(policies, dataset, township_staff):
    with pytest.raises(PermissionDenied):
        start_screening(policies["transport"], PERIOD, by=township_staff, scope=scope_for_user(township_staff))


def test_confirming_makes_applications_at_the_first_review_level_and_tells_each_person(policies, dataset, county_admin):
    screening = start_screening(policies["transport"], PERIOD, by=county_admin, scope=scope_for_user(county_admin))
    chosen = screening.hits.get(resident=dataset["away_5"])

    created = confirm_hits(screening, [chosen.pk], by=county_admin, scope=scope_for_user(county_admin))

    (application,) = created
    assert application.resident == dataset["away_5"]
    assert application.status == ApplicationStatus.COMMUNITY_REVIEW
    assert application.source == ApplicationSource.SCREENING
    assert application.rule_version == screening.version.number
    assert application.amount == screening.version.amount
    assert SubsidyApplicationTransition.objects.filter(application=application, from_status="").count() == 1
    message = InboxMessage.objects.get(resident=dataset["away_5"])
    assert message.kind == InboxMessage.Kind.SUBSIDY and "一次性交通补贴" in message.title
    assert (
        confirm_hits(screening, by=county_admin, scope=scope_for_user(county_admin))[0].resident
        == dataset["away_3_monitored"]
    )
    assert confirm_hits(screening, by=county_admin, scope=scope_for_user(county_admin)) == []
