from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "（PostgreSQL）给应用运行账号授权：业务表可读写，审计日志表只能 SELECT 和 INSERT（SEC-14）。"
        "以数据库属主身份在每次迁移后运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="应用连接数据库所用的角色名")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("仅适用于 PostgreSQL")
        quoted = connection.ops.quote_name(role)
        with connection.cursor() as cursor:
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quoted}")
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}")
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
            cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON common_auditevent FROM {quoted}")
        self.stdout.write(f"已授权 {role}：审计日志表仅可查询和追加")
