"""Administrator screens of accounts: 账号管理 (系统管理员), 登录锁定 (安全管理员); landing and the menu.

Each screen opens for its own role only: the other administrators, area staff and residents get 403,
anonymous visitors go to sign in. Writes go through accounts.security, as the API's do.
"""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from jobcircle.accounts.enums import Role
from jobcircle.accounts.models import User
from jobcircle.common.models import AuditEvent
from tests.factories import demo_phone, make_user

pytestmark = pytest.mark.django_db
STRONG = "Strong-pass-2026!"
OWN_SCREENS = {
    "system_admin": ["account_admin:user_list", "account_admin:user_create"],
    "security_admin": ["account_admin:lockout_list"],
}
EVERYONE = ["system_admin", "audit_admin", "security_admin", "county_admin", "community_staff", "resident_user"]


@pytest.mark.parametrize("owner", sorted(OWN_SCREENS))
@pytest.mark.parametrize("who", EVERYONE)
def test_each_screen_opens_for_its_own_role_only(client, request, owner, who):
    client.force_login(request.getfixturevalue(who))
    for name in OWN_SCREENS[owner]:
        assert client.get(reverse(name)).status_code == (200 if who == owner else 403), (name, who)


@pytest.mark.parametrize("who", [w for w in EVERYONE if w != "system_admin"])
def test_only_the_system_administrator_deactivates(client, request, who, township_staff):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("account_admin:user_deactivate", args=[township_staff.pk])).status_code == 403
    township_staff.refresh_from_db()
    assert township_staff.is_active


@pytest.mark.parametrize("who", [w for w in EVERYONE if w != "security_admin"])
def test_only_the_security_administrator_unlocks(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("account_admin:lockout_unlock"), {"username": "x"}).status_code == 403
    assert not AuditEvent.objects.filter(action="accounts.login.unlocked").exists()


def test_anonymous_visitors_are_sent_to_login(client):
    for name in ["account_admin:user_list", "account_admin:user_create", "account_admin:lockout_list"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), name


@pytest.mark.parametrize(
    "who, screen",
    [
        ("system_admin", "account_admin:user_list"),
        ("audit_admin", "audit:event_list"),
        ("security_admin", "account_admin:lockout_list"),
        ("county_admin", "insights:dashboard"),
        ("employer_user", "portal:employer_home"),
        ("resident_user", "portal:m_home"),
    ],
)
def test_landing_sends_each_role_to_its_own_screen(client, request, who, screen):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("accounts:landing"))
    assert response.status_code == 302 and response["Location"] == reverse(screen)


@pytest.mark.parametrize(
    "who, shown",
    [("system_admin", ["users"]), ("audit_admin", ["audit"]), ("security_admin", ["lockouts"])],
)
def test_the_menu_shows_each_administrator_only_their_screen(client, request, who, shown):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("accounts:landing"), follow=True).content.decode()
    assert [nav for nav in ["users", "audit", "lockouts"] if f'data-jc-nav="{nav}"' in page] == shown
    assert f'href="{reverse("people:resident_list")}"' not in page
    assert f'href="{reverse("insights:dashboard")}"' not in page  # the area staff's 工作台


def test_area_staff_see_no_administrator_screens_in_their_menu(client, county_admin):
    client.force_login(county_admin)
    page = client.get(reverse("insights:dashboard")).content.decode()
    assert f'href="{reverse("people:resident_list")}"' in page
    assert "data-jc-nav" not in page and reverse("account_admin:user_list") not in page


# --- 账号管理 ---------------------------------------------------------------------------------------------


