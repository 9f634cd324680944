from django import forms

from jobcircle.common.forms import TextRulesForm

from .enums import ApplicationStatus


class ApplicationTransitionForm(TextRulesForm):
    """One move of an application; the service checks the move and the details it needs."""

    status = forms.ChoiceField(label="操作", choices=ApplicationStatus.choices)
    interview_at = forms.DateTimeField(
        label="面试时间", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    interview_place = forms.CharField(label="面试地点", required=False, max_length=200)
    interview_link = forms.URLField(label="线上面试链接", required=False, max_length=500, assume_scheme="https")
    started_on = forms.DateField(label="入职日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def details(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "status" and v not in (None, "")}
