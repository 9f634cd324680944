from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "jobcircle.training"
    verbose_name = "职业技能培训与就业见习"
