from django import forms

from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.forms import area_choices
from jobcircle.common.forms import TextRulesForm
from jobcircle.employers.models import Employer, Job
from jobcircle.people.models import Resident

from .enums import ApplicationStatus, JobFairKind
from .services import liaison_officer_candidates


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
        super().__init__(*args, **kwargs)
        signed_in = Resident.objects.in_scope(scope).filter(fair_attendances__fair=fair).order_by("name")
        self.fields["resident"].queryset = signed_in
        self.fields["resident"].label_from_instance = lambda r: f"{r.name}（{r.phone_masked}）"
        jobs = Job.objects.in_scope(scope).filter(fair_entries__fair=fair).select_related("employer").distinct()
        self.fields["job"].queryset = jobs.order_by("employer__name", "title")
        self.fields["job"].label_from_instance = lambda job: f"{job.employer.name} · {job.title}"


DATE = forms.DateInput(attrs={"type": "date"})


class AssignmentForm(TextRulesForm):
    """配备人社服务专员: an officer of the staff member's area and a key enterprise (白名单) of that area."""

    officer = forms.ModelChoiceField(label="人社服务专员", queryset=None)
    employer = forms.ModelChoiceField(label="包保企业", queryset=None, help_text="只列出本辖区的重点企业（白名单）")
    started_on = forms.DateField(label="包保开始日期", required=False, widget=DATE, help_text="不填为今天")

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = liaison_officer_candidates(scope=scope)
        self.fields["officer"].label_from_instance = lambda u: f"{u.username}（{u.area.name if u.area else ''}）"
        self.fields["employer"].queryset = (
            Employer.objects.in_scope(scope).filter(is_key_enterprise=True).order_by("name")
        )


class VisitForm(TextRulesForm):
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    needed_headcount = forms.IntegerField(label="用工需求人数", min_value=0, max_value=2_147_483_647, initial=0)
    needs = forms.CharField(label="用工需求", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label="走访记录", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RecommendationForm(TextRulesForm):
    """推荐用工: a job seeker of the staff member's area, and optionally one of the enterprise's jobs there."""

    resident = forms.ModelChoiceField(label="推荐人选", queryset=None, help_text="本辖区内正在求职的居民")
    job = forms.ModelChoiceField(label="推荐岗位", queryset=None, required=False)

    def __init__(self, *args, scope, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        seekers = Resident.objects.in_scope(scope).filter(is_job_seeking=True).order_by("name")
        self.fields["resident"].queryset = seekers
        self.fields["resident"].label_from_instance = lambda r: f"{r.name}（{r.phone_masked}）"
        jobs = Job.objects.in_scope(scope).filter(employer=assignment.employer).order_by("title")
        self.fields["job"].queryset = jobs
