"""Filters of the 审计日志 screen; common.audit.search applies them (the same function as the API's)."""

from django import forms

RESULTS = [("", "全部"), ("success", "成功"), ("failure", "失败")]


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label="动作前缀", required=False, max_length=100, help_text="如 accounts 或 people.resident"
    )
    actor = forms.CharField(label="操作人", required=False, max_length=150, help_text="用户名或用户ID")
    since = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.ChoiceField(label="结果", required=False, choices=RESULTS)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "截止日期不能早于起始日期")
        return data

    def filters(self):
        """The valid filters as common.audit.search takes them (invalid ones are left out)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "action": data.get("action", ""), "actor": data.get("actor", "").strip(),
            "since": data.get("since"), "until": data.get("until"), "result": data.get("result", ""),
        }  # fmt: skip
