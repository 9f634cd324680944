"""The demo's gig market and sharing: a year of history, never over-confirmed, figures that are not empty."""

import datetime

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from jobcircle.areas.codes import Area
from jobcircle.demo.generator import build_demo
from jobcircle.gigs import stats
from jobcircle.gigs.enums import TAKING_PLACE
from jobcircle.gigs.models import Gig, GigSignupTransition, GigTransition, SharingAgreement

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_gigs_and_sharing():
    build_demo(seed=2, scale="tiny", log=lambda *_: None)
    today = timezone.localdate()
    months = {timezone.localtime(at).strftime("%Y-%m") for at in Gig.objects.values_list("starts_at", flat=True)}
    assert len(months) >= 12
    assert Gig.objects.open().filter(starts_at__date__gte=today).exists()  # today's and tomorrow's
    over = Gig.objects.annotate(taken=Count("signups", filter=Q(signups__status__in=TAKING_PLACE))).filter(
        taken__gt=F("headcount")
    )
    assert not over.exists()
    assert GigTransition.objects.count() == Gig.objects.count() and GigSignupTransition.objects.exists()
    year = stats.gig_figures(Area("990121"), today - datetime.timedelta(days=365), today)
    assert year.gigs and year.deals and year.income_yuan > 0 and year.walk_ins
    assert SharingAgreement.objects.filter(status="consent").exists()
    assert stats.sharing_figures(Area("990121"), today - datetime.timedelta(days=365), today).person_times > 0
