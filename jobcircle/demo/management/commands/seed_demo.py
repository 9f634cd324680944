import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobcircle.demo.generator import DEMO_ID_PREFIX, SCALES, build_demo, demo_exists
from jobcircle.demo.logins import demo_password, ensure_demo_logins


class Command(BaseCommand):
    help = "生成演示县（或市）：区划、服务站、居民、用工单位、岗位，以及每个角色一个演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="county")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--if-empty", action="store_true", help="演示数据已存在时跳过")

    def handle(self, *args, scale, seed, if_empty, **options):
        if DEMO_ID_PREFIX not in settings.JOBCIRCLE_DEMO_ID_PREFIXES:
            raise CommandError("当前配置不接受演示身份证号（JOBCIRCLE_DEMO_ID_PREFIXES），不能生成演示数据")
        if demo_exists():
            if if_empty:
                self.stdout.write("演示数据已存在，跳过生成。")
                self._print_logins(ensure_demo_logins())
                return
            raise CommandError("演示数据已存在；如需重建请使用 make run RESET=1")
        started = time.monotonic()
        counts = build_demo(seed=seed, scale=scale, log=self.stdout.write)
        self.stdout.write(
            f"完成：居民 {counts['residents']}，用工单位 {counts['employers']}，岗位 {counts['jobs']}，"
            f"用时 {time.monotonic() - started:.1f} 秒"
        )
        self._print_logins(ensure_demo_logins())

    def _print_logins(self, logins):
        self.stdout.write(f"\n演示账号（密码均为 {demo_password()}）：")
        for username, role, where in logins:
            self.stdout.write(f"  {username:<16} {role:<12} {where}")
        self.stdout.write("工作人员账号登录后需输入短信验证码：演示环境的短信打印在运行 make run 的终端里。")
