"""The demo's training and internships: a year of programmes with rosters and outcomes, interns on post."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.areas.codes import Area
from jobcircle.common.validators import validate_credit_code
from jobcircle.demo.generator import build_demo
from jobcircle.training import stats
from jobcircle.training.models import Programme, TrainingProvider

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_year_of_training_and_interns_on_post():
    build_demo(seed=3, scale="tiny", log=lambda *_: None)
    today = timezone.localdate()
    months = {p.starts_on.replace(day=1) for p in Programme.objects.all()}
    assert len(months) >= 11
    for provider in TrainingProvider.objects.all():
        validate_credit_code(provider.credit_code)
    county = Area("990121")
    year = stats.training_figures(county, today - datetime.timedelta(days=365), today)
    assert year["programmes"] >= 10 and year["completed"] > 0 and year["trainees"] >= year["completed"]
    assert Programme.objects.filter(status="recruiting").exists()
    assert stats.interns_on_post(county, today).exists()
