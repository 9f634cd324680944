"""Scenario (issue 20): a resident finds a gig for tomorrow within 3 km on the H5, signs up in one tap, the
employer confirms on its portal, and on the day the resident checks in and out by the site's QR code."""

import datetime

from django.utils import timezone

from jobcircle.gigs import checkin
from jobcircle.gigs.models import Gig, GigSignup
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as, sign_in_resident
from tests.factories import EmployerFactory, make_user
from tests.gigs.factories import employer_gig, today_gig

pytestmark = BROWSER_TEST
KM = 1 / 111.2  # degrees of latitude per kilometre


def test_a_resident_finds_a_gig_for_tomorrow_signs_up_is_confirmed_and_checks_in_and_out(
    page, live_server, community, employer, employer_user, resident, resident_user
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    nine = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(9)))
    near = employer_gig(employer, employer_user, title="小区搬家帮手", start=nine, lat=resident.lat + 1.2 * KM,
                        lng=resident.lng)  # fmt: skip
    far_employer = EmployerFactory(community=community)
    far_user = make_user("far_employer", "employer", employer=far_employer)
    employer_gig(far_employer, far_user, title="远郊果园采摘", start=nine, lat=resident.lat + 8 * KM, lng=resident.lng)
    today_gig(employer, employer_user, title="今天的保洁")

    sign_in_resident(page, live_server, resident_user)
    page.goto(f"{live_server.url}/m/gigs/")
    page.get_by_role("link", name="明天").click()
    page.wait_for_url("**/m/gigs/?day=tomorrow")
    listed = page.locator("[data-jc-gig]")
    assert listed.count() == 1 and "小区搬家帮手" in listed.inner_text() and "1.2公里" in listed.inner_text()
    with page.expect_navigation():
        listed.get_by_role("button", name="一键报名").click()
    assert "已报名" in page.locator(f"[data-jc-my-gig='{near.pk}']").inner_text()
    signup = GigSignup.objects.get(gig=near, worker=resident)

    page.context.clear_cookies()
    login_as(page, live_server.url, "employer_user")
    page.goto(f"{live_server.url}/employer/gigs/")
    with page.expect_navigation():
        page.locator(f"[data-jc-signup='{signup.pk}']").get_by_role("button", name="确认").click()
    assert "已确认" in page.locator(f"[data-jc-signup='{signup.pk}']").inner_text()

    # The day comes: the gig's window is moved to now (no clock library; the services read the real time).
    now = timezone.now()
    Gig.objects.filter(pk=near.pk).update(starts_at=now - datetime.timedelta(minutes=5),
                                          ends_at=now + datetime.timedelta(hours=3))  # fmt: skip
    page.context.clear_cookies()
    sign_in_resident(page, live_server, resident_user)
    code_url = f"{live_server.url}/m/gig-check/{checkin.site_code(near)}/"
    page.goto(code_url)
    assert "已签到" in page.locator(f"[data-jc-my-gig='{near.pk}']").inner_text()
    page.goto(code_url)
    assert "已签退" in page.locator(f"[data-jc-my-gig='{near.pk}']").inner_text()

    signup.refresh_from_db()
    assert signup.status == "checked_out" and signup.check_in_method == "site_qr"
    assert list(signup.transitions.values_list("to_status", flat=True)) == [
        "applied", "confirmed", "checked_in", "checked_out"]  # fmt: skip
    assert csp_violations(page) == [] and page.jc_external == []
