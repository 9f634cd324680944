"""Helpers shared by the browser tests (tests/browser/*)."""

import re

import pytest
from django.conf import settings
from django.test import Client

from jobcircle.common.sms import MemoryBackend

# Every browser test module starts with ``pytestmark = BROWSER_TEST``: the live server needs real
# transactions (the tables are emptied after each test; the ``catalogues`` fixture reloads what they need).
BROWSER_TEST = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("catalogues")]

PASSWORD = "Test-password-2026"  # tests/factories.make_user


def login_as(page, base_url, username, password=PASSWORD):
    """Sign in through the account login form (and, for staff, the texted second-factor code)
    and wait for the landing page of the user's role."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert "/accounts/login/" not in page.url, f"登录失败：{username}"
    if "/accounts/verify/" in page.url:
        code = re.search(r"\d{6}", MemoryBackend.outbox[-1][1]).group()
        page.get_by_label("验证码").fill(code)
        with page.expect_navigation():
            page.get_by_role("button", name="验证并进入").click()
        assert "/accounts/verify/" not in page.url, f"短信验证失败：{username}"
    return page


def last_sms_code(phone):
    """The newest 6-digit code texted to ``phone`` (MemoryBackend in tests)."""
    for to, text in reversed(MemoryBackend.outbox):
        if to == phone:
            return re.search(r"\d{6}", text).group()
    raise AssertionError(f"没有发往 {phone} 的短信")


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def small_tap_targets(page, selector="button, a.button, a.row, .tabs a, input:not([type=hidden]), select, textarea"):
    """Visible controls smaller than 44 px high (H5 tap targets)."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
            .filter((el) => el.offsetParent !== null)
            .map((el) => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
            .filter(([, h]) => h < 44)""",
        selector,
    )


def csp_violations(page):
    return [m for m in page.jc_console if "Content Security Policy" in m or "Refused to" in m]


def sign_in_resident(page, live_server, user):
    """A completed phone-code sign-in (tests/browser/test_resident_journey.py walks the real one)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def sign_in_by_phone(page, phone):
    """On the H5 sign-in page: ask for a code, type the texted one and go on (to registration for a new phone)."""
    page.get_by_label("手机号").fill(phone)
    page.get_by_role("button", name="获取验证码").click()
    page.locator("[data-jc-code-sent]").wait_for()
    page.get_by_label("短信验证码").fill(last_sms_code(phone))
    with page.expect_navigation():
        page.get_by_role("button", name="登录 / 下一步").click()
