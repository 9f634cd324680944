from django.apps import AppConfig

from jobcircle.common import labels

from .permissions import _INPUT_LABELS


class AccountsConfig(AppConfig):
    name = "jobcircle.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self):
        labels.INPUT_LABELS.update(_INPUT_LABELS)  # the audit screens name the write tables' inputs
        # local import: receivers import the models, which load only once the app registry is ready
        from . import signals  # noqa: F401 - connects the receivers
