"""The training and internship figures in the registry: what was built in each area, on screen and API alike
(the insights consistency tests check every channel and records = value for every counting figure)."""

import pytest

from jobcircle.insights.figures import REGISTRY, STOCK, evaluate, parse_period
from jobcircle.insights.report import PARAGRAPHS
from tests.insights.builders import build_county

from .builders import PER_COMMUNITY

pytestmark = pytest.mark.django_db


def test_each_area_shows_what_was_built_in_its_communities(county_admin, county, town, community,
                                                           neighbour_community, other_township, village):  # fmt: skip
    build_county(county_admin, [(town, [community, neighbour_community]), (other_township, [village])])
    for prefix, communities in ((county.scope_prefix, 3), (town.scope_prefix, 2), (other_township.scope_prefix, 1)):
        values = evaluate(prefix, parse_period(None), codes=list(PER_COMMUNITY))
        assert values == {code: n * communities for code, n in PER_COMMUNITY.items()}, prefix
        rates = evaluate(prefix, parse_period(None), codes=["training_employment_rate", "intern_retention_rate"])
        assert {code: str(v) for code, v in rates.items()} == {
            "training_employment_rate": "100.0", "intern_retention_rate": "100.0"
        }  # fmt: skip


def test_interns_on_post_and_bases_are_stocks_and_the_rest_flows():
    stocks = {code for code, figure in REGISTRY.items() if code.startswith(("training", "intern")) and
              figure.kind == STOCK}  # fmt: skip
    assert stocks == {"internship_bases", "interns_on_post"}


def test_the_work_report_says_the_training_figures_in_one_paragraph():
    (paragraph,) = [clauses for opening, clauses in PARAGRAPHS if opening.startswith("职业技能培训")]
    assert {code for code, _ in paragraph} <= set(PER_COMMUNITY)
