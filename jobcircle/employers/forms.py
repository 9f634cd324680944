"""Forms for employers and jobs (back office and employer portal). Validation is employers.services'."""

import datetime

from django import forms
from django.utils import timezone

from jobcircle.areas.codes import Area
from jobcircle.areas.forms import area_choices, community_choices
from jobcircle.common.exports import DATE, NUMBER, Column
from jobcircle.common.forms import TextRulesForm
from jobcircle.common.validators import model_max_length
from jobcircle.people.enums import Education, WorkType
from jobcircle.people.forms import blank, occupation_codes

from .compliance import review_posting
from .enums import SHOWN_JOB_STATUSES, EmployerSize, EmployerStatus, EmployerType, JobStatus
from .models import Job
from .services import REVIEWED_FIELDS

EMPLOYER_SORTS = {"": ("area_code", "id"), "name": ("name", "id"), "-created_at": ("-created_at", "-id")}
JOB_SORTS = {
    "": ("-valid_from", "id"),
    "title": ("title", "id"),
    "-pay_max": ("-pay_max", "id"),
    "valid_until": ("valid_until", "id"),
    "-created_at": ("-created_at", "-id"),
}


class EmployerFilterForm(TextRulesForm):
    q = forms.CharField(label="单位名称", required=False, max_length=100)
    credit_suffix = forms.CharField(label="信用代码后4位", required=False, max_length=4)
    area = forms.ChoiceField(label="区划", required=False)
    employer_type = forms.ChoiceField(label="单位类型", required=False, choices=blank() + EmployerType.choices)
    status = forms.ChoiceField(label="单位状态", required=False, choices=blank() + EmployerStatus.choices)
    is_key_enterprise = forms.ChoiceField(
        label="重点企业", required=False, choices=[("", "全部"), ("1", "白名单企业"), ("0", "其他")]
    )
    industry = forms.CharField(label="行业代码", required=False, max_length=4, help_text="如 13（大类）或 1311（小类）")
    sort = forms.ChoiceField(
        label="排序", required=False, choices=[("", "按区划"), ("name", "名称"), ("-created_at", "最新注册")]
    )

    def __init__(self, data, *, scope):
        super().__init__(data)
        self.fields["area"].choices = blank() + area_choices(scope)

    def filter(self, queryset):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("area"):
            queryset = queryset.in_area(Area(data["area"]))
        if data.get("q"):
            queryset = queryset.filter(name__contains=data["q"].strip())
        if data.get("credit_suffix"):
            queryset = queryset.filter(credit_code__endswith=data["credit_suffix"].strip().upper())
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("employer_type"):
            queryset = queryset.filter(employer_type=data["employer_type"])
        if data.get("is_key_enterprise"):
            queryset = queryset.filter(is_key_enterprise=data["is_key_enterprise"] == "1")
        if data.get("industry"):
            queryset = queryset.filter(industry__code__startswith=data["industry"].strip())
        return queryset.order_by(*EMPLOYER_SORTS.get(data.get("sort") or "", EMPLOYER_SORTS[""]))


class JobFilterForm(TextRulesForm):
    q = forms.CharField(label="岗位名称", required=False, max_length=100)
    area = forms.ChoiceField(label="区划", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=blank() + SHOWN_JOB_STATUSES)
    occupation = forms.CharField(label="职业代码", required=False, max_length=11, help_text="如 4-10 或 4-10-01-05")
    work_type = forms.ChoiceField(label="工作类型", required=False, choices=blank() + WorkType.choices)
    sort = forms.ChoiceField(
        label="排序", required=False,
        choices=[("", "最新发布"), ("title", "岗位名称"), ("-pay_max", "月薪从高到低"), ("valid_until", "即将到期")],
    )  # fmt: skip

    def __init__(self, data, *, scope):
        super().__init__(data)
        self.fields["area"].choices = blank() + area_choices(scope)

    def filter(self, queryset):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("area"):
            queryset = queryset.in_area(Area(data["area"]))
        if data.get("q"):
            queryset = queryset.filter(title__contains=data["q"].strip())
        if data.get("status"):
            queryset = queryset.shown_as(data["status"])
        if data.get("occupation"):
            queryset = queryset.filter(occupation__code__startswith=data["occupation"].strip())
        if data.get("work_type"):
            queryset = queryset.filter(work_type=data["work_type"])
        return queryset.order_by(*JOB_SORTS.get(data.get("sort") or "", JOB_SORTS[""]))


