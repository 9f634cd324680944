"""补贴发放 figures of one policy over an area and a span of days, read from the ledger (INDICATORS.md 补贴发放:
amount paid net of reversals in the period; beneficiaries as 人/家 and 人次/家次; a flow).

- a ledger entry belongs to the period of its date (``paid_on``: the day the bank paid, or the clawback's day);
- amount (元): every entry of the period, payments plus clawbacks (negative), so clawbacks are netted;
- person-times (人次 / 家次): the payments of the period that have not been clawed back;
- beneficiaries (人 / 家): distinct people or employers among those payments;
- budget used (元): the policy's committed and paid amount against the budget of the version in force at the end.
The insights registry names these (``# --- subsidies ---`` in insights/figures.py); the records behind each are the
same QuerySets (``payments`` / ``beneficiaries``), so the listing and the count cannot drift apart.
"""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Sum

from jobcircle.areas.querysets import AreaValue
from jobcircle.employers.models import Employer
from jobcircle.people.models import Resident

from .enums import BeneficiaryKind, LedgerKind
from .models import ZERO, Payment, Policy
from .services import CENT, _budget_used

UNITS = {BeneficiaryKind.PERSON: ("人", "人次"), BeneficiaryKind.EMPLOYER: ("家", "家次")}


def _entries(policy: Policy, region: AreaValue, start, end):
    return Payment.objects.filter(policy=policy, paid_on__range=(start, end)).in_area(region)


def payments(policy: Policy, region: AreaValue, start, end):
    """The payments of the period not clawed back (one per 人次 / 家次)."""
    entries = _entries(policy, region, start, end)
    return entries.filter(kind=LedgerKind.PAYMENT, clawback__isnull=True).order_by("paid_on", "id")


def beneficiaries(policy: Policy, region: AreaValue, start, end):
    """The people (or employers) behind those payments, each once."""
    kept = payments(policy, region, start, end)
    if policy.beneficiary_kind == BeneficiaryKind.PERSON:
        return Resident.objects.filter(id__in=kept.values("resident_id")).order_by("area_code", "id")
    return Employer.objects.filter(id__in=kept.values("employer_id")).order_by("area_code", "id")


def ledger_figures(policy: Policy, region: AreaValue, start, end) -> dict:
    """{beneficiaries, person_times, amount_yuan, budget_used, budget, unit, times_unit} (see the module docstring)."""
    counts = payments(policy, region, start, end).aggregate(
        people=Count("beneficiary", distinct=True), times=Count("pk")
    )
    amount = _entries(policy, region, start, end).aggregate(s=Sum("amount"))["s"] or ZERO
    version = policy.version_on(end)
    unit, times_unit = UNITS[policy.beneficiary_kind]
    return {
        "beneficiaries": counts["people"], "person_times": counts["times"], "amount_yuan": amount.quantize(CENT),
        "budget_used": _budget_used(version) if version else ZERO,
        "budget": version.yearly_budget if version else None, "unit": unit, "times_unit": times_unit,
    }  # fmt: skip


def by_key_group(policy: Policy, region: AreaValue, start, end) -> dict[str, dict]:
    """{key group name: {beneficiaries, person_times, amount_yuan}} of a person policy's payments in the period
    (a person in two groups counts in both; people in no group under “无”). Employers: empty."""
    if policy.beneficiary_kind != BeneficiaryKind.PERSON:
        return {}
    kept = list(payments(policy, region, start, end).values_list("resident_id", "amount"))
    groups = {}
    for pk, name in Resident.key_groups.through.objects.filter(resident_id__in={pk for pk, _ in kept}).values_list(
        "resident_id", "keygroup__name"
    ):
        groups.setdefault(pk, []).append(name)
    people, times, amounts = {}, Counter(), Counter()
    for pk, amount in kept:
        for name in groups.get(pk, ["无"]):
            people.setdefault(name, set()).add(pk)
            times[name] += 1
            amounts[name] += amount
    return {
        name: {"beneficiaries": len(people[name]), "person_times": times[name],
               "amount_yuan": Decimal(amounts[name]).quantize(CENT)}
        for name in sorted(people)
    }  # fmt: skip


def by_area(policy: Policy, regions, start, end) -> dict[str, dict]:
    """{region code: ledger_figures} for each of ``regions`` (e.g. the townships of a county)."""
    return {region.code: ledger_figures(policy, region, start, end) for region in regions}
