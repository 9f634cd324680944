import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum

from jobcircle.matching.models import PartitionStatus
from jobcircle.matching.push import start_push


class Command(BaseCommand):
    help = "精准送岗：为区域内每位求职者推送适合的岗位（站内信+短信）；同一天重复运行不会重复推送"

    def add_arguments(self, parser):
        parser.add_argument("--area", default="", help="区划代码（县、乡镇或社区）；默认全部")
        parser.add_argument("--k", type=int, default=None, help="每人推送岗位数，默认 3")
        parser.add_argument("--date", default=None, help="推送日期 YYYY-MM-DD，默认今天")
        parser.add_argument(
            "--enqueue", action="store_true", help="每个分区作为后台任务排队，由 db_worker 执行（默认在本进程执行）"
        )

    def handle(self, *args, area, k, date, enqueue, **options):
        try:
            pushed_on = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"推送日期格式不正确：{date}") from exc
        try:
            run = start_push(area_code=area, k=k, pushed_on=pushed_on, enqueue=enqueue)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        parts = run.partitions.all()
        totals = parts.filter(status=PartitionStatus.DONE).aggregate(
            seekers=Sum("seekers"), pushes=Sum("pushes"), messages=Sum("messages")
        )
        by_status = {s: parts.filter(status=s).count() for s in PartitionStatus.values}
        self.stdout.write(
            f"{run.pushed_on} 精准送岗（{run.area_code or '全部区域'}，每人{run.k}个）：分区 {len(parts)} 个"
            f"（完成 {by_status['done']}，排队 {by_status['pending']}，计算中 {by_status['running']}，"
            f"失败 {by_status['failed']}）；推送岗位 {totals['pushes'] or 0} 条，站内信 {totals['messages'] or 0} 条"
        )
        if by_status["failed"]:
            raise CommandError("有分区失败，重新运行本命令即可重试失败的分区")
