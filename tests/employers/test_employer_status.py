"""Issue 16 defect 9: an employer's status (正常 / 注销 / 停用) through the workflow helper, with a log;
only 正常 employers count as 注册用工单位 and post jobs."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.models import AuditEvent
from jobcircle.employers.enums import EmployerStatus
from jobcircle.employers.models import Employer, EmployerTransition, Job, JobTransition
from jobcircle.employers.services import post_job, transition_employer, transition_job
from jobcircle.insights.figures import evaluate, parse_period, records_of
from jobcircle.insights.services import overview
from tests.factories import EmployerFactory, JobFactory

pytestmark = pytest.mark.django_db

JOB = {
    "title": "收银员", "occupation_code": "4-10-01-05", "headcount": 2, "pay_min": 3000, "pay_max": 4000,
    "description": "收银", "requirements": "男女不限", "valid_from": "2026-01-01", "valid_until": "2099-12-31",
}  # fmt: skip


def test_an_employer_is_active_when_registered(employer):
    assert employer.status == EmployerStatus.ACTIVE and employer.is_active


def test_suspending_goes_through_the_workflow_with_a_reason_a_log_and_an_audit_event(employer, community_staff):
    with pytest.raises(ValidationError):
        transition_employer(
            employer, EmployerStatus.SUSPENDED, by=community_staff, scope=scope_for_user(community_staff), reason=""
        )  # reason needed
    employer = transition_employer(
        employer,
        EmployerStatus.SUSPENDED,
        by=community_staff,
        scope=scope_for_user(community_staff),
        reason="经营异常停业",
    )
    assert Employer.objects.get(pk=employer.pk).status == EmployerStatus.SUSPENDED
    log = EmployerTransition.objects.get(employer=employer)
    assert (log.from_status, log.to_status, log.by, log.reason) == (
        "active",
        "suspended",
        community_staff,
        "经营异常停业",
    )
    assert AuditEvent.objects.filter(action="employers.employer.status_suspended").exists()
    transition_employer(
        employer,
        EmployerStatus.ACTIVE,
        by=community_staff,
        scope=scope_for_user(community_staff),
        reason="恢复经营正常",
    )
    transition_employer(
        employer,
        EmployerStatus.DEREGISTERED,
        by=community_staff,
        scope=scope_for_user(community_staff),
        reason="营业执照注销",
    )
    with pytest.raises(ValidationError):  # 注销 is final
        transition_employer(
            employer,
            EmployerStatus.ACTIVE,
            by=community_staff,
            scope=scope_for_user(community_staff),
            reason="误操作恢复",
        )


def test_only_area_staff_change_an_employers_status(employer, employer_user, other_township_staff):
    for by in (employer_user, other_township_staff):
        with pytest.raises(PermissionDenied):
            transition_employer(
                employer, EmployerStatus.SUSPENDED, by=by, scope=scope_for_user(by), reason="经营异常停业"
            )
    assert Employer.objects.get(pk=employer.pk).status == EmployerStatus.ACTIVE


def test_only_active_employers_count_as_registered_employers(community, community_staff):
    employers = [EmployerFactory(community=community) for _ in range(3)]
    transition_employer(
        employers[0],
        EmployerStatus.SUSPENDED,
        by=community_staff,
        scope=scope_for_user(community_staff),
        reason="经营异常停业",
    )
    transition_employer(
        employers[1],
        EmployerStatus.DEREGISTERED,
        by=community_staff,
        scope=scope_for_user(community_staff),
        reason="营业执照注销",
    )
    assert overview(community.code)["employers"] == 1
    period = parse_period(None)
    assert evaluate(community.code, period, ["employers"]) == {"employers": 1}
    assert list(records_of("employers", community.code, period)) == [employers[2]]


def test_a_deactivated_employer_cannot_post_or_publish(employer, community_staff):
    draft = JobFactory(employer=employer, status="draft")
    transition_employer(
        employer,
        EmployerStatus.SUSPENDED,
        by=community_staff,
        scope=scope_for_user(community_staff),
        reason="经营异常停业",
    )
    employer.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        post_job(by=community_staff, employer=employer, data=JOB)
    assert "已停用" in caught.value.message_dict["employer"][0]
    with pytest.raises(ValidationError):
        transition_job(draft, "open", by=community_staff, scope=scope_for_user(community_staff))
    assert not Job.objects.filter(status="open").exists()


def test_staff_change_the_status_on_the_employer_page_and_others_cannot(
    client, community_staff, other_township_staff, employer_user, employer
):
    url = reverse("employers:employer_status", args=[employer.pk])
    client.force_login(other_township_staff)
    assert client.post(url, {"status": "suspended", "reason": "经营异常停业"}).status_code == 404
    client.force_login(employer_user)
    assert client.post(url, {"status": "suspended", "reason": "经营异常停业"}).status_code == 403
    client.force_login(community_staff)
    response = client.post(url, {"status": "suspended", "reason": "经营异常停业"})
    assert response["Location"] == reverse("employers:employer_detail", args=[employer.pk])
    page = client.get(reverse("employers:employer_detail", args=[employer.pk])).content.decode()
    assert 'data-jc-employer-status="suspended"' in page and "经营异常停业" in page


def test_the_employer_list_and_the_api_filter_by_status(client, county_admin, community, community_staff):
    kept, stopped = EmployerFactory(community=community), EmployerFactory(community=community)
    transition_employer(
        stopped,
        EmployerStatus.SUSPENDED,
        by=community_staff,
        scope=scope_for_user(community_staff),
        reason="经营异常停业",
    )
    client.force_login(county_admin)
    listed = client.get(reverse("employers:employer_list"), {"status": "suspended"}).context["page_obj"]
    assert list(listed.object_list) == [stopped]
    body = client.get("/api/v1/employers", {"status": "active"}).json()
    assert [item["id"] for item in body["items"]] == [kept.pk]


def test_the_jobs_of_a_deactivated_employer_stop_being_open_closed_through_the_job_workflow(
    employer, community_staff, community
):
    open_job, paused, draft = (JobFactory(employer=employer, status=s) for s in ("open", "paused", "draft"))
    others = JobFactory(employer=EmployerFactory(community=community), status="open")
    assert Job.objects.open().filter(pk=open_job.pk).exists()
    transition_employer(
        employer, EmployerStatus.SUSPENDED, by=community_staff, scope=scope_for_user(community_staff),
        reason="经营异常停业",
    )  # fmt: skip
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert (statuses[open_job.pk], statuses[paused.pk], statuses[draft.pk], statuses[others.pk]) == (
        "closed", "closed", "draft", "open",
    )  # fmt: skip
    log = JobTransition.objects.get(job=open_job, to_status="closed")
    assert (log.from_status, log.by, log.reason) == ("open", community_staff, "用工单位已停用，岗位随之关闭")
    assert AuditEvent.objects.filter(action="employers.job.status_changed", object_id=str(open_job.pk)).exists()
    assert list(Job.objects.open()) == [others]


def test_the_employer_api_says_its_status(client, county_admin, employer, community_staff):
    transition_employer(
        employer, EmployerStatus.DEREGISTERED, by=community_staff, scope=scope_for_user(community_staff),
        reason="营业执照注销",
    )  # fmt: skip
    client.force_login(county_admin)
    assert client.get(f"/api/v1/employers/{employer.pk}").json()["status"] == "deregistered"
    assert client.get("/api/v1/employers").json()["items"][0]["status"] == "deregistered"
