"""Residents hired through the platform while still marked 正在求职 stop seeking (issue 17).

Only rows with a platform hire (Placement) change: before this fix a hire left 正在求职 on, so those
rows are the bug's; an employed person without a platform hire may have said they keep looking.
Reversing leaves the rows as they are (which of them had been on is not kept).
"""

from django.db import migrations


def stop_seeking(apps, schema_editor):
    Resident = apps.get_model("people", "Resident")
    Resident.objects.filter(employment_status="employed", is_job_seeking=True, placements__isnull=False).update(
        is_job_seeking=False
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0003_key_group_changes")]

    operations = [migrations.RunPython(stop_seeking, migrations.RunPython.noop)]
