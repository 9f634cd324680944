"""SEC-29 in the browser (issue 22 item 9): markup typed into a job title is shown as text in the H5 job
map's tooltip, never turned into an element (Leaflet reads a tooltip string as HTML)."""

import pytest

from tests.browser.helpers import BROWSER_TEST, sign_in_resident
from tests.factories import JobFactory
from tests.portal.test_untrusted_text import PAYLOADS

pytestmark = BROWSER_TEST


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_job_title_is_text_in_the_h5_map_tooltip(page, live_server, employer, resident_user, payload):
    title = f"理货员{payload}"
    job = JobFactory(employer=employer, title=title)
    sign_in_resident(page, live_server, resident_user)
    page.goto(f"{live_server.url}/m/jobs/{job.pk}/")
    page.get_by_role("button", name="查看地图").click()  # loaded on demand (issue 17)
    page.locator("[data-jc-map-ready]").wait_for(state="attached")

    page.locator(".leaflet-interactive").last.hover()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.text_content() == title
    assert tooltip.locator("img, script, a").count() == 0
