"""公益性岗位补贴 on the ledger: disbursements write ledger entries (one per person and month), the old records'
history moves into the ledger by a data migration, and a person-month is never paid twice — by the new path
twice, nor over a month the old path paid."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jobcircle.areas.codes import Area
from jobcircle.assistance.models import WelfareSubsidyPayment
from jobcircle.assistance.welfare import services as welfare
from jobcircle.subsidies.models import Payment
from jobcircle.subsidies.services import offers_for, statistics, submit_application
from jobcircle.subsidies.welfare import WELFARE_POST, welfare_policy
from tests.assistance.factories import months_ago, tagged_resident, welfare_post

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("jobcircle.subsidies.migrations.0003_welfare_post_on_the_ledger")


@pytest.fixture
def post(community):
    return welfare_post(community, headcount=3)


def placed(post, person, started_on=None, exited_on=None):
    placement = welfare.place_on_welfare_post(post, person, by=None, started_on=started_on or months_ago(3))
    if exited_on:
        placement = welfare.exit_welfare_post(placement, by=None, exited_on=exited_on, reason="resigned")
    return placement


def test_a_disbursement_writes_one_ledger_entry_per_person_and_month(post, community, community_staff):
    people = [tagged_resident(community, "monitored") for _ in range(2)]
    placements = [placed(post, p) for p in people]
    month = months_ago(1)

    result = welfare.disburse_welfare_subsidies(month, by=community_staff, region=Area(post.area_code))

    entries = Payment.objects.filter(policy__code=WELFARE_POST)
    assert sorted(entries.values_list("resident_id", "period", "amount")) == sorted(
        (p.resident_id, f"{month:%Y-%m}", welfare.subsidy_due(p, month)) for p in placements
    )
    assert {e.created_by for e in entries} == {community_staff}
    assert result["total"] == sum(e.amount for e in entries)
    assert statistics(welfare_policy(), f"{month:%Y-%m}")["amount_yuan"] == result["total"]


def test_paying_the_same_person_month_twice_is_refused(post, community, community_staff):
    person = tagged_resident(community, "employment_difficulty")
    placed(post, person)
    month = months_ago(1)
    welfare.disburse_welfare_subsidies(month, by=community_staff, region=Area(post.area_code))

    again = welfare.disburse_welfare_subsidies(month, by=community_staff, region=Area(post.area_code[:6]))

    assert again == {"payments": 0, "total": 0}
    entry = Payment.objects.get(policy__code=WELFARE_POST)
    with pytest.raises(IntegrityError), transaction.atomic():  # the ledger's constraint is the last guard
        Payment.objects.create(**{f.attname: getattr(entry, f.attname) for f in Payment._meta.concrete_fields
                                  if not f.primary_key})  # fmt: skip
    assert Payment.objects.filter(policy__code=WELFARE_POST).count() == 1


def test_a_month_the_old_records_paid_is_not_paid_again_on_the_ledger(post, community, community_staff):
    paid_before, unpaid = tagged_resident(community, "monitored"), tagged_resident(community, "monitored")
    old, new = placed(post, paid_before), placed(post, unpaid)
    month = months_ago(1)
    # A payment written by the old path (before the ledger) for the same person and month.
    WelfareSubsidyPayment.objects.create(placement=old, month=month, amount=old.monthly_subsidy,
                                         area_code=old.area_code, paid_on=month)  # fmt: skip

    result = welfare.disburse_welfare_subsidies(month, by=community_staff, region=Area(post.area_code))

    assert result["payments"] == 1
    assert list(Payment.objects.filter(policy__code=WELFARE_POST).values_list("resident_id", flat=True)) == [
        new.resident_id
    ]


def test_two_placements_of_one_person_in_a_month_make_one_entry_with_both_amounts(post, community):
    person = tagged_resident(community, "monitored")
    month = months_ago(1)
    first = placed(post, person, started_on=months_ago(2), exited_on=month.replace(day=10))
    second = placed(welfare_post(community), person, started_on=month.replace(day=11))

    welfare.disburse_welfare_subsidies(month, by=None, region=Area(post.area_code))

    entry = Payment.objects.get(policy__code=WELFARE_POST, resident=person)
    assert entry.amount == welfare.subsidy_due(first, month) + welfare.subsidy_due(second, month)
    assert entry.created_by is None


def test_the_data_migration_writes_the_old_records_into_the_ledger_and_back(post, community, community_staff):
    people = [tagged_resident(community, "monitored") for _ in range(2)]
    placements = [placed(post, p, started_on=months_ago(4)) for p in people]
    rows = [
        WelfareSubsidyPayment.objects.create(
            placement=p,
            month=m,
            amount=p.monthly_subsidy,
            area_code=p.area_code,
            paid_on=m.replace(day=20),
            created_by=community_staff,
        )  # fmt: skip
        for p in placements
        for m in (months_ago(3), months_ago(2))
    ]

    MIGRATION.welfare_history_to_ledger(apps, None)

    entries = Payment.objects.filter(policy__code=WELFARE_POST)
    assert sorted(entries.values_list("resident_id", "period", "amount", "paid_on", "created_by")) == sorted(
        (r.placement.resident_id, f"{r.month:%Y-%m}", r.amount, r.paid_on, community_staff.pk) for r in rows
    )
    MIGRATION.remove_welfare_entries(apps, None)
    assert not Payment.objects.filter(policy__code=WELFARE_POST).exists()
    assert WelfareSubsidyPayment.objects.count() == len(rows)  # the history stays where it was


def test_the_post_subsidy_is_not_offered_nor_applied_for(post, community, county_admin):
    person = tagged_resident(community, "monitored")
    period = str(months_ago(1).year)
    assert WELFARE_POST not in {o["policy"].code for o in offers_for(person, period)}
    with pytest.raises(ValidationError, match="无需申请"):
        submit_application(welfare_policy(), person, period, by=county_admin)
