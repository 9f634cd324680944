"""Issue 13: 免申即享 end to end in the browser — the county screens the transport subsidy, confirms the hit,
the community, township and county staff each approve once, the county batches it and records it paid, and the
policy page's figure moves by exactly that payment (one more person, the amount in 万元)."""

from decimal import Decimal

from django.utils import timezone

from jobcircle.subsidies import data_policies
from jobcircle.subsidies.enums import ApplicationStatus
from jobcircle.subsidies.models import Payment, Policy, PolicyVersion, SubsidyApplication
from tests.browser.conftest import DESKTOP
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as
from tests.factories import Role, make_user
from tests.subsidies.conftest import monitored, person

pytestmark = BROWSER_TEST


def _figures(page, base_url):
    page.goto(f"{base_url}/backoffice/subsidies/")
    people = page.locator("[data-jc-figure=transport]").inner_text()
    amount = page.locator("[data-jc-amount=transport]").inner_text()
    return int(people.rstrip("人")), Decimal(amount)


def _approve(page, base_url):
    """Approve the first application of the reviewer's queue."""
    page.goto(f"{base_url}/backoffice/subsidies/review/")
    row = page.locator("tr", has=page.locator("select[name=decision]")).first
    row.locator("select[name=decision]").select_option("approve")
    with page.expect_navigation():
        row.get_by_role("button", name="提交").click()
    assert "已审核" in page.content()


def _approve_as(browser, base_url, username):
    """One reviewer in their own browser (a second sign-in of one account within a minute gets no new code)."""
    external = []
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url)
                  else (external.append(route.request.url), route.abort()))  # fmt: skip
    try:
        page = context.new_page()
        login_as(page, base_url, username)
        _approve(page, base_url)
    finally:
        context.close()
    assert external == []


def test_screen_confirm_three_reviews_batch_paid_and_the_figure_moves_by_that_payment(
    page, browser, live_server, county, county_admin, township_staff, community_staff, community
):
    data_policies.load(Policy, PolicyVersion)
    year = timezone.localdate().year
    qualifying = monitored(person(community, "poverty_alleviated"), [3, 4, 5], year=year)
    base = live_server.url

    login_as(page, base, "county_admin")
    people_before, wan_before = _figures(page, base)
    page.get_by_role("row", name="一次性交通补贴").get_by_role("link", name="免申即享筛查").click()
    page.get_by_label("补贴期间").fill(str(year))
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.get_by_role("button", name="开始筛查").click()
    assert page.locator("[data-jc-screening=done]").is_visible()
    assert f"{year}年省外务工3个月（监测记录：3月、4月、5月）" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="确认所选，生成申请并通知本人").click()
    application = SubsidyApplication.objects.get(resident=qualifying)
    assert application.status == ApplicationStatus.COMMUNITY_REVIEW

    # The county admin confirmed the list, so another county account makes the county review (never one's own).
    make_user("county_reviewer", Role.COUNTY_ADMIN, area=county)
    for username in ("community_staff", "township_staff", "county_reviewer"):
        _approve_as(browser, base, username)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED

    page.goto(f"{base}/backoffice/subsidies/batches/")
    with page.expect_navigation():
        page.get_by_role("button", name="生成发放批次").click()
    page.locator("select[name=result]").select_option("paid")
    with page.expect_navigation():
        page.get_by_role("button", name="记录").click()
    assert page.locator("[data-jc-line=paid]").is_visible()

    payment = Payment.objects.get(resident=qualifying)
    people_after, wan_after = _figures(page, base)
    assert people_after == people_before + 1
    assert wan_after - wan_before == payment.amount / Decimal(10000)
    assert csp_violations(page) == [] and page.jc_external == []
