"""SEC-04/05: the authenticator app (TOTP, django-otp) as the second factor of staff and administrators.

Binding needs a code the app shows now; sign-in accepts the code of the server's step ±1, once; the
SMS code stays available; only the 安全管理员 resets an authenticator.

Time: django-otp reads the clock with ``time.time()`` inside ``otp_totp.models`` when it verifies;
the ``clock`` fixture pins that, and codes are computed for chosen instants (``rfc6238_code``), so
nothing sleeps. Its wait after a wrong code runs on ``timezone.now()``; tests that need it over move
the device's failure timestamp back (``let_the_wait_pass``).
"""

import datetime
import json
from base64 import b32encode
from types import SimpleNamespace

import pytest
import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp import models as otp_totp_models

from jobcircle.accounts import security, services
from jobcircle.accounts.models import Authenticator
from jobcircle.common.models import AuditEvent
from jobcircle.common.sms import MemoryBackend
from tests.accounts.helpers import last_code, rfc6238_code

pytestmark = pytest.mark.django_db
PASSWORD = "Test-password-2026"
STEP = 30
NOW = 60_000_000 * STEP + 12  # 12 s into a step: the neighbouring steps are whole steps away
OTHERS = ["system_admin", "audit_admin", "county_admin", "community_staff", "resident_user"]


@pytest.fixture
def clock(monkeypatch):
    """The instant django-otp verifies at (Unix seconds), as ``clock.now``."""
    state = SimpleNamespace(now=NOW)
    monkeypatch.setattr(otp_totp_models, "time", SimpleNamespace(time=lambda: state.now))
    return state


@pytest.fixture(autouse=True)
def empty_outbox():
    MemoryBackend.outbox.clear()


@pytest.fixture
def enrolled(county_admin, clock):
    """county_admin bound an authenticator ten minutes ago, through the binding services."""
    clock.now = NOW - 600
    device = security.start_totp_enrolment(county_admin)
    security.confirm_totp_enrolment(county_admin, code_at(device, clock.now))
    clock.now = NOW
    device.refresh_from_db()
    return device


def code_at(device, unix_time):
    return rfc6238_code(device.bin_key, unix_time, step=device.step, digits=device.digits)


def let_the_wait_pass(device):
    """django-otp refuses every code for a while after a wrong one; move that failure into the past."""
    Authenticator.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=F("throttling_failure_timestamp") - datetime.timedelta(minutes=10)
    )


def password_only(client, user):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def enter(client, code, method="totp"):
    return client.post(reverse("accounts:verify"), {"code": code, "method": method, "next": "/backoffice/"})


def signed_in(client):
    return client.get("/backoffice/").status_code == 200


def test_the_helper_computes_rfc6238_codes():
    """RFC 6238 appendix B (SHA-1), last 6 of the 8 digits."""
    assert rfc6238_code(b"12345678901234567890", 59) == "287082"
    assert rfc6238_code(b"12345678901234567890", 1111111109) == "081804"


# --- sign-in ----------------------------------------------------------------------------------------


def test_with_an_authenticator_its_code_is_asked_first_and_no_sms_is_sent(client, enrolled, county_admin):
    response = password_only(client, county_admin)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/verify/")
    page = client.get(response["Location"]).content.decode()
    assert 'data-jc-second-factor="totp"' in page and "身份验证器动态码" in page
    assert "改用短信验证码" in page  # the staff member has a phone on file
    assert MemoryBackend.outbox == []


@pytest.mark.parametrize("steps", [-1, 0, 1])
def test_the_code_of_the_current_previous_or_next_step_signs_in(client, clock, enrolled, county_admin, steps):
    password_only(client, county_admin)
    response = enter(client, code_at(enrolled, NOW + steps * STEP))
    assert response.status_code == 302 and response["Location"] == "/backoffice/"
    assert signed_in(client)
    event = AuditEvent.objects.get(action="accounts.mfa.verified", actor=county_admin)
    assert event.data == {"method": "totp"}


@pytest.mark.parametrize("steps", [-2, 2, -20])
def test_a_code_two_or_more_steps_away_is_refused_like_a_wrong_sms_code(client, clock, enrolled, county_admin, steps):
    password_only(client, county_admin)
    response = enter(client, code_at(enrolled, NOW + steps * STEP))
    assert response.status_code == 200
    assert "动态码不正确或已使用过" in response.content.decode()
    assert not signed_in(client)
    failed = AuditEvent.objects.get(action="accounts.mfa.failed", actor=county_admin)
    assert (failed.result, failed.data) == ("failure", {"method": "totp"})
    enrolled.refresh_from_db()
    assert enrolled.throttling_failure_count == 1  # django-otp's wait before the next try


@pytest.mark.parametrize("steps_after", [0, -1], ids=["the same code", "an earlier step's code"])
def test_a_code_works_only_once(client, clock, enrolled, county_admin, steps_after):
    password_only(client, county_admin)
    assert enter(client, code_at(enrolled, NOW)).status_code == 302
    other = Client(REMOTE_ADDR="10.9.9.9")  # say, someone who saw the code over the shoulder
    password_only(other, county_admin)
    response = enter(other, code_at(enrolled, NOW + steps_after * STEP))
    assert "动态码不正确或已使用过" in response.content.decode()
    assert not signed_in(other)


