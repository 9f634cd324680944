"""The registry of figures: one value per figure and area, the same on the page, in the API and in Excel.

The county is built through the services (tests/insights/builders.py); the expectations are what was
built, counted as it was built. Runs on SQLite and on PostgreSQL (DATABASE_URL).
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jobcircle.insights import figures as registry
from jobcircle.insights.figures import REGISTRY, evaluate, parse_period, records_of

from .builders import WELFARE_GROUPS, build_county

pytestmark = pytest.mark.django_db

NO_DATA_IN_TEST_COUNTY = {"page_visits", "monitoring_overdue", "cases_closed", "loan_overdue_rate"}
# 创业培训 and its success rate: built in tests/entrepreneurship/test_stats.py (the county trains no SYB class)
NO_DATA_IN_TEST_COUNTY |= {"entrepreneurship_trainees", "entrepreneurship_success_rate"}  # none are built
# Gigs and sharing (issue 20): built and checked in every channel by tests/gigs/test_figures.py.
NO_DATA_IN_TEST_COUNTY |= {"gigs_posted", "gig_places", "gig_signups", "gig_deals", "gig_income", "gig_walk_ins",
                           "sharing_person_times", "sharing_enterprises"}  # fmt: skip
# 零就业家庭 are built in tests/households/test_figures.py (a household here would open cases and move cases_open)
NO_DATA_IN_TEST_COUNTY |= {"zero_households_found", "zero_households_cleared", "zero_households_open",
                           "zero_households_days_open"}  # fmt: skip
# subsidies: only the 公益性岗位补贴 is paid in the built county (its monthly disbursement)
NO_DATA_IN_TEST_COUNTY |= {code for code in REGISTRY if code.startswith("subsidy_") and "welfare_post" not in code}
# 充分就业社区 figures are built in tests/communities/test_figures.py (a certification needs the whole review)
NO_DATA_IN_TEST_COUNTY |= {"community_compliance_rate", "communities_certified", "community_certified_rate"}


@pytest.fixture
def test_county(county_admin, town, community, neighbour_community, other_township, village):
    truth = build_county(county_admin, [(town, [community, neighbour_community]), (other_township, [village])])
    return truth


@pytest.fixture
def areas(county, town, other_township):
    return county.scope_prefix, [town.scope_prefix, other_township.scope_prefix]


def test_every_entry_says_what_it_counts():
    for code, figure in REGISTRY.items():
        assert figure.code == code and figure.label and figure.definition.endswith("。"), code
        assert figure.unit in {"人", "人次", "个", "家", "家次", "元", "场", "件", "期", "%", "户", "天", "倍", "笔"}, (
            code
        )
        assert figure.kind in (registry.STOCK, registry.FLOW), code
        assert "（" in figure.label, f"{code}: the label names its unit and period"


def test_a_code_is_registered_once():
    with pytest.raises(ValueError):
        registry.register(REGISTRY["employers"])


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("2026-03", "2026-03-01", "2026-03-31"), ("2026-Q2", "2026-04-01", "2026-06-30"),
     ("2026-H2", "2026-07-01", "2026-12-31"), ("2025", "2025-01-01", "2025-12-31"),
     ("2026-01-05~2026-02-01", "2026-01-05", "2026-02-01")],
)  # fmt: skip
def test_periods_are_months_quarters_halves_years_or_dates(text, start, end):
    period = parse_period(text)
    assert (str(period.start), str(period.end)) == (start, end)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "2026-02-01~2026-01-01", "上个月"])
def test_a_bad_period_names_the_field(text):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        parse_period(text)
    assert "统计期间" in caught.value.message_dict["period"][0]


def test_the_county_yields_what_was_built(test_county, areas):
    county, townships = areas
    period = parse_period(None)
    expected_of = {
        "employers": "employers", "residents": "residents", "job_seekers": "seekers", "employed": "employed",
        "fairs": "fairs", "fair_enterprises": "fair_employers", "fair_positions": "fair_positions",
        "fair_attendees": "sign_ins", "fair_intentions": "intentions", "fair_hires": "hires",
        "welfare_posts": "welfare_posts", "welfare_placed": "welfare_placed", "workshops": "workshops",
        "workshops_normal": "shops_normal", "workshop_workers": "shop_workers", "workshops_buffer": "shops_buffer",
        "workshops_new": "shops_new", "workshop_key_workers": "shop_key_workers", "workshop_subsidy": "shop_subsidy",
        "welfare_on_duty": "welfare_placed", "welfare_on_duty_urban": "welfare_urban",
        "welfare_on_duty_rural": "welfare_rural", "work_scale": "work_scale", "rural_transfer": "work_scale",
        "work_scale_local": "work_local", "work_scale_in_province": "work_in_province",
        "work_scale_out_of_province": "work_out_of_province",
        **{f"welfare_on_duty_{group}": "welfare_placed" for group in WELFARE_GROUPS},
        "workshop_poverty_workers": "shop_poverty_workers", "willing": "willing", "assisted": "willing",
        "service_1131_done": "done_1131", "cases_open": "willing", "cases_open_1131_done": "done_1131",
        "away_now": "away", "monitoring_tasks": "monitoring_tasks", "monitoring_done": "monitoring_done",
        "urban_new_jobs": "registered_employed", "reemployed_unemployed": "registered_employed",
        "difficulty_employed": "registered_employed",
        "fair_enterprise_visits": "fair_employers", "fair_intention_visits": "intentions",
        "positions": "places_left", "jobs_published": "jobs_published", "places_published": "places_published",
    }  # fmt: skip
    for prefix, truth in [(county, test_county), *test_county.by_area.items()]:
        values = evaluate(prefix, period)
        assert {code: values[code] for code in expected_of} == {
            code: getattr(truth, name) for code, name in expected_of.items()
        }, prefix


def test_every_figure_has_data_in_the_test_county(test_county, areas):
    values = evaluate(areas[0], parse_period(None))
    assert [code for code, value in values.items() if not value and code not in NO_DATA_IN_TEST_COUNTY] == []


def test_the_registered_unemployment_rate_reads_the_configured_base(test_county, areas):
    from decimal import Decimal

    from .builders import URBAN_EMPLOYED_BASE

    county, townships = areas
    for prefix, truth in [(county, test_county), *test_county.by_area.items()]:
        unemployed, base = truth.registered_unemployed, URBAN_EMPLOYED_BASE * truth.communities
        expected = (Decimal(unemployed * 100) / Decimal(base + unemployed)).quantize(Decimal("0.01"))
        assert evaluate(prefix, parse_period(None))["registered_unemployment_rate"] == expected, prefix


def test_additive_figures_of_the_county_are_the_sum_of_its_townships(test_county, areas):
    county, townships = areas
    period = parse_period(None)
    whole = evaluate(county, period)
    parts = [evaluate(prefix, period) for prefix in townships]
    for code, figure in REGISTRY.items():
        total = sum(part[code] for part in parts)
        if figure.additive:
            assert whole[code] == total, code
        else:  # a person or employer counted once in the county may count in two townships
            assert whole[code] <= total, code


def test_the_records_behind_a_count_are_as_many_as_the_count(test_county, areas):
    county, townships = areas
    period = parse_period(None)
    for prefix in (county, *townships):
        values = evaluate(prefix, period)
        for code, figure in REGISTRY.items():
            if figure.counts_records and figure.records is not None:
                assert records_of(code, prefix, period).count() == values[code], (prefix, code)


def test_page_api_and_excel_show_the_same_values(client, county_admin, test_county, areas):
    county, townships = areas
    period = parse_period(None)
    client.force_login(county_admin)
    for prefix in (county, *townships):
        expected = {code: registry.money_or_number(v) for code, v in evaluate(prefix, period).items()}
        api = client.get("/api/v1/stats/figures", {"area": prefix}).json()
        assert {row["code"]: row["value"] for row in api} == expected
        assert all(set(row) == {"code", "label", "value", "unit", "definition"} for row in api)
        page = client.get(reverse("insights:figure_list"), {"area": prefix})
        assert {row["code"]: registry.money_or_number(row["value"]) for row in page.context["rows"]} == expected
        sheet = load_workbook(
            io.BytesIO(client.get(reverse("insights:figure_list"), {"area": prefix, "export": "xlsx"}).content)
        ).active
        rows = list(sheet.iter_rows(min_row=3, values_only=True))  # watermark, header
        assert {row[0]: row[2] for row in rows} == expected
        dashboard = client.get(reverse("insights:dashboard"), {"area": prefix}).context["figures"]
        assert {code: value for code, _label, value in dashboard} == {c: expected[c] for c in registry.DASHBOARD}


def test_the_records_api_is_masked_paginated_and_scoped(client, township_staff, test_county, town, other_township):
    client.force_login(township_staff)
    url = "/api/v1/stats/figures/residents/records"
    first = client.get(url, {"limit": 2}).json()
    assert first["count"] == test_county.by_area[town.scope_prefix].residents and len(first["items"]) == 2
    second = client.get(url, {"limit": 2, "offset": 2}).json()
    assert {r["id"] for r in first["items"]}.isdisjoint({r["id"] for r in second["items"]})
    assert all("*" in r["name"] and r["area_code"].startswith(town.scope_prefix) for r in first["items"])
    assert client.get(url, {"area": other_township.code}).status_code == 404
    assert client.get("/api/v1/stats/figures/no_such_figure/records").status_code == 422
    assert client.get("/api/v1/stats/figures", {"period": "2026-13"}).status_code == 422


def test_back_office_opens_the_records_of_a_figure(client, township_staff, test_county, town, other_township):
    client.force_login(township_staff)
    url = reverse("insights:figure_records", args=["welfare_placed"])
    page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["records"]) == test_county.by_area[town.scope_prefix].welfare_placed
    assert all("*" in record["name"] for record in page.context["records"])
    assert client.get(url, {"area": other_township.code}).status_code == 404
    assert client.get(reverse("insights:figure_records", args=["nothing"])).status_code == 404


def test_residents_and_employers_get_403_on_the_figure_screens(client, resident_user, employer_user):
    for user in (resident_user, employer_user):
        client.force_login(user)
        assert client.get(reverse("insights:figure_list")).status_code == 403
        assert client.get(reverse("insights:figure_records", args=["employers"])).status_code == 403


def test_a_page_of_records_costs_the_same_queries_whatever_its_length(
    client, township_staff, test_county, django_assert_max_num_queries
):
    client.force_login(township_staff)
    url = "/api/v1/stats/figures/fair_attendees/records"
    with django_assert_max_num_queries(10):
        many = client.get(url, {"limit": 100}).json()
    assert len(many["items"]) == test_county.by_area[township_staff.area.scope_prefix].sign_ins
    assert all("*" in item["name"] for item in many["items"])
