"""Scenario 2: an employer posts a job containing "限男性", sees the error quoting it, fixes it, and the
job then appears in a nearby resident's list."""

from jobcircle.employers.models import Job
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as

pytestmark = BROWSER_TEST


def fill_job(page, requirements):
    page.get_by_label("岗位名称").fill("收银员")
    page.locator("#id_occupation_code").fill("4-10-01-05 养老护理员")
    page.get_by_label("招聘人数").fill("2")
    page.get_by_label("月薪下限（元）").fill("3500")
    page.get_by_label("月薪上限（元）").fill("4500")
    page.get_by_label("工作内容").fill("负责门店收银和顾客服务")
    page.get_by_label("招聘条件").fill(requirements)


def test_a_blocked_phrase_is_quoted_beside_the_field_and_the_fixed_job_reaches_nearby_residents(
    page, live_server, employer_user, resident_user
):
    login_as(page, live_server.url, "employer_user")
    assert "/employer/" in page.url
    page.get_by_role("link", name="发布岗位").first.click()

    fill_job(page, "限男性，能适应早晚班")
    with page.expect_navigation():
        page.get_by_role("button", name="发布岗位").click()
    error = page.locator("[data-jc-field=requirements] .field-error")
    assert "「限男性」" in error.inner_text()
    assert page.locator("[data-jc-highlight=requirements] mark").inner_text() == "限男性"
    assert page.get_by_label("招聘条件").get_attribute("aria-invalid") == "true"
    assert not Job.objects.filter(title="收银员").exists()

    page.get_by_label("招聘条件").fill("男女不限，能适应早晚班")
    with page.expect_navigation():
        page.get_by_role("button", name="发布岗位").click()
    assert page.url.endswith("/employer/")
    assert "收银员" in page.locator("table.data").inner_text()
    assert Job.objects.get(title="收银员").status == "open"
    assert csp_violations(page) == []

    # The resident next door (same community) now sees it among 附近岗位.
    page.context.clear_cookies()
    login_as(page, live_server.url, "resident_user")
    page.goto(f"{live_server.url}/m/jobs/")
    assert "收银员" in page.locator("li.job").all_inner_texts()[0]
