"""Scenario 1: a resident opens a community's QR link, registers with a phone code, fills the profile,
sees nearby jobs nearest first with distances, opens one and applies; it appears in 我的申请."""

from jobcircle.common.sms import MemoryBackend
from jobcircle.people.models import Resident
from jobcircle.recruiting.models import Application
from tests.browser.helpers import BROWSER_TEST, csp_violations, sign_in_by_phone
from tests.factories import demo_id_number, demo_phone

pytestmark = BROWSER_TEST


def test_a_resident_registers_from_the_qr_link_and_applies_to_the_nearest_job(
    page, live_server, community, jobs_around
):
    MemoryBackend.outbox.clear()
    phone, id_number = demo_phone(), demo_id_number()
    page.set_viewport_size({"width": 360, "height": 740})

    # The poster's QR code encodes this link; it lands on phone sign-in with the community remembered.
    page.goto(f"{live_server.url}/c/{community.code}/join/")
    assert "/m/login/" in page.url
    sign_in_by_phone(page, phone)

    # A new phone goes on to real-name registration, the QR code's community preselected.
    assert "/m/register/" in page.url
    assert page.get_by_label("所在社区/村").input_value() == community.code
    page.get_by_label("姓名").fill("扫码居民")
    page.get_by_label("证件号码").fill(id_number)
    with page.expect_navigation():
        page.get_by_role("button", name="完成登记").click()

    assert "/m/profile/" in page.url
    page.get_by_label("工作类型").select_option("full_time")
    page.get_by_label("最远通勤距离（公里）").fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name="保存并查看附近岗位").click()

    # 附近岗位: the three jobs within 3 km, nearest first, each with its distance.
    assert "/m/jobs/" in page.url
    items = page.locator("li.job")
    assert items.count() == 3
    distances = [float(d) for d in items.evaluate_all("els => els.map(e => e.dataset.jcDistance)")]
    assert distances == sorted(distances)
    assert page.locator("li.job .job-title").all_inner_texts()[0].startswith("养老护理员")
    shown = page.locator("li.job .distance").all_inner_texts()
    assert shown[0].endswith("米") and shown[1] == "1.2公里" and shown[2] == "2.5公里"
    assert "远郊装卸工" not in page.content()

    page.locator("li.job a.row").first.click()
    page.get_by_role("button", name="投递简历（申请该岗位）").click()
    page.wait_for_url("**/m/applications/")
    assert page.locator("[data-jc-application]").count() == 1
    assert "养老护理员" in page.locator("[data-jc-application]").inner_text()

    resident = Resident.objects.get(name="扫码居民")
    assert resident.area_code == community.code and resident.is_job_seeking
    assert Application.objects.get(resident=resident).job.title == "养老护理员"
    assert csp_violations(page) == [] and page.jc_external == []
