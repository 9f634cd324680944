# Cases and monitoring tasks go through the one workflow helper (common.workflow, issue 21):
# the case log takes the shape of every pipeline's log — from_state/to_state/note are renamed
# from_status/to_status/reason (rows kept, hand-written renames) — and monitoring tasks get a log of their own.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

TASK_STATES = [("pending", "待监测"), ("done", "已完成")]


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0002_import_kind_stations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="casetransition", old_name="from_state", new_name="from_status"),
        migrations.RenameField(model_name="casetransition", old_name="to_state", new_name="to_status"),
        migrations.RenameField(model_name="casetransition", old_name="note", new_name="reason"),
        migrations.AlterField(
            model_name="casetransition",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="时间"),
        ),
        migrations.AlterField(
            model_name="casetransition",
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
            model_name="casetransition",
            name="reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="原因"),
        ),
        migrations.CreateModel(
            name="MonitoringTaskTransition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.CharField(blank=True, max_length=200, verbose_name="原因")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="时间")),
                (
                    "from_status",
                    models.CharField(blank=True, choices=TASK_STATES, max_length=16, verbose_name="原状态"),
                ),
                ("to_status", models.CharField(choices=TASK_STATES, max_length=16, verbose_name="新状态")),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.RESTRICT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="transitions",
                        to="assistance.monitoringtask",
                        verbose_name="监测任务",
                    ),
                ),
            ],
            options={
                "verbose_name": "监测任务状态变更",
                "verbose_name_plural": "监测任务状态变更",
                "ordering": ["task", "at", "id"],
                "abstract": False,
            },
        ),
    ]
