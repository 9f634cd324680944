import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.models import AuditEvent
from jobcircle.recruiting.enums import JobFairKind
from jobcircle.recruiting.models import Application, FairAttendance
from jobcircle.recruiting.services import (
    add_fair_employer,
    create_job_fair,
    fair_report,
    fair_statistics,
    record_fair_intention,
    sign_in_at_fair,
    transition,
)
from tests.factories import EmployerFactory, JobFactory, ResidentFactory, Role, make_user

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2026, 11, 20, 9, 0)


def fair_data(area, **overrides):
    return {
        "name": "城关街道春风行动招聘会", "kind": JobFairKind.COMPREHENSIVE, "starts_at": DAY,
        "ends_at": DAY + datetime.timedelta(hours=3), "venue": "城关街道文化广场", "area_code": area.code, **overrides,
    }  # fmt: skip


def test_staff_schedule_a_fair_in_their_area_only(township_staff, town, other_township, community_staff):
    fair = create_job_fair(by=township_staff, scope=scope_for_user(township_staff), data=fair_data(town))
    assert fair.area_code == town.code and fair.sign_in_token and timezone.is_aware(fair.starts_at)
    assert AuditEvent.objects.filter(action="recruiting.job_fair.created", object_id=str(fair.pk)).exists()
    with pytest.raises(PermissionDenied):
        create_job_fair(by=township_staff, scope=scope_for_user(township_staff), data=fair_data(other_township))
    with pytest.raises(PermissionDenied):  # a community officer cannot organise for the whole township
        create_job_fair(by=community_staff, scope=scope_for_user(community_staff), data=fair_data(town))


def test_the_area_is_read_from_the_callers_scope_not_rebuilt_from_the_actor(township_staff, town, community_staff):
    with pytest.raises(PermissionDenied):  # the township actor, but the community officer's scope handed
        create_job_fair(by=township_staff, scope=scope_for_user(community_staff), data=fair_data(town))
    fair = create_job_fair(by=community_staff, scope=scope_for_user(township_staff), data=fair_data(town))
    assert AuditEvent.objects.get(action="recruiting.job_fair.created", object_id=str(fair.pk)).actor_id == (
        community_staff.pk
    )


def test_a_fair_needs_a_venue_or_for_livestreams_a_stream_link(township_staff, town):
    with pytest.raises(ValidationError) as exc:
        create_job_fair(by=township_staff, scope=scope_for_user(township_staff), data=fair_data(town, venue=""))
    assert "venue" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        create_job_fair(
            by=township_staff,
            scope=scope_for_user(township_staff),
            data=fair_data(town, kind=JobFairKind.LIVESTREAM, venue=""),
        )
    assert "stream_link" in exc.value.message_dict
    live = create_job_fair(
        by=township_staff,
        scope=scope_for_user(township_staff),
        data=fair_data(town, kind=JobFairKind.LIVESTREAM, venue="", stream_link="https://live.example.org/room/1"),
    )
    assert live.is_online
    with pytest.raises(ValidationError) as exc:
        create_job_fair(
            by=township_staff,
            scope=scope_for_user(township_staff),
            data=fair_data(town, ends_at=DAY - datetime.timedelta(hours=1)),
        )
    assert "ends_at" in exc.value.message_dict


def test_signing_in_twice_keeps_the_first_sign_in(township_staff, town, resident, resident_user):
    fair = create_job_fair(by=township_staff, scope=scope_for_user(township_staff), data=fair_data(town))
    first, created = sign_in_at_fair(fair, resident, by=resident_user, scope=scope_for_user(resident_user))
    again, created_again = sign_in_at_fair(fair, resident, by=resident_user, scope=scope_for_user(resident_user))
    assert created and not created_again and first.pk == again.pk
    walk_in, created = sign_in_at_fair(
        fair, resident, by=township_staff, scope=scope_for_user(township_staff), channel="staff"
    )
    assert not created and walk_in.channel == "qr"
    assert FairAttendance.objects.filter(fair=fair).count() == 1


def test_only_the_resident_signs_in_by_qr_and_only_area_staff_sign_in_walk_ins(
    township_staff, town, resident, community, neighbour_staff, other_township_staff
):
    fair = create_job_fair(by=township_staff, scope=scope_for_user(township_staff), data=fair_data(town))
    someone_else = make_user("someone", Role.RESIDENT, resident=ResidentFactory(community=community))
    with pytest.raises(PermissionDenied):
        sign_in_at_fair(fair, resident, by=someone_else, scope=scope_for_user(someone_else))
    with pytest.raises(PermissionDenied):
        sign_in_at_fair(
            fair, resident, by=other_township_staff, scope=scope_for_user(other_township_staff), channel="staff"
        )
    with pytest.raises(PermissionDenied):  # a community officer does not run the township's fair
        sign_in_at_fair(fair, resident, by=neighbour_staff, scope=scope_for_user(neighbour_staff), channel="staff")
    _, created = sign_in_at_fair(
        fair, resident, by=township_staff, scope=scope_for_user(township_staff), channel="staff"
    )
    assert created


