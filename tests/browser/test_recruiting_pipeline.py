"""Scenario: one application from apply to hire. The resident applies on the H5; the employer invites
to an interview, which the resident sees in 我的申请; the employer offers and confirms the hire; the job
is then 已招满 and the resident 已就业."""

from jobcircle.employers.enums import JobStatus
from jobcircle.people.models import Placement
from jobcircle.recruiting.models import Application
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as, sign_in_resident
from tests.factories import JobFactory

pytestmark = BROWSER_TEST


def test_an_application_goes_from_apply_to_hire(page, live_server, employer, employer_user, resident, resident_user):
    job = JobFactory(employer=employer, title="包装工", headcount=1)

    sign_in_resident(page, live_server, resident_user)
    page.goto(f"{live_server.url}/m/jobs/{job.pk}/")
    page.get_by_role("button", name="投递简历（申请该岗位）").click()
    page.wait_for_url("**/m/applications/")
    assert "已投递" in page.locator("[data-jc-application]").inner_text()
    application = Application.objects.get(resident=resident, job=job)

    page.context.clear_cookies()
    login_as(page, live_server.url, "employer_user")
    page.goto(f"{live_server.url}/employer/jobs/{job.pk}/applicants/")
    form = page.locator(f"[data-jc-transition='{application.pk}']")

    def move(status, **fields):
        page.locator("details summary", has_text="处理").first.click()
        form.locator("select[name=status]").select_option(status)
        for name, value in fields.items():
            form.locator(f"input[name={name}]").fill(value)
        with page.expect_navigation():
            form.get_by_role("button", name="确定").click()
        assert "申请状态已更新" in page.content(), page.content()

    move("interview", interview_at="2026-12-03T14:00", interview_place="幸福社区就业服务站")
    move("offer")
    move("hired", started_on="2026-12-08")
    assert "已入职" in page.content()

    page.context.clear_cookies()
    sign_in_resident(page, live_server, resident_user)
    page.goto(f"{live_server.url}/m/applications/")
    item = page.locator("[data-jc-application]").inner_text()
    assert "已入职" in item and "2026年12月8日" in item

    application.refresh_from_db()
    job.refresh_from_db()
    resident.refresh_from_db()
    assert application.status == "hired" and job.status == JobStatus.FILLED
    assert resident.employment_status == "employed" and Placement.objects.filter(resident=resident, job=job).exists()
    assert list(application.transitions.values_list("to_status", flat=True)) == ["interview", "offer", "hired"]
    assert csp_violations(page) == [] and page.jc_external == []
