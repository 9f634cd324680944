from django.core.management.base import BaseCommand, CommandError

from jobcircle.accounts.models import ApiToken, User
from jobcircle.common.audit import log_action


class Command(BaseCommand):
    help = "为用户签发接口令牌（Authorization: Bearer <token>），令牌只显示一次"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="令牌用途说明")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户不存在或已停用：{username}")
        token, raw = ApiToken.issue(user, name=name)
        log_action("accounts.token.issued", obj=token, data={"user": user.username, "name": name})
        self.stdout.write(raw)
