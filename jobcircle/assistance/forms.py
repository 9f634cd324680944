"""Back-office forms for casework. They only shape input; the rules are in assistance/<seam>/services.py."""

from django import forms

from jobcircle.common.forms import TextRulesForm
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.forms import area_choices, blank, community_choices
from jobcircle.people.models import KeyGroup

from .enums import (
    CaseState,
    ImportKind,
    NotEmployedReason,
    PlacementExitReason,
    PostAreaType,
    ServiceKind,
    WorkLocation,
    WorkshopStatus,
)
from .periods import month_start, parse_month
from .services import today

YES_NO = [("", "请选择"), ("是", "是"), ("否", "否")]
DATE_INPUT = forms.DateInput(attrs={"type": "date"})
MONTH_INPUT = forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})


def month_from(data, key="month"):
    """The month a list shows: ``?month=2026-11``, or this month when absent or malformed."""
    try:
        return parse_month(data.get(key)) if data.get(key) else month_start(today())
    except forms.ValidationError:
        return month_start(today())


class TaskFilterForm(TextRulesForm):
    month = forms.CharField(label="监测月份", required=False, widget=MONTH_INPUT)
    state = forms.ChoiceField(
        label="状态", required=False,
        choices=[("", "全部"), ("pending", "待监测"), ("overdue", "已逾期"), ("done", "已完成")],
    )  # fmt: skip
    area = forms.ChoiceField(label="区划", required=False)
    q = forms.CharField(label="姓名", required=False, max_length=50)

    def __init__(self, data, *, scope):
        super().__init__(data)
        self.fields["area"].choices = blank() + area_choices(scope)


class MonitoringRecordForm(TextRulesForm):
    employment_status = forms.ChoiceField(label="就业状态", choices=blank("请选择") + EmploymentStatus.choices)
    work_location = forms.ChoiceField(
        label="务工地点", required=False, choices=blank("（未就业不填）") + WorkLocation.choices
    )
    employer_name = forms.CharField(label="就业单位", required=False, max_length=100)
    months_worked = forms.IntegerField(label="本年务工月数", required=False, min_value=0, max_value=12)
    monthly_income = forms.DecimalField(label="月收入（元）", required=False, min_value=0, decimal_places=2)
    not_employed_reason = forms.ChoiceField(
        label="未就业原因", required=False, choices=blank("（已就业不填）") + NotEmployedReason.choices
    )
    wants_work = forms.ChoiceField(label="有无就业意愿", required=False, choices=YES_NO)
    note = forms.CharField(label="备注", required=False, max_length=200)

    WORKING_FIELDS = ("work_location", "employer_name", "months_worked", "monthly_income")
    IDLE_FIELDS = ("not_employed_reason", "wants_work")

    @classmethod
    def initial_for(cls, record):
        if record is None:
            return {}
        data = {f: getattr(record, f) for f in cls.base_fields if hasattr(record, f)}
        data["wants_work"] = ("是" if record.wants_work else "否") if record.employment_status == "unemployed" else ""
        return data


class CaseFilterForm(TextRulesForm):
    state = forms.ChoiceField(label="状态", required=False, choices=blank() + CaseState.choices)
    service_1131 = forms.ChoiceField(
        label="1131服务", required=False, choices=[("", "全部"), ("done", "已完成"), ("todo", "未完成")]
    )
    area = forms.ChoiceField(label="区划", required=False)
    q = forms.CharField(label="姓名", required=False, max_length=50)

    def __init__(self, data, *, scope):
        super().__init__(data)
        self.fields["area"].choices = blank() + area_choices(scope)


class CaseServiceForm(TextRulesForm):
    kind = forms.ChoiceField(label="服务类型", choices=ServiceKind.choices)
    provided_on = forms.DateField(label="服务日期", widget=DATE_INPUT)
    note = forms.CharField(label="服务内容", required=False, max_length=300)


class CaseTransitionForm(TextRulesForm):
    to_state = forms.ChoiceField(label="变更为")
    note = forms.CharField(label="原因", max_length=200)

    def __init__(self, data=None, *, choices):
        super().__init__(data)
        self.fields["to_state"].choices = choices