def test_an_intention_at_the_fair_needs_a_job_brought_there_and_later_hires_count_for_the_fair(
    township_staff, town, employer, resident
):
    fair = create_job_fair(by=township_staff, scope=scope_for_user(township_staff), data=fair_data(town))
    brought, other = JobFactory(employer=employer, headcount=3), JobFactory(employer=employer)
    add_fair_employer(fair, employer, by=township_staff, scope=scope_for_user(township_staff), jobs=[brought])
    with pytest.raises(ValidationError, match="未登记"):
        record_fair_intention(fair, resident, other, by=township_staff, scope=scope_for_user(township_staff))
    application = record_fair_intention(
        fair, resident, brought, by=township_staff, scope=scope_for_user(township_staff)
    )
    assert application.status == "intention" and application.fair == fair
    assert fair_report(fair)["hires"] == 0
    scope = scope_for_user(township_staff)
    transition(application, "hired", by=township_staff, scope=scope, started_on=datetime.date(2026, 12, 1))
    assert fair_report(fair)["hires"] == 1


def test_an_existing_application_is_attributed_to_the_fair(township_staff, town, employer, resident, resident_user):
    from jobcircle.recruiting.services import apply_to_job

    fair = create_job_fair(by=township_staff, scope=scope_for_user(township_staff), data=fair_data(town))
    job = JobFactory(employer=employer)
    add_fair_employer(fair, employer, by=township_staff, scope=scope_for_user(township_staff), jobs=[job])
    applied = apply_to_job(resident, job, by=resident_user)
    application = record_fair_intention(fair, resident, job, by=township_staff, scope=scope_for_user(township_staff))
    assert application.pk == applied.pk and application.fair == fair and application.status == "intention"


def test_a_participant_brings_only_its_own_jobs(township_staff, town, employer, community):
    fair = create_job_fair(by=township_staff, scope=scope_for_user(township_staff), data=fair_data(town))
    with pytest.raises(ValidationError):
        add_fair_employer(
            fair,
            employer,
            by=township_staff,
            scope=scope_for_user(township_staff),
            jobs=[JobFactory(employer=EmployerFactory(community=community))],
        )


@pytest.fixture
def season(township_staff, county_admin, town, other_township, community, neighbour_community):
    """Three fairs in 城关街道 (two in November, one in December) and one in 李集镇, with known numbers."""

    def on(days):
        return {
            "starts_at": DAY + datetime.timedelta(days=days),
            "ends_at": DAY + datetime.timedelta(days=days, hours=2),
        }

    fairs = {
        "nov_a": create_job_fair(by=township_staff, scope=scope_for_user(township_staff), data=fair_data(town)),
        "nov_b": create_job_fair(
            by=township_staff,
            scope=scope_for_user(township_staff),
            data=fair_data(town, kind=JobFairKind.GRADUATES, **on(5)),
        ),
        "dec": create_job_fair(by=township_staff, scope=scope_for_user(township_staff), data=fair_data(town, **on(20))),
        "li": create_job_fair(by=county_admin, scope=scope_for_user(county_admin), data=fair_data(other_township)),
    }
    employers = [EmployerFactory(community=community) for _ in range(3)]
    jobs = {e.pk: [JobFactory(employer=e, headcount=n) for n in (2, 5)] for e in employers}
    people = [ResidentFactory(community=c) for c in (community, community, neighbour_community, community)]
    # nov_a: employers 0 and 1 with all jobs; nov_b: employer 1 (again) and 2 with its first job.
    for e in employers[:2]:
        add_fair_employer(fairs["nov_a"], e, by=township_staff, scope=scope_for_user(township_staff), jobs=jobs[e.pk])
    add_fair_employer(
        fairs["nov_b"],
        employers[1],
        by=township_staff,
        scope=scope_for_user(township_staff),
        jobs=jobs[employers[1].pk],
    )
    add_fair_employer(
        fairs["nov_b"],
        employers[2],
        by=township_staff,
        scope=scope_for_user(township_staff),
        jobs=jobs[employers[2].pk][:1],
    )
    add_fair_employer(
        fairs["dec"], employers[0], by=township_staff, scope=scope_for_user(township_staff), jobs=jobs[employers[0].pk]
    )
    add_fair_employer(
        fairs["li"], employers[2], by=county_admin, scope=scope_for_user(county_admin), jobs=jobs[employers[2].pk]
    )
    for person in people[:3]:
        sign_in_at_fair(
            fairs["nov_a"], person, by=township_staff, scope=scope_for_user(township_staff), channel="staff"
        )
    sign_in_at_fair(fairs["nov_b"], people[0], by=township_staff, scope=scope_for_user(township_staff), channel="staff")
    # intentions: people 0 twice (two jobs at nov_a), 1 at nov_b; person 3 at dec and at li.
    record_fair_intention(
        fairs["nov_a"], people[0], jobs[employers[0].pk][0], by=township_staff, scope=scope_for_user(township_staff)
    )
    record_fair_intention(
        fairs["nov_a"], people[0], jobs[employers[1].pk][0], by=township_staff, scope=scope_for_user(township_staff)
    )
    hire = record_fair_intention(
        fairs["nov_b"], people[1], jobs[employers[2].pk][0], by=township_staff, scope=scope_for_user(township_staff)
    )
    transition(
        hire, "hired", by=township_staff, scope=scope_for_user(township_staff), started_on=datetime.date(2026, 12, 1)
    )
    record_fair_intention(
        fairs["dec"], people[3], jobs[employers[0].pk][1], by=township_staff, scope=scope_for_user(township_staff)
    )
    record_fair_intention(
        fairs["li"], people[3], jobs[employers[2].pk][1], by=county_admin, scope=scope_for_user(county_admin)
    )
    return fairs


