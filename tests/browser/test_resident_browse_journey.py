"""Issue 17, residents' day one: find the community by name, browse nearby jobs without registering, open
one (the map only on demand), apply → sign in and register at that moment → back to the job to finish,
then 消息 with its unread badge; 撤回 asks first and 退出 lands on the resident entry."""

import datetime

from django.utils import timezone

from jobcircle.common.sms import MemoryBackend
from jobcircle.matching.models import InboxMessage
from jobcircle.people.models import Resident
from jobcircle.recruiting.models import Application
from tests.browser.helpers import BROWSER_TEST, csp_violations, sign_in_by_phone
from tests.factories import demo_id_number, demo_phone

pytestmark = BROWSER_TEST


def test_a_visitor_browses_applies_registers_at_that_moment_and_reads_the_inbox(
    page, live_server, community, neighbour_community, jobs_around
):
    MemoryBackend.outbox.clear()
    phone = demo_phone()
    page.set_viewport_size({"width": 360, "height": 740})
    leaflet = []
    page.on("request", lambda request: "leaflet" in request.url and leaflet.append(request.url))

    # The entry lists no community until asked; typing searches on the server as one types.
    page.goto(f"{live_server.url}/")
    assert page.locator("[data-jc-communities] li").count() == 0
    page.get_by_label("社区（村）或乡镇名称").fill("幸福")
    page.locator("[data-jc-communities] li").first.wait_for()
    assert page.locator("[data-jc-communities] li").all_inner_texts() == [f"{community.parent.name} · 幸福社区"]
    page.locator("[data-jc-communities] a").first.click()

    # Nearby jobs, without registering: the open jobs within 3 km of the community, nearest first.
    page.wait_for_url("**/m/jobs/**")
    assert page.locator("li.job").count() == 3 and "远郊装卸工" not in page.content()
    page.locator("li.job a.row").first.click()
    page.wait_for_url("**/m/jobs/*/")
    assert "养老护理员" in page.locator("h1").inner_text()
    assert leaflet == []  # the map is not part of the first load …
    page.get_by_role("button", name="查看地图").click()
    page.locator("[data-jc-map-ready]").wait_for()  # … it comes when asked for
    assert leaflet

    # Applying asks for the phone, then real-name registration, then back to the job to finish.
    page.get_by_role("link", name="登录/登记后投递").click()
    page.wait_for_url("**/m/login/**")
    sign_in_by_phone(page, phone)
    assert "/m/register/" in page.url
    assert page.get_by_label("所在社区/村").input_value() == community.code  # the community browsed
    page.get_by_label("姓名").fill("浏览居民")
    page.get_by_label("证件号码").fill(demo_id_number())
    with page.expect_navigation():
        page.get_by_role("button", name="完成登记").click()
    assert "/m/jobs/" in page.url and "养老护理员" in page.locator("h1").inner_text()
    page.get_by_role("button", name="投递简历（申请该岗位）").click()
    page.wait_for_url("**/m/applications/")
    resident = Resident.objects.get(name="浏览居民")
    assert Application.objects.get(resident=resident).job.title == "养老护理员"

    # 消息: a message of any kind appears with the unread badge; opening it reads it.
    InboxMessage.objects.create(
        resident=resident, kind="interview_invitation", title="面试邀请：养老护理员", body="请于周五上午到单位面试",
        pushed_on=timezone.localdate(), area_code=resident.area_code, created_at=timezone.now(),
        link="/m/applications/",
    )  # fmt: skip
    InboxMessage.objects.create(
        resident=resident, kind="job_push", title="为您推荐了3个岗位", area_code=resident.area_code,
        pushed_on=timezone.localdate() - datetime.timedelta(days=1),
        created_at=timezone.now() - datetime.timedelta(days=1),
    )  # fmt: skip
    page.reload()
    assert page.locator("[data-jc-unread]").inner_text() == "2"
    page.get_by_role("link", name="消息").click()
    page.wait_for_url("**/m/inbox/")
    titles = page.locator("[data-jc-message] .job-title").all_inner_texts()
    assert titles[0].startswith("面试邀请：养老护理员") and titles[1].startswith("为您推荐了3个岗位")
    page.locator("[data-jc-message] a").first.click()
    page.locator("[data-jc-message-detail]").wait_for()
    assert "请于周五上午到单位面试" in page.content()
    assert page.locator("[data-jc-unread]").inner_text() == "1"

    # 撤回 asks first; 退出 lands on the resident entry.
    page.goto(f"{live_server.url}/m/applications/")
    page.get_by_role("link", name="撤回申请").click()
    assert "确定要撤回" in page.content()
    assert Application.objects.get(resident=resident).status == "applied"
    page.get_by_role("button", name="确定撤回").click()
    page.wait_for_url("**/m/applications/")
    assert Application.objects.get(resident=resident).status == "withdrawn"
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    assert page.url == f"{live_server.url}/" and "社区快聘" in page.locator("h1").inner_text()
    assert csp_violations(page) == [] and page.jc_external == []


def test_use_my_location_offers_the_nearest_community(page, live_server, community, neighbour_community):
    station = neighbour_community.stations.first()
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": station.lat, "longitude": station.lng + 0.001})
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.get_by_role("button", name="使用我的位置，找最近的社区").click()
    names = page.locator("[data-jc-communities] li").all_inner_texts()
    assert names[0].startswith(f"{neighbour_community.parent.name} · 和平社区") and len(names) == 2
    assert csp_violations(page) == [] and page.jc_external == []
