import datetime

from django.core.management.base import BaseCommand

from jobcircle.recruiting.services import remind_upcoming_fairs


class Command(BaseCommand):
    help = "招聘会前一天，在辖区求职居民的“消息”里放一条招聘会提醒；同一天重复运行不会重复提醒。建议每天由 cron 运行"

    def add_arguments(self, parser):
        parser.add_argument("--area", default="", help="区划代码前缀（县、乡镇或社区）；默认全部")
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, default=None, help="以哪一天为“今天”（YYYY-MM-DD）"
        )

    def handle(self, *args, area, date, **options):
        counts = remind_upcoming_fairs(day=date, area_code=area)
        self.stdout.write(f"招聘会提醒：{counts['fairs']} 场招聘会，新增 {counts['reminded']} 条站内信")
