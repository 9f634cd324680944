from django.db import models


class RunState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    SUCCEEDED = "succeeded", "成功"
    FAILED = "failed", "失败"


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", "按时"
    CATCH_UP = "catch_up", "补运行"  # the latest slot missed while no scheduler ran, once
    MANUAL = "manual", "立即运行"


SCHEDULED_TRIGGERS = (Trigger.SCHEDULE, Trigger.CATCH_UP)
