"""Each shipped policy: one beneficiary who qualifies, one who misses by exactly one condition (named)."""

import datetime
from decimal import Decimal

import pytest
import rule_engine
from django.core.exceptions import ValidationError

from jobcircle.assistance.enums import WorkLocation
from jobcircle.people.enums import Education, EmploymentStatus
from jobcircle.people.models import Placement
from jobcircle.subsidies import facts, rules
from jobcircle.subsidies.models import EmployerInsuranceYear
from jobcircle.subsidies.services import explain_one

from .conftest import PERIOD, YEAR, monitored, person

pytestmark = pytest.mark.django_db


def failed_labels(policy, beneficiary):
    _, checks, _ = explain_one(policy, beneficiary, PERIOD)
    return [c.label for c in checks if not c.holds]


def test_transport_subsidy_for_poverty_alleviated_people_working_out_of_province_three_months(policies, community):
    policy = policies["transport"]
    worker = monitored(person(community, "poverty_alleviated"), [3, 4, 5])
    short = monitored(person(community, "monitored"), [3, 4])

    _, checks, amount = explain_one(policy, worker, PERIOD)

    assert all(c.holds for c in checks)
    assert amount == policy.versions.get().amount
    assert f"{YEAR}年省外务工3个月（监测记录：3月、4月、5月）" in [c.detail for c in checks]
    assert failed_labels(policy, short) == ["当年省外务工满3个月"]


def test_transport_subsidy_counts_only_out_of_province_months_and_needs_the_key_group(policies, community):
    policy = policies["transport"]
    local = monitored(person(community, "poverty_alleviated"), [1, 2, 3, 4], where=WorkLocation.IN_PROVINCE)
    not_poor = monitored(person(community, "graduate"), [1, 2, 3, 4])

    assert failed_labels(policy, local) == ["当年省外务工满3个月"]
    assert failed_labels(policy, not_poor) == ["脱贫人口或监测对象"]


def test_flexible_insurance_subsidy_pays_per_flexible_month(policies, community):
    policy = policies["flexible_insurance"]
    version = policy.versions.get()
    flexible = EmploymentStatus.FLEXIBLE
    worker = monitored(person(community, "employment_difficulty", status=flexible), [1, 2, 3, 4], status=flexible)
    employed = monitored(person(community, "employment_difficulty"), [1, 2], status=flexible)

    _, checks, amount = explain_one(policy, worker, PERIOD)

    assert all(c.holds for c in checks)
    assert amount == version.amount * 4
    assert failed_labels(policy, employed) == ["目前灵活就业"]


def test_job_search_subsidy_for_graduates_in_hardship(policies, community):
    policy = policies["job_search"]
    graduate = person(community, "graduate", "disabled", education=Education.BACHELOR)
    no_hardship = person(community, "graduate", education=Education.BACHELOR)

    assert failed_labels(policy, graduate) == []
    assert failed_labels(policy, no_hardship) == ["困难身份（脱贫、监测对象、残疾或就业困难）"]


def test_employer_poverty_hire_subsidy_per_hire_on_the_job_six_months(policies, community, employer):
    from tests.factories import EmployerFactory

    policy = policies["poverty_hire"]
    version = policy.versions.get()
    late = EmployerFactory(community=community)
    for who, started in ((employer, datetime.date(YEAR, 3, 1)), (employer, datetime.date(YEAR, 4, 1)),
                         (late, datetime.date(YEAR, 10, 1))):  # fmt: skip
        hired = person(community, "poverty_alleviated")
        Placement.objects.create(resident=hired, employer=who, started_on=started, area_code=hired.area_code)

    _, checks, amount = explain_one(policy, employer, PERIOD)

    assert all(c.holds for c in checks)
    assert amount == version.amount * 2
    assert failed_labels(policy, late) == ["当年吸纳脱贫人口（含监测对象）且入职满6个月"]


def test_job_retention_refund_for_employers_with_few_layoffs(policies, community, employer):
    from tests.factories import EmployerFactory

    policy = policies["job_retention"]
    version = policy.versions.get()
    laid_off = EmployerFactory(community=community)
    EmployerInsuranceYear.objects.create(
        employer=employer, year=YEAR, insured_at_start=100, layoffs=5, ui_contributions=Decimal("20000")
    )
    EmployerInsuranceYear.objects.create(
        employer=laid_off, year=YEAR, insured_at_start=100, layoffs=6, ui_contributions=Decimal("20000")
    )

    _, checks, amount = explain_one(policy, employer, PERIOD)

    assert all(c.holds for c in checks)
    assert amount == (Decimal("20000") * version.amount).quantize(Decimal("0.01"))
    assert failed_labels(policy, laid_off) == ["不裁员或少裁员（裁员率不高于5.5%）"]