def test_the_account_list_masks_phones_and_filters_by_role_and_state(
    client, system_admin, county_admin, community_staff, resident_user, django_assert_max_num_queries
):
    phone = demo_phone()
    community_staff.set_phone(phone)
    community_staff.is_active = False
    community_staff.save()
    created = [make_user(f"staff_{n}", Role.TOWNSHIP_STAFF, area=county_admin.area) for n in range(25)]
    client.force_login(system_admin)
    with django_assert_max_num_queries(9):  # constant: the area comes with the page (select_related)
        client.get(reverse("account_admin:user_list"), {"page": 2})
    page = client.get(reverse("account_admin:user_list"), {"role": "", "active": ""})
    logins = [*created, county_admin, community_staff, system_admin]  # staff and administrators, no resident
    assert page.context["page_obj"].paginator.count == len(logins)
    html = page.content.decode()
    assert phone not in html and community_staff.phone_masked in html
    assert "Test-password-2026" not in html and "pbkdf2" not in html

    def found(**params):
        return list(client.get(reverse("account_admin:user_list"), params).context["page_obj"].object_list)

    assert found(role="county_admin") == [county_admin]
    assert found(role="system_admin", active="1") == [system_admin]
    assert found(active="0") == [community_staff]
    assert resident_user not in found(active="1")


