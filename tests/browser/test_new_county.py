"""Day one of a new county (issue 17): nothing loaded, no service station — the county officer imports the
stations ledger, then the residents ledger, through the screens, and finds the residents listed. And the
审计管理员 reads the audit log in Chinese, one line per short cell."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jobcircle.accounts.enums import Role
from jobcircle.areas.models import ServiceStation
from jobcircle.common.audit import log_action
from jobcircle.people.models import Resident
from tests.assistance.test_imports import RESIDENT_HEADERS, resident_rows, xlsx
from tests.assistance.test_station_imports import STATION_HEADERS, station_rows
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as
from tests.factories import make_user, new_county_regions

pytestmark = BROWSER_TEST
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def new_county():
    """A county whose regions are loaded (villages with centre points) and nothing else: no station, no person."""
    county = new_county_regions()
    make_user("new_county_admin", Role.COUNTY_ADMIN, area=county["county"])
    return county


def import_ledger(page, base_url, kind_label, filename, content):
    """Upload a ledger on 台账导入, wait for its check, confirm it; returns the result sentence."""
    page.goto(f"{base_url}{reverse('assistance:import_list')}")
    page.get_by_label("台账类型").select_option(label=kind_label)
    page.get_by_label("Excel 文件（.xlsx）").set_input_files({"name": filename, "mimeType": XLSX, "buffer": content})
    with page.expect_navigation():
        page.get_by_role("button", name="上传并校验").click()
    expect(page.locator("[data-jc-progress-state]")).to_contain_text("待确认")
    with page.expect_navigation():
        page.get_by_role("button", name="确认导入").click()
    expect(page.locator("[data-jc-progress-state]")).to_have_text("已导入")
    return page.locator("[data-jc-result]").inner_text()


def test_a_new_county_imports_its_stations_then_its_residents_through_the_screens(page, live_server, new_county):
    villages = new_county["villages"]
    login_as(page, live_server.url, "new_county_admin")
    page.goto(f"{live_server.url}{reverse('areas:station_list')}")
    expect(page.locator("p.empty")).to_contain_text("还没有服务站")

    import_ledger(
        page, live_server.url, "就业服务站台账", "服务站台账.xlsx", xlsx(STATION_HEADERS, station_rows(villages[:2]))
    )
    page.goto(f"{live_server.url}{reverse('areas:station_list')}")
    for village in villages[:2]:
        expect(page.get_by_text(f"{village.name}就业服务站")).to_be_visible()
    assert ServiceStation.objects.filter(area_code__startswith="990122").count() == 2

    rows = [row for village in villages for row in resident_rows(village, 2)]  # 新3村 has no station of its own
    result = import_ledger(page, live_server.url, "居民实名台账", "居民台账.xlsx", xlsx(RESIDENT_HEADERS, rows))
    assert "尚未设置就业服务站" in result  # placed by the fallback, with a warning, never refused
    assert Resident.objects.filter(area_code__startswith="990122").count() == len(rows)

    page.goto(f"{live_server.url}{reverse('people:resident_list')}")
    expect(page.locator("[data-jc-count]")).to_have_text(str(len(rows)))
    for village in villages:
        expect(page.locator("table.data").get_by_text(village.name).first).to_be_visible()
    assert csp_violations(page) == [] and page.jc_external == []


def test_the_audit_log_reads_in_chinese_one_line_per_short_cell(page, live_server, audit_admin, community_staff):
    log_action("accounts.login.failed", result="failure", data={"username": "nobody"})
    log_action("people.resident.updated", by=community_staff, changed_fields=["employment_status"])
    login_as(page, live_server.url, audit_admin.username)
    page.goto(f"{live_server.url}{reverse('audit:event_list')}")
    table = page.locator("table.audit-log")
    expect(table).to_contain_text("登录失败")
    expect(table).to_contain_text("失败")
    body = table.locator("tbody").inner_text()
    for code in ("accounts.login.failed", "failure", "people.resident.updated", "employment_status"):
        assert code not in body, code
    # the short cells stay on one line (their text, not the row, whose height the extra data sets)
    tall = page.evaluate(
        """() => Array.from(document.querySelectorAll('table.audit-log td:not(.audit-data)')).filter((td) => {
            const range = document.createRange();
            range.selectNodeContents(td);
            return range.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(td).lineHeight);
        }).map((td) => td.innerText)"""
    )
    assert tall == []
    assert csp_violations(page) == [] and page.jc_external == []
