from django.core.management.base import BaseCommand

from jobcircle.common.uploads import DEFAULT_TTL_SECONDS, purge_expired


class Command(BaseCommand):
    help = "删除超过保留期（默认24小时）的上传文件与系统生成的临时文件（SEC-22、SEC-28）"

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=DEFAULT_TTL_SECONDS / 3600, help="保留小时数")

    def handle(self, *args, hours, **options):
        removed = purge_expired(int(hours * 3600))
        self.stdout.write(f"已删除过期文件 {removed} 个")
