"""Formal registrations (就业登记, 失业登记, 就业困难人员认定): dated records written by people.services,
and the national indicators counted from them (people.stats) with known answers built here."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jobcircle.common.models import AuditEvent
from jobcircle.people import services, stats
from jobcircle.people.models import EmploymentRegistration, UnemploymentRegistration
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def field_errors(caught):
    return caught.value.message_dict


def test_an_employment_registration_is_a_dated_audited_record(resident, community_staff):
    registration = services.record_employment_registration(
        resident, by=community_staff, data={"registered_on": "2026-03-05", "employer_name": "示范食品厂"}
    )
    assert (registration.registered_on, registration.area_code) == (D(2026, 3, 5), resident.area_code)
    assert AuditEvent.objects.filter(action="people.employment_registration.recorded").count() == 1


def test_a_job_cancels_the_unemployment_registration_on_the_same_day(resident, community_staff):
    unemployed = services.record_unemployment_registration(
        resident, by=community_staff, data={"registered_on": "2026-01-10"}
    )
    services.record_employment_registration(resident, by=community_staff, data={"registered_on": "2026-03-05"})
    unemployed.refresh_from_db()
    assert (unemployed.ended_on, unemployed.end_reason) == (D(2026, 3, 5), "employed")


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [({}, "registered_on", "不能为空"), ({"registered_on": "5/3/2026"}, "registered_on", "格式"),
     ({"registered_on": "2999-01-01"}, "registered_on", "不能晚于今天"),
     ({"registered_on": "2026-01-01", "employer_name": "x" * 101}, "employer_name", "就业单位")],
)  # fmt: skip
def test_bad_employment_input_names_its_field_and_writes_nothing(resident, community_staff, data, field, words):
    with pytest.raises(ValidationError) as caught:
        services.record_employment_registration(resident, by=community_staff, data=data)
    assert words in " ".join(field_errors(caught)[field])
    assert not EmploymentRegistration.objects.exists()


def test_one_employment_and_one_unemployment_registration_in_force_at_a_time(resident, community_staff):
    services.record_employment_registration(resident, by=community_staff, data={"registered_on": "2026-01-05"})
    with pytest.raises(ValidationError) as caught:
        services.record_employment_registration(resident, by=community_staff, data={"registered_on": "2026-02-05"})
    assert "registered_on" in field_errors(caught)
    with pytest.raises(ValidationError) as caught:  # still employed that day
        services.record_unemployment_registration(resident, by=community_staff, data={"registered_on": "2026-02-05"})
    assert "就业登记" in field_errors(caught)["registered_on"][0]


def test_ending_names_its_bad_fields(resident, community_staff):
    job = services.record_employment_registration(resident, by=community_staff, data={"registered_on": "2026-02-01"})
    with pytest.raises(ValidationError) as caught:
        services.end_employment_registration(
            job, by=community_staff, data={"ended_on": "2026-01-01", "end_reason": "x"}
        )
    assert set(field_errors(caught)) == {"ended_on", "end_reason"}
    ended = services.end_employment_registration(
        job, by=community_staff, data={"ended_on": "2026-04-01", "end_reason": "retired"}
    )
    assert ended.ended_on == D(2026, 4, 1)
    with pytest.raises(ValidationError) as caught:
        services.end_employment_registration(
            job, by=community_staff, data={"ended_on": "2026-04-02", "end_reason": "left"}
        )
    assert "已于2026-04-01终止" in field_errors(caught)["ended_on"][0]


def test_a_difficulty_certification_has_a_category_and_validity(resident, community_staff):
    certification = services.certify_employment_difficulty(
        resident, by=community_staff,
        data={"category": "long_unemployed", "valid_from": "2026-01-01", "valid_to": "2026-12-31",
              "evidence": "失业一年以上"},
    )  # fmt: skip
    assert certification.get_category_display() == "长期失业人员"
    with pytest.raises(ValidationError) as caught:
        services.certify_employment_difficulty(
            resident,
            by=community_staff,
            data={"category": "nope", "valid_from": "2026-02-01", "valid_to": "2026-01-01"},
        )
    assert set(field_errors(caught)) == {"category", "valid_to", "evidence"}


# --- the indicators, with known answers ---------------------------------------------------------


@pytest.fixture
def registered(community, village, community_staff, county_admin):
    """In 2026-Q1, in the town's community: A (unemployed since 2025) finds work in February;
    B (certified 就业困难人员 for 2026) finds work in March; C finds work in January and retires in
    March (自然减员); D, employed since 2020, dies in February (自然减员); E is registered unemployed
    and still is; F finds rural work (not 城镇). In the village: G finds urban work in January.
    Outside the period: H starts in April."""
    by = county_admin
    a, b, c, d, e, f, h = (ResidentFactory(community=community) for _ in range(7))
    g = ResidentFactory(community=village)
    services.record_unemployment_registration(a, by=by, data={"registered_on": "2025-11-01"})
    services.record_employment_registration(a, by=by, data={"registered_on": "2026-02-10"})
    services.certify_employment_difficulty(
        b,
        by=by,
        data={"category": "disabled", "valid_from": "2026-01-01", "valid_to": "2026-12-31", "evidence": "残疾证"},
    )
    services.record_employment_registration(b, by=by, data={"registered_on": "2026-03-02"})
    job_c = services.record_employment_registration(c, by=by, data={"registered_on": "2026-01-15"})
    services.end_employment_registration(job_c, by=by, data={"ended_on": "2026-03-20", "end_reason": "retired"})
    job_d = services.record_employment_registration(d, by=by, data={"registered_on": "2020-05-01"})
    services.end_employment_registration(job_d, by=by, data={"ended_on": "2026-02-11", "end_reason": "died"})
    services.record_unemployment_registration(e, by=by, data={"registered_on": "2026-01-20"})
    services.record_employment_registration(f, by=by, data={"registered_on": "2026-02-01", "is_urban": False})
    services.record_employment_registration(g, by=by, data={"registered_on": "2026-01-03"})
    services.record_employment_registration(h, by=by, data={"registered_on": "2026-04-01"})
    return {"a": a, "b": b, "e": e, "g": g}


def test_the_flow_indicators_of_a_quarter(registered, county, town, other_township):
    q1 = (D(2026, 1, 1), D(2026, 3, 31))
    whole = stats.registration_figures(county, *q1)
    # new in towns: A, B, C, G = 4; attrition: C retired, D died = 2
    assert (whole.new_urban, whole.attrition, whole.urban_net) == (4, 2, 2)
    assert (whole.reemployed, whole.difficulty_employed) == (1, 1)
    town_only = stats.registration_figures(town, *q1)
    assert (town_only.new_urban, town_only.urban_net) == (3, 1)
    assert stats.registration_figures(other_township, *q1).new_urban == 1
    assert list(stats.people(stats.reemployed_unemployed(county, *q1))) == [registered["a"]]
    assert list(stats.people(stats.difficulty_employed(county, *q1))) == [registered["b"]]


def test_a_certification_outside_its_validity_does_not_count(community, county_admin, county):
    resident = ResidentFactory(community=community)
    services.certify_employment_difficulty(
        resident, by=county_admin,
        data={"category": "older", "valid_from": "2025-01-01", "valid_to": "2025-12-31", "evidence": "认定书"},
    )  # fmt: skip
    services.record_employment_registration(resident, by=county_admin, data={"registered_on": "2026-01-05"})
    assert stats.registration_figures(county, D(2026, 1, 1), D(2026, 1, 31)).difficulty_employed == 0


def test_the_unemployment_rate_needs_its_configured_denominator(registered, county, town, county_admin):
    # at the end of Q1: E (registered 2026-01-20) is registered unemployed; A's was cancelled by work
    assert stats.registered_unemployment_rate(county, D(2026, 3, 31)).rate is None  # no base: no rate, never 0
    services.set_urban_employed_base(county.code, 2026, 399, by=county_admin, source="统计年鉴")
    rate = stats.registered_unemployment_rate(county, D(2026, 3, 31))
    assert (rate.unemployed, rate.employed_base, rate.rate) == (1, 399, Decimal("0.25"))
    assert stats.registered_unemployment_rate(town, D(2026, 3, 31)).rate is None  # the town has none of its own
    assert stats.registered_unemployment_rate(county, D(2025, 12, 31)).unemployed == 1  # A, then


def test_a_bad_denominator_names_its_field(county, county_admin):
    with pytest.raises(ValidationError) as caught:
        services.set_urban_employed_base(county.code, 1999, -1, by=county_admin)
    assert set(field_errors(caught)) == {"employed", "year"}


def test_registrations_are_scoped_to_the_staff_area(registered, township_staff, other_township_staff):
    from jobcircle.accounts.access import scope_for_user

    assert UnemploymentRegistration.objects.in_scope(scope_for_user(other_township_staff)).count() == 0
    assert UnemploymentRegistration.objects.in_scope(scope_for_user(township_staff)).count() == 2