def test_a_rule_naming_an_unknown_fact_or_a_wrong_type_is_refused_naming_the_condition():
    with pytest.raises(ValidationError) as refused:
        rules.validate_rule("person", [{"expr": "salary > 3", "label": "月薪"}, {"expr": "age > 'x'", "label": "年龄"}])

    messages = refused.value.message_dict["rule"]
    assert len(messages) == 2
    assert "第1条（月薪）" in messages[0] and "第2条（年龄）" in messages[1]


def test_every_shipped_rule_is_valid_against_the_vocabulary(policies):
    for policy in policies.values():
        rules.validate_rule(policy.beneficiary_kind, policy.versions.get().rule)


def test_a_policy_version_with_a_bad_rule_does_not_validate(policies):
    version = policies["transport"].versions.get()
    version.rule = [{"expr": "months_abroad >= 3", "label": "境外务工"}]

    with pytest.raises(ValidationError, match="境外务工"):
        version.clean()


def test_a_remembered_outcome_is_the_one_rule_engine_gives_for_every_combination_of_the_facts_read():
    """rules.holds remembers outcomes by the facts an expression reads; it must agree with a fresh evaluation."""
    expr = '"graduate" in key_groups and months_out_of_province >= 3 and gender == "F"'
    assert rules._reads("person", expr) == ("gender", "key_groups", "months_out_of_province")
    for groups in ([], ["graduate"], ["graduate", "monitored"]):
        for months in (0, 2, 3, 7):
            for gender in ("F", "M"):
                facts = {"key_groups": groups, "months_out_of_province": months, "gender": gender, "age": 30}
                assert rules.holds("person", expr, facts) == rule_engine.Rule(
                    expr, context=rules._context("person")
                ).matches(facts)


def test_a_fact_name_inside_a_string_literal_is_not_read():
    assert rules._reads("person", 'employment_status == "age"') == ("employment_status",)


def test_poverty_employment_subsidy_needs_six_months_employed_this_year(policies, community):
    policy = policies["poverty_employment"]
    steady = monitored(person(community, "monitored"), [1, 2, 3, 4, 5, 6], where=WorkLocation.IN_PROVINCE)
    short = monitored(person(community, "poverty_alleviated"), [1, 2, 3, 4, 5])
    not_poor = monitored(person(community, "veteran"), [1, 2, 3, 4, 5, 6])

    assert failed_labels(policy, steady) == []
    assert failed_labels(policy, short) == ["当年稳定就业满6个月"]
    assert failed_labels(policy, not_poor) == ["脱贫人口或监测对象"]


@pytest.fixture
def training_app():
    """A stand-in for the training app's fact supplier: the facts it would hand over, set by the test."""
    supplied = {"person": {}, "employer": {}}
    suppliers = {kind: (lambda qs, year, as_of, kind=kind: supplied[kind]) for kind in supplied}
    for kind, supplier in suppliers.items():
        facts.register_fact_supplier(kind, supplier)
    yield supplied
    for kind, supplier in suppliers.items():
        facts.unregister_fact_supplier(kind, supplier)


def test_skills_upgrade_subsidy_reads_the_training_apps_facts(policies, community, training_app):
    policy = policies["skills_upgrade"]
    trained, untrained = person(community), person(community)
    training_app["person"][trained.pk] = {"skills_passed": 2}

    _, checks, amount = explain_one(policy, trained, PERIOD)
    assert all(c.holds for c in checks) and amount == policy.versions.get().amount * 2
    assert failed_labels(policy, untrained) == ["当年职业技能培训合格并取得证书"]
    assert not policy.is_active  # shipped off until the training app supplies the fact


def test_internship_subsidy_reads_the_training_apps_facts(policies, employer, community, training_app):
    from tests.factories import EmployerFactory

    policy = policies["internship"]
    other = EmployerFactory(community=community)
    training_app["employer"][employer.pk] = {"intern_months": 6, "unknown_fact": 9}

    assert failed_labels(policy, employer) == []
    assert failed_labels(policy, other) == ["当年接收就业见习人员在岗"]


def test_without_a_supplier_the_supplied_facts_read_zero(policies, community):
    _, checks, _ = explain_one(policies["skills_upgrade"], person(community), PERIOD)
    assert [c.holds for c in checks][0] is False
