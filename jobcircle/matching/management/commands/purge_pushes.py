from django.core.management.base import BaseCommand

from jobcircle.matching.push import purge_old_pushes


class Command(BaseCommand):
    help = "删除超过保留期（JOBCIRCLE_PUSH_RETENTION_DAYS，默认180天）的岗位推送、推送站内信和分布统计；可中断后重跑"

    def handle(self, *args, **options):
        counts = purge_old_pushes()
        self.stdout.write(
            f"已删除 {counts['before']} 之前的推送：{counts['days']} 天，岗位推送 {counts['pushes']} 条，"
            f"站内信 {counts['messages']} 条，分布统计 {counts['reach']} 条"
        )
