"""The shipped default 充分就业社区 standard (area ""): every county may add its own version over it."""

import datetime
from decimal import Decimal

from django.db import migrations

DEFAULT_CRITERIA = [
    ("unemployment_rate", "4.00", "城镇登记失业率统计表（失业登记名册）"),
    ("zero_households", "0.00", "零就业家庭台账及动态清零记录"),
    ("difficulty_employed", "90.00", "就业困难人员认定及就业登记名册"),
    ("station_officer", "1.00", "就业服务站挂牌照片及专干任命文件"),
    ("monitoring_on_time", "90.00", "月度就业监测任务完成记录"),
    ("fairs_held", "2.00", "招聘会、培训活动通知及签到记录"),
    ("station_reach", "80.00", "服务站点位及居民分布（三公里就业圈）"),
    ("jobs_published", "10.00", "岗位信息发布记录"),
]


def load(apps, schema_editor):
    Standard = apps.get_model("communities", "Standard")
    Criterion = apps.get_model("communities", "Criterion")
    standard = Standard.objects.create(
        area_code="", number=1, name="“三公里”充分就业社区评价标准（默认）", valid_from=datetime.date(2020, 1, 1),
        reward=Decimal("6000.00"),
    )  # fmt: skip
    for index, (measure, threshold, evidence) in enumerate(DEFAULT_CRITERIA):
        Criterion.objects.create(
            standard=standard, measure=measure, threshold=Decimal(threshold), evidence=evidence, sort_order=index
        )


def unload(apps, schema_editor):
    Standard = apps.get_model("communities", "Standard")
    Standard.objects.filter(area_code="", number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("communities", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
