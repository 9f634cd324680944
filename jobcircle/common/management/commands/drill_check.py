import json

from django.core.management.base import BaseCommand

from jobcircle.common.backup import check_restored


class Command(BaseCommand):
    help = "（restore_drill 内部使用）检查当前数据库：行数、审计链、解密抽样，输出 JSON"

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(check_restored(), ensure_ascii=False, default=str))
