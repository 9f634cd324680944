from django.core.management.base import BaseCommand
from django.db import transaction

from jobcircle.accounts.models import AuthenticatorKey, User
from jobcircle.common import pii
from jobcircle.common.audit import log_action
from jobcircle.employers.models import Employer
from jobcircle.people.models import Resident


class Command(BaseCommand):
    help = (
        "用当前 JOBCIRCLE_PII_KEY 重新加密个人信息并重算检索索引。"
        "轮换步骤：新密钥设为 JOBCIRCLE_PII_KEY、旧密钥放入 JOBCIRCLE_PII_OLD_KEYS，运行本命令，之后即可撤下旧密钥。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    @transaction.atomic
    def handle(self, *args, batch_size, **options):
        residents = employers = 0
        for resident in Resident.objects.only("id", "id_number_encrypted", "phone_encrypted").iterator(batch_size):
            resident.set_id_number(pii.decrypt(resident.id_number_encrypted))
            resident.set_phone(pii.decrypt(resident.phone_encrypted))
            resident.save(update_fields=[
                "id_number_encrypted", "id_number_hash", "id_number_masked",
                "phone_encrypted", "phone_hash", "phone_masked",
            ])  # fmt: skip
            residents += 1
        for employer in Employer.objects.only("id", "contact_phone_encrypted").iterator(batch_size):
            employer.set_contact_phone(pii.decrypt(employer.contact_phone_encrypted))
            employer.save(update_fields=["contact_phone_encrypted", "contact_phone_hash", "contact_phone_masked"])
            employers += 1
        # Logins carry a phone too (staff receive their second-factor codes there): missed, they could
        # no longer sign in once the old key is retired.
        users = 0
        for user in User.objects.exclude(phone_encrypted="").only("id", "phone_encrypted").iterator(batch_size):
            user.set_phone(pii.decrypt(user.phone_encrypted))
            user.save(update_fields=["phone_encrypted", "phone_hash", "phone_masked"])
            users += 1
        authenticators = 0
        for key in AuthenticatorKey.objects.iterator(batch_size):
            key.key_encrypted = pii.encrypt(pii.decrypt(key.key_encrypted))
            key.save(update_fields=["key_encrypted"])
            authenticators += 1
        counts = {"residents": residents, "employers": employers, "users": users, "authenticators": authenticators}
        log_action("common.pii.keys_rotated", data=counts)
        self.stdout.write(
            f"已重新加密：居民 {residents} 人，用工单位 {employers} 家，登录账号 {users} 个，"
            f"身份验证器 {authenticators} 个"
        )
