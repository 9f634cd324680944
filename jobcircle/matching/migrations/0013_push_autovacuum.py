"""Autovacuum for the pushes table by rows inserted, not by a share of its size (PostgreSQL only).

The history check (a resident's pushes of the last 30 days) is an index-only scan only while the
visibility map covers the recent pages. The default insert trigger (1,000 rows + 20 % of the table)
would, at a province's size (hundreds of millions of rows kept 180 days), visit the table every few
weeks; a fixed threshold of 500,000 inserted rows (scale factor 0) vacuums it about once a day of pushes.
docs/performance.md, "The pushes table".
"""

from django.db import migrations

SETTINGS = "autovacuum_vacuum_insert_threshold = 500000, autovacuum_vacuum_insert_scale_factor = 0"
NAMES = "autovacuum_vacuum_insert_threshold, autovacuum_vacuum_insert_scale_factor"


def _alter(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("matching", "0012_default_push_cadence")]

    operations = [
        migrations.RunPython(
            _alter(f"ALTER TABLE matching_jobpush SET ({SETTINGS})"),
            _alter(f"ALTER TABLE matching_jobpush RESET ({NAMES})"),
        )
    ]
