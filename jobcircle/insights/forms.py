from django import forms
from django.core.exceptions import ValidationError

from jobcircle.common.forms import TextRulesForm

from .figures import parse_period

PERIOD_KINDS = [("month", "月度"), ("quarter", "季度"), ("half", "半年"), ("year", "年度"), ("custom", "自定义日期")]


class WorkReportForm(TextRulesForm):
    """Area, period and the staff's texts of a work report; ``cleaned_data["period"]`` is a Period."""

    area = forms.ChoiceField(label="区划")
    kind = forms.ChoiceField(label="报告期", choices=PERIOD_KINDS, initial="month")
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    part = forms.IntegerField(label="月份/季度/半年（第几）", min_value=1, max_value=12, required=False)
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    problems = forms.CharField(
        label="存在问题", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    plans = forms.CharField(label="下步打算", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(region.code, region.full_name or region.name) for region in areas]

    def clean(self):
        data = super().clean()
        kind, year, part = data.get("kind"), data.get("year"), data.get("part")
        if kind is None or (kind != "custom" and year is None):
            return data
        limits = {"month": 12, "quarter": 4, "half": 2}
        if kind in limits and not (part and part <= limits[kind]):
            self.add_error("part", f"月份/季度/半年：请填写1–{limits[kind]}")
            return data
        if kind == "custom" and not (data.get("start") and data.get("end")):
            self.add_error("start", "起始日期：自定义日期请填写起止日期")
            return data
        text = {
            "month": f"{year}-{part:02d}" if part else "", "quarter": f"{year}-Q{part}", "half": f"{year}-H{part}",
            "year": f"{year}", "custom": f"{data.get('start')}~{data.get('end')}",
        }[kind]  # fmt: skip
        try:
            data["period"] = parse_period(text)
        except ValidationError as exc:
            self.add_error("end" if kind == "custom" else "part", exc.message_dict["period"][0])
        return data
