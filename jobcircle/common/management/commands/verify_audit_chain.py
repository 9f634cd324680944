from django.core.management.base import BaseCommand, CommandError

from jobcircle.common.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链，报告第一条被修改或删除的记录"

    def handle(self, *args, **options):
        checked, broken_id, reason = verify_chain()
        if broken_id is not None:
            raise CommandError(f"审计链断裂：记录 #{broken_id}，{reason}（此前 {checked} 条完好）")
        self.stdout.write(f"审计链完好：共校验 {checked} 条")
