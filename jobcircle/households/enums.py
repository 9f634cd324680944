from django.db import models


class Relation(models.TextChoices):
    """与户主关系 (the relations the household ledgers use)."""

    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙子女"
    GRANDPARENT = "grandparent", "祖父母"
    SIBLING = "sibling", "兄弟姐妹"
    OTHER = "other", "其他"


# 法定劳动年龄: from the 16th birthday to the day before the 60th (the monitoring policy's default range).
WORKING_AGE_MIN = 16
WORKING_AGE_END = 60
