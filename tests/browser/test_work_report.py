"""Issue 16: county staff generate a month's work report from the back office and open the .docx."""

import io

from docx import Document

from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as
from tests.insights.builders import build_county

pytestmark = BROWSER_TEST


def test_staff_generate_a_months_work_report_and_open_the_docx(
    page, live_server, county_admin, county, town, community, neighbour_community, other_township, village
):
    truth = build_county(county_admin, [(town, [community, neighbour_community]), (other_township, [village])])
    login_as(page, live_server.url, "county_admin")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="工作报告").click()
    page.get_by_label("报告期").select_option("month")
    page.get_by_label("存在问题").fill("部分村就业信息更新不及时")
    page.get_by_label("下步打算").fill("开展春风行动专场招聘")
    # The live server's request threads share the test's one in-memory SQLite connection: let the page's
    # own requests (static files, favicon) end before the long report request writes (flaky in CI otherwise).
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.get_by_role("button", name="生成报告").click()
    page.locator("[data-jc-report-status=issued]").wait_for()
    with page.expect_download() as caught:
        page.locator("[data-jc-report-docx]").click()
    text = "\n".join(p.text for p in Document(io.BytesIO(open(caught.value.path(), "rb").read())).paragraphs)
    for sentence in (f"组织各类招聘会{truth.fairs}场", f"参会企业{truth.fair_employers}家",
                     f"新安置{truth.welfare_placed}人", f"共有帮扶车间{truth.workshops}个",
                     f"公益性岗位在岗{truth.welfare_placed}人",
                     "部分村就业信息更新不及时", "开展春风行动专场招聘"):  # fmt: skip
        assert sentence in text, sentence
    assert csp_violations(page) == [] and page.jc_external == []
