"""Chain the audit rows written before hashing existed, then make the table append-only on PostgreSQL."""

from django.db import migrations

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION jobcircle_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计日志只允许追加，不能修改或删除';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS common_auditevent_append_only ON common_auditevent;
CREATE TRIGGER common_auditevent_append_only BEFORE UPDATE OR DELETE ON common_auditevent
    FOR EACH ROW EXECUTE FUNCTION jobcircle_audit_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS common_auditevent_append_only ON common_auditevent;
DROP FUNCTION IF EXISTS jobcircle_audit_append_only();
"""


def chain_existing(apps, schema_editor):
    from jobcircle.common.audit import GENESIS, compute_hash

    AuditEvent = apps.get_model("common", "AuditEvent")
    AuditChainHead = apps.get_model("common", "AuditChainHead")
    prev = GENESIS
    last_id = 0
    for event in AuditEvent.objects.order_by("id"):
        event.prev_hash = prev
        event.row_hash = compute_hash(prev, event)
        event.save(update_fields=["prev_hash", "row_hash"])
        prev, last_id = event.row_hash, event.pk
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": prev, "last_id": last_id})


def protect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)


def unprotect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("common", "0003_audit_chain")]
    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(protect, unprotect),
    ]
