from django.core.management.base import BaseCommand

from jobcircle.areas.codes import Area
from jobcircle.assistance.monitoring.services import remind_overdue_monitoring


class Command(BaseCommand):
    help = (
        "提醒逾期未完成的月度监测任务：每位责任人一条短信（不含个人信息），每条任务每天至多提醒一次。"
        "建议每天由 cron 运行"
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", type=Area, default=None, help="区划代码（县、乡镇或社区）；默认全部")

    def handle(self, *args, area, **options):
        per_staff = remind_overdue_monitoring(region=area)
        self.stdout.write(f"逾期监测任务提醒：{sum(per_staff.values())} 条任务，{len(per_staff)} 位责任人")
