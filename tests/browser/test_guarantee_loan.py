"""A returnee's guarantee loan from the H5 application to disbursement and the first repayment (issue 15), and the
loan figures change by exactly that loan."""

from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from jobcircle.common.sms import MemoryBackend
from jobcircle.entrepreneurship import data_policies, stats
from jobcircle.entrepreneurship.models import Loan, LoanPolicy, Repayment
from jobcircle.people.models import KeyGroup
from jobcircle.subsidies.models import Policy, PolicyVersion
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as, sign_in_by_phone
from tests.factories import ResidentFactory, demo_phone

pytestmark = BROWSER_TEST
B = "/backoffice/entrepreneurship"


def test_a_returnees_loan_from_application_to_first_repayment(
    page, live_server, community, community_staff, county_admin, county, tmp_path
):
    data_policies.load(LoanPolicy, Policy, PolicyVersion)
    MemoryBackend.outbox.clear()
    phone = demo_phone()
    returnee = ResidentFactory(community=community, name="返乡青年", phone=phone)
    returnee.key_groups.set(KeyGroup.objects.filter(code="migrant_worker"))
    today = timezone.localdate()
    year = (today.replace(month=1, day=1), today)
    before = stats.loan_figures(county, *year)

    # 1. The returnee applies in H5 创业服务.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/m/login/")
    sign_in_by_phone(page, phone)
    page.goto(f"{live_server.url}/m/loans/")
    page.get_by_label("申请金额（元）").fill("150000")
    page.get_by_label("期限").select_option("12")
    page.get_by_label("创业项目/贷款用途").fill("返乡开办农家乐")
    page.get_by_label("预计带动就业人数").fill("4")
    with page.expect_navigation():
        page.get_by_role("button", name="提交申请").click()
    expect(page.locator("[data-jc-loan-status]")).to_have_attribute("data-jc-loan-status", "applied")
    loan = Loan.objects.get(resident=returnee)

    # 2. The community's first review, then the county's review, the guarantor's and the bank's answers.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login_as(page, live_server.url, "community_staff")
    page.goto(f"{live_server.url}{B}/loans/{loan.pk}/")
    page.get_by_label("办理").select_option("local_pass")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("[data-jc-loan-status]")).to_have_attribute("data-jc-loan-status", "local_passed")

    page.context.clear_cookies()
    login_as(page, live_server.url, "county_admin")
    page.goto(f"{live_server.url}{B}/")
    expect(page.locator("[data-jc-figure=loans]")).to_have_text(str(before.loans))
    page.goto(f"{live_server.url}{B}/loans/{loan.pk}/")
    page.get_by_label("办理").select_option("approve")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("[data-jc-loan-status]")).to_have_attribute("data-jc-loan-status", "bureau_approved")
    page.get_by_label("办理").select_option("guarantee")
    page.get_by_label("担保机构").fill("县创业担保中心")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("[data-jc-loan-status]")).to_have_attribute("data-jc-loan-status", "guaranteed")
    page.get_by_label("放款金额（元）").fill("120000")
    page.get_by_label("年利率").fill("0.0385")
    page.get_by_label("经办银行").fill("县农商银行")
    page.get_by_label("借款合同号").fill("JK-BROWSER-1")
    page.get_by_label("放款日期").fill(today.isoformat())
    page.get_by_role("button", name="登记放款").click()
    expect(page.locator("[data-jc-loan-status]")).to_have_attribute("data-jc-loan-status", "disbursed")
    expect(page.locator("[data-jc-instalment]")).to_have_count(4)

    # 3. The bank's statement brings the first repayment.
    first = loan.instalments.get(number=1)
    book = Workbook()
    book.active.append(["借款合同号", "还款日期", "还款本金（元）", "还款利息（元）", "银行流水号"])
    book.active.append(["JK-BROWSER-1", today, 0, float(first.interest), "BR-0001"])
    book.save(tmp_path / "statement.xlsx")
    page.goto(f"{live_server.url}{B}/statements/")
    page.get_by_label("还款对账单（.xlsx）").set_input_files(str(tmp_path / "statement.xlsx"))
    page.get_by_role("button", name="导入").click()
    expect(page.locator("[data-jc-import]")).to_have_attribute("data-jc-import", "applied")
    page.goto(f"{live_server.url}{B}/loans/{loan.pk}/")
    expect(page.locator("[data-jc-loan-status]")).to_have_attribute("data-jc-loan-status", "repaying")

    # 4. The loan figures moved by exactly this loan.
    page.goto(f"{live_server.url}{B}/")
    expect(page.locator("[data-jc-figure=loans]")).to_have_text(str(before.loans + 1))
    after = stats.loan_figures(county, *year)
    assert after.loans - before.loans == 1 and after.personal_loans - before.personal_loans == 1
    assert after.amount_yuan - before.amount_yuan == Decimal("120000.00")
    assert after.supported_people - before.supported_people == 1 and after.jobs_created - before.jobs_created == 4
    expect(page.locator("[data-jc-figure=amount]")).to_have_text(str(after.amount_yuan))
    assert Repayment.objects.get().loan_id == loan.pk and loan.instalments.get(number=1).settled_on == today
    assert loan.transitions.count() == 6
    assert csp_violations(page) == [] and page.jc_external == []
