"""Staff sign-in: password, then the texted second factor (SEC-04); lockout (SEC-03); password rules (SEC-02)."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from jobcircle.accounts.enums import Role
from jobcircle.accounts.security import unlock_login
from jobcircle.common.models import AuditEvent
from jobcircle.common.sms import MemoryBackend
from tests.accounts.helpers import last_code
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Test-password-2026"


def password_only(client, user, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": password})


def staff_paths():
    """Every back-office URL in the URLconf, with sample arguments."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "/")
    samples = {"<int:": "1", "<str:": "x", "<slug:": "x", "<path:": "x"}
    paths = []
    for route in found:
        if not route.startswith("/backoffice/"):
            continue
        while "<" in route:
            start, end = route.index("<"), route.index(">")
            kind = next((v for k, v in samples.items() if route[start:].startswith(k)), "1")
            route = route[:start] + kind + route[end + 1 :]
        paths.append(route.replace("^", "").replace("$", ""))
    return paths


def test_the_crawl_covers_the_back_office():
    paths = staff_paths()
    assert len(paths) >= 10
    admin_screens = [
        "account_admin:user_list", "account_admin:user_create", "account_admin:user_deactivate",
        "account_admin:lockout_list", "account_admin:lockout_unlock", "account_admin:second_factor_reset",
        "audit:event_list", "audit:verify",
    ]  # fmt: skip
    for name in admin_screens:
        assert reverse(name, args=[1] if name.endswith("deactivate") else []) in paths, name


@pytest.mark.parametrize("who", ["county_admin", "system_admin", "audit_admin", "security_admin"])
def test_no_staff_page_is_reachable_with_the_password_alone(client, request, who):
    password_only(client, request.getfixturevalue(who))
    for path in staff_paths():
        for response in (client.get(path), client.post(path)):
            assert response.status_code == 302, path
            assert response["Location"].startswith("/accounts/verify/"), path
    assert client.get("/api/v1/residents").status_code == 401
    assert client.get("/api/v1/admin/audit/events").status_code == 401


def test_the_code_texted_after_the_password_opens_the_back_office(client, county_admin):
    response = password_only(client, county_admin)
    assert response["Location"].startswith("/accounts/verify/")
    page = client.get(response["Location"])
    assert county_admin.phone_masked in page.content.decode()
    wrong = client.post(reverse("accounts:verify"), {"code": "000000" if last_code() != "000000" else "111111"})
    assert "验证码不正确" in wrong.content.decode()
    done = client.post(reverse("accounts:verify"), {"code": last_code(), "next": "/backoffice/"})
    assert done.status_code == 302 and done["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.mfa.verified", actor=county_admin).exists()


def test_a_code_works_only_once(client, county_admin):
    password_only(client, county_admin)
    code = last_code()
    client.post(reverse("accounts:verify"), {"code": code})
    other = Client(REMOTE_ADDR="10.9.9.9")
    other.post(reverse("accounts:login"), {"username": county_admin.username, "password": PASSWORD})
    response = other.post(reverse("accounts:verify"), {"code": code})
    assert "验证码不正确" in response.content.decode()


def test_residents_and_employers_need_no_second_factor(client, employer_user):
    response = password_only(client, employer_user)
    assert not response["Location"].startswith("/accounts/verify/")


