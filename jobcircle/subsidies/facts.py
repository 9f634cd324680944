"""The facts a rule may name (subsidies.rules.VOCABULARY), computed in bulk from what the system holds.

- one query per source for a whole area, never one per person: residents, their key groups, the year's
  monitoring records; employers, their platform hires, their insurance-year data;
- a single beneficiary goes through the same functions with a one-row QuerySet, so screening and one person's
  explanation cannot disagree.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Q

from jobcircle.assistance.enums import WorkLocation
from jobcircle.assistance.models import MonitoringRecord
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import KeyGroup, Placement, Resident, age_on

from .models import EmployerInsuranceYear

POVERTY_GROUPS = ("poverty_alleviated", "monitored")
# Facts another app supplies (the training app: 技能提升 / 培训 / 见习). It registers a bulk supplier at start-up;
# until one does, each reads 0, so a rule that needs it fails honestly (nothing is made up here).
SUPPLIED = {"person": ("skills_passed", "internship_months"), "employer": ("intern_months",)}
_suppliers = {"person": [], "employer": []}


def register_fact_supplier(kind: str, supplier) -> None:
    """``supplier(queryset, year, as_of) -> {pk: {fact: value}}`` for facts of ``SUPPLIED[kind]`` (bulk, per chunk).

    - called with the same QuerySet as the facts here (a chunk of a screening, or one beneficiary);
    - only the names in ``SUPPLIED[kind]`` are taken; a beneficiary the supplier leaves out reads 0.
    """
    _suppliers[kind].append(supplier)


def unregister_fact_supplier(kind: str, supplier) -> None:
    _suppliers[kind].remove(supplier)


def _supplied(kind, queryset, year, as_of, facts):
    for pk in facts:
        facts[pk].update(dict.fromkeys(SUPPLIED[kind], 0))
    for supplier in _suppliers[kind]:
        for pk, values in supplier(queryset, year, as_of).items():
            if pk in facts:
                facts[pk].update({k: v for k, v in values.items() if k in SUPPLIED[kind]})
    return facts


TENURE_MONTHS = 6  # poverty_hires_tenured: on the job at least this long by the as-of date
WORKING = (EmploymentStatus.EMPLOYED, EmploymentStatus.FLEXIBLE)


def _year_range(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _months_before(day, months):
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


def person_facts(residents, year: int, as_of: datetime.date) -> dict[int, dict]:
    """{resident pk: facts} for every resident of the QuerySet ``residents`` (bulk; see module docstring)."""

    rows = list(residents.values_list("pk", "birth_date", "gender", "education", "employment_status"))
    ids = residents.values("pk")
    names = dict(KeyGroup.objects.values_list("code", "name"))
    groups = defaultdict(list)
    for pk, code in Resident.key_groups.through.objects.filter(resident_id__in=ids).values_list(
        "resident_id", "keygroup__code"
    ):
        groups[pk].append(code)
    first, last = _year_range(year)
    records = MonitoringRecord.objects.filter(resident_id__in=ids, month__range=(first, last))
    counts = {
        row["resident_id"]: row
        for row in records.values("resident_id").annotate(
            employed=Count("pk", filter=Q(employment_status__in=WORKING)),
            flexible=Count("pk", filter=Q(employment_status=EmploymentStatus.FLEXIBLE)),
        )
    }
    away = defaultdict(list)
    for pk, month in (
        records.filter(work_location=WorkLocation.OUT_OF_PROVINCE, employment_status__in=WORKING)
        .order_by("month")
        .values_list("resident_id", "month")
    ):
        away[pk].append(month.month)
    facts = {}
    for pk, birth, gender, education, status in rows:
        codes = sorted(groups.get(pk, ()))
        months = away.get(pk, [])
        count = counts.get(pk, {})
        facts[pk] = {
            "year": year,
            "age": age_on(birth, as_of),
            "gender": gender,
            "education": education,
            "key_groups": codes,
            "key_group_names": "、".join(names.get(c, c) for c in codes) or "无",
            "employment_status": status,
            "months_out_of_province": len(months),
            "out_of_province_months": "、".join(f"{m}月" for m in months) or "无",
            "months_employed": count.get("employed", 0),
            "months_flexible": count.get("flexible", 0),
        }
    return facts


def employer_facts(employers, year: int, as_of: datetime.date) -> dict[int, dict]:
    """{employer pk: facts} for every employer of the QuerySet ``employers`` (bulk)."""

    ids = employers.values("pk")
    first, last = _year_range(year)
    hires = Placement.objects.filter(
        employer_id__in=ids, started_on__range=(first, last), resident__key_groups__code__in=POVERTY_GROUPS
    )
    tenured_before = _months_before(as_of, TENURE_MONTHS)
    counts = {
        row["employer_id"]: row
        for row in hires.values("employer_id").annotate(
            hired=Count("resident", distinct=True),
            tenured=Count("resident", distinct=True, filter=Q(started_on__lte=tenured_before)),
        )
    }
    insurance = {row.employer_id: row for row in EmployerInsuranceYear.objects.filter(employer_id__in=ids, year=year)}
    facts = {}
    for pk, key in employers.values_list("pk", "is_key_enterprise"):
        count = counts.get(pk, {})
        ins = insurance.get(pk)
        start = ins.insured_at_start if ins else 0
        layoffs = ins.layoffs if ins else 0
        facts[pk] = {
            "year": year,
            "is_key_enterprise": key,
            "poverty_hires": count.get("hired", 0),
            "poverty_hires_tenured": count.get("tenured", 0),
            "insured_at_start": start,
            "layoffs": layoffs,
            "layoff_rate": round(layoffs * 100 / start, 2) if start else 0,
            "ui_contributions": float(ins.ui_contributions) if ins else 0,
            "has_insurance_record": ins is not None,
        }
    return facts


def facts_for(kind: str, queryset, year: int, as_of: datetime.date) -> dict[int, dict]:
    facts = (person_facts if kind == "person" else employer_facts)(queryset, year, as_of)
    return _supplied(kind, queryset, year, as_of, facts)