def expected_over(fairs):
    """The numbers recomputed from the rows, the slow and obvious way."""
    from jobcircle.recruiting.models import FairEmployer

    entries = [e for e in FairEmployer.objects.all() if e.fair in fairs]
    apps = [a for a in Application.objects.all() if a.fair in fairs]
    reached = [a for a in apps if a.transitions.filter(to_status="intention").exists()]
    attendances = [a for a in FairAttendance.objects.all() if a.fair in fairs]
    return {
        "fairs": len(fairs),
        "enterprises": len({e.employer_id for e in entries}),
        "enterprise_visits": len(entries),
        "positions": sum(job.headcount for e in entries for job in e.jobs.all()),
        "attendees": len(attendances),
        "attendee_people": len({a.resident_id for a in attendances}),
        "intentions": len({a.resident_id for a in reached}),
        "intention_visits": len(reached),
        "hires": sum(1 for a in apps if a.status == "hired"),
    }


def test_fair_report_counts_one_fair(season):
    for fair in season.values():
        assert fair_report(fair) == {k: v for k, v in expected_over([fair]).items() if k != "fairs"}
    assert fair_report(season["nov_a"])["enterprises"] == 2 and fair_report(season["nov_a"])["positions"] == 14


def test_period_statistics_by_area_period_and_kind(season, county, town):
    nov_from, nov_to = datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)
    stats = fair_statistics(town, nov_from, nov_to)
    expected = expected_over([season["nov_a"], season["nov_b"]])
    assert {k: stats[k] for k in expected} == expected
    assert stats["sentence"] == (
        f"组织各类招聘会{expected['fairs']}场，参会企业{expected['enterprises']}家，"
        f"提供岗位{expected['positions']}个，达成就业意向{expected['intentions']}人"
    )
    whole = fair_statistics(county)
    assert {k: whole[k] for k in expected} == expected_over(list(season.values()))
    graduates = fair_statistics(county, kind=JobFairKind.GRADUATES)
    assert {k: graduates[k] for k in expected} == expected_over([season["nov_b"]])


def test_intentions_are_cumulative_and_counted_as_people_and_as_applications(season, county, township_staff):
    """Issue 16 defect 8: an intention later hired or rejected still counts; an application of the fair
    that never reached the intention state does not; 人 (distinct) beside 人次 and 家 beside 家次."""
    nov_a = season["nov_a"]
    first = Application.objects.filter(fair=nov_a).order_by("id").first()
    transition(
        first, "rejected", by=township_staff, scope=scope_for_user(township_staff)
    )  # reached, then rejected: still counts
    never = Application.objects.create(resident=ResidentFactory(community=first.resident.community), job=first.job,
                                       area_code=first.job.area_code, fair=nov_a)  # fmt: skip
    assert never.status == "applied"
    report = fair_report(nov_a)
    assert (report["intentions"], report["intention_visits"]) == (1, 2)  # person 0 for two jobs
    stats = fair_statistics(county)
    assert (stats["intentions"], stats["intention_visits"]) == (3, 5)
    assert (stats["enterprises"], stats["enterprise_visits"]) == (3, 6)
    assert (stats["attendees"], stats["attendee_people"]) == (4, 3)
