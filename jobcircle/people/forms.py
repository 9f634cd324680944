"""Back-office forms for residents. Validation is people.services' (the same as the API's)."""

import re

from django import forms

from jobcircle.areas.codes import Area
from jobcircle.areas.forms import area_choices, community_choices
from jobcircle.common.exports import DATE, Column
from jobcircle.common.forms import TextRulesForm

from .enums import Education, EmploymentStatus, Gender, IdType
from .models import KeyGroup

OCCUPATION_CODE_RE = re.compile(r"\d-\d{2}(?:-\d{2}){0,2}")
SORTS = {
    "": ("area_code", "id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "birth_date": ("birth_date", "id"),
    "-birth_date": ("-birth_date", "-id"),
}


def blank(label="全部"):
    return [("", label)]


def occupation_codes(text):
    """ "4-10-01-05 养老护理员, 6-18-01-01" → ["4-10-01-05", "6-18-01-01"]."""
    return OCCUPATION_CODE_RE.findall(text or "")


class ResidentFilterForm(TextRulesForm):
    q = forms.CharField(label="姓名", required=False, max_length=50)
    id_suffix = forms.RegexField(
        label="证件号后4位", required=False, regex=r"^[0-9Xx]{4}$", error_messages={"invalid": "请输入4位数字或X"}
    )
    phone_suffix = forms.RegexField(
        label="手机号后4位", required=False, regex=r"^\d{4}$", error_messages={"invalid": "请输入4位数字"}
    )
    area = forms.ChoiceField(label="区划", required=False)
    key_group = forms.ChoiceField(label="重点群体", required=False)
    employment_status = forms.ChoiceField(label="就业状态", required=False, choices=blank() + EmploymentStatus.choices)
    is_job_seeking = forms.ChoiceField(
        label="求职", required=False, choices=[("", "全部"), ("1", "正在求职"), ("0", "未求职")]
    )
    occupation = forms.CharField(label="职业代码", required=False, max_length=11, help_text="如 4-10 或 4-10-01-05")
    sort = forms.ChoiceField(
        label="排序", required=False,
        choices=[("", "按区划"), ("name", "姓名"), ("-created_at", "最新登记"), ("created_at", "最早登记"),
                 ("-birth_date", "年龄从小到大"), ("birth_date", "年龄从大到小")],
    )  # fmt: skip

    def __init__(self, data, *, scope):
        super().__init__(data)
        self.fields["area"].choices = blank() + area_choices(scope)
        self.fields["key_group"].choices = blank() + [(g.code, g.name) for g in KeyGroup.objects.filter(is_active=True)]

    def filter(self, queryset):
        """Apply the valid filters; indexed ones first (area prefix, job seeking)."""
        data = self.cleaned_data if self.is_valid() else {}
        seeking = {"1": True, "0": False}.get(data.get("is_job_seeking") or "")
        area = data.get("area")
        queryset = queryset.filter_by(
            area=Area(area) if area else None,
            key_group=data.get("key_group") or None,
            is_job_seeking=seeking,
            employment_status=data.get("employment_status") or None,
            q=(data.get("q") or "").strip() or None,
        )
        if data.get("id_suffix"):
            queryset = queryset.filter(id_number_masked__endswith=data["id_suffix"].upper())
        if data.get("phone_suffix"):
            queryset = queryset.filter(phone_masked__endswith=data["phone_suffix"])
        if data.get("occupation"):
            queryset = queryset.filter(occupations__code__startswith=data["occupation"].strip()).distinct()
        return queryset.order_by(*SORTS.get(data.get("sort") or "", SORTS[""]))


class IdLookupForm(TextRulesForm):
    """Find a resident by the full ID number: posted, never in a URL (SEC-20)."""

    id_number = forms.CharField(label="身份证号（完整18位）", max_length=30)


class RevealForm(TextRulesForm):
    """Show a resident's full ID number or phone for a typed reason (SEC-10): posted, audited.

    The rules (reason length, which fields) are the service's (``people.services.reveal_resident_pii``).
    """

    what = forms.MultipleChoiceField(
        label="查看内容", required=False, choices=[("phone", "手机号"), ("id_number", "证件号码")],
        widget=forms.CheckboxSelectMultiple, initial=["phone"],
    )  # fmt: skip
    reason = forms.CharField(
        label="查看原因", required=False, max_length=200,
        help_text="如：电话回访就业意向。查看人、时间和原因都会记入操作日志。",
    )  # fmt: skip


class ResidentForm(TextRulesForm):
    name = forms.CharField(label="姓名", max_length=50)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT_ID)
    id_number = forms.CharField(label="证件号码", max_length=30)
    birth_date = forms.DateField(
        label="出生日期", required=False, help_text="居民身份证无需填写（由号码得出）",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    gender = forms.ChoiceField(label="性别", required=False, choices=blank("由身份证号得出") + Gender.choices)
    phone = forms.CharField(
        label="手机号", required=False, max_length=20, widget=forms.TextInput(attrs={"type": "tel"})
    )
    community_code = forms.ChoiceField(label="所属社区/村")
    education = forms.ChoiceField(label="文化程度", choices=Education.choices, required=False)
    employment_status = forms.ChoiceField(label="就业状态", choices=EmploymentStatus.choices)
    is_job_seeking = forms.BooleanField(label="正在求职", required=False)
    key_groups = forms.MultipleChoiceField(label="重点群体", required=False, widget=forms.CheckboxSelectMultiple)
    key_group_evidence = forms.CharField(
        label="重点群体认定依据", required=False, max_length=200,
        help_text="新增或移除重点群体时必填：认定文件及文号、证件类型或名单来源，如“县乡村振兴局防返贫监测名单"
                  "（2026年第3批）”。请勿填写完整证件号码。",
    )  # fmt: skip
    occupation_codes = forms.CharField(
        label="职业（技能）代码", required=False, max_length=300,
        help_text="职业分类大典2022版代码，如 4-10-01-05；多个用逗号分隔",
    )  # fmt: skip

    def __init__(self, *args, scope, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["community_code"].choices = community_choices(scope)
        self.fields["key_groups"].choices = [(g.code, g.name) for g in KeyGroup.objects.filter(is_active=True)]
        if instance is not None:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = f"当前：{instance.id_number_masked}。不修改请留空"
            self.fields["phone"].help_text = f"当前：{instance.phone_masked or '未登记'}。不修改请留空"

    @classmethod
    def initial_for(cls, resident):
        return {
            "name": resident.name, "id_type": resident.id_type, "community_code": resident.area_code,
            "education": resident.education, "employment_status": resident.employment_status,
            "is_job_seeking": resident.is_job_seeking, "key_groups": [g.code for g in resident.key_groups.all()],
            "occupation_codes": ", ".join(o.code for o in resident.occupations.all()),
        }  # fmt: skip

    def service_data(self):
        """What people.services expects; blank ID/phone on edit mean "keep"."""
        d = self.cleaned_data
        data = {
            "name": d["name"], "id_type": d["id_type"], "id_number": d.get("id_number") or None,
            "birth_date": d.get("birth_date"), "gender": d.get("gender") or None,
            "phone": d.get("phone") or None, "community_code": d["community_code"],
            "education": int(d["education"]) if d.get("education") not in (None, "") else None,
            "employment_status": d["employment_status"], "is_job_seeking": d.get("is_job_seeking", False),
            "key_groups": d.get("key_groups") or [], "key_group_evidence": d.get("key_group_evidence") or None,
            "occupation_codes": occupation_codes(d.get("occupation_codes")),
        }  # fmt: skip
        if self.instance is None and data["phone"] is None:
            data["phone"] = ""
        return data


EXPORT_COLUMNS = [
    Column("姓名", lambda r: r.name, width=10),
    Column("证件号码（脱敏）", lambda r: r.id_number_masked, width=22),
    Column("手机号（脱敏）", lambda r: r.phone_masked, width=14),
    Column("性别", lambda r: r.get_gender_display(), width=6),
    Column("出生日期", lambda r: r.birth_date, kind=DATE, width=12),
    Column("所属社区/村", lambda r: r.community.name, width=16),
    Column("区划代码", lambda r: r.area_code, width=14),
    Column("文化程度", lambda r: r.get_education_display(), width=12),
    Column("就业状态", lambda r: r.get_employment_status_display(), width=10),
    Column("正在求职", lambda r: "是" if r.is_job_seeking else "否", width=8),
    Column("重点群体", lambda r: "、".join(g.name for g in r.key_groups.all()), width=24),
]
