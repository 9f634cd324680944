from django.db import migrations

from jobcircle.entrepreneurship import data_policies


def load(apps, schema_editor):
    data_policies.load(
        apps.get_model("entrepreneurship", "LoanPolicy"),
        apps.get_model("subsidies", "Policy"),
        apps.get_model("subsidies", "PolicyVersion"),
    )


def unload(apps, schema_editor):
    apps.get_model("entrepreneurship", "LoanPolicy").objects.all().delete()
    Policy = apps.get_model("subsidies", "Policy")
    codes = [code for code, _, _ in data_policies.SUBSIDY_POLICIES]
    apps.get_model("subsidies", "PolicyVersion").objects.filter(policy__code__in=codes).delete()
    Policy.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("entrepreneurship", "0001_initial"), ("subsidies", "0002_policy_catalogue")]

    operations = [migrations.RunPython(load, unload)]
