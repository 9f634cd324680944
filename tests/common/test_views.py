"""The 审计管理员's screen: the audit log (filters shared with the API, every read audited) and the chain check."""

import datetime
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobcircle.accounts.enums import Role
from jobcircle.common import audit
from jobcircle.common.audit import log_action
from jobcircle.common.models import AuditEvent

pytestmark = pytest.mark.django_db
SCREENS = ["audit:event_list", "audit:verify"]


@pytest.mark.parametrize(
    "who", ["system_admin", "audit_admin", "security_admin", "county_admin", "community_staff", "resident_user"]
)
def test_only_the_audit_administrator_opens_the_audit_log(client, request, who):
    client.force_login(request.getfixturevalue(who))
    for name in SCREENS:
        assert client.get(reverse(name)).status_code == (200 if who == "audit_admin" else 403), name
    if who != "audit_admin":
        assert not AuditEvent.objects.filter(action__in=["common.audit.read", "common.audit.verified"]).exists()


def test_anonymous_visitors_are_sent_to_login(client):
    for name in SCREENS:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), name


def test_the_screen_is_read_only(client, audit_admin):
    client.force_login(audit_admin)
    for name in SCREENS:
        assert client.post(reverse(name)).status_code == 405, name


def at(day, action, **kwargs):
    """An event logged at noon (Asia/Shanghai) of ``day``."""
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(audit.timezone, "now", lambda: noon)
        return log_action(action, **kwargs)


def test_filters_narrow_the_list(client, audit_admin, county_admin, community_staff):
    d1, d2, d3 = datetime.date(2026, 3, 1), datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)
    login = at(d1, "accounts.login.succeeded", by=county_admin)
    failed = at(d2, "accounts.login.failed", result="failure")
    edit = at(d2, "people.resident.updated", by=community_staff)
    export = at(d3, "people.resident.exported", by=county_admin)
    client.force_login(audit_admin)

    def found(**params):
        page = client.get(reverse("audit:event_list"), params).context["page_obj"]
        return [e for e in page.object_list if e.actor_id != audit_admin.pk]  # not the reader's sign-in and reads

    assert found(action="accounts") == [failed, login]  # newest first
    assert found(action="people.resident.up") == [edit]
    assert found(actor="county_admin") == [export, login]
    assert found(actor=str(community_staff.pk)) == [edit]
    assert found(since="2026-03-02", until="2026-03-02") == [edit, failed]
    assert found(since="2026-03-02", action="people") == [export, edit]
    assert found(result="failure") == [failed]
    assert found(actor="nobody") == []
    # A bad date shows its error beside the field and is left out of the filter.
    response = client.get(reverse("audit:event_list"), {"since": "not-a-date", "action": "accounts"})
    assert response.context["form"].errors["since"]
    assert [e for e in response.context["page_obj"].object_list if e.actor_id != audit_admin.pk] == [failed, login]


def test_each_read_is_audited_with_its_filters_and_row_count(client, audit_admin, county_admin):
    for n in range(3):
        log_action(f"test.event.{n}", by=county_admin)
    client.force_login(audit_admin)
    page = client.get(reverse("audit:event_list"), {"action": "test.event", "actor": "county_admin"})
    assert page.status_code == 200 and "test.event.2" in page.content.decode()
    assert f"<td>{Role.COUNTY_ADMIN.label}</td>" in page.content.decode()  # the role's name, not its code
    read = AuditEvent.objects.get(action="common.audit.read")
    assert read.actor == audit_admin
    assert read.data["rows"] == 3
    assert read.data["filter"]["action"] == "test.event" and read.data["filter"]["actor"] == "county_admin"


def test_the_filtered_log_exports_watermarked_and_the_export_is_audited(client, audit_admin, county_admin):
    wanted = [log_action(f"test.event.{n}", by=county_admin, data={"n": n}) for n in range(3)]
    log_action("other.event", by=county_admin)
    client.force_login(audit_admin)
    response = client.get(reverse("audit:event_list"), {"action": "test.event", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert audit_admin.username in str(sheet.cell(row=1, column=1).value)  # watermark: who exported
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == [e.pk for e in reversed(wanted)]
    export = AuditEvent.objects.get(action="common.audit.exported")
    assert export.actor == audit_admin and export.data["rows"] == len(wanted)
    assert export.data["filter"]["action"] == "test.event"


def test_the_list_pins_its_queries(client, audit_admin, county_admin, community_staff, django_assert_max_num_queries):
    for n in range(60):
        log_action("test.event", by=county_admin if n % 2 else community_staff, data={"n": n})
    client.force_login(audit_admin)
    # constant: actors come with the page; the pages' anchor (the top id) is one; the read is one more append
    with django_assert_max_num_queries(15):
        response = client.get(reverse("audit:event_list"))
    assert len(response.context["page_obj"].object_list) == 50


def test_the_chain_check_says_ok_and_is_audited(client, audit_admin, county_admin):
    for n in range(3):
        log_action(f"test.event.{n}", by=county_admin)
    client.force_login(audit_admin)
    rows = AuditEvent.objects.count()
    page = client.get(reverse("audit:verify"))
    assert page.context["broken_id"] is None and "审计链完好" in page.content.decode()
    event = AuditEvent.objects.get(action="common.audit.verified")
    assert event.actor == audit_admin and event.result == "success" and event.data["checked"] == rows


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL forbids the edit (see test_audit)")
def test_the_chain_check_shows_the_first_broken_row(client, audit_admin, county_admin):
    events = [log_action(f"test.event.{n}", by=county_admin) for n in range(3)]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE common_auditevent SET result = 'failure' WHERE id = %s", [events[1].pk])
    client.force_login(audit_admin)
    page = client.get(reverse("audit:verify"))
    html = page.content.decode()
    assert page.context["broken_id"] == events[1].pk
    assert f"记录 #{events[1].pk}" in html and "test.event.1" in html and "审计链完好" not in html
    assert AuditEvent.objects.get(action="common.audit.verified").result == "failure"


def test_paging_through_the_log_yields_every_row_exactly_once(client, audit_admin, county_admin):
    for n in range(120):
        log_action("test.event", by=county_admin, data={"n": n})
    client.force_login(audit_admin)
    there = set(AuditEvent.objects.values_list("pk", flat=True))
    seen, url = [], reverse("audit:event_list")
    response = client.get(url)
    while True:
        page = response.context["page_obj"]
        seen += [e.pk for e in page.object_list]
        if not page.has_next():
            break
        next_link = response.content.decode().split('class="button" href="?')[-1].split('"')[0]
        response = client.get(f"{url}?{next_link.replace('&amp;', '&')}")
    assert len(seen) == len(set(seen)), "a row appeared on two pages"
    assert set(seen) == there  # the reads written while paging come on the next first page


def test_the_log_shows_chinese_labels_and_the_export_keeps_the_codes(client, audit_admin, community_staff, resident):
    log_action("accounts.login.failed", result="failure", data={"username": "x"})
    log_action("people.resident.updated", by=community_staff, obj=resident, changed_fields=["employment_status"])
    client.force_login(audit_admin)
    page = client.get(reverse("audit:event_list")).content.decode()
    assert "登录失败" in page and "居民·修改" in page and "就业状态" in page and "失败" in page
    cells = page.split("<tbody>")[1]
    for code in (">failure<", "employment_status", ">people.resident #"):
        assert code not in cells
    response = client.get(reverse("audit:event_list"), {"export": "xlsx"})
    values = {
        str(v) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True) for v in row
    }
    assert {"accounts.login.failed", "failure", "employment_status"} <= values
