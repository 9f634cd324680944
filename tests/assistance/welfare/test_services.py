"""Public-welfare posts: eligibility, headcount, one active post per person (SEC-32), subsidies."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.areas.codes import Area
from jobcircle.assistance.models import WelfarePlacement, WelfarePost, WelfareSubsidyPayment
from jobcircle.assistance.periods import days_in_month
from jobcircle.assistance.welfare import services
from tests.concurrency import run_at_once

from ..factories import months_ago, tagged_resident, welfare_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(community):
    return welfare_post(community, headcount=2)


@pytest.fixture
def eligible(community):
    return [tagged_resident(community, group) for group in ("employment_difficulty", "poverty_alleviated", "monitored")]


def place(post, person, started_on=None, by=None):
    return services.place_on_welfare_post(post, person, by=by, started_on=started_on or months_ago(2))


def test_staff_develop_a_post_with_a_generated_code(community, community_staff):
    data = {"name": "护林员", "unit_name": "王庄村委会", "area_type": "rural", "community_code": community.code,
            "headcount": "3", "monthly_pay": "1200", "monthly_subsidy": "1000.5", "term_start": "2026-01-01",
            "term_end": "2026-12-31"}  # fmt: skip
    post = services.create_welfare_post(by=community_staff, data=data, scope=scope_for_user(community_staff))
    assert post.code.startswith("GY" + community.code)
    assert post.monthly_subsidy == Decimal("1000.50")


def test_a_post_outside_the_area_or_with_bad_money_is_refused(village, community_staff):
    data = {"name": "护林员", "unit_name": "村委会", "area_type": "rural", "community_code": village.code,
            "headcount": "0", "monthly_pay": "800", "monthly_subsidy": "900", "term_start": "2026-12-31",
            "term_end": "2026-01-01"}  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.create_welfare_post(by=community_staff, data=data, scope=scope_for_user(community_staff))
    assert set(exc.value.message_dict) == {"community_code", "headcount", "monthly_subsidy", "term_end"}
    assert not WelfarePost.objects.exists()


def test_eligible_people_are_placed_with_the_posts_subsidy(post, eligible):
    placement = place(post, eligible[0])
    assert placement.monthly_subsidy == post.monthly_subsidy
    assert placement.planned_end_on == post.term_end
    assert placement.area_code == post.area_code


def test_people_outside_the_eligible_groups_are_refused(post, community):
    graduate = tagged_resident(community, "graduate")
    with pytest.raises(ValidationError) as exc:
        place(post, graduate)
    assert "resident" in exc.value.message_dict


def test_a_full_post_takes_nobody_more(post, eligible):
    for person in eligible[: post.headcount]:
        place(post, person)
    with pytest.raises(ValidationError) as exc:
        place(post, eligible[post.headcount])
    assert "post" in exc.value.message_dict


def test_a_person_holds_one_active_post_at_a_time(post, community, eligible):
    other_post = welfare_post(community)
    place(post, eligible[0])
    with pytest.raises(ValidationError):
        place(other_post, eligible[0])


def test_the_database_itself_refuses_a_second_active_placement(post, community, eligible):
    """SEC-32: the conditional unique constraint, on SQLite and PostgreSQL alike."""
    first = place(post, eligible[0])
    other_post = welfare_post(community)
    with pytest.raises(IntegrityError), transaction.atomic():
        WelfarePlacement.objects.create(
            post=other_post, resident=eligible[0], area_code=other_post.area_code, started_on=first.started_on,
            planned_end_on=other_post.term_end, monthly_subsidy=Decimal("1"),
        )  # fmt: skip


def test_negative_money_is_refused_by_the_database(community):
    with pytest.raises(IntegrityError), transaction.atomic():
        welfare_post(community, subsidy="-1.00", pay="100.00")


def test_after_leaving_a_person_can_be_placed_again(post, community, eligible):
    placement = place(post, eligible[0], started_on=months_ago(6))
    services.exit_welfare_post(placement, by=None, exited_on=months_ago(3), reason="期满离岗")
    placement.refresh_from_db()
    assert placement.exit_reason == "term_ended" and not placement.is_active
    again = place(welfare_post(community), eligible[0], started_on=months_ago(1))
    assert again.is_active


def test_an_exit_before_the_start_is_refused(post, eligible):
    placement = place(post, eligible[0])
    with pytest.raises(ValidationError):
        services.exit_welfare_post(placement, by=None, exited_on=placement.started_on - datetime.timedelta(days=1),
                                   reason="resigned")  # fmt: skip


def test_subsidy_due_is_the_monthly_amount_or_the_days_on_duty_share(post, eligible):
    month = months_ago(2)
    start = month.replace(day=11)
    placement = place(post, eligible[0], started_on=start)
    days = days_in_month(month) - 10
    expected = (post.monthly_subsidy * days / days_in_month(month)).quantize(Decimal("0.01"))
    assert services.subsidy_due(placement, month) == expected
    assert services.subsidy_due(placement, months_ago(1)) == post.monthly_subsidy
    assert services.subsidy_due(placement, months_ago(3)) == Decimal("0.00")


def test_subsidies_are_disbursed_once_per_placement_and_month(post, eligible, community_staff):
    for person in eligible[:2]:
        place(post, person, started_on=months_ago(3))
    first = services.disburse_welfare_subsidies(months_ago(1), by=community_staff, region=Area(post.area_code))
    assert first == {"payments": 2, "total": post.monthly_subsidy * 2}
    again = services.disburse_welfare_subsidies(months_ago(1), by=community_staff, region=Area(post.area_code))
    assert again["payments"] == 0
    assert WelfareSubsidyPayment.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_twenty_racing_disbursements_pay_each_placement_once(catalogues, post, eligible, community_staff):
    """SEC-33: the second and later disbursements wait for the first, then find nothing left to pay."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    placed = [place(post, person, started_on=months_ago(3)) for person in eligible[:2]]
    month = months_ago(1)
    # Half the clerks disburse for the community, half for the whole county: overlapping areas.
    regions = [Area(post.area_code), Area(post.area_code[:6])] * 10
    outcomes = run_at_once(
        lambda region: services.disburse_welfare_subsidies(month, by=community_staff, region=region), regions
    )
    failures = [repr(o) for o in outcomes if isinstance(o, Exception)]
    results = [o for o in outcomes if not isinstance(o, Exception)]
    assert failures == []
    # One disbursement pays every placement; all the others find nothing left to pay.
    assert sorted(result["payments"] for result in results) == [0] * (len(regions) - 1) + [len(placed)]
    assert sum(result["total"] for result in results) == post.monthly_subsidy * len(placed)
    assert WelfareSubsidyPayment.objects.filter(month=month).count() == len(placed)


