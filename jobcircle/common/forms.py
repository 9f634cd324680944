"""The base of every form (the one text rule) and the filters of the 审计日志 screen."""

import json

from django import forms
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from .exports import NUMBER, Column
from .validators import validate_text


@deconstructible
class TextRuleValidator:
    """common.validators' text rule on a form field: "<label>：不能包含控制字符…"."""

    def __init__(self, label, multiline=False):
        self.label, self.multiline = label, multiline

    def __call__(self, value):
        validate_text(value, label=self.label, multiline=self.multiline)

    def __eq__(self, other):
        return isinstance(other, TextRuleValidator) and (self.label, self.multiline) == (other.label, other.multiline)


class TextRulesForm(forms.Form):
    """Base of every form (SEC-29): each text field refuses control characters, tab and line breaks
    included unless its widget is a Textarea; lengths stay each field's ``max_length``. Passwords are
    left alone (they are never shown or exported)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(TextRuleValidator(str(field.label or name), multiline))


RESULTS = [("", "全部"), ("success", "成功"), ("failure", "失败")]


class AuditFilterForm(TextRulesForm):
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


# The export of the filtered log (审计管理员 only); data is already redacted when it is written (SEC-13).
AUDIT_EXPORT_COLUMNS = [
    Column("编号", lambda e: e.pk, kind=NUMBER, width=8),
    Column("时间", lambda e: timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"), width=20),
    Column("操作人", lambda e: e.actor.username if e.actor_id else "", width=14),
    Column("操作人ID", lambda e: e.actor_id or "", width=8),
    Column("角色", lambda e: e.actor_role, width=14),
    Column("来源IP", lambda e: e.source_ip or "", width=16),
    Column("请求ID", lambda e: e.request_id, width=16),
    Column("动作", lambda e: e.action, width=32),
    Column("对象", lambda e: f"{e.object_type} #{e.object_id}" if e.object_type else "", width=24),
    Column("区划", lambda e: e.area_code, width=14),
    Column("结果", lambda e: e.result, width=8),
    Column("变更字段", lambda e: "、".join(e.changed_fields), width=20),
    Column("附加信息", lambda e: json.dumps(e.data, ensure_ascii=False, sort_keys=True), width=40),
    Column("链哈希", lambda e: e.row_hash, width=20),
]
