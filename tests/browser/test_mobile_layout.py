"""Scenario 4: the H5 pages render at 360×740 without horizontal scrolling, with tap targets ≥ 44 px."""

from jobcircle.common.sms import MemoryBackend
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as, no_horizontal_scroll, small_tap_targets

pytestmark = BROWSER_TEST


def test_the_h5_pages_fit_a_360_px_phone(page, live_server, community, resident_user, jobs_around):
    MemoryBackend.outbox.clear()
    page.set_viewport_size({"width": 360, "height": 740})
    public = ["/", "/?q=幸福", f"/c/{community.code}/", "/m/login/", "/m/fairs/", "/employer/register/"]
    for path in public:
        page.goto(live_server.url + path)
        assert no_horizontal_scroll(page), path
        assert small_tap_targets(page) == [], path

    login_as(page, live_server.url, "resident_user")
    job = jobs_around[0]
    for path in ["/m/", "/m/jobs/", f"/m/jobs/{job.pk}/", "/m/profile/", "/m/applications/", "/m/inbox/"]:
        page.goto(live_server.url + path)
        assert no_horizontal_scroll(page), path
        assert small_tap_targets(page) == [], path
    assert csp_violations(page) == [] and page.jc_external == []


def test_filtering_nearby_jobs_updates_the_list_in_place(page, live_server, resident_user, jobs_around):
    from tests.factories import JobFactory

    JobFactory(employer=jobs_around[0].employer, title="周末兼职", work_type="part_time", lat=33.1610, lng=115.6200)
    page.set_viewport_size({"width": 360, "height": 740})
    login_as(page, live_server.url, "resident_user")
    page.goto(f"{live_server.url}/m/jobs/")
    assert page.locator("li.job").count() == 4
    page.evaluate("window.jcNotReloaded = true")  # survives only if htmx swaps the list instead of reloading
    page.get_by_label("工作类型").select_option("part_time")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/m/jobs/?work_type=part_time*")
    page.locator("li.job >> nth=1").wait_for(state="detached")
    assert page.locator("li.job .job-title").all_inner_texts()[0].startswith("周末兼职")
    assert page.evaluate("window.jcNotReloaded === true")
    assert csp_violations(page) == []
