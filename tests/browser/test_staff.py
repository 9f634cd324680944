"""Scenario 3: county staff see dashboard figures equal to the database counts; a community account
cannot reach another community's resident by URL, and reveals a resident's phone for a reason; the
system administrator lands on 账号管理 and creates a staff login; a staff member binds an authenticator app
and signs in with its code."""

import base64
import time

from django.db.models import Sum
from playwright.sync_api import expect

from jobcircle.accounts.models import User
from jobcircle.common import pii
from jobcircle.common.models import AuditEvent
from jobcircle.common.sms import MemoryBackend
from jobcircle.employers.models import Employer, Job
from jobcircle.people.models import Placement, Resident
from tests.accounts.helpers import rfc6238_code
from tests.browser.helpers import BROWSER_TEST, PASSWORD, csp_violations, login_as
from tests.factories import ResidentFactory, demo_phone

pytestmark = BROWSER_TEST


def test_the_dashboard_shows_the_database_counts_and_draws_its_chart_and_map(
    page, live_server, county_admin, community, neighbour_community, village, jobs_around
):
    ResidentFactory(community=community, is_job_seeking=True)
    ResidentFactory(community=neighbour_community)
    ResidentFactory(community=village, is_job_seeking=True)
    login_as(page, live_server.url, "county_admin")
    assert page.url.endswith("/backoffice/")

    shown = {
        key: int(page.locator(f"[data-jc-figure={key}] dd").get_attribute("data-jc-value"))
        for key in ("employers", "positions", "residents", "job_seekers", "employed")
    }
    in_county = {"area_code__startswith": "990121"}
    assert shown == {
        "employers": Employer.objects.filter(**in_county).count(),
        "positions": Job.objects.open().filter(**in_county).aggregate(n=Sum("headcount"))["n"],
        "residents": Resident.objects.filter(**in_county).count(),
        "job_seekers": Resident.objects.filter(**in_county, is_job_seeking=True).count(),
        "employed": Placement.objects.filter(**in_county).values("resident").distinct().count(),
    }
    assert shown["residents"] == 3 and shown["positions"] == 8
    page.locator("[data-jc-chart-ready]").wait_for()
    page.locator("[data-jc-map-ready]").wait_for()
    assert page.locator(".map .leaflet-interactive").count() > 0  # stations, circles and density points
    assert csp_violations(page) == [] and page.jc_external == []


def test_a_community_account_cannot_open_another_communitys_resident(
    page, live_server, community_staff, community, neighbour_community
):
    own = ResidentFactory(community=community, name="本社区居民")
    other = ResidentFactory(community=neighbour_community, name="邻社区居民")
    login_as(page, live_server.url, "community_staff")

    response = page.goto(f"{live_server.url}/backoffice/residents/{other.pk}/")
    assert response.status == 404
    assert "邻社区居民" not in page.content()

    response = page.goto(f"{live_server.url}/backoffice/residents/{own.pk}/")
    assert response.status == 200
    assert "本社区居民" in page.content()
    assert "邻社区居民" not in page.goto(f"{live_server.url}/backoffice/residents/").text()


def test_community_staff_reveal_a_residents_phone_for_a_reason(page, live_server, community_staff, community):
    resident = ResidentFactory(community=community, name="回访对象")
    phone = pii.decrypt(resident.phone_encrypted)
    login_as(page, live_server.url, "community_staff")
    page.goto(f"{live_server.url}/backoffice/residents/{resident.pk}/")
    assert phone not in page.content()

    page.get_by_text("查看完整号码").click()  # the folded form opens
    page.get_by_label("查看原因").fill("电话回访就业意向")
    with page.expect_navigation():
        page.get_by_role("button", name="查看", exact=True).click()

    expect(page.locator("[data-jc-revealed=phone]")).to_have_text(phone)
    assert page.locator("[data-jc-revealed=id_number]").count() == 0  # only the phone was ticked
    assert AuditEvent.objects.filter(action="people.resident.pii_revealed", actor=community_staff).count() == 1
    assert csp_violations(page) == [] and page.jc_external == []


