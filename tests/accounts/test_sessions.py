"""SEC-06: server-side sessions with idle timeout and absolute lifetime; logout and deactivation end them."""

import datetime

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from jobcircle.accounts import sessions
from tests.accounts.helpers import last_code


def signed_in_client(client, user):
    client.post(reverse("accounts:login"), {"username": user.username, "password": "Test-password-2026"})
    client.post(reverse("accounts:verify"), {"code": last_code()})  # staff: the texted second factor
    assert client.get(reverse("insights:dashboard")).status_code == 200
    return client


def test_an_idle_session_expires_on_the_server(client, county_admin):
    signed_in_client(client, county_admin)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))  # 30 idle minutes later
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_session_ends_twelve_hours_after_login_even_when_active(client, county_admin):
    signed_in_client(client, county_admin)
    old_key = client.cookies["sessionid"].value
    session = client.session  # active all along: only the login time is 12 hours and a minute ago
    session[sessions.LOGIN_AT] -= 12 * 3600 + 60
    session.save()
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Session.objects.filter(session_key=old_key).exists()


def test_logout_deletes_the_session_row_and_the_old_cookie_no_longer_works(client, county_admin):
    signed_in_client(client, county_admin)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=cookie).exists()
    client.cookies["sessionid"] = cookie
    assert client.get(reverse("insights:dashboard")).status_code == 302


def test_deactivating_a_user_deletes_all_their_sessions(client, county_admin, township_staff):
    from django.test import Client

    signed_in_client(client, county_admin)
    Client().force_login(county_admin)  # a second device (a code can be texted only once a minute)
    signed_in_client(Client(REMOTE_ADDR="10.0.0.9"), township_staff)  # another office: its own send limit
    assert Session.objects.count() == 3
    county_admin.is_active = False
    county_admin.save()
    assert Session.objects.count() == 1
    assert client.get(reverse("insights:dashboard")).status_code == 302


def test_production_cookies_use_host_prefixes(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("JOBCIRCLE_PII_KEY", "prod-test")
    prod = importlib.import_module("config.settings.prod")
    assert prod.SESSION_COOKIE_NAME.startswith("__Host-") and prod.CSRF_COOKIE_NAME.startswith("__Host-")
    assert prod.SESSION_COOKIE_SECURE and prod.SESSION_COOKIE_HTTPONLY and prod.SESSION_COOKIE_SAMESITE == "Lax"


def test_an_api_call_on_a_session_past_its_lifetime_is_a_json_401(client, county_admin):
    signed_in_client(client, county_admin)
    old_key = client.cookies["sessionid"].value
    assert client.get("/api/v1/residents").status_code == 200
    session = client.session
    session[sessions.LOGIN_AT] -= 12 * 3600 + 60
    session.save()
    response = client.get("/api/v1/residents")
    assert response.status_code == 401 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": sessions.SESSION_EXPIRED}
    assert not Session.objects.filter(session_key=old_key).exists()


def test_a_token_beside_a_session_past_its_lifetime_still_decides_alone(client, county_admin):
    from jobcircle.accounts.models import ApiToken

    _, raw = ApiToken.issue(county_admin)
    signed_in_client(client, county_admin)
    session = client.session
    session[sessions.LOGIN_AT] -= 12 * 3600 + 60
    session.save()
    assert client.get("/api/v1/residents", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert client.get("/api/v1/residents").status_code == 401  # the expired session itself was ended
