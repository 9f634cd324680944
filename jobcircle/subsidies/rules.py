"""Eligibility rules (享受条件): conditions in the ``rule-engine`` expression language over a fixed vocabulary of
facts (subsidies.facts computes them). ADR docs/decisions/subsidies.md.

A rule is a list of conditions, all of which must hold::

    [{"expr": "months_out_of_province >= 3",
      "label": "当年省外务工满3个月",
      "detail": "{year}年省外务工{months_out_of_province}个月（监测记录：{out_of_province_months}）"}]

- ``expr`` is checked against the vocabulary when the rule is saved (an unknown fact or a wrong type is refused,
  naming the condition); no parser of ours;
- ``label`` says what the condition asks, ``detail`` (optional) what the person's facts show, formatted with them;
- the explanation lists every condition with whether it holds, in Chinese.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import rule_engine
from django.core.exceptions import ValidationError

# The vocabulary: every fact a rule may name, its type and its meaning (docs/subsidies.md lists the same).
PERSON_FACTS = {
    "year": (rule_engine.DataType.FLOAT, "补贴年度"),
    "age": (rule_engine.DataType.FLOAT, "年龄（周岁，按核验日期）"),
    "gender": (rule_engine.DataType.STRING, "性别（M 男 / F 女）"),
    "education": (rule_engine.DataType.FLOAT, "文化程度代码（40 大专，50 本科…）"),
    "key_groups": (rule_engine.DataType.ARRAY(rule_engine.DataType.STRING), "重点群体代码"),
    "key_group_names": (rule_engine.DataType.STRING, "重点群体名称（顿号分隔）"),
    "employment_status": (rule_engine.DataType.STRING, "当前就业状态（employed/flexible/unemployed…）"),
    "months_out_of_province": (rule_engine.DataType.FLOAT, "当年月度监测记录中省外务工的月数"),
    "out_of_province_months": (rule_engine.DataType.STRING, "省外务工的月份（如 3月、4月）"),
    "months_employed": (rule_engine.DataType.FLOAT, "当年月度监测记录中就业（含灵活就业）的月数"),
    "months_flexible": (rule_engine.DataType.FLOAT, "当年月度监测记录中灵活就业的月数"),
    # supplied by the training app when it registers (subsidies.facts.register_fact_supplier); 0 until then
    "skills_passed": (rule_engine.DataType.FLOAT, "当年职业技能培训合格（取得证书）的期数（培训应用提供）"),
    "internship_months": (rule_engine.DataType.FLOAT, "当年就业见习在岗月数（培训应用提供）"),
}
EMPLOYER_FACTS = {
    "year": (rule_engine.DataType.FLOAT, "补贴年度"),
    "is_key_enterprise": (rule_engine.DataType.BOOLEAN, "重点企业（白名单）"),
    "poverty_hires": (rule_engine.DataType.FLOAT, "当年平台录用的脱贫人口（含监测对象）人数"),
    "poverty_hires_tenured": (rule_engine.DataType.FLOAT, "其中入职满6个月的人数"),
    "insured_at_start": (rule_engine.DataType.FLOAT, "年初参保人数（社保年度数据）"),
    "layoffs": (rule_engine.DataType.FLOAT, "年内裁员人数（社保年度数据）"),
    "layoff_rate": (rule_engine.DataType.FLOAT, "裁员率（%，裁员人数÷年初参保人数）"),
    "ui_contributions": (rule_engine.DataType.FLOAT, "上年度失业保险缴费（元）"),
    "has_insurance_record": (rule_engine.DataType.BOOLEAN, "有当年社保年度数据"),
    # supplied by the training app when it registers (subsidies.facts.register_fact_supplier); 0 until then
    "intern_months": (rule_engine.DataType.FLOAT, "当年接收就业见习人员的在岗人月数（培训应用提供）"),
}
# 创业担保贷款 (issue 15): a loan rule reads the borrower's person or employer facts plus these, which
# entrepreneurship.eligibility computes from its own records (subsidies never reads the loans).
LOAN_FACTS = {
    "outstanding_loans": (rule_engine.DataType.FLOAT, "未结清的创业担保贷款笔数（不含本笔）"),
    "credit_flags": (rule_engine.DataType.ARRAY(rule_engine.DataType.STRING), "工作人员录入的信用情况代码"),
    "credit_flag_names": (rule_engine.DataType.STRING, "信用情况（顿号分隔）"),
    "business_years": (rule_engine.DataType.FLOAT, "经营主体登记至今的年数（未登记为 -1）"),
    "amount": (rule_engine.DataType.FLOAT, "申请金额（元）"),
}
VOCABULARY = {
    "person": PERSON_FACTS,
    "employer": EMPLOYER_FACTS,
    "loan_person": {**PERSON_FACTS, **LOAN_FACTS},
    "loan_business": {**EMPLOYER_FACTS, **LOAN_FACTS},
}


@dataclass(frozen=True)
class Check:
    """One condition's outcome for one beneficiary."""

    label: str
    holds: bool
    detail: str

    def as_dict(self):
        return {"label": self.label, "holds": self.holds, "detail": self.detail}

    def __str__(self):
        mark = "符合" if self.holds else "不符合"
        return f"{mark}：{self.label}" + (f"（{self.detail}）" if self.detail else "")


