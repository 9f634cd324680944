"""Issue 16 defects 1, 2 and 4: 求职人数 after a hire, 岗位需求 as places left, 发布岗位 by publication time."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.employers.models import JobTransition
from jobcircle.employers.services import transition_job
from jobcircle.insights.figures import evaluate, parse_period
from jobcircle.insights.services import overview, published_jobs, weekly_trend
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.services import record_employment_status
from jobcircle.recruiting.enums import ApplicationStatus as S
from jobcircle.recruiting.models import Application
from jobcircle.recruiting.services import transition
from tests.factories import JobFactory, ResidentFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 12, 1)


def hire(job, resident, by):
    application = Application.objects.create(resident=resident, job=job, area_code=job.area_code)
    transition(application, S.INTENTION, by=by, scope=scope_for_user(by))
    return transition(application, S.HIRED, by=by, scope=scope_for_user(by), started_on=START)


def published(job, by, on: datetime.date):
    """Publish a draft through the workflow, dated ``on`` (noon local time)."""
    job = transition_job(job, "open", by=by, scope=scope_for_user(by))
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    JobTransition.objects.filter(job=job, to_status="open").update(at=at)
    return job


# --- defect 1: 求职人数 ---------------------------------------------------------------------------


def test_a_hired_or_flexibly_employed_person_is_no_longer_a_job_seeker(community, community_staff, employer):
    hired, flexible, still = (ResidentFactory(community=community, is_job_seeking=True) for _ in range(3))
    assert overview(community.code)["job_seekers"] == 3
    hire(JobFactory(employer=employer, headcount=2), hired, community_staff)
    record_employment_status(flexible, EmploymentStatus.FLEXIBLE, by=community_staff)  # e.g. a monitoring record
    record_employment_status(still, EmploymentStatus.FLEXIBLE, by=community_staff, still_seeking=True)
    assert overview(community.code)["job_seekers"] == 1
    assert evaluate(community.code, parse_period(None), ["job_seekers"]) == {"job_seekers": 1}


# --- defect 2: 岗位需求 and 发布岗位 -----------------------------------------------------------------


def test_job_demand_is_the_places_left_of_open_jobs(community, community_staff, employer):
    job = JobFactory(employer=employer, headcount=5)
    JobFactory(employer=employer, headcount=2)
    for _ in range(2):
        hire(job, ResidentFactory(community=community), community_staff)
    assert overview(community.code)["positions"] == (5 - 2) + 2


def test_jobs_published_in_a_period_count_first_publications_whatever_they_are_now(county_admin, employer):
    march = parse_period("2026-03")
    in_march = published(JobFactory(employer=employer, headcount=4, status="draft"), county_admin,
                         datetime.date(2026, 3, 10))  # fmt: skip
    transition_job(
        in_march, "closed", by=county_admin, scope=scope_for_user(county_admin)
    )  # closed since: still published in March
    reopened = published(JobFactory(employer=employer, headcount=2, status="draft"), county_admin,
                         datetime.date(2026, 2, 27))  # fmt: skip
    transition_job(reopened, "paused", by=county_admin, scope=scope_for_user(county_admin))
    transition_job(
        reopened, "open", by=county_admin, scope=scope_for_user(county_admin)
    )  # re-opened later: first published in February
    JobFactory(employer=employer, headcount=9, status="draft", valid_from=datetime.date(2026, 3, 5))  # a draft
    assert published_jobs(employer.area_code[:9], march.start, march.end) == {"jobs": 1, "places": 4}
    assert evaluate(employer.area_code[:9], march, ["jobs_published", "places_published"]) == {
        "jobs_published": 1, "places_published": 4,
    }  # fmt: skip


# --- defect 4: the 新发布岗位 trend -------------------------------------------------------------------


def test_the_new_jobs_trend_counts_publications_by_publication_week_not_drafts(county_admin, employer):
    today = datetime.date(2026, 11, 25)  # a Wednesday: weeks from 11-02, 11-09, 11-16, 11-23
    old_validity = datetime.date(2026, 1, 1)
    published(JobFactory(employer=employer, status="draft", valid_from=old_validity), county_admin,
              datetime.date(2026, 11, 10))  # fmt: skip
    published(JobFactory(employer=employer, status="draft", valid_from=today), county_admin,
              datetime.date(2026, 11, 24))  # fmt: skip
    JobFactory(employer=employer, status="draft", valid_from=today)  # a draft: not published
    trend = weekly_trend("990121", weeks=4, today=today)
    jobs = next(s for s in trend["series"] if s["key"] == "jobs")
    assert jobs["data"] == [0, 1, 0, 1]
