"""Issue 14: a resident finds a programme within 3 km on the H5 and enrols; staff open the class, tick attendance
and finish it; the training figure on the back office and the resident's 1131 "1 training" change."""

from jobcircle.assistance.cases.services import open_case, service_1131
from jobcircle.training.enums import EnrolmentStatus
from jobcircle.training.models import Enrolment
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as, sign_in_resident
from tests.training import factories as f

pytestmark = BROWSER_TEST


def figure(page, code):
    return int(page.locator(f"[data-jc-figure={code}]").inner_text())


def test_a_resident_enrols_nearby_staff_run_the_class_and_the_figures_change(
    page, browser, live_server, community, resident_user, community_staff
):
    station = community.stations.first()
    programme = f.programme(f.provider(community), name="中式烹调师（初级）第1期", sessions=2)
    f.programme(programme.provider, name="远郊农技班", lat=station.lat + 0.1, lng=station.lng)  # about 11 km away
    case = open_case(resident_user.resident, by=community_staff, reason="未就业有就业意愿")
    assert service_1131(case).training == 0

    login_as(page, live_server.url, "community_staff")
    page.goto(f"{live_server.url}/backoffice/training/")
    assert figure(page, "training_programmes") == 0 and figure(page, "training_trainees") == 0

    # The resident, on a phone of their own: only the programme within 3 km, with its distance; enrol.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", timezone_id="Asia/Shanghai")
    mobile = phone.new_page()
    sign_in_resident(mobile, live_server, resident_user)
    mobile.goto(f"{live_server.url}/m/training/")
    item = mobile.locator(f"[data-jc-programme='{programme.pk}']")
    assert "距离" in item.inner_text() and "远郊农技班" not in mobile.content()
    with mobile.expect_navigation():
        item.get_by_role("button", name="报名").click()
    assert "已报名" in mobile.content()
    enrolment = Enrolment.objects.get(resident=resident_user.resident)
    assert "在训" in mobile.locator(f"[data-jc-enrolment='{enrolment.pk}']").inner_text()
    phone.close()
    assert service_1131(case).training == 1

    # Staff (still signed in) open the class, tick both sessions and finish it.
    page.goto(f"{live_server.url}/backoffice/training/programmes/{programme.pk}/")
    with page.expect_navigation():
        page.locator("[data-jc-move=running]").click()
    for number in (1, 2):
        page.get_by_label(f"第{number}次课 出勤").check()
        with page.expect_navigation():
            page.locator(f"[data-jc-attendance='{number}']").click()
    with page.expect_navigation():
        page.locator("[data-jc-move=finished]").click()
    assert page.locator("[data-jc-status]").inner_text() == "结业"
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.attendance_percent) == (EnrolmentStatus.COMPLETED, 100)

    page.goto(f"{live_server.url}/backoffice/training/")
    assert figure(page, "training_programmes") == 1 and figure(page, "training_trainees") == 1
    assert csp_violations(page) == [] and page.jc_external == []
