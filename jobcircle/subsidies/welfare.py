"""公益性岗位补贴 on the ledger: the monthly post subsidy is paid into subsidies.Payment like every other subsidy.

The disbursement itself (who is on duty, how much, prorated by days) stays with the posts in
assistance.welfare.services; it hands its dues to ``write_welfare_payments``, registered at start-up
(SubsidiesConfig.ready), because assistance sits below subsidies. Period = the month ``YYYY-MM``, beneficiary = the
placed resident: the ledger's unique (policy, beneficiary, period) is the once-a-month rule, per person.
"""

from collections import defaultdict
from decimal import Decimal

from jobcircle.assistance.models import WelfareSubsidyPayment

from . import data_policies
from .models import Payment, Policy, PolicyVersion, beneficiary_key

WELFARE_POST = "welfare_post"


def welfare_policy() -> Policy:
    """The 公益性岗位补贴 policy of the catalogue (loaded from the shipped data if the table was emptied)."""
    policy = Policy.objects.filter(code=WELFARE_POST).first()
    if policy is None:
        data_policies.load(Policy, PolicyVersion)
        policy = Policy.objects.get(code=WELFARE_POST)
    return policy


def write_welfare_payments(month, dues, *, by, paid_on) -> list:
    """One ledger entry per person and month for ``dues`` [(placement, amount)]; returns the dues it paid.

    - a person already in the ledger for the month, or paid for it by the old records (WelfareSubsidyPayment),
      is skipped: never twice, across the old and the new path;
    - a person with two placements in one month (left one post, started another) gets one entry, the sum;
    - the caller holds the placements' row locks; the ledger's unique constraint is the last guard.
    """
    policy = welfare_policy()
    version = policy.version_on(month) or policy.versions.order_by("-number").first()
    period = f"{month:%Y-%m}"
    done = set(Payment.objects.filter(policy=policy, period=period).values_list("beneficiary", flat=True))
    done |= {
        beneficiary_key(resident_id=pk)
        for pk in WelfareSubsidyPayment.objects.filter(month=month).values_list("placement__resident_id", flat=True)
    }
    by_person = defaultdict(list)
    for placement, amount in dues:
        if beneficiary_key(resident_id=placement.resident_id) not in done:
            by_person[placement.resident_id].append((placement, amount))
    Payment.objects.bulk_create(
        [
            Payment(
                policy=policy,
                version=version,
                rule_version=version.number,
                resident_id=resident_id,
                beneficiary=beneficiary_key(resident_id=resident_id),
                period=period,
                amount=sum((amount for _, amount in items), Decimal("0.00")),
                area_code=items[-1][0].area_code,
                paid_on=paid_on,
                created_by=by,
                reason="公益性岗位补贴：" + "、".join(f"安置{placement.pk}" for placement, _ in items),
            )  # fmt: skip
            for resident_id, items in by_person.items()
        ]
    )
    return [due for items in by_person.values() for due in items]
