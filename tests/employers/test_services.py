import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.employers.enums import JobStatus, ReviewResult
from jobcircle.employers.models import Employer, Job
from jobcircle.employers.services import post_job, register_employer, transition_job, update_employer, update_job
from tests.factories import JobFactory, demo_phone

pytestmark = pytest.mark.django_db


def employer_data(community, **overrides):
    return {"name": "示范村集体经济合作社", "credit_code": "N2110100MA00000006", "address": "王庄村村部",
            "community_code": community.code, "contact_name": "赵会计", "contact_phone": demo_phone(),
            "employer_type": "collective", **overrides}  # fmt: skip


def job_data(**overrides):
    today = timezone.localdate()
    return {"title": "养老护理员", "occupation_code": "4-10-01-05",
            "headcount": 2, "pay_min": 3000, "pay_max": 4200, "description": "照护失能老人",
            "requirements": "有护理经验", "valid_from": today, "valid_until": today + datetime.timedelta(days=30),
            **overrides}  # fmt: skip


def test_a_village_collective_with_letter_authority_registers(community, community_staff):
    employer = register_employer(
        by=community_staff, scope=scope_for_user(community_staff), data=employer_data(community)
    )
    assert employer.credit_code == "N2110100MA00000006"
    assert employer.area_code == community.code
    assert (employer.lat, employer.lng) == (community.stations.get().lat, community.stations.get().lng)


def test_the_same_credit_code_twice_is_refused_clearly(community, community_staff):
    register_employer(by=community_staff, scope=scope_for_user(community_staff), data=employer_data(community))
    with pytest.raises(ValidationError) as exc_info:
        register_employer(
            by=community_staff, scope=scope_for_user(community_staff), data=employer_data(community, name="另一家")
        )
    assert "已注册" in " ".join(exc_info.value.message_dict["credit_code"])
    assert Employer.objects.count() == 1


def test_a_credit_code_with_a_wrong_check_character_names_the_expected_one(community, community_staff):
    with pytest.raises(ValidationError) as exc_info:
        register_employer(
            by=community_staff,
            scope=scope_for_user(community_staff),
            data=employer_data(community, credit_code="A1110000600037341L"),
        )
    assert "K" in " ".join(exc_info.value.message_dict["credit_code"])


def test_employer_update_keeps_the_phone_when_not_given(employer, community_staff):
    phone_hash = employer.contact_phone_hash
    updated = update_employer(
        employer, by=community_staff, scope=scope_for_user(community_staff), data={"name": "改名后的公司"}
    )
    assert updated.name == "改名后的公司"
    assert updated.contact_phone_hash == phone_hash


def test_a_clean_posting_opens_at_once_at_the_employers_location(employer, employer_user):
    job = post_job(by=employer_user, employer=employer, data=job_data())
    assert job.status == JobStatus.OPEN
    assert job.review_result == ReviewResult.PASSED
    assert (job.lat, job.lng, job.area_code) == (employer.lat, employer.lng, employer.area_code)


def test_blocked_wording_is_refused_quoting_the_phrase_and_nothing_is_written(employer, employer_user):
    with pytest.raises(ValidationError) as exc_info:
        post_job(by=employer_user, employer=employer, data=job_data(title="仓管员（限男性）"))
    message = " ".join(exc_info.value.message_dict["title"])
    assert "限男性" in message and "就业促进法" in message
    assert not Job.objects.exists()


def test_gender_neutral_wording_passes(employer, employer_user):
    job = post_job(by=employer_user, employer=employer, data=job_data(requirements="男女不限，有护理经验"))
    assert job.review_result == ReviewResult.PASSED


@pytest.mark.parametrize(
    "field, value",
    [("title", ""), ("description", ""), ("requirements", ""), ("headcount", None), ("pay_min", None),
     ("valid_until", None), ("occupation_code", "9-99-99-99")],
)  # fmt: skip
def test_mandatory_posting_elements_are_required(employer, employer_user, field, value):
    with pytest.raises(ValidationError) as exc_info:
        post_job(by=employer_user, employer=employer, data=job_data(**{field: value}))
    assert field in exc_info.value.message_dict


def test_pay_and_validity_ranges_must_be_consistent(employer, employer_user):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc_info:
        post_job(by=employer_user, employer=employer,
                 data=job_data(pay_min=5000, pay_max=4000, valid_until=today - datetime.timedelta(days=1)))  # fmt: skip
    assert {"pay_max", "valid_until"} <= set(exc_info.value.message_dict)


def test_editing_in_blocked_wording_is_refused(employer, employer_user):
    job = JobFactory(employer=employer)
    with pytest.raises(ValidationError):
        update_job(job, by=employer_user, data={"requirements": "限本地户口"})
    job.refresh_from_db()
    assert job.requirements != "限本地户口"


def test_only_legal_status_changes_are_allowed(employer, employer_user):
    job = JobFactory(employer=employer)
    transition_job(job, JobStatus.PAUSED, by=employer_user, scope=scope_for_user(employer_user))
    transition_job(job, JobStatus.CLOSED, by=employer_user, scope=scope_for_user(employer_user))
    with pytest.raises(ValidationError):
        transition_job(job, JobStatus.OPEN, by=employer_user, scope=scope_for_user(employer_user))


@pytest.mark.parametrize("field, value", [("headcount", 0), ("pay_max", 1000)])
def test_the_database_enforces_headcount_and_pay_range(employer, field, value):
    job = JobFactory.build(employer=employer, **{field: value})
    job.set_location(employer.lat, employer.lng)
    with pytest.raises(IntegrityError), transaction.atomic():
        job.save()
