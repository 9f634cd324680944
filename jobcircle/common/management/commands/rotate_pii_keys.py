from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from jobcircle.common import pii
from jobcircle.common.audit import log_action


class Command(BaseCommand):
    help = (
        "用当前 JOBCIRCLE_PII_KEY 重新加密个人信息并重算检索索引。"
        "轮换步骤：新密钥设为 JOBCIRCLE_PII_KEY、旧密钥放入 JOBCIRCLE_PII_OLD_KEYS，运行本命令，之后即可撤下旧密钥。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    @transaction.atomic
    def handle(self, *args, batch_size, **options):
        counts = pii.reencrypt_with_current_key(batch_size)
        log_action("common.pii.keys_rotated", data=counts)
        done = "，".join(f"{apps.get_model(label)._meta.verbose_name} {n} 条" for label, n in counts.items())
        self.stdout.write(f"已重新加密：{done}")