def test_five_failures_lock_the_login_even_for_the_right_password(client, county_admin):
    statuses = [password_only(client, county_admin, "wrong-password").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    assert password_only(client, county_admin).status_code == 429  # the right password, still locked
    assert AuditEvent.objects.filter(action="accounts.login.locked_out").exists()
    assert AuditEvent.objects.filter(action="accounts.login.failed").count() >= 5


def test_only_a_security_administrator_unlocks_and_it_is_audited(client, county, county_admin):
    for _ in range(5):
        password_only(client, county_admin, "wrong-password")
    with pytest.raises(Exception, match="安全管理员"):
        unlock_login(county_admin.username, by=county_admin)
    security_admin = make_user("security_admin", Role.SECURITY_ADMIN, area=county)
    unlock_login(county_admin.username, by=security_admin)
    assert AuditEvent.objects.filter(action="accounts.login.unlocked", actor=security_admin).exists()
    assert password_only(client, county_admin).status_code == 302


@pytest.mark.parametrize(
    "password, accepted",
    [
        ("Short-1a", False),  # under 12
        ("alllowercaseletters", False),  # one class
        ("lowercase-and-digits-2026", True),  # three classes
        ("Password1234!", True),
        ("123456789012", False),  # numeric and common
        ("county_admin-2026X", False),  # too close to the username
        ("Aa1!" * 40, False),  # over 128
        ("长口令也可以Aa1-测试用例", True),
    ],
)
def test_password_policy(county_admin, password, accepted):
    try:
        validate_password(password, county_admin)
        result = True
    except ValidationError:
        result = False
    assert result is accepted


def test_an_expired_staff_password_must_be_changed_before_anything_else(client, county_admin):
    county_admin.password_changed_at = timezone.now() - datetime.timedelta(days=91)
    county_admin.save(update_fields=["password_changed_at"])
    client.force_login(county_admin)
    response = client.get("/backoffice/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/password/")
    assert client.get("/api/v1/residents").status_code == 401
    changed = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Brand-new-pass-2027", "new_password2": "Brand-new-pass-2027"},
    )
    assert changed.status_code == 302
    assert client.get("/backoffice/").status_code == 200


def test_a_bearer_token_works_even_beside_a_half_finished_sign_in(client, county_admin):
    from jobcircle.accounts.models import ApiToken

    _, raw = ApiToken.issue(county_admin)
    password_only(client, county_admin)  # the cookie jar now holds a session waiting for the code
    assert client.get("/api/v1/residents", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert client.get("/api/v1/residents").status_code == 401


def test_changing_the_password_is_audited(client, county_admin):
    client.force_login(county_admin)
    client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Brand-new-pass-2027", "new_password2": "Brand-new-pass-2027"},
    )
    assert AuditEvent.objects.filter(action="accounts.password.changed", actor=county_admin).exists()


def test_errors_show_generic_chinese_pages_without_details(client, settings):
    settings.DEBUG = False
    response = client.get("/c/000000000000/")
    assert response.status_code == 404
    assert "没有找到" in response.content.decode() and "Traceback" not in response.content.decode()


def test_wrong_codes_on_the_resident_login_for_a_staff_phone_do_not_lock_the_staff_member_out(client, county_admin):
    """Issue 22 item 3: anyone may type a staff member's phone into the public /m/login/."""
    from jobcircle.common import pii

    password_only(client, county_admin)
    staff_code = last_code()
    attacker = Client(REMOTE_ADDR="10.8.8.8")
    phone = pii.decrypt(county_admin.phone_encrypted)
    attacker.post(reverse("portal:m_login"), {"phone": phone, "action": "send"})
    for _ in range(6):
        attacker.post(reverse("portal:m_login"), {"phone": phone, "code": "000000", "action": "verify"})
    done = client.post(reverse("accounts:verify"), {"code": staff_code, "next": "/backoffice/"})
    assert done.status_code == 302 and done["Location"] == "/backoffice/"


def test_a_staff_code_does_not_sign_in_on_the_resident_login(client, county_admin):
    from jobcircle.common import pii

    password_only(client, county_admin)
    phone = pii.decrypt(county_admin.phone_encrypted)
    other = Client(REMOTE_ADDR="10.8.8.9")
    response = other.post(reverse("portal:m_login"), {"phone": phone, "code": last_code(), "action": "verify"})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert "verified_phone" not in other.session and "_auth_user_id" not in other.session


