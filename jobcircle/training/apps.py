from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "jobcircle.training"
    verbose_name = "职业技能培训与就业见习"

    def ready(self):
        # local import: the roster joins the assistance import gate once every app is loaded
        from .imports import register_roster_ledger

        register_roster_ledger()