def test_the_system_administrator_lands_on_accounts_and_creates_a_staff_login(
    page, live_server, system_admin, community
):
    login_as(page, live_server.url, "system_admin")
    assert page.url.endswith("/backoffice/accounts/users/")
    assert page.get_by_role("navigation", name="主菜单").get_by_role("link").all_inner_texts() == [
        "账号管理",
        "定时任务",
    ]

    page.get_by_role("link", name="新建工作人员账号").click()
    page.get_by_label("用户名").fill("new_worker")
    page.get_by_label("角色").select_option("community_staff")
    page.get_by_label("负责区划代码").fill(community.code)
    page.get_by_label("手机号").fill(demo_phone())
    page.get_by_label("初始密码").fill("Strong-password-2026!")
    with page.expect_navigation():
        page.get_by_role("button", name="创建").click()

    assert page.url.endswith("/backoffice/accounts/users/")
    expect(page.locator("tr", has_text="new_worker")).to_contain_text("社区/村就业专干")
    assert User.objects.get(username="new_worker").area == community
    assert csp_violations(page) == [] and page.jc_external == []


def test_a_staff_member_binds_an_authenticator_and_then_signs_in_with_it(page, live_server, county_admin):
    login_as(page, live_server.url, "county_admin")
    page.get_by_role("navigation", name="账号").get_by_role("link", name="身份验证器").click()
    with page.expect_navigation():
        page.get_by_role("button", name="开始绑定").click()
    qr = page.get_by_role("img", name="身份验证器绑定二维码")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the data: URI passes the CSP
    key = base64.b32decode(page.locator("[data-jc-totp-secret]").inner_text().replace(" ", ""))
    page.get_by_label("动态码").fill(rfc6238_code(key, time.time()))  # what the phone app would show now
    with page.expect_navigation():
        page.get_by_role("button", name="确认绑定").click()
    expect(page.locator("[data-jc-totp=confirmed]")).to_be_visible()
    assert csp_violations(page) == [] and page.jc_external == []

    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    sent_before = len(MemoryBackend.outbox)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("county_admin")
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="身份验证器动态码")).to_be_visible()
    # The next step's code: within the ±1 window and later than the step that confirmed the binding.
    page.get_by_label("动态码").fill(rfc6238_code(key, time.time() + 30))
    with page.expect_navigation():
        page.get_by_role("button", name="验证并进入").click()
    assert page.url.endswith("/backoffice/")
    assert len(MemoryBackend.outbox) == sent_before  # no SMS was needed


def test_a_township_officer_registers_a_station_by_clicking_the_map(page, live_server, township_staff, town):
    from jobcircle.areas.models import ServiceStation
    from tests.factories import region

    bare = region("990121001009", "新建社区", 5, town)
    login_as(page, live_server.url, "township_staff")
    page.get_by_role("link", name="服务站").click()
    page.get_by_role("link", name="登记服务站").click()
    page.get_by_label("服务站名称").fill("新建社区就业服务站")
    page.get_by_label("地址").fill("新建路1号")
    page.get_by_label("所属社区/村或乡镇/街道").select_option(bare.code)
    page.get_by_label("坐标系").select_option("bd09")
    page.locator("[data-jc-map-ready]").wait_for()
    page.locator("[data-jc-pick-point]").click()  # the map starts on China: its centre is inside
    assert page.get_by_label("坐标系").input_value() == "wgs84" and page.get_by_label("纬度").input_value()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("[data-jc-count]")).to_have_text("1")
    saved = ServiceStation.objects.get(community=bare)
    assert saved.source_crs == "wgs84" and f"{saved.lat:.6f}" == page.locator("td.num").first.inner_text()
    assert csp_violations(page) == [] and page.jc_external == []
