"""Back-office forms of training and internships. They only shape input; the rules are in services.py and
internships.py (the same ones the API and the demo go through)."""

from django import forms

from jobcircle.common.forms import TextRulesForm


class RosterUploadForm(TextRulesForm):
    file = forms.FileField(label="花名册（.xlsx）", help_text="请使用下载的培训花名册模板填写；先校验，确认后导入")
