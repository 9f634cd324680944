import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.models import AuditEvent
from jobcircle.recruiting.models import LiaisonAssignment, LiaisonRecommendation, LiaisonVisit
from jobcircle.recruiting.services import (
    assign_liaison_officer,
    end_liaison_assignment,
    liaison_statistics,
    recommend_candidate,
    record_liaison_visit,
)
from tests.factories import EmployerFactory, JobFactory, ResidentFactory, Role, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_employer(community):
    return EmployerFactory(community=community, is_key_enterprise=True)


def test_staff_assign_an_officer_to_a_key_enterprise_once(township_staff, community_staff, key_employer):
    assignment = assign_liaison_officer(
        community_staff, key_employer, by=township_staff, scope=scope_for_user(township_staff)
    )
    assert assignment.area_code == key_employer.area_code and assignment.ended_on is None
    assert (
        assign_liaison_officer(
            community_staff, key_employer, by=township_staff, scope=scope_for_user(township_staff)
        ).pk
        == assignment.pk
    )
    assert AuditEvent.objects.filter(action="recruiting.liaison.assigned").count() == 1


def test_only_key_enterprises_and_officers_covering_them(
    township_staff, community_staff, neighbour_staff, other_township_staff, employer, key_employer
):
    with pytest.raises(ValidationError, match="白名单"):
        assign_liaison_officer(community_staff, employer, by=township_staff, scope=scope_for_user(township_staff))
    with pytest.raises(ValidationError, match="辖区"):
        assign_liaison_officer(neighbour_staff, key_employer, by=township_staff, scope=scope_for_user(township_staff))
    with pytest.raises(PermissionDenied):
        assign_liaison_officer(
            other_township_staff, key_employer, by=other_township_staff, scope=scope_for_user(other_township_staff)
        )


def test_the_officer_records_visits_and_recommendations_others_cannot(
    township_staff, community_staff, neighbour_staff, key_employer, community, resident_user
):
    assignment = assign_liaison_officer(
        community_staff, key_employer, by=township_staff, scope=scope_for_user(township_staff)
    )
    today = timezone.localdate()
    visit = record_liaison_visit(
        assignment,
        by=community_staff,
        scope=scope_for_user(community_staff),
        visited_on=today,
        needed_headcount=6,
        needs="缝纫工6名",
    )
    assert visit.needed_headcount == 6
    with pytest.raises(ValidationError):
        record_liaison_visit(
            assignment, by=community_staff, scope=scope_for_user(community_staff), visited_on=today, needed_headcount=-1
        )
    with pytest.raises(ValidationError):
        record_liaison_visit(
            assignment,
            by=community_staff,
            scope=scope_for_user(community_staff),
            visited_on=today + datetime.timedelta(days=1),
        )
    person = ResidentFactory(community=community)
    job = JobFactory(employer=key_employer)
    _, created = recommend_candidate(
        assignment, person, by=community_staff, scope=scope_for_user(community_staff), job=job
    )
    _, again = recommend_candidate(assignment, person, by=community_staff, scope=scope_for_user(community_staff))
    assert created and not again and LiaisonRecommendation.objects.count() == 1
    with pytest.raises(ValidationError, match="该企业"):
        recommend_candidate(assignment, ResidentFactory(community=community), by=community_staff,
                            scope=scope_for_user(community_staff),
                            job=JobFactory(employer=EmployerFactory(community=community)))  # fmt: skip
    for outsider in (neighbour_staff, resident_user):
        with pytest.raises(PermissionDenied):
            record_liaison_visit(assignment, by=outsider, scope=scope_for_user(outsider), visited_on=today)
    end_liaison_assignment(assignment, by=township_staff, scope=scope_for_user(township_staff))
    with pytest.raises(ValidationError, match="已结束"):
        record_liaison_visit(assignment, by=community_staff, scope=scope_for_user(community_staff), visited_on=today)


def test_statistics_sentence_counts_officers_enterprises_and_people_recommended(
    county_admin, township_staff, community_staff, town, other_township, community, county, village
):
    officers = [community_staff, make_user("officer2", Role.TOWNSHIP_STAFF, area=town)]
    far_officer = make_user("officer3", Role.COMMUNITY_STAFF, area=village)
    firms = [EmployerFactory(community=community, is_key_enterprise=True) for _ in range(3)]
    far_firm = EmployerFactory(community=village, is_key_enterprise=True)
    a = [
        assign_liaison_officer(officers[0], firms[0], by=county_admin, scope=scope_for_user(county_admin)),
        assign_liaison_officer(officers[0], firms[1], by=county_admin, scope=scope_for_user(county_admin)),
        assign_liaison_officer(officers[1], firms[1], by=county_admin, scope=scope_for_user(county_admin)),
        assign_liaison_officer(officers[1], firms[2], by=county_admin, scope=scope_for_user(county_admin)),
        assign_liaison_officer(far_officer, far_firm, by=county_admin, scope=scope_for_user(county_admin)),
    ]
    people = [ResidentFactory(community=community) for _ in range(2)] + [ResidentFactory(community=village)]
    recommend_candidate(a[0], people[0], by=officers[0], scope=scope_for_user(officers[0]))
    recommend_candidate(
        a[1], people[0], by=officers[0], scope=scope_for_user(officers[0])
    )  # same person, another firm: one person
    recommend_candidate(a[2], people[1], by=officers[1], scope=scope_for_user(officers[1]))
    recommend_candidate(a[4], people[2], by=far_officer, scope=scope_for_user(far_officer))
    record_liaison_visit(
        a[0], by=officers[0], scope=scope_for_user(officers[0]), visited_on=timezone.localdate(), needed_headcount=4
    )

    def expected(prefix):
        assignments = [x for x in LiaisonAssignment.objects.all() if x.area_code.startswith(prefix)]
        recs = [r for r in LiaisonRecommendation.objects.all() if r.assignment in assignments]
        visits = [v for v in LiaisonVisit.objects.all() if v.assignment in assignments]
        return {
            "officers": len({x.officer_id for x in assignments}),
            "enterprises": len({x.employer_id for x in assignments}),
            "recommended": len({r.resident_id for r in recs}),
            "visits": len(visits),
            "needed_headcount": sum(v.needed_headcount for v in visits),
        }

    for region in (town, county, other_township):
        stats = liaison_statistics(region)
        want = expected(region.scope_prefix)
        assert {k: stats[k] for k in want} == want
        assert stats["sentence"] == (
            f"配备人社服务专员{want['officers']}人，包保企业{want['enterprises']}家，推荐用工{want['recommended']}人"
        )
    assert liaison_statistics(town)["sentence"] == "配备人社服务专员2人，包保企业3家，推荐用工2人"
    last_year = liaison_statistics(county, datetime.date(2000, 1, 1), datetime.date(2000, 12, 31))
    assert (last_year["officers"], last_year["recommended"]) == (0, 0)
