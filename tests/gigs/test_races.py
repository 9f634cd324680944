"""Never over-confirmed: 20 concurrent confirmations of a gig with fewer places (PostgreSQL row locks)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jobcircle.accounts.access import scope_for_user
from jobcircle.gigs import services
from jobcircle.gigs.enums import GigStatus, SignupStatus
from jobcircle.gigs.models import Gig, GigSignup
from tests.concurrency import run_at_once
from tests.factories import ResidentFactory

from .factories import employer_gig

pytestmark = pytest.mark.django_db(transaction=True)
HEADCOUNT = 3


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def test_twenty_concurrent_confirmations_never_exceed_the_headcount(catalogues, community, employer, employer_user):
    gig = employer_gig(employer, employer_user, headcount=HEADCOUNT)
    signups = [services.sign_up(gig, ResidentFactory(community=community), by=None) for _ in range(20)]
    scope = scope_for_user(employer_user)

    outcomes = run_at_once(lambda s: services.transition_signup(s, "confirmed", by=employer_user, scope=scope), signups)

    assert sum(isinstance(o, GigSignup) for o in outcomes) == HEADCOUNT
    assert all(isinstance(o, GigSignup | ValidationError) for o in outcomes), outcomes
    assert GigSignup.objects.filter(gig=gig, status=SignupStatus.CONFIRMED).count() == HEADCOUNT
    assert Gig.objects.get(pk=gig.pk).status == GigStatus.FULL
