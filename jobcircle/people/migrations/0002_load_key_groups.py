from django.db import migrations


def load(apps, schema_editor):
    from jobcircle.people.data_key_groups import KEY_GROUPS

    KeyGroup = apps.get_model("people", "KeyGroup")
    for order, (code, name, description) in enumerate(KEY_GROUPS, start=1):
        KeyGroup.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )


def unload(apps, schema_editor):
    from jobcircle.people.data_key_groups import KEY_GROUPS

    apps.get_model("people", "KeyGroup").objects.filter(code__in=[c for c, _, _ in KEY_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
