from django import forms

from jobcircle.common.forms import TextRulesForm

from .models import ScheduleEntry


class EntryForm(TextRulesForm):
    """The two things an administrator sets on an entry; the service validates the expression."""

    cron = forms.CharField(
        label=ScheduleEntry._meta.get_field("cron").verbose_name,
        max_length=ScheduleEntry._meta.get_field("cron").max_length,
        help_text=(
            "5段：分 时 日 月 周（本地时间）。如“30 1 * * *”每天1:30，“15 * * * *”每小时15分，“10 0 1 * *”每月1日0:10"
        ),
    )
    enabled = forms.BooleanField(label="启用", required=False)
