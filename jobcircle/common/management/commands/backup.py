from django.core.management.base import BaseCommand

from jobcircle.common.audit import log_action
from jobcircle.common.backup import BACKUP_DIR, make_backup


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份 / PostgreSQL pg_dump），并写出含行数与摘要的清单"

    def add_arguments(self, parser):
        parser.add_argument("--dest", default=str(BACKUP_DIR))

    def handle(self, *args, dest, **options):
        from pathlib import Path

        path = make_backup(Path(dest))
        log_action("common.backup.created", data={"file": path.name})
        self.stdout.write(f"备份完成：{path}")
