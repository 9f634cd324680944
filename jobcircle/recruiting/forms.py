from django import forms

from jobcircle.areas.enums import RegionLevel
from jobcircle.common.forms import TextRulesForm
from jobcircle.people.forms import area_choices

from .enums import ApplicationStatus, JobFairKind


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


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class FairForm(TextRulesForm):
    """A fair's details; the service (``_clean_fair``) holds the rules that tie them together."""

    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=JobFairKind.choices, initial=JobFairKind.COMPREHENSIVE)
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    venue = forms.CharField(label="举办地点", max_length=200, required=False, help_text="现场招聘会必填")
    stream_link = forms.URLField(
        label="直播链接", max_length=500, required=False, assume_scheme="https", help_text="直播带岗必填，https:// 开头"
    )
    area_code = forms.ChoiceField(label="主办区划")

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.COMMUNITY)
        self.fields["area_code"].choices = area_choices(scope, levels=levels)

    @classmethod
    def initial_for(cls, fair):
        return {name: getattr(fair, name) for name in cls.base_fields}


class FairEmployerForm(TextRulesForm):
    """An employer of the staff member's area and the jobs it brings (only jobs of that area)."""

    employer = forms.ModelChoiceField(label="参会企业", queryset=None)
    jobs = forms.ModelMultipleChoiceField(label="带来的岗位", queryset=None, required=False,
                                          widget=forms.CheckboxSelectMultiple)  # fmt: skip
    booth = forms.CharField(label="展位号", max_length=20, required=False)

    def __init__(self, *args, scope, **kwargs):
        from jobcircle.employers.models import Employer, Job

        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.in_scope(scope).order_by("name")
        jobs = Job.objects.in_scope(scope).select_related("employer").order_by("employer__name", "title")
        self.fields["jobs"].queryset = jobs
        self.fields["jobs"].label_from_instance = lambda job: f"{job.employer.name} · {job.title}（{job.headcount}人）"


class FairIntentionForm(TextRulesForm):
    """达成就业意向: a resident of the staff member's area who signed in, and a job brought to this fair."""

    resident = forms.ModelChoiceField(label="求职者", queryset=None)
    job = forms.ModelChoiceField(label="意向岗位", queryset=None)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, fair, scope, **kwargs):
        from jobcircle.employers.models import Job
        from jobcircle.people.models import Resident

        super().__init__(*args, **kwargs)
        signed_in = Resident.objects.in_scope(scope).filter(fair_attendances__fair=fair).order_by("name")
        self.fields["resident"].queryset = signed_in
        self.fields["resident"].label_from_instance = lambda r: f"{r.name}（{r.phone_masked}）"
        jobs = Job.objects.in_scope(scope).filter(fair_entries__fair=fair).select_related("employer").distinct()
        self.fields["job"].queryset = jobs.order_by("employer__name", "title")
        self.fields["job"].label_from_instance = lambda job: f"{job.employer.name} · {job.title}"
