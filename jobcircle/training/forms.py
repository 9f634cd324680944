"""Back-office forms of training and internships. They only shape input; the rules are in services.py and
internships.py (the same ones the API and the demo go through)."""

import datetime
import re

from django import forms

from jobcircle.areas.forms import community_choices
from jobcircle.common.forms import TextRulesForm
from jobcircle.people.models import KeyGroup

from .enums import ProgrammeKind, ProviderKind, SkillLevel

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class RosterUploadForm(TextRulesForm):
    file = forms.FileField(label="花名册（.xlsx）", help_text="请使用下载的培训花名册模板填写；先校验，确认后导入")


def _select(choices):
    """A drop-down whose value the service checks (its refusal names the field; Django's would not)."""
    return forms.Select(choices=[("", "请选择"), *choices])


def _codes(text) -> list[str]:
    """ "4-03-02-01, 4-10-01-05" or one per line → a list (each checked by the service)."""
    return [part for part in re.split(r"[\s,，、;；]+", text or "") if part]


class ProviderForm(TextRulesForm):
    """培训机构登记: every rule (credit code, community in the area, 大典 codes) is ``services.register_provider``'s."""

    name = forms.CharField(label="机构名称", required=False, max_length=100)
    credit_code = forms.CharField(label="统一社会信用代码", required=False, max_length=18)
    kind = forms.CharField(label="机构类型", required=False, widget=_select(ProviderKind.choices))
    address = forms.CharField(label="地址", required=False, max_length=200)
    community_code = forms.CharField(label="所属社区/村", required=False)
    trade_codes = forms.CharField(label="核准培训职业（大典代码）", required=False, max_length=500,
                                  help_text="多个用逗号分隔，如 4-03-02-01")  # fmt: skip
    special_trades = forms.CharField(label="核准专项培训名称", required=False, max_length=500,
                                     help_text="多个用逗号分隔，如 徽菜师傅")  # fmt: skip

    def __init__(self, data=None, *, scope):
        super().__init__(data)
        self.fields["community_code"].widget = _select(community_choices(scope))

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["trade_codes"], data["special_trades"] = _codes(data["trade_codes"]), _codes(data["special_trades"])
        return data


class ProgrammeForm(TextRulesForm):
    """培训项目开班招生 with its sessions; the rules are ``services.clean_programme`` and ``create_programme``'s."""

    provider = forms.CharField(label="培训机构", required=False)
    name = forms.CharField(label="班级名称", required=False, max_length=100)
    occupation_code = forms.CharField(label="培训职业（大典代码）", required=False, max_length=20)
    special_name = forms.CharField(label="专项名称", required=False, max_length=40, help_text="大典之外的专项")
    kind = forms.CharField(label="培训类型", required=False, widget=_select(ProgrammeKind.choices))
    level = forms.CharField(label="培训等级", required=False, widget=_select(SkillLevel.choices))
    target_groups = forms.MultipleChoiceField(
        label="面向重点群体", required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "面向重点群体：含有不存在的重点群体代码"},
    )  # fmt: skip
    places = forms.CharField(label="招生人数", required=False, max_length=5)
    min_age = forms.CharField(label="最小年龄", required=False, max_length=3, initial=16)
    max_age = forms.CharField(label="最大年龄", required=False, max_length=3, initial=60)
    starts_on = forms.CharField(label="开班日期", required=False, widget=DATE_INPUT)
    ends_on = forms.CharField(label="结业日期", required=False, widget=DATE_INPUT)
    schedule = forms.CharField(label="上课安排", required=False, max_length=200)
    venue = forms.CharField(label="培训地点", required=False, max_length=200)
    community_code = forms.CharField(label="培训地点所属社区/村", required=False)
    subsidy_per_head = forms.CharField(label="补贴标准（元/人）", required=False, max_length=14, initial="0")
    min_attendance_percent = forms.CharField(label="结业最低出勤率（%）", required=False, max_length=3, initial=80)
    sessions = forms.CharField(label="课次日期", required=False, max_length=3000,
                               help_text="每次课的日期，用逗号或空格分隔，如 2026-12-07, 2026-12-08")  # fmt: skip

    def __init__(self, data=None, *, scope, providers):
        super().__init__(data)
        self.fields["provider"].widget = _select([(str(p.pk), p.name) for p in providers])
        self.fields["community_code"].widget = _select(community_choices(scope))
        self.fields["target_groups"].choices = [(g.code, g.name) for g in KeyGroup.objects.filter(is_active=True)]

    def clean_sessions(self):
        dates = []
        for part in _codes(self.cleaned_data.get("sessions")):
            try:
                dates.append(datetime.date.fromisoformat(part))
            except ValueError:
                raise forms.ValidationError(f"课次日期：“{part[:20]}”不是YYYY-MM-DD格式的日期") from None
        return dates


class InternshipBaseForm(TextRulesForm):
    """见习基地认定: the rules (dates, capacity, once per employer) are ``internships.certify_base``'s."""

    employer = forms.CharField(label="用工单位")
    certificate_number = forms.CharField(label="认定文号", required=False, max_length=40)
    certified_on = forms.CharField(label="认定日期", required=False, widget=DATE_INPUT)
    valid_until = forms.CharField(label="有效期至", required=False, widget=DATE_INPUT)
    capacity = forms.CharField(label="见习容量（人）", required=False, max_length=6)

    def __init__(self, data=None, *, employers):
        super().__init__(data)
        self.fields["employer"].required = False
        self.fields["employer"].widget = _select([(str(e.pk), e.name) for e in employers])


class InternshipPositionForm(TextRulesForm):
    """见习岗位募集: the rules (capacity, term 3–12 months, allowance) are ``internships.raise_position``'s."""

    base = forms.CharField(label="见习基地", required=False)
    title = forms.CharField(label="岗位名称", required=False, max_length=60)
    occupation_code = forms.CharField(label="职业（大典代码）", required=False, max_length=20)
    places = forms.CharField(label="见习人数", required=False, max_length=5)
    term_months = forms.CharField(label="见习期限（月）", required=False, max_length=2)
    monthly_allowance = forms.CharField(label="见习补助（元/月）", required=False, max_length=14)
    address = forms.CharField(label="见习地点", required=False, max_length=200)
    raised_on = forms.CharField(label="募集日期", required=False, widget=DATE_INPUT, help_text="不填为今天")

    def __init__(self, data=None, *, bases):
        super().__init__(data)
        self.fields["base"].widget = _select([(str(b.pk), str(b)) for b in bases])