def test_creating_a_staff_account_goes_through_the_service(client, system_admin, community):
    client.force_login(system_admin)
    phone = demo_phone()
    response = client.post(reverse("account_admin:user_create"), {
        "username": "new_staff", "role": "community_staff", "area_code": community.code, "phone": phone,
        "password": STRONG,
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == reverse("account_admin:user_list")
    user = User.objects.get(username="new_staff")
    assert (user.role, user.area, user.phone_masked, user.check_password(STRONG)) == (
        Role.COMMUNITY_STAFF, community, phone[:3] + "****" + phone[-4:], True
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="accounts.user.created", actor=system_admin, object_id=str(user.pk))
    listed = client.get(reverse("account_admin:user_list")).content.decode()
    assert phone not in listed and STRONG not in listed


def test_a_bad_field_is_named_beside_it_and_nothing_is_written(client, system_admin):
    client.force_login(system_admin)
    users_before = User.objects.count()
    response = client.post(reverse("account_admin:user_create"), {
        "username": "x1", "role": "community_staff", "area_code": "", "phone": demo_phone(), "password": "weak-pw",
    })  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert "工作人员必须指定" in " ".join(form.errors["area_code"]) and form.errors["password"]
    html = response.content.decode()
    assert 'id="id_area_code_error"' in html and 'id="id_password_error"' in html
    assert "weak-pw" not in html  # the password is never echoed back
    assert User.objects.count() == users_before
    assert not AuditEvent.objects.filter(action="accounts.user.created").exists()


def test_an_unknown_area_code_or_a_taken_username_is_a_field_error(client, system_admin, county_admin):
    client.force_login(system_admin)
    response = client.post(reverse("account_admin:user_create"), {
        "username": county_admin.username, "role": "township_staff", "area_code": "990121999", "phone": demo_phone(),
        "password": STRONG,
    })  # fmt: skip
    errors = response.context["form"].errors
    assert "没有这个区划代码" in errors["area_code"][0]
    assert not User.objects.filter(role=Role.TOWNSHIP_STAFF).exists()
    response = client.post(reverse("account_admin:user_create"), {
        "username": county_admin.username, "role": "audit_admin", "area_code": "", "phone": demo_phone(),
        "password": STRONG,
    })  # fmt: skip
    assert "已被使用" in response.context["form"].errors["username"][0]
    assert User.objects.filter(username=county_admin.username).count() == 1


def test_deactivating_ends_the_users_sessions_and_is_audited(client, system_admin, township_staff):
    elsewhere = Client()
    elsewhere.force_login(township_staff)
    assert elsewhere.get(reverse("insights:dashboard")).status_code == 200
    client.force_login(system_admin)
    url = reverse("account_admin:user_deactivate", args=[township_staff.pk])
    assert client.get(url).status_code == 405  # a POST only (with the confirm on the button)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("account_admin:user_list")
    township_staff.refresh_from_db()
    assert not township_staff.is_active
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(township_staff.pk)]
    again = elsewhere.get(reverse("insights:dashboard"))
    assert again.status_code == 302 and again["Location"].startswith("/accounts/login/")
    event = AuditEvent.objects.get(action="accounts.user.deactivated")
    assert (event.actor, event.object_id) == (system_admin, str(township_staff.pk))
    assert client.post(url).status_code == 404  # already inactive


def test_a_system_administrator_cannot_deactivate_themselves(client, system_admin):
    """The one acting always stays active, so there is always a system administrator left."""
    client.force_login(system_admin)
    response = client.post(reverse("account_admin:user_deactivate", args=[system_admin.pk]), follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    system_admin.refresh_from_db()
    assert system_admin.is_active
    assert not AuditEvent.objects.filter(action="accounts.user.deactivated").exists()


def test_residents_cannot_be_deactivated_from_the_staff_account_screen(client, system_admin, resident_user):
    client.force_login(system_admin)
    assert client.post(reverse("account_admin:user_deactivate", args=[resident_user.pk])).status_code == 404


# --- 登录锁定 ---------------------------------------------------------------------------------------------


def fail_five_times(user, ip="10.1.2.3"):
    attacker = Client(REMOTE_ADDR=ip)
    for _ in range(5):
        attacker.post(reverse("accounts:login"), {"username": user.username, "password": "wrong-password"})
    return attacker


def test_locked_logins_are_listed_and_unlocking_clears_the_lock(client, security_admin, county_admin):
    attacker = fail_five_times(county_admin)
    client.force_login(security_admin)
    locks = client.get(reverse("account_admin:lockout_list")).context["lockouts"]
    assert [(lock["username"], lock["ip_address"], lock["failures"]) for lock in locks] == [
        (county_admin.username, "10.1.2.3", 5)
    ]
    login = {"username": county_admin.username, "password": "Test-password-2026"}
    assert attacker.post(reverse("accounts:login"), login).status_code == 429
    assert client.get(reverse("account_admin:lockout_unlock")).status_code == 405
    response = client.post(reverse("account_admin:lockout_unlock"), {"username": county_admin.username})
    assert response.status_code == 302 and response["Location"] == reverse("account_admin:lockout_list")
    assert client.get(reverse("account_admin:lockout_list")).context["lockouts"] == []
    assert attacker.post(reverse("accounts:login"), login).status_code == 302  # the right password works again
    assert AuditEvent.objects.filter(action="accounts.login.unlocked", actor=security_admin).exists()


def test_four_failures_are_not_a_lock(client, security_admin, county_admin):
    attacker = Client(REMOTE_ADDR="10.1.2.4")
    for _ in range(4):
        attacker.post(reverse("accounts:login"), {"username": county_admin.username, "password": "wrong-password"})
    client.force_login(security_admin)
    page = client.get(reverse("account_admin:lockout_list"))
    assert page.context["lockouts"] == [] and "当前没有被锁定的登录" in page.content.decode()


def test_an_ip_locked_for_spraying_is_listed_and_lifted_from_the_screen(client, security_admin, county_admin, settings):
    """Issue 22 item 12: the per-IP lock across usernames shows on 登录锁定 and is lifted there (audited)."""
    settings.JOBCIRCLE_LOCKOUT_IP_FAILURES = settings.AXES_FAILURE_LIMIT + 1
    sprayer = Client(REMOTE_ADDR="10.1.2.5")
    for i in range(settings.JOBCIRCLE_LOCKOUT_IP_FAILURES):
        sprayer.post(reverse("accounts:login"), {"username": f"guess{i}", "password": "wrong-password"})
    client.force_login(security_admin)
    page = client.get(reverse("account_admin:lockout_list"))
    assert [(lock["username"], lock["ip_address"]) for lock in page.context["lockouts"]] == [("", "10.1.2.5")]
    assert "解除IP锁定" in page.content.decode()
    response = client.post(reverse("account_admin:lockout_unlock"), {"ip": "10.1.2.5"})
    assert response.status_code == 302
    assert client.get(reverse("account_admin:lockout_list")).context["lockouts"] == []
    login = {"username": county_admin.username, "password": "Test-password-2026"}
    assert sprayer.post(reverse("accounts:login"), login).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.login.unlocked", data__ip="10.1.2.5").exists()
