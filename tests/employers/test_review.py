"""The compliance loop (issue 17): fix → re-check → publish, or → the staff review queue (审核)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.models import AuditEvent
from jobcircle.employers.enums import JobStatus, ReviewResult
from jobcircle.employers.models import JobTransition
from jobcircle.employers.services import post_job, transition_job, update_job
from tests.employers.test_services import job_data

pytestmark = pytest.mark.django_db
HELD = "有护理经验，35岁以下"


def moves(job):
    return [(t.from_status, t.to_status) for t in JobTransition.objects.filter(job=job).order_by("id")]


def test_a_held_posting_goes_to_the_review_queue_and_a_fix_publishes_it(employer, employer_user):
    job = post_job(by=employer_user, employer=employer, data=job_data(requirements=HELD))
    assert (job.status, job.review_result) == (JobStatus.REVIEW, ReviewResult.HELD)

    job = update_job(job, by=employer_user, data={"requirements": "有护理经验"})

    assert (job.status, job.review_result) == (JobStatus.OPEN, ReviewResult.PASSED)
    assert moves(job) == [("draft", "review"), ("review", "open")]
    assert JobTransition.objects.filter(job=job).first().by == employer_user


def test_staff_return_with_a_reason_then_approve(employer, employer_user, community_staff):
    job = post_job(by=employer_user, employer=employer, data=job_data(requirements=HELD))
    with pytest.raises(ValidationError) as exc_info:
        transition_job(job, JobStatus.DRAFT, by=community_staff, scope=scope_for_user(community_staff), reason="")
    assert "退回原因" in str(exc_info.value)

    job = transition_job(
        job,
        JobStatus.DRAFT,
        by=community_staff,
        scope=scope_for_user(community_staff),
        reason="请说明年龄限制的法定依据",
    )
    assert job.status == JobStatus.DRAFT
    job = update_job(job, by=employer_user, data={"requirements": "有护理经验，35岁以下（夜班护理，见附件依据）"})
    assert job.status == JobStatus.REVIEW  # still held: back to the queue

    job = transition_job(
        job, JobStatus.OPEN, by=community_staff, scope=scope_for_user(community_staff), reason="依据充分"
    )
    assert (job.status, job.review_result) == (JobStatus.OPEN, ReviewResult.APPROVED)
    assert moves(job) == [("draft", "review"), ("review", "draft"), ("draft", "review"), ("review", "open")]
    returned = JobTransition.objects.get(job=job, to_status="draft")
    assert (returned.by, returned.reason) == (community_staff, "请说明年龄限制的法定依据")
    codes = set(AuditEvent.objects.filter(object_id=str(job.pk)).values_list("action", flat=True))
    assert {"employers.job.returned", "employers.job.approved"} <= codes
    # An edit that leaves the approved phrases as they were keeps it open.
    assert update_job(job, by=employer_user, data={"pay_max": 4500}).status == JobStatus.OPEN


def test_only_area_staff_approve_or_return(employer, employer_user, neighbour_staff):
    job = post_job(by=employer_user, employer=employer, data=job_data(requirements=HELD))
    for who in (employer_user, neighbour_staff):
        with pytest.raises(PermissionDenied):
            transition_job(job, JobStatus.OPEN, by=who, scope=scope_for_user(who))
    with pytest.raises(ValidationError):  # a held posting cannot be published around the queue
        transition_job(
            transition_job(job, JobStatus.CLOSED, by=employer_user, scope=scope_for_user(employer_user)),
            JobStatus.OPEN,
            by=employer_user,
        )


@pytest.mark.parametrize(
    ("data", "field", "rule"),
    [
        ({"age_max": 35}, "age_max", "age-limit"),
        ({"age_min": 18, "age_max": 40}, "age_max", "age-limit"),
        ({"skills": ["叉车证", "本地户口"]}, "skills", "hukou-local"),
    ],
)
def test_structured_conditions_are_checked_like_the_same_words_in_the_text(employer, employer_user, data, field, rule):
    try:
        job = post_job(by=employer_user, employer=employer, data=job_data(**data))
    except ValidationError as exc:  # a BLOCK rule refuses, naming the field and the law
        assert "《" in " ".join(exc.message_dict[field])
        return
    assert job.status == JobStatus.REVIEW
    assert [(h["field"], h["rule"]) for h in job.review_hits] == [(field, rule)]
    assert "《" in job.review_hits[0]["message"]


def test_a_plain_minimum_age_passes(employer, employer_user):
    assert post_job(by=employer_user, employer=employer, data=job_data(age_min=18)).status == JobStatus.OPEN


# --- screens ---------------------------------------------------------------------------------------------------


def test_the_review_queue_lists_held_postings_and_staff_decide(client, employer, employer_user, community_staff):
    held = post_job(by=employer_user, employer=employer, data=job_data(requirements=HELD))
    post_job(by=employer_user, employer=employer, data=job_data(title="保洁员"))
    client.force_login(community_staff)
    response = client.get(reverse("employers:review_queue"))
    assert list(response.context["page_obj"].object_list) == [held]
    assert "35岁以下" in response.content.decode()

    url = reverse("employers:job_review", args=[held.pk])
    client.post(url, {"decision": "return", "reason": ""})
    held.refresh_from_db()
    assert held.status == JobStatus.REVIEW  # a return needs a reason
    client.post(url, {"decision": "return", "reason": "请删除年龄限制"})
    held.refresh_from_db()
    assert held.status == JobStatus.DRAFT

    client.force_login(employer_user)
    page = client.get(reverse("portal:employer_home")).content.decode()
    assert "被退回修改：请删除年龄限制" in page
    assert 'value="review"' in page  # 提交审核


def test_another_area_gets_404_and_admins_403(client, employer, employer_user, neighbour_staff, system_admin):
    held = post_job(by=employer_user, employer=employer, data=job_data(requirements=HELD))
    client.force_login(neighbour_staff)
    assert list(client.get(reverse("employers:review_queue")).context["page_obj"].object_list) == []
    assert client.post(reverse("employers:job_review", args=[held.pk]), {"decision": "approve"}).status_code == 404
    client.force_login(system_admin)
    assert client.get(reverse("employers:review_queue")).status_code == 403
    assert client.post(reverse("employers:job_review", args=[held.pk]), {"decision": "approve"}).status_code == 403
    client.force_login(employer_user)
    assert client.get(reverse("employers:review_queue")).status_code == 403
    held.refresh_from_db()
    assert held.status == JobStatus.REVIEW


def test_a_clean_draft_has_a_publish_button(client, employer, employer_user):
    job = post_job(by=employer_user, employer=employer, data=job_data(), publish=False)
    client.force_login(employer_user)
    assert 'value="open" class="primary">发布' in client.get(reverse("portal:employer_home")).content.decode()
    client.post(reverse("portal:employer_job_status", args=[job.pk]), {"action": "open"})
    job.refresh_from_db()
    assert job.status == JobStatus.OPEN


def test_the_review_queue_pins_its_queries(
    client, employer, employer_user, community_staff, django_assert_max_num_queries
):
    for n in range(3):
        post_job(by=employer_user, employer=employer, data=job_data(title=f"岗位{n}", requirements=HELD))
    client.force_login(community_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("employers:review_queue"))
    assert len(response.context["page_obj"].object_list) == 3