class EmployerForm(TextRulesForm):
    name = forms.CharField(label="单位名称", max_length=100)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=30, help_text="18位，营业执照上可查")
    employer_type = forms.ChoiceField(label="单位类型", choices=EmployerType.choices)
    size = forms.ChoiceField(label="企业规模", choices=EmployerSize.choices, initial=EmployerSize.SMALL)
    industry_code = forms.CharField(
        label="行业代码", required=False, max_length=4, help_text="国民经济行业分类（GB/T 4754-2017），如 1311"
    )
    address = forms.CharField(label="单位地址", max_length=200)
    community_code = forms.ChoiceField(label="所属社区/村")
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(
        label="联系电话（手机）", max_length=20, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    )
    is_key_enterprise = forms.BooleanField(label="重点企业（白名单）", required=False)

    def __init__(self, *args, scope=None, instance=None, self_service=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["community_code"].choices = community_choices(None if self_service else scope)
        if self_service:
            del self.fields["is_key_enterprise"]  # set by the bureau, not by the employer
        if instance is not None:
            self.fields["contact_phone"].required = False
            self.fields["contact_phone"].help_text = f"当前：{instance.contact_phone_masked}。不修改请留空"

    @classmethod
    def initial_for(cls, employer):
        return {
            "name": employer.name, "credit_code": employer.credit_code, "employer_type": employer.employer_type,
            "size": employer.size, "industry_code": employer.industry.code if employer.industry_id else "",
            "address": employer.address, "community_code": employer.area_code, "contact_name": employer.contact_name,
            "is_key_enterprise": employer.is_key_enterprise,
        }  # fmt: skip

    def service_data(self):
        data = {k: v for k, v in self.cleaned_data.items() if k != "contact_phone"}
        data["industry_code"] = data.get("industry_code") or None
        if self.cleaned_data.get("contact_phone") or self.instance is None:
            data["contact_phone"] = self.cleaned_data.get("contact_phone") or ""
        return data


class EmployerSignUpForm(EmployerForm):
    username = forms.CharField(label="登录用户名", max_length=150, help_text="字母、数字或 @.+-_")
    password = forms.CharField(
        label="登录密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少12位，不要用常见密码或与用户名相近的密码",
    )  # fmt: skip

    def service_data(self):
        data = super().service_data()
        data.pop("username", None)
        data.pop("password", None)
        return data


class JobForm(TextRulesForm):
    title = forms.CharField(label="岗位名称", max_length=100)
    occupation_code = forms.CharField(
        label="职业", max_length=120, help_text="职业分类大典2022版，输入名称或代码选择，如 4-10-01-05 养老护理员",
        widget=forms.TextInput(attrs={"list": "occupation-options", "autocomplete": "off"}),
    )  # fmt: skip
    headcount = forms.IntegerField(label="招聘人数", min_value=1)
    pay_min = forms.IntegerField(label="月薪下限（元）", min_value=0)
    pay_max = forms.IntegerField(label="月薪上限（元）", min_value=0)
    work_type = forms.ChoiceField(label="工作类型", choices=WorkType.choices)
    education_min = forms.ChoiceField(label="最低学历", choices=Education.choices, required=False)
    age_min = forms.IntegerField(label="最低年龄", required=False, min_value=16)
    age_max = forms.IntegerField(label="最高年龄", required=False, min_value=16)
    # Lengths are the model's: an over-long text is refused here, before the compliance checker reads it.
    description = forms.CharField(
        label="工作内容", max_length=model_max_length(Job, "description"), widget=forms.Textarea(attrs={"rows": 4})
    )
    requirements = forms.CharField(
        label="招聘条件", max_length=model_max_length(Job, "requirements"), widget=forms.Textarea(attrs={"rows": 4})
    )
    benefits = forms.CharField(
        label="福利待遇", required=False, max_length=model_max_length(Job, "benefits"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    work_address = forms.CharField(label="工作地点", max_length=200, required=False, help_text="不填则为单位地址")
    valid_from = forms.DateField(label="有效期起", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    valid_until = forms.DateField(label="有效期止", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("valid_from"):
            today = timezone.localdate()
            self.initial.update(valid_from=today, valid_until=today + datetime.timedelta(days=60))

    @classmethod
    def initial_for(cls, job):
        initial = {name: getattr(job, name) for name in cls.base_fields if name != "occupation_code"}
        initial["occupation_code"] = f"{job.occupation.code} {job.occupation.name}"
        return initial

    def service_data(self):
        data = dict(self.cleaned_data)
        codes = occupation_codes(data.pop("occupation_code", ""))
        data["occupation_code"] = codes[0] if codes else self.cleaned_data.get("occupation_code")
        data["education_min"] = int(data["education_min"]) if data.get("education_min") not in (None, "") else None
        return data

    def highlights(self):
        """Where the compliance checker found wording to fix: each field's text split around the phrases."""
        texts = {field: (self.data.get(field) or "") for field in REVIEWED_FIELDS}
        # An over-long text (refused by the field's max_length) is never scanned (SEC-39 cost, SEC-29).
        texts = {field: text for field, text in texts.items() if len(text) <= self.fields[field].max_length}
        by_field = {}
        for hit in review_posting(texts):
            by_field.setdefault(hit.field, []).append(hit)
        return [{"field": field, "segments": _segments(texts[field], hits)} for field, hits in by_field.items()]


def _segments(text, hits):
    """Text split around the hits: "要求限男性" → [("要求", ""), ("限男性", "block")] (severity in lower case)."""
    segments, cursor = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start < cursor:
            continue
        segments += [(text[cursor : hit.start], ""), (text[hit.start : hit.end], hit.severity.lower())]
        cursor = hit.end
    segments.append((text[cursor:], ""))
    return [(part, severity) for part, severity in segments if part]


class JobStatusForm(TextRulesForm):
    status = forms.ChoiceField(label="状态", choices=JobStatus.choices)


class EmployerStatusForm(TextRulesForm):
    """停用 / 注销 / 恢复正常 with its reason (the service checks the move and the reason)."""

    status = forms.ChoiceField(label="单位状态", choices=EmployerStatus.choices)
    reason = forms.CharField(label="原因", max_length=200, required=False)


class JobReviewForm(TextRulesForm):
    """审核 decision on a held posting: approve, or return with a reason (the service checks the reason)."""

    DECISIONS = {"approve": JobStatus.OPEN, "return": JobStatus.DRAFT}
    decision = forms.ChoiceField(label="审核结果", choices=[("approve", "审核通过并发布"), ("return", "退回修改")])
    reason = forms.CharField(label="审核意见", max_length=200, required=False)

    def target_status(self):
        return self.DECISIONS[self.cleaned_data["decision"]]

    def get_decision_display(self):
        return dict(self.fields["decision"].choices)[self.cleaned_data["decision"]]


EMPLOYER_EXPORT_COLUMNS = [
    Column("单位名称", lambda e: e.name, width=28),
    Column("统一社会信用代码", lambda e: e.credit_code, width=22),
    Column("单位类型", lambda e: e.get_employer_type_display(), width=12),
    Column("规模", lambda e: e.get_size_display(), width=8),
    Column("行业", lambda e: e.industry.name if e.industry_id else "", width=18),
    Column("所属社区/村", lambda e: e.community.name, width=16),
    Column("区划代码", lambda e: e.area_code, width=14),
    Column("联系人", lambda e: e.contact_name, width=10),
    Column("联系电话（脱敏）", lambda e: e.contact_phone_masked, width=14),
    Column("重点企业", lambda e: "是" if e.is_key_enterprise else "否", width=8),
]
JOB_EXPORT_COLUMNS = [
    Column("岗位名称", lambda j: j.title, width=20),
    Column("用工单位", lambda j: j.employer.name, width=28),
    Column("职业", lambda j: f"{j.occupation.code} {j.occupation.name}", width=24),
    Column("招聘人数", lambda j: j.headcount, kind=NUMBER, width=8),
    Column("月薪下限", lambda j: j.pay_min, kind=NUMBER, width=10),
    Column("月薪上限", lambda j: j.pay_max, kind=NUMBER, width=10),
    Column("工作类型", lambda j: j.get_work_type_display(), width=8),
    Column("工作地点", lambda j: j.work_address, width=24),
    Column("有效期起", lambda j: j.valid_from, kind=DATE, width=12),
    Column("有效期止", lambda j: j.valid_until, kind=DATE, width=12),
    Column("状态", lambda j: j.get_shown_status_display(), width=10),
    Column("区划代码", lambda j: j.area_code, width=14),
]
