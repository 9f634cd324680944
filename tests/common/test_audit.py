import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.audit import log_action, purge_expired, verify_chain
from jobcircle.common.models import AuditEvent
from jobcircle.people.services import update_resident
from tests.factories import demo_id_number, demo_phone

pytestmark = pytest.mark.django_db


def _three_events(user):
    return [log_action(f"test.event.{n}", by=user, data={"n": n}) for n in range(3)]


def test_events_form_an_intact_chain(county_admin):
    events = _three_events(county_admin)
    assert events[1].prev_hash == events[0].row_hash
    assert verify_chain()[1] is None
    call_command("verify_audit_chain")


def _sqlite_edit(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL forbids the edit; see the trigger test")
def test_an_edited_row_is_reported_first(county_admin):
    events = _three_events(county_admin)
    _sqlite_edit("UPDATE common_auditevent SET result = 'failure' WHERE id = %s", [events[1].pk])
    assert verify_chain()[1] == events[1].pk
    with pytest.raises(CommandError, match=f"#{events[1].pk}"):
        call_command("verify_audit_chain")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL forbids the delete; see the trigger test")
def test_a_deleted_row_breaks_the_chain_at_the_next_row(county_admin):
    events = _three_events(county_admin)
    _sqlite_edit("DELETE FROM common_auditevent WHERE id = %s", [events[1].pk])
    assert verify_chain()[1] == events[2].pk


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL forbids the delete; see the trigger test")
def test_deleting_the_newest_row_is_detected(county_admin):
    events = _three_events(county_admin)
    _sqlite_edit("DELETE FROM common_auditevent WHERE id = %s", [events[2].pk])
    assert verify_chain()[1] is not None


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgres_refuses_updates_and_the_owner_edit_is_found(county_admin):
    events = _three_events(county_admin)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk).update(result="failure")
    with connection.cursor() as cursor:  # the table owner can switch the trigger off; the chain still tells
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush deferred FK checks before ALTER TABLE
        cursor.execute("ALTER TABLE common_auditevent DISABLE TRIGGER common_auditevent_append_only")
        cursor.execute("UPDATE common_auditevent SET action = 'forged' WHERE id = %s", [events[1].pk])
        cursor.execute("ALTER TABLE common_auditevent ENABLE TRIGGER common_auditevent_append_only")
    assert verify_chain()[1] == events[1].pk


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_application_role_may_only_insert_and_read_audit_rows(county_admin):
    events = _three_events(county_admin)
    with connection.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS jobcircle_app_test")
        cursor.execute("CREATE ROLE jobcircle_app_test")
    call_command("grant_app_privileges", "jobcircle_app_test")
    with connection.cursor() as cursor:
        cursor.execute("SET ROLE jobcircle_app_test")
        try:
            cursor.execute("SELECT count(*) FROM common_auditevent")
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute("UPDATE common_auditevent SET result = 'x' WHERE id = %s", [events[0].pk])
        finally:
            cursor.execute("RESET ROLE")


def test_audit_rows_hold_no_plaintext_after_id_and_phone_changes(resident, community_staff):
    new_id, new_phone = demo_id_number(), demo_phone()
    update_resident(
        resident,
        by=community_staff,
        scope=scope_for_user(community_staff),
        data={"id_number": new_id, "phone": new_phone},
    )
    text = " ".join(f"{e.data} {e.changed_fields} {e.object_id}" for e in AuditEvent.objects.all())
    assert {"id_number", "phone"} <= set(AuditEvent.objects.get(action="people.resident.updated").changed_fields)
    assert new_id not in text and new_phone not in text


def test_pii_values_passed_in_data_are_redacted(county_admin):
    event = log_action("test.redaction", by=county_admin, data={"phone": demo_phone(), "count": 3})
    assert event.data == {"phone": "[已隐去]", "count": 3}


def test_api_writes_record_source_ip_and_request_id(client, community_staff, community):
    client.force_login(community_staff)
    response = client.post(
        "/api/v1/residents",
        {"name": "赵六", "id_number": demo_id_number(), "community_code": community.code},
        content_type="application/json",
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="6.6.6.6",  # not from a trusted proxy: ignored
    )
    assert response.status_code == 201
    event = AuditEvent.objects.get(action="people.resident.created")
    assert event.source_ip == "10.1.2.3"
    assert event.request_id == response["X-Request-ID"]
    assert (event.actor_id, event.actor_role) == (community_staff.pk, "community_staff")


def test_a_trusted_proxy_supplies_the_client_address(client, community_staff, community, settings):
    settings.JOBCIRCLE_TRUSTED_PROXIES = ["10.0.0.1"]
    client.force_login(community_staff)
    client.post(
        "/api/v1/residents",
        {"name": "钱七", "id_number": demo_id_number(), "community_code": community.code},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="spoofed, 172.16.5.9",
    )
    assert AuditEvent.objects.get(action="people.resident.created").source_ip == "172.16.5.9"


def _event_at(when, action, obj=None, monkeypatch=None):
    monkeypatch.setattr("jobcircle.common.audit.timezone.now", lambda: when)
    return log_action(action, obj=obj)


def test_purge_keeps_security_events_six_months_and_pi_events_three_years(monkeypatch, resident, settings):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    old = now - datetime.timedelta(days=400)
    first = _event_at(old, "accounts.login.succeeded", monkeypatch=monkeypatch)
    _event_at(old, "people.resident.updated", obj=resident, monkeypatch=monkeypatch)  # PI: still kept
    _event_at(old, "accounts.login.failed", monkeypatch=monkeypatch)  # behind the PI row: kept too (prefix only)
    monkeypatch.undo()
    assert purge_expired(dry_run=True, now=now) == 1
    assert AuditEvent.objects.filter(pk=first.pk).exists()  # dry run deletes nothing
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert purge_expired(dry_run=False, now=now) == 1
    assert not AuditEvent.objects.filter(pk=first.pk).exists()
    assert AuditEvent.objects.filter(action="common.audit.purged").exists()
    assert verify_chain()[1] is None  # the chain re-anchored after the purge


def test_audit_events_are_shipped_as_json_lines(county_admin, django_capture_on_commit_callbacks, caplog):
    with caplog.at_level("INFO", logger="jobcircle.audit"), django_capture_on_commit_callbacks(execute=True):
        log_action("test.shipped", by=county_admin, data={"phone": demo_phone()})
    shipped = [r.getMessage() for r in caplog.records if r.name == "jobcircle.audit"]
    assert len(shipped) == 1 and '"test.shipped"' in shipped[0] and "[已隐去]" in shipped[0]


def test_purge_command_dry_run_reports_the_windows(capsys):
    call_command("purge_audit_log", "--dry-run")
    assert "183" in capsys.readouterr().out
