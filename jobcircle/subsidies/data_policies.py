"""The policy catalogue every county starts with (POLICIES.md defaults). Loaded by migration 0002 as version 1 of
each policy; the county edits it (a new version, in the admin) — the standards here are starting values.

Each rule is a list of conditions over subsidies.rules.VOCABULARY (all must hold).
"""

import datetime

BASIS = "《就业补助资金管理办法》（财社〔2017〕164号）及本省、本县实施细则"
POVERTY = '"poverty_alleviated" in key_groups or "monitored" in key_groups'
HARDSHIP = (
    '"poverty_alleviated" in key_groups or "monitored" in key_groups or "disabled" in key_groups '
    'or "employment_difficulty" in key_groups'
)
WELFARE_GROUPS = HARDSHIP
GROUPS_DETAIL = "重点群体：{key_group_names}"

POLICIES = [
    {
        "code": "transport",
        "name": "一次性交通补贴",
        "beneficiary_kind": "person",
        "legal_basis": f"{BASIS}（脱贫劳动力省外务工一次性交通补贴）",
        "amount_kind": "fixed",
        "amount": "500.00",  # POLICIES.md (derived: 170.6万元 ÷ 3,412人)
        "review_levels": ["community", "township", "county"],
        "required_evidence": ["务工证明（劳动合同、工资流水或单位证明）"],
        "rule": [
            {"expr": POVERTY, "label": "脱贫人口或监测对象", "detail": GROUPS_DETAIL},
            {
                "expr": "months_out_of_province >= 3",
                "label": "当年省外务工满3个月",
                "detail": "{year}年省外务工{months_out_of_province}个月（监测记录：{out_of_province_months}）",
            },
        ],
    },
    {
        "code": "flexible_insurance",
        "name": "灵活就业社保补贴",
        "beneficiary_kind": "person",
        "legal_basis": f"{BASIS}（就业困难人员灵活就业社会保险补贴）",
        "amount_kind": "per_month",
        "amount": "260.00",  # per month; POLICIES.md: about 1,040 元/人次 a year (derived), the county sets it
        "amount_fact": "months_flexible",
        "cap_months": 12,
        "review_levels": ["community", "township", "county"],
        "required_evidence": ["灵活就业社会保险缴费凭证"],
        "rule": [
            {"expr": '"employment_difficulty" in key_groups', "label": "就业困难人员", "detail": GROUPS_DETAIL},
            {
                "expr": 'employment_status == "flexible"',
                "label": "目前灵活就业",
                "detail": "当前就业状态：{employment_status}",
            },
            {
                "expr": "months_flexible >= 1",
                "label": "当年有灵活就业的监测记录",
                "detail": "{year}年灵活就业{months_flexible}个月",
            },
        ],
    },
    {
        "code": "job_search",
        "name": "一次性求职创业补贴",
        "beneficiary_kind": "person",
        "legal_basis": f"{BASIS}（困难高校毕业生一次性求职创业补贴）",
        "amount_kind": "fixed",
        "amount": "1000.00",  # POLICIES.md (derived: 102.2万元 ÷ 1,022人)
        "review_levels": ["community", "township", "county"],
        "required_evidence": ["毕业证书或学籍证明", "困难身份证明"],
        "rule": [
            {"expr": '"graduate" in key_groups', "label": "高校毕业生", "detail": GROUPS_DETAIL},
            {
                "expr": HARDSHIP,
                "label": "困难身份（脱贫、监测对象、残疾或就业困难）",
                "detail": GROUPS_DETAIL,
            },
            {"expr": "education >= 40", "label": "大专及以上学历", "detail": "文化程度代码：{education}"},
        ],
    },
    {
        "code": "poverty_hire",
        "name": "企业吸纳脱贫人口补贴",
        "beneficiary_kind": "employer",
        "legal_basis": f"{BASIS}（企业吸纳脱贫人口就业补贴）",
        "amount_kind": "per_head",
        "amount": "1000.00",  # per hired person (configure)
        "amount_fact": "poverty_hires_tenured",
        "review_levels": ["township", "county"],
        "required_evidence": ["劳动合同", "社保缴费明细"],
        "rule": [
            {
                "expr": "poverty_hires_tenured >= 1",
                "label": "当年吸纳脱贫人口（含监测对象）且入职满6个月",
                "detail": "{year}年录用{poverty_hires}人，满6个月{poverty_hires_tenured}人",
            },
        ],
    },
    {
        "code": "job_retention",
        "name": "稳岗返还",
        "beneficiary_kind": "employer",
        "legal_basis": "失业保险稳岗返还政策（人社部、财政部年度通知）及本县实施细则",
        "amount_kind": "percent",
        "amount": "0.60",  # 60% of last year's unemployment-insurance contributions (configure)
        "amount_fact": "ui_contributions",
        "review_levels": ["county"],
        "required_evidence": [],
        "rule": [
            {"expr": "has_insurance_record", "label": "有当年参保缴费数据", "detail": ""},
            {
                "expr": "ui_contributions > 0",
                "label": "上年度缴纳失业保险费",
                "detail": "缴费{ui_contributions}元",
            },
            {
                "expr": "layoff_rate <= 5.5",
                "label": "不裁员或少裁员（裁员率不高于5.5%）",
                "detail": "年初参保{insured_at_start}人，裁员{layoffs}人，裁员率{layoff_rate}%",
            },
        ],
    },
    {
        "code": "poverty_employment",
        "name": "脱贫人口就业补贴",
        "beneficiary_kind": "person",
        "legal_basis": f"{BASIS}（脱贫人口稳定就业补贴）",
        "amount_kind": "fixed",
        "amount": "1000.00",  # configure: POLICIES.md publishes no standard
        "review_levels": ["community", "township", "county"],
        "required_evidence": ["劳动合同或务工证明"],
        "rule": [
            {"expr": POVERTY, "label": "脱贫人口或监测对象", "detail": GROUPS_DETAIL},
            {
                "expr": "months_employed >= 6",
                "label": "当年稳定就业满6个月",
                "detail": "{year}年月度监测记录中就业{months_employed}个月",
            },
        ],
    },
    {
        # A hook: skills_passed comes from the training app (subsidies.facts.register_fact_supplier). Shipped
        # switched off until that app supplies it; the county switches it on.
        "code": "skills_upgrade",
        "name": "技能提升补贴",
        "beneficiary_kind": "person",
        "is_active": False,
        "legal_basis": f"{BASIS}（职业技能培训补贴、技能提升补贴）",
        "amount_kind": "per_head",
        "amount": "1000.00",  # configure per trade and level
        "amount_fact": "skills_passed",
        "review_levels": ["township", "county"],
        "required_evidence": ["培训合格证书或职业技能等级证书"],
        "rule": [
            {
                "expr": "skills_passed >= 1",
                "label": "当年职业技能培训合格并取得证书",
                "detail": "{year}年培训合格{skills_passed}期",
            },
            {"expr": "age >= 16", "label": "年满16周岁", "detail": "年龄{age}岁"},
        ],
    },
    {
        # A hook like skills_upgrade: intern_months comes from the training app (就业见习).
        "code": "internship",
        "name": "就业见习补贴",
        "beneficiary_kind": "employer",
        "is_active": False,
        "legal_basis": f"{BASIS}（就业见习补贴）",
        "amount_kind": "per_head",
        "amount": "1500.00",  # per intern-month; configure (commonly tied to the local minimum wage)
        "amount_fact": "intern_months",
        "review_levels": ["township", "county"],
        "required_evidence": ["见习协议", "见习人员考勤及生活费发放记录"],
        "rule": [
            {
                "expr": "intern_months >= 1",
                "label": "当年接收就业见习人员在岗",
                "detail": "{year}年见习在岗{intern_months}人月",
            },
        ],
    },
    {
        # Paid monthly by the casework screens (assistance.welfare), not applied for: subsidies.welfare.
        "code": "welfare_post",
        "name": "公益性岗位补贴",
        "beneficiary_kind": "person",
        "legal_basis": f"{BASIS}（公益性岗位补贴）",
        "amount_kind": "post_month",
        "amount": "1000.00",  # reference standard; each post carries its own monthly subsidy (prorated by days)
        "review_levels": [],
        "required_evidence": ["公益性岗位安置协议", "考勤记录"],
        "rule": [
            {
                "expr": WELFARE_GROUPS,
                "label": "公益性岗位安置对象（就业困难人员、脱贫人口、监测对象、残疾人）",
                "detail": GROUPS_DETAIL,
            },
        ],
    },
]

VALID_FROM = datetime.date(2025, 1, 1)


def load(policy_model, version_model):
    """Create the catalogue's policies (version 1) that do not exist yet; the migration and tests call it."""
    for order, spec in enumerate(POLICIES, start=1):
        spec = dict(spec)
        policy, created = policy_model.objects.get_or_create(
            code=spec.pop("code"),
            defaults={
                "name": spec.pop("name"),
                "beneficiary_kind": spec.pop("beneficiary_kind"),
                "sort_order": order,
                "is_active": spec.pop("is_active", True),
            },
        )
        if created:
            spec.pop("name", None), spec.pop("beneficiary_kind", None), spec.pop("is_active", None)
            version_model.objects.create(policy=policy, number=1, valid_from=VALID_FROM, **spec)