def test_a_future_start_or_one_outside_the_term_is_refused(post, eligible):
    for start in (timezone.localdate() + datetime.timedelta(days=3), post.term_end + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as exc:
            place(post, eligible[0], started_on=start)
        assert "started_on" in exc.value.message_dict


def test_a_post_code_in_use_or_malformed_is_refused_by_name(community, community_staff):
    data = {"name": "护林员", "unit_name": "村委会", "area_type": "rural", "community_code": community.code,
            "headcount": "1", "monthly_pay": "1200", "monthly_subsidy": "1000", "term_start": "2026-01-01",
            "term_end": "2026-12-31"}  # fmt: skip
    scope = scope_for_user(community_staff)
    services.create_welfare_post(by=community_staff, data={**data, "code": "GY-1"}, scope=scope)
    for code in ("GY-1", "GY 1!"):
        with pytest.raises(ValidationError) as exc:
            services.create_welfare_post(by=community_staff, data={**data, "code": code}, scope=scope)
        assert set(exc.value.message_dict) == {"code"}
    assert WelfarePost.objects.count() == 1


def test_a_placement_can_only_leave_once_and_needs_a_listed_reason(post, eligible):
    placement = place(post, eligible[0])
    with pytest.raises(ValidationError) as exc:
        services.exit_welfare_post(placement, by=None, exited_on=timezone.localdate(), reason="不想干")
    assert set(exc.value.message_dict) == {"exit_reason"}
    services.exit_welfare_post(placement, by=None, exited_on=timezone.localdate(), reason="found_job")
    with pytest.raises(ValidationError) as exc:
        services.exit_welfare_post(placement, by=None, exited_on=timezone.localdate(), reason="found_job")
    assert set(exc.value.message_dict) == {"exited_on"}


def test_a_disbursement_pays_only_the_placements_of_the_given_area(post, eligible, village, community_staff):
    inside = place(post, eligible[0])
    foreign = place(welfare_post(village), tagged_resident(village, "monitored"))
    month = months_ago(1)
    result = services.disburse_welfare_subsidies(month, by=community_staff, region=Area(post.area_code))
    assert result == {"payments": 1, "total": services.subsidy_due(inside, month)}
    assert set(WelfareSubsidyPayment.objects.values_list("placement_id", flat=True)) == {inside.pk}
    assert not WelfareSubsidyPayment.objects.filter(placement=foreign).exists()


def test_a_future_month_is_not_disbursed(post, eligible, community_staff):
    place(post, eligible[0])
    with pytest.raises(ValidationError) as exc:
        services.disburse_welfare_subsidies(months_ago(-1), by=community_staff, region=Area(post.area_code))
    assert set(exc.value.message_dict) == {"month"}
    assert not WelfareSubsidyPayment.objects.exists()


def test_a_person_past_working_age_on_the_start_date_is_refused(post, community):
    older = tagged_resident(community, "monitored", birth=months_ago(12 * 62))
    with pytest.raises(ValidationError) as exc:
        place(post, older)
    assert set(exc.value.message_dict) == {"resident"}