def test_a_resident_code_for_a_staff_phone_is_no_second_factor(client, county_admin):
    from jobcircle.common import pii

    MemoryBackend.outbox.clear()
    phone = pii.decrypt(county_admin.phone_encrypted)
    Client(REMOTE_ADDR="10.8.8.10").post(reverse("portal:m_login"), {"phone": phone, "action": "send"})
    resident_code = last_code()
    password_only(client, county_admin)  # texts the real second factor after it
    response = client.post(reverse("accounts:verify"), {"code": resident_code})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()


def test_no_second_factor_code_is_sent_or_checked_without_the_password(client, county_admin):
    MemoryBackend.outbox.clear()
    for response in (client.get(reverse("accounts:verify")), client.post(reverse("accounts:verify"), {"resend": "1"}),
                     client.post(reverse("accounts:verify"), {"code": "123456"})):  # fmt: skip
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert MemoryBackend.outbox == []
    wrong = password_only(client, county_admin, "wrong-password")
    assert wrong.status_code == 200 and MemoryBackend.outbox == []


# Issue 22 item 12: besides the (username, IP) lock, a ceiling of failures per IP across usernames.


@pytest.fixture
def ip_ceiling(settings):
    settings.JOBCIRCLE_LOCKOUT_IP_FAILURES = settings.AXES_FAILURE_LIMIT * 2
    return settings.JOBCIRCLE_LOCKOUT_IP_FAILURES


def test_spraying_many_usernames_from_one_ip_locks_that_ip(client, county_admin, ip_ceiling):
    sprayer = Client(REMOTE_ADDR="10.7.7.7")
    statuses = [
        sprayer.post(reverse("accounts:login"), {"username": f"guess{i}", "password": "Spring-2026!"}).status_code
        for i in range(ip_ceiling)
    ]
    assert statuses == [200] * (ip_ceiling - 1) + [429]  # no username reached its own limit
    assert password_only(sprayer, county_admin).status_code == 429  # a real account, the right password
    assert password_only(client, county_admin).status_code == 302  # the same account from elsewhere
    assert AuditEvent.objects.filter(action="accounts.login.locked_out").exists()


def test_a_security_administrator_sees_and_lifts_an_ip_lock(client, county_admin, security_admin, ip_ceiling):
    from jobcircle.accounts.security import current_lockouts, unlock_ip

    sprayer = Client(REMOTE_ADDR="10.7.7.8")
    for i in range(ip_ceiling):
        sprayer.post(reverse("accounts:login"), {"username": f"guess{i}", "password": "Spring-2026!"})
    (lock,) = [row for row in current_lockouts() if row["ip_address"] == "10.7.7.8"]
    assert lock["username"] == "" and lock["failures"] == ip_ceiling
    with pytest.raises(Exception, match="安全管理员"):
        unlock_ip("10.7.7.8", by=county_admin)
    unlock_ip("10.7.7.8", by=security_admin)
    assert AuditEvent.objects.filter(action="accounts.login.unlocked", actor=security_admin).exists()
    assert password_only(sprayer, county_admin).status_code == 302


def test_staff_whose_password_expires_soon_are_told_so_with_a_link_to_the_page(client, county_admin):
    county_admin.password_changed_at = timezone.now() - datetime.timedelta(days=85)
    county_admin.save(update_fields=["password_changed_at"])
    client.force_login(county_admin)
    page = client.get("/backoffice/", follow=True).content.decode()
    reminder = page.split("data-jc-password-reminder")[1].split("</ul>")[0]
    assert "天后过期" in reminder and f'href="{reverse("accounts:password_change")}"' in reminder


def test_every_back_office_page_links_to_the_password_page_and_a_fresh_password_is_not_nagged(client, county_admin):
    client.force_login(county_admin)
    page = client.get("/backoffice/", follow=True).content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in page
    assert "data-jc-password-reminder" not in page


def test_the_change_page_says_why_an_expired_password_was_sent_there(client, county_admin):
    county_admin.password_changed_at = timezone.now() - datetime.timedelta(days=91)
    county_admin.save(update_fields=["password_changed_at"])
    client.force_login(county_admin)
    assert "密码已过期，请先修改密码" in client.get("/backoffice/", follow=True).content.decode()
