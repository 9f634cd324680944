from django.db import migrations


def load(apps, schema_editor):
    from jobcircle.subsidies.data_policies import load as load_policies

    load_policies(apps.get_model("subsidies", "Policy"), apps.get_model("subsidies", "PolicyVersion"))


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
