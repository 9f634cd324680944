"""Load real province, prefecture and county codes (with their history) from python-stdnum's table."""

from django.db import migrations


def load(apps, schema_editor):
    from jobcircle.areas.region_data import load_regions, stdnum_region_rows

    load_regions(apps.get_model("areas", "Region"), stdnum_region_rows())


def unload(apps, schema_editor):
    from jobcircle.areas.region_data import SOURCE

    Region = apps.get_model("areas", "Region")
    # Children first: delete by level, deepest first.
    for level in (5, 4, 3, 2, 1):
        Region.objects.filter(source=SOURCE, level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
