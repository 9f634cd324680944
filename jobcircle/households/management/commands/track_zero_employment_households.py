import datetime

from django.core.management.base import BaseCommand

from jobcircle.areas.codes import Area
from jobcircle.households.models import Household
from jobcircle.households.services import sync_zero_employment


class Command(BaseCommand):
    help = (
        "零就业家庭动态清零：按就业状态记录认定新的零就业家庭（并为其未就业成员开启一对一帮扶）、"
        "记录已清零的家庭；重复运行不会重复认定。建议每天由 cron 运行"
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", type=Area, default=None, help="区划代码（县、乡镇或社区）；默认全部区县")
        parser.add_argument(
            "--on", type=datetime.date.fromisoformat, default=None, help="日期，如 2026-11-05；默认今天"
        )

    def handle(self, *args, area, on, **options):
        counties = sorted({code[:6] for code in Household.objects.values_list("area_code", flat=True).distinct()})
        totals = {"found": 0, "cleared": 0, "cases_opened": 0}
        for region in [area] if area else [Area(code) for code in counties]:
            for key, value in sync_zero_employment(region, on=on).items():
                totals[key] += value
        found, cleared, opened = totals["found"], totals["cleared"], totals["cases_opened"]
        self.stdout.write(f"零就业家庭：新认定 {found} 户，清零 {cleared} 户，新开帮扶 {opened} 人")
