from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobcircle.areas.codes import Area
from jobcircle.assistance.monitoring.services import generate_monitoring_tasks


class Command(BaseCommand):
    help = "生成当月（或指定月份）的月度监测任务（每月一监测一更新）；重复运行不会重复生成。建议每月1日由 cron 运行"

    def add_arguments(self, parser):
        parser.add_argument("--month", default=None, help="月份，如 2026-11；默认本月")
        parser.add_argument("--area", type=Area, default=None, help="区划代码（县、乡镇或社区）；默认全部")

    def handle(self, *args, month, area, **options):
        try:
            result = generate_monitoring_tasks(month or timezone.localdate(), region=area)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"月度监测任务：新生成 {result['created']} 条，已有 {result['existing']} 条")
