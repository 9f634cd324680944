from django.core.management.base import BaseCommand

from jobcircle.gigs.services import expire_gigs


class Command(BaseCommand):
    help = "结束已到结束时间的零工（招募中、已招满 → 已结束，记录流转）；可重复运行，建议每小时一次"

    def handle(self, *args, **options):
        self.stdout.write(f"已结束零工 {expire_gigs()} 个")
