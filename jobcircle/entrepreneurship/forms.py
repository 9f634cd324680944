from django import forms

from jobcircle.common.forms import TextRulesForm

from .enums import CreditFlag, RepaymentMethod

ACTIONS = [("local_pass", "初审通过"), ("approve", "人社审核通过"), ("guarantee", "担保机构同意"),
           ("reject", "不予通过"), ("withdraw", "撤回"), ("compensate", "担保基金代偿")]  # fmt: skip


class LoanActionForm(TextRulesForm):
    action = forms.ChoiceField(label="办理", choices=ACTIONS)
    reason = forms.CharField(label="意见/原因", max_length=200, required=False)
    guarantor = forms.CharField(label="担保机构", max_length=60, required=False)
    credit_flags = forms.MultipleChoiceField(
        label="信用情况（初审）", choices=CreditFlag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class DisburseForm(TextRulesForm):
    amount = forms.DecimalField(label="放款金额（元）", max_digits=12, decimal_places=2, min_value=1)
    annual_rate = forms.DecimalField(label="年利率", max_digits=6, decimal_places=4, min_value=0)
    bank = forms.CharField(label="经办银行", max_length=60)
    contract_no = forms.CharField(label="借款合同号", max_length=40)
    disbursed_on = forms.DateField(label="放款日期", widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label="还款方式", choices=RepaymentMethod.choices)


class StatementForm(TextRulesForm):
    file = forms.FileField(label="还款对账单（.xlsx）")


class LoanApplyForm(TextRulesForm):
    amount = forms.DecimalField(label="申请金额（元）", max_digits=12, decimal_places=2, min_value=1)
    term_months = forms.TypedChoiceField(label="期限", coerce=int, choices=[(m, f"{m}个月") for m in (12, 24, 36)])
    purpose = forms.CharField(label="创业项目/贷款用途", max_length=200)
    jobs_created = forms.IntegerField(label="预计带动就业人数", min_value=0, max_value=100000, initial=0)


class RegistrationsForm(TextRulesForm):
    file = forms.FileField(label="市场主体登记名单（.xlsx）")
    apply = forms.TypedChoiceField(label="操作", coerce=lambda v: v == "apply", initial="check",
                                   choices=[("check", "只检查，不导入"), ("apply", "检查无误后导入")])  # fmt: skip


class QuarterForm(TextRulesForm):
    quarter = forms.RegexField(label="季度", regex=r"^20\d\d-Q[1-4]$", max_length=7,
                               error_messages={"invalid": "季度：格式应为 2025-Q1"})  # fmt: skip


class MoveInForm(TextRulesForm):
    startup = forms.ModelChoiceField(label="入驻实体", queryset=None)
    moved_in = forms.DateField(label="入驻日期", widget=forms.DateInput(attrs={"type": "date"}))
    jobs = forms.IntegerField(label="带动就业人数", min_value=0, max_value=100000, initial=0)
    services = forms.CharField(label="孵化服务", max_length=200, required=False)

    def __init__(self, *args, startups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["startup"].queryset = startups


class MoveOutForm(TextRulesForm):
    moved_out = forms.DateField(label="迁出日期", widget=forms.DateInput(attrs={"type": "date"}))


class AwardForm(TextRulesForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    amount = forms.DecimalField(label="奖补金额（元）", max_digits=12, decimal_places=2, min_value=1)
