import signal
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from jobcircle.scheduling.jobs import JOBS
from jobcircle.scheduling.services import seconds_to_next_minute, tick


class Command(BaseCommand):
    help = (
        "定时任务调度进程：按每项定时任务的 cron 时间把任务交给后台任务队列（由 db_worker 执行）。"
        "每个时间点只运行一次（可同时运行多个调度进程）；停机期间错过的时间点，恢复后只补运行一次"
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只检查一次到期的任务后退出")

    def handle(self, *args, once, **options):
        self.stopping = False
        if not once:
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, self.stop)
            self.stdout.write("定时任务调度进程已启动（Ctrl+C 停止）")
        while not self.stopping:
            if not once:
                close_old_connections()  # a connection the database dropped while we slept is not reused
            try:
                claimed = tick()
            except DatabaseError as exc:  # the database is away: say so, and try again next minute
                self.stderr.write(f"数据库不可用，下一分钟重试：{exc}")
                claimed = []
            for run in claimed:
                when, where = timezone.localtime(run.slot), run.entry.area_code or "全系统"
                label = JOBS[run.entry.job].label
                self.stdout.write(f"{when:%Y-%m-%d %H:%M} {label}（{where}）→ 已排队（{run.get_trigger_display()}）")
            if once:
                break
            # Sleep in one-second steps: a stop signal ends the wait at once (a tick is never cut short).
            wake = time.monotonic() + seconds_to_next_minute()
            while not self.stopping and time.monotonic() < wake:
                time.sleep(min(1.0, max(0.0, wake - time.monotonic())))

    def stop(self, signum, frame):
        self.stopping = True