class WelfarePostForm(TextRulesForm):
    name = forms.CharField(label="岗位名称", max_length=100)
    area_type = forms.ChoiceField(label="岗位类别", choices=PostAreaType.choices)
    community_code = forms.ChoiceField(label="所在社区/村")
    unit_name = forms.CharField(label="用人单位", max_length=100)
    headcount = forms.IntegerField(label="岗位数（人）", min_value=1, max_value=999)
    monthly_pay = forms.DecimalField(label="月工资（元）", min_value=0, decimal_places=2)
    monthly_subsidy = forms.DecimalField(label="月岗位补贴（元）", min_value=0, decimal_places=2)
    term_start = forms.DateField(label="开发日期", widget=DATE_INPUT)
    term_end = forms.DateField(label="岗位期满日期", widget=DATE_INPUT)
    code = forms.CharField(label="岗位编号", required=False, max_length=32, help_text="不填则自动生成")

    def __init__(self, data=None, *, scope):
        super().__init__(data)
        self.fields["community_code"].choices = community_choices(scope)


class PlacementForm(TextRulesForm):
    id_number = forms.CharField(
        label="身份证号", max_length=18, min_length=18, help_text="按完整身份证号查找本辖区居民（不会出现在网址中）"
    )
    started_on = forms.DateField(label="上岗日期", widget=DATE_INPUT)
    planned_end_on = forms.DateField(
        label="协议期满日期", required=False, widget=DATE_INPUT, help_text="默认为岗位期满日期"
    )


class ExitForm(TextRulesForm):
    exited_on = forms.DateField(label="离岗日期", widget=DATE_INPUT)
    exit_reason = forms.ChoiceField(label="离岗原因", choices=PlacementExitReason.choices)


class MonthForm(TextRulesForm):
    month = forms.CharField(label="月份", widget=MONTH_INPUT)


class WorkshopForm(TextRulesForm):
    code = forms.CharField(label="车间编号", max_length=32)
    name = forms.CharField(label="车间名称", max_length=100)
    community_code = forms.ChoiceField(label="所在社区/村")
    operator_name = forms.CharField(label="经营主体", max_length=100)
    credit_code = forms.CharField(label="统一社会信用代码", required=False, max_length=18)
    address = forms.CharField(label="地址", required=False, max_length=200)
    certified_on = forms.DateField(label="认定日期", widget=DATE_INPUT)

    def __init__(self, data=None, *, scope):
        super().__init__(data)
        self.fields["community_code"].choices = community_choices(scope)


class WorkshopCheckForm(TextRulesForm):
    month = forms.CharField(label="检查月份", widget=MONTH_INPUT)
    status = forms.ChoiceField(label="运行状态", choices=WorkshopStatus.choices)
    workers = forms.IntegerField(label="务工人数", min_value=0)
    poverty_workers = forms.IntegerField(label="其中脱贫人口", min_value=0)
    monitored_workers = forms.IntegerField(label="其中监测对象", min_value=0, required=False)
    subsidy_granted = forms.DecimalField(label="本月补贴（元）", required=False, min_value=0, decimal_places=2)
    note = forms.CharField(label="备注", required=False, max_length=200)


class ImportForm(TextRulesForm):
    kind = forms.ChoiceField(label="台账类型", choices=ImportKind.choices)
    file = forms.FileField(label="Excel 文件（.xlsx）", help_text="请使用下载的模板填写；单个文件不超过30MB")


class PolicyForm(TextRulesForm):
    key_groups = forms.MultipleChoiceField(label="每月监测的重点群体", widget=forms.CheckboxSelectMultiple)
    min_age = forms.IntegerField(label="劳动年龄下限", min_value=16, max_value=70)
    max_age = forms.IntegerField(label="劳动年龄上限", min_value=16, max_value=70)
    due_day = forms.IntegerField(label="每月完成期限（日）", min_value=1, max_value=31)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["key_groups"].choices = [(g.code, g.name) for g in KeyGroup.objects.filter(is_active=True)]


class RevealExportForm(TextRulesForm):
    reason = forms.CharField(
        label="导出完整身份证号的原因", min_length=4, max_length=200,
        help_text="仅用于修改后重新导入；文件含完整身份证号，请妥善保管，用后删除。此操作将被记录。",
    )  # fmt: skip
