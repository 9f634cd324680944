"""Staff day-one journey (issue 17): create a fair → register an employer and its job → a resident scans
the poster's code and signs in on the H5 → the staff page's live list shows them without a reload →
record the intention → close → the report, with its definitions (人 vs 人次)."""

import re

from playwright.sync_api import expect

from jobcircle.recruiting.models import Application, JobFair
from tests.browser.conftest import PHONE
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as
from tests.browser.test_recruiting_pipeline import sign_in_resident
from tests.factories import JobFactory

pytestmark = BROWSER_TEST


def test_staff_run_a_fair_from_creation_to_its_report(
    page, browser, live_server, township_staff, town, employer, resident, resident_user
):
    job = JobFactory(employer=employer, title="仓库理货员", headcount=4)
    login_as(page, live_server.url, "township_staff")

    page.goto(f"{live_server.url}/backoffice/recruiting/fairs/")
    page.get_by_role("link", name="新建招聘会").click()
    page.get_by_label("名称").fill("城关街道春风行动招聘会")
    page.get_by_label("类型").select_option("comprehensive")
    page.get_by_label("开始时间").fill("2026-12-10T09:00")
    page.get_by_label("结束时间").fill("2026-12-10T12:00")
    page.get_by_label("举办地点").fill("城关街道文化广场")
    page.get_by_label("主办区划").select_option(town.code)
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    fair = JobFair.objects.get()
    assert page.url.endswith(f"/fairs/{fair.pk}/")

    page.get_by_role("link", name="登记参会企业").click()
    page.get_by_label("参会企业").select_option(str(employer.pk))
    page.get_by_label(f"{employer.name} · 仓库理货员（4人）").check()
    page.get_by_label("展位号").fill("A01")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    expect(page.locator("[data-jc-figure=positions]")).to_have_text("4个")

    page.get_by_role("link", name="打印签到海报").click()
    poster = page.locator("article.poster")
    expect(poster.get_by_role("img")).to_be_visible()
    sign_in_url = poster.locator(".hint").first.inner_text()
    assert fair.sign_in_token in sign_in_url
    page.go_back()

    # The resident, on their phone, opens the poster's link and signs in; the staff page is not reloaded.
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    h5_external, h5_console = [], []
    phone.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                else (h5_external.append(route.request.url), route.abort()))  # fmt: skip
    try:
        h5 = phone.new_page()
        h5.on("console", lambda message: message.type == "error" and h5_console.append(message.text))
        sign_in_resident(h5, live_server, resident_user)
        h5.goto(sign_in_url)
        h5.get_by_role("button", name=re.compile("签到")).click()
        expect(h5.get_by_text("签到成功")).to_be_visible()
        h5.jc_console = h5_console
        assert csp_violations(h5) == [] and h5_external == []
    finally:
        phone.close()
    expect(page.locator("[data-jc-attendee]")).to_have_count(1, timeout=15_000)
    assert resident.name in page.locator("[data-jc-attendee]").inner_text()
    expect(page.locator("[data-jc-sign-in-count]")).to_have_text("1人次")

    page.reload()
    form = page.locator("[data-jc-intention-form]")
    form.get_by_label("求职者").select_option(str(resident.pk))
    form.get_by_label("意向岗位").select_option(str(job.pk))
    with page.expect_navigation():
        form.get_by_role("button", name="登记意向").click()
    assert "就业意向" in page.locator("[role=status], .messages").first.inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="结束签到").click()
    expect(page.locator("[data-jc-fair-closed]")).to_be_visible()
    report = {key: page.locator(f"[data-jc-figure={key}]").inner_text()
              for key in ("enterprises", "positions", "attendees", "intentions", "hires")}  # fmt: skip
    assert report == {
        "enterprises": "1家",
        "positions": "4个",
        "attendees": "1人次",
        "intentions": "1人",
        "hires": "0人",
    }
    page.get_by_text("口径说明").click()
    expect(page.get_by_text("签到（人次）：每条签到记录计一次")).to_be_visible()
    assert Application.objects.get(resident=resident, job=job).fair_id == fair.pk
    assert csp_violations(page) == [] and page.jc_external == []