def _context(kind):
    types = {name: data_type for name, (data_type, _) in VOCABULARY[kind].items()}
    return rule_engine.Context(type_resolver=rule_engine.type_resolver_from_dict(types))


@lru_cache(maxsize=256)
def _compiled(kind, expr):
    return rule_engine.Rule(expr, context=_context(kind))


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_NAMES = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@lru_cache(maxsize=256)
def _reads(kind, expr) -> tuple[str, ...]:
    """The facts an expression reads: the vocabulary's names among its identifiers (string literals removed).

    Reading more names than it uses only makes the outcome cache below less shared, never wrong."""
    names = set(_NAMES.findall(_STRINGS.sub(" ", expr)))
    return tuple(sorted(names & VOCABULARY[kind].keys()))


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


@lru_cache(maxsize=65_536)
def _outcome(kind, expr, values: tuple) -> bool:
    facts = {name: list(v) if isinstance(v, tuple) else v for name, v in zip(_reads(kind, expr), values, strict=True)}
    return bool(_compiled(kind, expr).matches(facts))


def holds(kind: str, expr: str, facts: dict) -> bool:
    """Whether one condition holds for one beneficiary's facts.

    A condition's outcome depends only on the facts it reads, and a county's people share a few hundred
    combinations of them (age, groups, months): each combination is evaluated by rule-engine once and
    remembered, which makes screening a city set-based rather than one evaluation per person and condition
    (bench/subsidies.py). Screening and one person's explanation both come through here."""
    return _outcome(kind, expr, tuple(_hashable(facts[name]) for name in _reads(kind, expr)))


def validate_rule(kind: str, rule) -> None:
    """Refuse a rule that is not a non-empty list of conditions over the vocabulary (ValidationError naming each)."""
    if not isinstance(rule, list) or not rule:
        raise ValidationError({"rule": ["享受条件：至少填写一个条件"]})
    errors = []
    for n, condition in enumerate(rule, start=1):
        if not isinstance(condition, dict) or not condition.get("expr") or not condition.get("label"):
            errors.append(f"享受条件第{n}条：须有表达式（expr）和说明（label）")
            continue
        try:
            _compiled(kind, condition["expr"])
        except rule_engine.errors.EngineError as exc:
            errors.append(f"享受条件第{n}条（{condition['label']}）：表达式无效：{exc.message}")
            continue
        try:
            condition.get("detail", "").format(**dict.fromkeys(VOCABULARY[kind], ""))
        except (KeyError, IndexError, ValueError):
            errors.append(f"享受条件第{n}条（{condition['label']}）：说明中引用了未知事实")
    if errors:
        raise ValidationError({"rule": errors})


def explain(kind: str, rule, facts: dict) -> list[Check]:
    """Every condition of ``rule`` for one beneficiary's ``facts``: which hold and which fail, in order."""
    checks = []
    for condition in rule:
        detail = condition.get("detail", "").format(**facts) if condition.get("detail") else ""
        checks.append(Check(condition["label"], holds(kind, condition["expr"], facts), detail))
    return checks


def failing(checks) -> list[Check]:
    return [c for c in checks if not c.holds]
