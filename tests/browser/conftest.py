"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium), headless.

- Never `playwright install` (it downloads a browser build): `make test` runs scripts/ensure-browser.sh,
  which installs Debian's `chromium` and `fonts-noto-cjk` with apt-get when they are absent.
- Each test gets a fresh browser context on pytest-django's ``live_server``. The live server needs
  real transactions, so these tests use ``transactional_db``; a transactional test empties every table
  when it ends, so ``catalogues`` reloads the data migrations' occupation catalogue and key groups
  when they are missing (pytest-django runs transactional tests after all the others).
- ``page`` saves a full-page screenshot into ``test-artifacts/`` when a test fails, records console
  errors and CSP violations (``page.jc_console``) and blocks, and records, every request that is not to
  the live server (``page.jc_external``): pages must load nothing from outside (SEC-24, ECO-06).
- ``allowed_origins`` (empty here) names further origins ``page`` lets through, such as ``http://127.0.0.1:PORT``;
  only a test module that starts its own server on loopback overrides it (test_map_tiles.py, ECO-05).
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

# Playwright's sync API runs an asyncio loop in the test thread; the ORM calls made by the
# test itself (fixtures, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("JOBCIRCLE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} 不存在：请运行 `make test`（scripts/ensure-browser.sh 会用 apt-get 安装 chromium）")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def allowed_origins():
    """Origins besides the live server's that ``page`` lets through: none, unless a test module overrides this."""
    return []


@pytest.fixture
def page(request, browser, live_server, allowed_origins):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(20_000)
    allowed = {live_server.url, *allowed_origins}
    external = []

    def only_own_host(route):
        url = route.request.url
        parts = urlsplit(url)
        if url.startswith(("data:", "blob:")) or f"{parts.scheme}://{parts.netloc}" in allowed:
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", only_own_host)
    page = context.new_page()
    page.jc_console, page.jc_external = [], external
    page.on("console", lambda message: message.type == "error" and page.jc_console.append(message.text))
    page.on("pageerror", lambda error: page.jc_console.append(f"pageerror: {error}"))
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the test failure
            print(f"screenshot failed: {exc}")  # noqa: T201
    context.close()


@pytest.fixture
def jobs_around(employer):
    """Open jobs north of 幸福社区's station at about 0.5, 1.2 and 2.5 km, and one 8 km away (outside 3 km)."""
    from tests.factories import JobFactory

    station_lat, station_lng = 33.1600, 115.6200
    km = 1 / 111.2  # degrees of latitude per kilometre
    return [
        JobFactory(employer=employer, title=title, lat=station_lat + d * km, lng=station_lng)
        for title, d in [("超市理货员", 1.2), ("养老护理员", 0.5), ("仓库管理员", 2.5), ("远郊装卸工", 8.0)]
    ]