def test_the_window_stays_on_the_server_clock_after_a_next_step_code(clock, enrolled, county_admin):
    """OTP_TOTP_SYNC is off: accepting the next step's code does not move the window forward."""
    security._use_totp_code(enrolled, code_at(enrolled, NOW + STEP))
    enrolled.refresh_from_db()
    assert enrolled.drift == 0
    with pytest.raises(ValidationError, match="动态码不正确"):
        security._use_totp_code(enrolled, code_at(enrolled, NOW + 2 * STEP))


def test_the_code_that_confirmed_the_binding_cannot_sign_in(client, clock, county_admin):
    device = security.start_totp_enrolment(county_admin)
    security.confirm_totp_enrolment(county_admin, code_at(device, NOW))
    password_only(client, county_admin)
    assert "动态码不正确或已使用过" in enter(client, code_at(device, NOW)).content.decode()


def test_after_a_wrong_code_the_next_try_waits(client, clock, enrolled, county_admin):
    password_only(client, county_admin)
    enter(client, "000000" if code_at(enrolled, NOW) != "000000" else "111111")
    refused = enter(client, code_at(enrolled, NOW))
    assert "动态码错误次数过多" in refused.content.decode() and not signed_in(client)
    let_the_wait_pass(enrolled)
    assert enter(client, code_at(enrolled, NOW)).status_code == 302


def test_a_user_with_an_authenticator_can_still_sign_in_with_an_sms_code(
    client, clock, enrolled, county_admin, monkeypatch
):
    fixed = timezone.now().replace(second=5, microsecond=0)  # both sends fall in one rate-limit minute
    monkeypatch.setattr(services, "_now", lambda: fixed)
    password_only(client, county_admin)
    asked = client.post(reverse("accounts:verify"), {"resend": "1", "method": "sms", "next": "/backoffice/"})
    page = asked.content.decode()
    assert 'data-jc-second-factor="sms"' in page and "短信验证码已发送" in page and "改用身份验证器动态码" in page
    assert len(MemoryBackend.outbox) == 1
    again = client.post(reverse("accounts:verify"), {"resend": "1", "method": "sms"})
    assert "太频繁" in again.content.decode() and len(MemoryBackend.outbox) == 1  # the send limits still hold
    response = enter(client, last_code(), method="sms")
    assert response.status_code == 302 and signed_in(client)
    assert AuditEvent.objects.get(action="accounts.mfa.verified").data == {"method": "sms"}


def test_without_an_authenticator_the_code_is_texted_as_before(client, county_admin):
    security.start_totp_enrolment(county_admin)  # a binding never confirmed counts for nothing
    response = password_only(client, county_admin)
    assert len(MemoryBackend.outbox) == 1
    page = client.get(response["Location"]).content.decode()
    assert 'data-jc-second-factor="sms"' in page and "改用身份验证器" not in page
    enter(client, "123456", method="totp")  # asking for a method one does not have falls back to SMS
    assert not AuditEvent.objects.filter(action="accounts.mfa.failed", data__method="totp").exists()
    assert enter(client, last_code(), method="sms").status_code == 302 and signed_in(client)


# --- binding (身份验证器 page) -------------------------------------------------------------------------


