"""SEC-36, the part that needs no earlier release: every migration of ours can be unapplied and
applied again.

On the scratch database DATABASE_URL names: migrate to the head, take each of our apps back to
zero, check that none of our migrations is still applied, then migrate to the head once more.
Run by .ci/run on SQLite and on PostgreSQL.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402


def applied(labels):
    recorded = MigrationExecutor(connection).loader.applied_migrations
    return sorted(f"{app}.{name}" for app, name in recorded if app in labels)


def main():
    executor = MigrationExecutor(connection)
    ours = {config.label for config in apps.get_app_configs() if config.name.startswith("jobcircle.")}
    ours &= executor.loader.migrated_apps
    call_command("migrate", interactive=False, verbosity=0)
    head = applied(ours)
    for label in sorted(ours):
        call_command("migrate", label, "zero", interactive=False, verbosity=0)
    left = applied(ours)
    if left:
        sys.exit(f"migration drill: still applied after going back to zero: {', '.join(left)}")
    call_command("migrate", interactive=False, verbosity=0)
    if applied(ours) != head:
        sys.exit("migration drill: the second migrate did not reach the same head")
    print(f"migration drill ({connection.vendor}): {len(head)} migrations of {len(ours)} apps went back to zero "
          "and forward again")  # fmt: skip


if __name__ == "__main__":
    main()
