# The application log takes the shape of every pipeline's log (common.workflow.TransitionLog, issue 21):
# note is renamed reason (rows kept).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recruiting", "0005_job_fair_closed_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="applicationtransition", old_name="note", new_name="reason"),
        migrations.AlterField(
            model_name="applicationtransition",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="时间"),
        ),
        migrations.AlterField(
            model_name="applicationtransition",
            name="by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.AlterField(
            model_name="applicationtransition",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("applied", "已投递"),
                    ("screening", "筛选中"),
                    ("interview", "待面试"),
                    ("intention", "达成就业意向"),
                    ("offer", "已发录用通知"),
                    ("hired", "已入职"),
                    ("rejected", "未录用"),
                    ("withdrawn", "已撤回"),
                ],
                max_length=16,
                verbose_name="原状态",
            ),
        ),
        migrations.AlterField(
            model_name="applicationtransition",
            name="reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="原因"),
        ),
    ]
