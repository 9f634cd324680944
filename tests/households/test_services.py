"""Households and 零就业家庭: membership history, the one-household rule, detection and clearing from status changes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobcircle.assistance.enums import CaseState
from jobcircle.assistance.models import AssistanceCase
from jobcircle.households import services, stats
from jobcircle.households.enums import Relation
from jobcircle.households.models import HouseholdMembership, ZeroEmploymentSpell
from jobcircle.people.services import record_employment_status

from .factories import household, member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_a_resident_moving_house_leaves_the_old_household_on_the_day_they_join_the_new(community, community_staff):
    person = member(community)
    first = household(community, [person])
    second = household(community, [member(community)])
    day = TODAY() - datetime.timedelta(days=3)
    services.add_member(second, person, Relation.SPOUSE, by=community_staff, scope=None, on=day)
    rows = list(HouseholdMembership.objects.filter(resident=person).order_by("joined_on"))
    assert [(r.household_id, r.left_on) for r in rows] == [(first.pk, day), (second.pk, None)]
    assert HouseholdMembership.objects.on(day - datetime.timedelta(days=1)).get(resident=person).household == first
    assert HouseholdMembership.objects.on(day).get(resident=person).household == second


def test_the_database_refuses_a_second_open_household_for_one_resident(community):
    person = member(community)
    first = household(community, [person])
    other = household(community, [member(community)])
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdMembership.objects.create(
            household=other, resident=person, relation=Relation.CHILD, joined_on=TODAY(), area_code=other.area_code
        )
    assert HouseholdMembership.objects.current().get(resident=person).household == first


def test_a_household_has_one_head_at_a_time(community):
    made = household(community, [member(community)])
    with pytest.raises(ValidationError) as caught:
        services.add_member(made, member(community), Relation.HEAD, by=None, scope=None)
    assert "户主" in caught.value.message_dict["relation"][0]


def test_the_same_member_again_changes_nothing(community):
    person = member(community)
    made = household(community, [person])
    before = HouseholdMembership.objects.count()
    services.add_member(made, person, Relation.HEAD, by=None, scope=None)
    assert HouseholdMembership.objects.count() == before


def test_bad_household_input_names_each_field_and_writes_nothing(community, other_township_staff):
    from jobcircle.accounts.access import scope_for_user

    with pytest.raises(ValidationError) as caught:
        services.register_household(
            by=other_township_staff, scope=scope_for_user(other_township_staff),
            data={"number": "户\x00号", "community_code": community.code, "address": "x" * 201},
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"number", "community_code", "address"}
    assert not ZeroEmploymentSpell.objects.exists()


def test_a_household_with_a_willing_unemployed_member_and_nobody_in_work_is_zero_employment(community, county):
    made = household(community, [member(community), member(community, status="not_in_labour_force")])
    assert list(services.zero_employment_households(county, TODAY())) == [made]


@pytest.mark.parametrize(
    ("members", "income"),
    [
        ([{"status": "unemployed"}, {"status": "employed"}], False),  # someone in work
        ([{"status": "unemployed"}, {"status": "flexible"}], False),  # flexible work counts as work
        ([{"status": "not_in_labour_force"}, {"status": "student", "age": 17}], False),  # nobody willing
        ([{"status": "unemployed", "age": 62}], False),  # past working age
        ([{"status": "unemployed", "age": 15}], False),  # below working age
        ([{"status": "unemployed"}], True),  # business or investment income
    ],
)
def test_households_that_are_not_zero_employment(community, county, members, income):
    household(community, [member(community, **m) for m in members], has_business_income=income)
    assert not services.zero_employment_households(county, TODAY()).exists()


def test_a_working_member_past_working_age_does_not_count_as_employment(community, county):
    made = household(community, [member(community), member(community, status="employed", age=65)])
    assert list(services.zero_employment_households(county, TODAY())) == [made]


def test_the_rule_reads_the_dated_history_not_todays_status(community, county):
    worker = member(community)
    made = household(community, [worker])
    record_employment_status(worker, "employed", by=None, on=TODAY() - datetime.timedelta(days=10))
    assert services.zero_employment_households(county, TODAY() - datetime.timedelta(days=11)).get() == made
    assert not services.zero_employment_households(county, TODAY()).exists()


def test_the_list_is_scoped_to_the_region(community, village, town, other_township):
    household(community, [member(community)])
    there = household(village, [member(village)])
    assert list(services.zero_employment_households(other_township, TODAY())) == [there]
    assert services.zero_employment_households(town, TODAY()).count() == 1


def test_the_daily_run_finds_opens_cases_once_and_clears_when_someone_is_employed(community, county, community_staff):
    first, second = member(community), member(community)
    made = household(community, [first, second])
    start = TODAY() - datetime.timedelta(days=20)
    assert services.sync_zero_employment(county, on=start) == {"found": 1, "cleared": 0, "cases_opened": 2}
    assert services.sync_zero_employment(county, on=start + datetime.timedelta(days=1)) == {
        "found": 0, "cleared": 0, "cases_opened": 0,
    }  # fmt: skip
    assert AssistanceCase.objects.open().filter(resident__in=[first, second]).count() == 2
    spell = ZeroEmploymentSpell.objects.get(household=made)
    assert (spell.found_on, spell.cleared_on) == (start, None)

    cleared_on = TODAY() - datetime.timedelta(days=5)
    record_employment_status(second, "employed", by=community_staff, on=cleared_on)
    assert services.sync_zero_employment(county, on=cleared_on)["cleared"] == 1
    spell.refresh_from_db()
    assert (spell.cleared_on, spell.cleared_reason) == (cleared_on, "家庭成员实现就业")
    assert not services.zero_employment_households(county, TODAY()).exists()


def test_clearance_figures_count_found_cleared_open_and_days(community, county, town, other_township):
    cleared = household(community, [member(community)])
    still = household(community, [member(community)])
    found = TODAY() - datetime.timedelta(days=30)
    services.sync_zero_employment(county, on=found)
    worker = cleared.memberships.get().resident
    record_employment_status(worker, "employed", by=None, on=found + datetime.timedelta(days=10))
    services.sync_zero_employment(county, on=found + datetime.timedelta(days=10))
    figures = stats.zero_employment_clearance(county, found, TODAY())
    assert (figures.found, figures.cleared, figures.open) == (2, 1, 1)
    assert figures.days_open == figures.longest_open == (TODAY() - found).days
    assert stats.open_at(county, TODAY()).get().household == still
    assert stats.zero_employment_clearance(other_township, found, TODAY()).found == 0
    day = datetime.timedelta(days=1)
    before = stats.zero_employment_clearance(county, found - 40 * day, found - day)
    assert (before.found, before.cleared, before.open, before.days_open) == (0, 0, 0, 0)


def test_the_case_opened_for_a_member_says_it_is_for_a_zero_employment_household(community, county):
    person = member(community)
    household(community, [person])
    services.sync_zero_employment(county, on=TODAY() - datetime.timedelta(days=9))
    case = AssistanceCase.objects.get(resident=person)
    assert case.state == CaseState.OPEN and "零就业" in case.opened_reason


def test_the_daily_command_prints_its_counts_and_is_idempotent(community):
    from io import StringIO

    from django.core.management import call_command

    household(community, [member(community)])
    out = StringIO()
    call_command("track_zero_employment_households", stdout=out)
    call_command("track_zero_employment_households", "--area", community.code, stdout=out)
    assert out.getvalue().splitlines() == [
        "零就业家庭：新认定 1 户，清零 0 户，新开帮扶 1 人",
        "零就业家庭：新认定 0 户，清零 0 户，新开帮扶 0 人",
    ]
