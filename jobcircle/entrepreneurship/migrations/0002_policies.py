from django.db import migrations

from jobcircle.entrepreneurship import data_policies


def load(apps, schema_editor):
    data_policies.load(
        apps.get_model("entrepreneurship", "LoanPolicy"),
        apps.get_model("subsidies", "Policy"),
        apps.get_model("subsidies", "PolicyVersion"),
    )


def unload(apps, schema_editor):
    """Nothing to undo here: the loan policies go with 0001's tables; the subsidies policies stay, as they may
    carry applications and ledger entries (a re-apply finds them: data_policies.load is idempotent)."""


class Migration(migrations.Migration):
    dependencies = [("entrepreneurship", "0001_initial"), ("subsidies", "0002_policy_catalogue")]

    operations = [migrations.RunPython(load, unload)]
