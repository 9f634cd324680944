"""The system administrator opens 定时任务 from the menu, changes a county's time, and runs a job now."""

from playwright.sync_api import expect

from jobcircle.scheduling.models import ScheduledRun, ScheduleEntry
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as

pytestmark = BROWSER_TEST


def test_the_system_administrator_changes_a_countys_time_and_runs_a_job_now(page, live_server, system_admin, town):
    login_as(page, live_server.url, "system_admin")
    with page.expect_navigation():
        page.get_by_role("link", name="定时任务").click()
    row = page.locator('[data-jc-schedule="overdue_reminders:990121000000"]')
    expect(row).to_contain_text("从未运行")

    with page.expect_navigation():
        row.get_by_role("link", name="逾期监测提醒").click()
    page.get_by_label("执行时间（cron 表达式）").fill("0 8 * * 1-5")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    expect(row).to_contain_text("0 8 * * 1-5")
    assert ScheduleEntry.objects.get(job="overdue_reminders", area_code="990121000000").cron == "0 8 * * 1-5"

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        row.get_by_role("button", name="立即运行").click()
    expect(row.locator("[data-jc-run-state]")).to_have_attribute("data-jc-run-state", "succeeded")
    assert ScheduledRun.objects.get().requested_by == system_admin
    assert csp_violations(page) == [] and page.jc_external == []
