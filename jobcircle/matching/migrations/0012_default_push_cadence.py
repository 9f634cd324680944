"""The default 推送频次 (issue 18): weekly for everyone, every 3 days for 就业困难人员 and 脱贫人口.

Data the county edits afterwards (``matching.cadence.set_push_cadence``); reversing removes only these rows.
"""

from django.db import migrations

DEFAULTS = (("", 7), ("employment_difficulty", 3), ("poverty_alleviated", 3))


def load(apps, schema_editor):
    PushCadence = apps.get_model("matching", "PushCadence")
    for code, days in DEFAULTS:
        PushCadence.objects.get_or_create(area_code="", key_group_code=code, defaults={"period_days": days})


def unload(apps, schema_editor):
    PushCadence = apps.get_model("matching", "PushCadence")
    PushCadence.objects.filter(area_code="", key_group_code__in=[code for code, _ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("matching", "0011_push_cadence")]

    operations = [migrations.RunPython(load, unload)]
