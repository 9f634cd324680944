"""Scenario 4: the H5 pages render at 360×740 without horizontal scrolling, with tap targets ≥ 44 px."""

from jobcircle.common.sms import MemoryBackend
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as, no_horizontal_scroll, small_tap_targets

pytestmark = BROWSER_TEST


def test_the_h5_pages_fit_a_360_px_phone(page, live_server, community, resident_user, jobs_around):
    MemoryBackend.outbox.clear()
    page.set_viewport_size({"width": 360, "height": 740})
    public = ["/", f"/c/{community.code}/", "/m/login/", "/employer/register/"]
    for path in public:
        page.goto(live_server.url + path)
        assert no_horizontal_scroll(page), path
        assert small_tap_targets(page) == [], path

    login_as(page, live_server.url, "resident_user")
    job = jobs_around[0]
    for path in ["/m/", "/m/jobs/", f"/m/jobs/{job.pk}/", "/m/profile/", "/m/applications/"]:
        page.goto(live_server.url + path)
        assert no_horizontal_scroll(page), path
        assert small_tap_targets(page) == [], path
    assert csp_violations(page) == [] and page.jc_external == []
