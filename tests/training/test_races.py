"""The once-a-year-per-level rule for subsidised training holds under concurrency (PostgreSQL; skipped on SQLite).

Two programmes of the same level and year lock different rows, so both eligibility checks can pass at once; the
partial unique constraint on (resident, level, year) is what lets exactly one enrolment through."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jobcircle.accounts.access import scope_for_user
from jobcircle.training.models import Enrolment
from jobcircle.training.services import enrol
from tests.concurrency import run_at_once
from tests.factories import ResidentFactory

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")


def test_concurrent_enrolments_in_two_subsidised_programmes_of_one_level_let_exactly_one_through(
    catalogues, community, community_staff
):
    provider = f.provider(community)
    programmes = [f.programme(provider, name=f"第{i}期") for i in range(6)]
    person = ResidentFactory(community=community)

    outcomes = run_at_once(
        lambda programme: enrol(programme, person, by=community_staff, scope=scope_for_user(community_staff)),
        programmes,
    )

    assert sum(isinstance(o, Enrolment) for o in outcomes) == 1
    assert all(isinstance(o, (Enrolment, ValidationError)) for o in outcomes), outcomes
    assert Enrolment.objects.filter(resident=person).count() == 1


def test_concurrent_enrolments_never_overfill_a_programme(catalogues, community, community_staff):
    programme = f.programme(f.provider(community), places=2, subsidy_per_head=0)
    people = [ResidentFactory(community=community) for _ in range(8)]

    run_at_once(lambda person: enrol(programme, person, by=community_staff, scope=scope_for_user(community_staff)),
                people)  # fmt: skip

    assert Enrolment.objects.filter(programme=programme).count() == 2
