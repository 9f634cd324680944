import getpass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from jobcircle.accounts.enums import Role
from jobcircle.accounts.security import create_staff_user


class Command(BaseCommand):
    help = "创建第一个系统管理员（仅在还没有系统管理员时可用；密码须符合口令策略，交互输入）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--phone", required=True, help="接收登录验证码的手机号")

    def handle(self, *args, username, phone, **options):
        password = getpass.getpass("密码：")
        if password != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致")
        try:
            create_staff_user(
                by=None, username=username, role=Role.SYSTEM_ADMIN, area_code="", phone=phone, password=password,
                bootstrap=True,
            )  # fmt: skip
        except PermissionDenied as exc:
            raise CommandError("已存在系统管理员；其他账号请由系统管理员创建") from exc
        except ValidationError as exc:
            raise CommandError("；".join(m for ms in exc.message_dict.values() for m in ms)) from exc
        self.stdout.write(f"已创建系统管理员 {username}")
