# The job status log takes the shape of every pipeline's log (common.workflow.TransitionLog, issue 21):
# created_at is renamed at (rows kept).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("employers", "0003_job_transition_log")]

    operations = [
        migrations.RenameField(model_name="jobtransition", old_name="created_at", new_name="at"),
        migrations.AlterModelOptions(
            name="jobtransition",
            options={"ordering": ["-at", "-id"], "verbose_name": "岗位状态变更", "verbose_name_plural": "岗位状态变更"},
        ),
        migrations.AlterField(
            model_name="jobtransition",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("draft", "草稿"),
                    ("review", "待人社部门审核"),
                    ("open", "招聘中"),
                    ("paused", "已暂停"),
                    ("filled", "已招满"),
                    ("closed", "已关闭"),
                ],
                max_length=16,
                verbose_name="原状态",
            ),
        ),
    ]
