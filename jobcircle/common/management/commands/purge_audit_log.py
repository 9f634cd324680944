from django.conf import settings
from django.core.management.base import BaseCommand

from jobcircle.common.audit import purge_expired


class Command(BaseCommand):
    help = (
        "清理超过保存期限的审计日志（安全事件≥6个月，个人信息处理≥3年；只清理链首连续过期部分，清理本身留痕）。"
        "PostgreSQL 上需以表属主身份运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, dry_run, **options):
        count = purge_expired(dry_run=dry_run)
        general, pi = settings.JOBCIRCLE_AUDIT_RETENTION_DAYS, settings.JOBCIRCLE_AUDIT_PI_RETENTION_DAYS
        windows = f"（保存期：一般 {general} 天，个人信息处理 {pi} 天）"
        self.stdout.write(f"{'可清理' if dry_run else '已清理'} {count} 条{windows}")
