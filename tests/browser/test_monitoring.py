"""A community staff member completes one person's monthly monitoring (每月一监测一更新) in the browser."""

from decimal import Decimal

from playwright.sync_api import expect

from jobcircle.assistance.models import MonitoringRecord, MonitoringTask
from jobcircle.assistance.monitoring import services as monitoring_services
from tests.assistance.factories import tagged_resident, this_month
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as

pytestmark = BROWSER_TEST


def test_a_staff_member_completes_a_months_monitoring_for_one_person(page, live_server, community_staff, community):
    person = tagged_resident(community, "poverty_alleviated", name="王小明")
    tagged_resident(community, "monitored", name="李大姐")
    monitoring_services.generate_monitoring_tasks(this_month())
    login_as(page, live_server.url, "community_staff")

    page.goto(f"{live_server.url}/backoffice/assistance/monitoring/")
    row = page.locator("[data-jc-task]").filter(has_text="王小明")
    expect(row.locator("[data-jc-state]")).to_have_attribute("data-jc-state", "pending")  # 待监测 or 已逾期
    row.get_by_role("link", name="填写监测").click()

    page.get_by_label("就业状态").select_option("employed")
    expect(page.get_by_label("未就业原因")).to_be_hidden()  # only the questions that apply are shown
    page.get_by_label("务工地点").select_option("out_of_province")
    page.get_by_label("就业单位").fill("某电子厂")
    # At most the months of the year so far (3 would be refused in January and February).
    months_worked = str(min(3, this_month().month))
    page.get_by_label("本年务工月数").fill(months_worked)
    page.get_by_label("月收入（元）").fill("5200")
    page.get_by_role("button", name="保存监测记录").click()

    expect(page.locator(".messages")).to_contain_text("已保存 王小明")
    expect(row.locator("[data-jc-state]")).to_contain_text("已完成")
    other = page.locator("[data-jc-task]").filter(has_text="李大姐")
    expect(other.locator("[data-jc-state]")).to_have_attribute("data-jc-state", "pending")
    record = MonitoringRecord.objects.get(resident=person, month=this_month())
    assert (record.employment_status, record.work_location, record.employer_name) == (
        "employed", "out_of_province", "某电子厂"
    )  # fmt: skip
    assert record.monthly_income == Decimal("5200.00") and record.months_worked == int(months_worked)
    assert record.recorded_by == community_staff
    assert MonitoringTask.objects.get(resident=person, month=this_month()).state == "done"

    row.get_by_role("link", name="查看/修改").click()  # the person's history shows the month
    expect(page.locator("[data-jc-history]")).to_contain_text("某电子厂")
    assert csp_violations(page) == [] and page.jc_external == []
