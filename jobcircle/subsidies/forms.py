from django import forms

from jobcircle.common.forms import TextRulesForm


class PeriodForm(TextRulesForm):
    period = forms.RegexField(label="补贴期间", regex=r"^20[0-9]{2}(-[01][0-9])?$", max_length=7)


class DecisionForm(TextRulesForm):
    decision = forms.ChoiceField(
        label="审核意见", choices=[("approve", "通过"), ("return", "退回"), ("reject", "不予通过")]
    )
    reason = forms.CharField(label="原因", max_length=200, required=False)


class ReasonForm(TextRulesForm):
    reason = forms.CharField(label="导出原因", min_length=4, max_length=200)


class LineResultForm(TextRulesForm):
    result = forms.ChoiceField(label="发放结果", choices=[("paid", "发放成功"), ("failed", "发放失败")])
    reason = forms.CharField(label="失败原因", max_length=200, required=False)


class BankResultForm(TextRulesForm):
    file = forms.FileField(label="银行回盘文件（.xlsx，代发文件填写“发放结果”“失败原因”两列）")