def test_binding_needs_a_current_code_before_the_device_is_confirmed(client, clock, county_admin):
    client.force_login(county_admin)
    url = reverse("accounts:totp")
    first = client.get(url)
    assert "开始绑定" in first.content.decode() and "<img" not in first.content.decode()
    assert client.post(url, {"start": "1"}).status_code == 302
    device = Authenticator.objects.get(user=county_admin)
    assert (device.confirmed, device.tolerance, device.step, device.digits) == (False, 1, 30, 6)
    page = client.get(url)
    assert "no-store" in page["Cache-Control"]
    secret = b32encode(device.bin_key).decode()
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in html

    wrong = client.post(url, {"code": code_at(device, NOW + 2 * STEP)})
    assert "动态码不正确" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert AuditEvent.objects.filter(action="accounts.totp.enrolment_failed", actor=county_admin).exists()
    let_the_wait_pass(device)

    done = client.post(url, {"code": code_at(device, NOW)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="accounts.totp.enrolled", actor=county_admin).exists()
    after = client.get(url).content.decode()
    assert "已绑定" in after and secret[:8] not in after  # the secret is shown only while binding
    logged = json.dumps(list(AuditEvent.objects.values("data")), default=str)
    assert secret not in logged and device.key not in logged


def test_the_qr_code_holds_the_otpauth_url_of_the_secret(county_admin):
    device = security.start_totp_enrolment(county_admin)
    url = device.config_url
    assert url.startswith("otpauth://totp/")
    assert f"secret={b32encode(device.bin_key).decode()}" in url and "period=30" in url and "digits=6" in url
    assert "issuer=%E4%B8%89%E5%85%AC%E9%87%8C" in url  # 三公里就业圈
    qr = security.totp_status(county_admin)["setup"]["qr"]
    assert qr == segno.make(url, error="m").svg_data_uri(scale=5, border=2)


def test_binding_again_replaces_the_old_device_once_the_new_one_is_confirmed(client, clock, enrolled, county_admin):
    client.force_login(county_admin)
    client.post(reverse("accounts:totp"), {"start": "1"})
    new = Authenticator.objects.get(user=county_admin, confirmed=False)
    assert Authenticator.objects.filter(pk=enrolled.pk, confirmed=True).exists()  # the old one still works meanwhile
    client.post(reverse("accounts:totp"), {"code": code_at(new, NOW)})
    assert list(Authenticator.objects.filter(user=county_admin).values_list("pk", "confirmed")) == [(new.pk, True)]
    event = AuditEvent.objects.filter(action="accounts.totp.enrolled").latest("id")
    assert event.data == {"replaced": 1}


@pytest.mark.parametrize("who", ["resident_user", "employer_user"])
def test_residents_and_employers_have_no_authenticator_page(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("accounts:totp")).status_code == 403
    assert client.post(reverse("accounts:totp"), {"start": "1"}).status_code == 403
    assert not Authenticator.objects.exists()


def test_the_authenticator_page_needs_a_finished_sign_in(client, county_admin):
    assert client.get(reverse("accounts:totp"))["Location"].startswith("/accounts/login/")
    password_only(client, county_admin)
    for response in (client.get(reverse("accounts:totp")), client.post(reverse("accounts:totp"), {"start": "1"})):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/verify/")
    assert not Authenticator.objects.exists()


# --- 安全管理员: reset --------------------------------------------------------------------------------


def test_the_security_administrator_resets_an_authenticator(client, security_admin, enrolled, county_admin):
    client.force_login(security_admin)
    screen = client.get(reverse("account_admin:lockout_list")).content.decode()
    url = reverse("account_admin:second_factor_reset")
    assert f'action="{url}"' in screen and "data-jc-confirm" in screen
    assert client.get(url).status_code == 405
    response = client.post(url, {"username": county_admin.username}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_admin:lockout_list")
    assert "已删除其身份验证器" in response.content.decode()
    assert not Authenticator.objects.filter(user=county_admin).exists()
    event = AuditEvent.objects.get(action="accounts.mfa.reset")
    assert (event.actor, event.object_id, event.data) == (security_admin, str(county_admin.pk), {"devices_removed": 1})
    password_only(Client(), county_admin)
    assert len(MemoryBackend.outbox) == 1  # back to the texted code


@pytest.mark.parametrize("who", OTHERS)
def test_only_the_security_administrator_resets(client, request, who, enrolled, county_admin):
    client.force_login(request.getfixturevalue(who))
    for username in ["county_admin", "nobody"]:  # no answer that tells which usernames exist either
        assert client.post(reverse("account_admin:second_factor_reset"), {"username": username}).status_code == 403
    assert Authenticator.objects.filter(pk=enrolled.pk).exists()
    assert not AuditEvent.objects.filter(action="accounts.mfa.reset").exists()
    with pytest.raises(PermissionDenied):
        security.reset_second_factor(county_admin, by=request.getfixturevalue(who))


def test_an_unknown_or_resident_username_is_not_reset(client, security_admin, resident_user):
    client.force_login(security_admin)
    for username in ["nobody", resident_user.username, ""]:
        response = client.post(reverse("account_admin:second_factor_reset"), {"username": username}, follow=True)
        assert "没有这个工作人员或管理员账号" in response.content.decode()
    assert not AuditEvent.objects.filter(action="accounts.mfa.reset").exists()


# --- the secret at rest -------------------------------------------------------------------------------


def test_the_secret_is_stored_encrypted_and_django_otps_own_row_cannot_check_codes(enrolled, clock):
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice

    secret = enrolled.bin_key
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT key FROM otp_totp_totpdevice UNION ALL SELECT key_encrypted FROM accounts_authenticatorkey"
        )
        stored = " ".join(value for (value,) in cursor.fetchall())
    assert secret.hex() not in stored and b32encode(secret).decode() not in stored
    plain = TOTPDevice.objects.get(pk=enrolled.pk)  # the table read through django-otp's class
    assert not plain.verify_token(code_at(enrolled, clock.now))


def test_key_rotation_re_encrypts_the_authenticator_secrets(settings, enrolled, clock):
    from django.core.management import call_command

    secret = enrolled.bin_key
    old_key = settings.JOBCIRCLE_PII_KEY
    settings.JOBCIRCLE_PII_KEY, settings.JOBCIRCLE_PII_OLD_KEYS = "the-new-key", [old_key]
    call_command("rotate_pii_keys")
    settings.JOBCIRCLE_PII_OLD_KEYS = []  # old key retired
    device = Authenticator.objects.get(pk=enrolled.pk)
    assert device.bin_key == secret
    assert device.verify_token(rfc6238_code(secret, clock.now + STEP))
