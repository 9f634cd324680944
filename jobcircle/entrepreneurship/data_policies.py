"""The loan policies every county starts with (POLICIES.md defaults: individual ≤ 30万元, small business ≤ 400万元,
贴息 share configurable) and the subsidies policies the 贴息 and the base awards are paid under. Loaded by migration
0002; the county edits the numbers in the admin — they are starting values."""

import datetime

BASIS = "《关于进一步加大创业担保贷款贴息力度全力支持重点群体创业就业的通知》（财金〔2020〕21号）及本省实施细则"
GROUPS = " or ".join(
    f'"{code}" in key_groups'
    for code in ("graduate", "migrant_worker", "veteran", "poverty_alleviated", "monitored",
                 "employment_difficulty", "unemployed", "disabled", "retired_fisher")
)  # fmt: skip
NO_OTHER = {"expr": "outstanding_loans == 0", "label": "无其他未结清的创业担保贷款",
            "detail": "未结清{outstanding_loans}笔"}  # fmt: skip
CLEAN = {"expr": "credit_flags.is_empty", "label": "无不良信用记录", "detail": "信用情况：{credit_flag_names}"}

LOAN_POLICIES = [
    {
        "code": "personal", "name": "个人创业担保贷款", "borrower_kind": "person", "cap_amount": "300000.00",
        "max_term_months": 36, "subsidy_share": "0.5000", "interest_policy": "loan_interest",
        "rule": [
            {"expr": GROUPS, "label": "属于创业担保贷款扶持的重点群体", "detail": "重点群体：{key_group_names}"},
            {"expr": "age >= 18 and age <= 60", "label": "年龄18–60周岁", "detail": "{age}周岁"},
            NO_OTHER, CLEAN,
        ],
    },
    {
        "code": "business", "name": "小微企业创业担保贷款", "borrower_kind": "business", "cap_amount": "4000000.00",
        "max_term_months": 24, "subsidy_share": "0.5000", "interest_policy": "loan_interest_business",
        "rule": [
            {"expr": "business_years >= 0", "label": "企业已在本县登记注册", "detail": "登记{business_years}年"},
            NO_OTHER, CLEAN,
        ],
    },
]  # fmt: skip

COMPUTED_RULE = [{"expr": "year >= 2000", "label": "金额由创业服务按业务记录核算（资格在贷款审批或基地评估时核验）"}]
SUBSIDY_POLICIES = [
    ("loan_interest", "创业担保贷款贴息（个人）", "person"),
    ("loan_interest_business", "创业担保贷款贴息（小微企业）", "employer"),
    ("incubation_award", "创业孵化基地奖补", "employer"),
]


def load(LoanPolicy, Policy, PolicyVersion):
    """Create what is missing (idempotent: a reload after a test flush, or a second run, changes nothing)."""
    for order, (code, name, kind) in enumerate(SUBSIDY_POLICIES, start=90):
        policy, created = Policy.objects.get_or_create(
            code=code, defaults={"name": name, "beneficiary_kind": kind, "sort_order": order}
        )
        if created:
            PolicyVersion.objects.create(
                policy=policy, number=1, valid_from=datetime.date(2020, 1, 1), legal_basis=BASIS,
                amount_kind="percent", amount="1.00", review_levels=["county"], rule=COMPUTED_RULE,
            )  # fmt: skip
    for data in LOAN_POLICIES:
        values = {k: v for k, v in data.items() if k not in ("code", "interest_policy")}
        values["interest_policy"] = Policy.objects.get(code=data["interest_policy"])
        LoanPolicy.objects.get_or_create(code=data["code"], defaults=values)
