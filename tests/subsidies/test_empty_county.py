"""A county with nothing loaded (its regions only): every subsidy screen, the screening and the figures answer."""

import pytest

from jobcircle.insights.figures import evaluate, parse_period
from jobcircle.subsidies.models import Screening
from tests.factories import Role, make_user, new_county_regions

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty(policies):
    regions = new_county_regions()
    admin = make_user("empty_admin", Role.COUNTY_ADMIN, area=regions["county"])
    return {"admin": admin, "staff": make_user("empty_staff", Role.COMMUNITY_STAFF, area=regions["villages"][0]),
            **regions}  # fmt: skip


def test_the_back_office_screens_answer_in_an_empty_county(client, empty):
    client.force_login(empty["admin"])
    for path in ("/backoffice/subsidies/", "/backoffice/subsidies/review/", "/backoffice/subsidies/batches/",
                 "/backoffice/subsidies/policies/transport/screening/"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    client.post("/backoffice/subsidies/policies/transport/screening/start/", {"period": "2026"})
    screening = Screening.objects.get()
    assert (screening.state, screening.screened, screening.hits.count()) == ("done", 0, 0)
    assert client.get("/backoffice/subsidies/policies/transport/screening/").status_code == 200
    client.force_login(empty["staff"])
    assert client.get("/backoffice/subsidies/review/").status_code == 200


def test_the_statistics_and_figures_are_zero_in_an_empty_county(client, empty):
    client.force_login(empty["admin"])
    response = client.get("/api/v1/subsidies/statistics", {"policy": "transport", "period": "2026"})
    assert response.status_code == 200
    assert (response.json()["beneficiaries"], float(response.json()["amount_yuan"])) == (0, 0)
    values = evaluate(empty["county"].code[:6], parse_period("2026"))
    assert all(not v for code, v in values.items() if code.startswith("subsidy_"))
