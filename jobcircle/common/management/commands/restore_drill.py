from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobcircle.common.audit import log_action
from jobcircle.common.backup import restore_drill, write_report


class Command(BaseCommand):
    help = "恢复演练：把最新备份恢复到临时数据库，核对行数、审计链和解密抽样，写出带日期的报告"

    def add_arguments(self, parser):
        parser.add_argument("--backup", help="指定备份文件（默认最新）")

    def handle(self, *args, backup=None, **options):
        result = restore_drill(Path(backup) if backup else None)
        report = write_report(result)
        log_action("common.backup.restore_drill", data={"ok": result["ok"], "report": report.name},
                   result="success" if result["ok"] else "failure")  # fmt: skip
        self.stdout.write(report.read_text(encoding="utf-8"))
        if not result["ok"]:
            raise CommandError("恢复演练未通过：" + "；".join(result["problems"]))
