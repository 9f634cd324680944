"""劳动力地图 in the browser (issue 19): open the map, switch the layer, hover a cell, click it and see the
masked list of the people behind it; names typed with markup stay text; nothing is loaded from outside."""

from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as
from tests.factories import ResidentFactory

pytestmark = BROWSER_TEST


def test_clicking_a_cell_lists_its_people(page, live_server, community, community_staff):
    for index in range(6):
        ResidentFactory(community=community, name=f"<b>居民{index}</b>", is_job_seeking=index < 3)
    login_as(page, live_server.url, community_staff.username)
    page.goto(f"{live_server.url}/backoffice/labour-map/")
    page.locator("[data-jc-map-ready]").wait_for(state="attached")
    page.get_by_label("图层").select_option("seekers")
    assert "求职者" in page.locator("[data-jc-lm-legend]").text_content()

    cell = page.locator(".leaflet-interactive").first
    cell.hover()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.text_content() == "求职者（人） 3"
    cell.click()
    rows = page.locator("[data-jc-lm-people-table] tbody tr")
    rows.first.wait_for()
    assert rows.count() == 6
    names = rows.locator("td:first-child").all_text_contents()
    assert all("*" in name for name in names)
    assert page.locator("[data-jc-lm-people-table] tbody b").count() == 0  # markup in a name is text
    assert "共6人" in page.locator("[data-jc-lm-people-status]").text_content()
    with page.expect_download() as download:
        page.get_by_role("button", name="下载地图图片（SVG，用于报告）").click()
    assert download.value.suggested_filename.endswith(".svg")
    assert "<path" in open(download.value.path(), encoding="utf-8").read()
    assert page.jc_external == [] and csp_violations(page) == []
