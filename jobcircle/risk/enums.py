from django.db import models


class WarningKind(models.TextChoices):
    LONG_UNEMPLOYED = "long_unemployed", "监测对象长期未就业"
    ZERO_HOUSEHOLD_OPEN = "zero_household_open", "零就业家庭长期未清零"
    WORKSHOP_BUFFER = "workshop_buffer", "帮扶车间缓冲监测"
    RETURNED_IDLE = "returned_idle", "返乡农民工长期未就业"


class SubjectKind(models.TextChoices):
    PERSON = "person", "个人"
    HOUSEHOLD = "household", "家庭户"
    EMPLOYER = "employer", "用工单位"
    WORKSHOP = "workshop", "帮扶车间"
    AREA = "area", "区域"


class Level(models.IntegerChoices):
    BLUE = 1, "蓝色（一般）"
    YELLOW = 2, "黄色（较重）"
    ORANGE = 3, "橙色（严重）"
    RED = 4, "红色（特别严重）"


class WarningStatus(models.TextChoices):
    OPEN = "open", "待签收"
    ACKNOWLEDGED = "acknowledged", "已签收"
    WORKING = "working", "处置中"
    RESOLVED = "resolved", "已解除"


WARNING_MOVES = {
    WarningStatus.OPEN: {WarningStatus.ACKNOWLEDGED, WarningStatus.RESOLVED},
    WarningStatus.ACKNOWLEDGED: {WarningStatus.WORKING, WarningStatus.RESOLVED},
    WarningStatus.WORKING: {WarningStatus.RESOLVED},
}
