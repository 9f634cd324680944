import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jobcircle.accounts.enums import ADMIN_ROLES, STAFF_ROLES, Role
from jobcircle.accounts.models import User
from jobcircle.assistance.models import MonitoringRecord, WelfarePlacement
from jobcircle.common import pii
from jobcircle.common.validators import parse_id_number, validate_credit_code, validate_mobile_phone
from jobcircle.demo.generator import build_demo
from jobcircle.employers.models import Employer, Job
from jobcircle.insights.services import overview, weekly_trend
from jobcircle.people.models import Placement, Resident
from jobcircle.recruiting.models import Application, JobFair

pytestmark = pytest.mark.django_db


def test_seed_builds_a_plausible_county_with_one_login_per_role(capsys):
    call_command("seed_demo", "--scale", "tiny", "--seed", "3")
    county = overview("990121")
    assert county["residents"] == Resident.objects.count() > 0
    assert 0 < county["job_seekers"] < county["residents"]
    open_headcount = Job.objects.open().aggregate(n=Sum("headcount"))["n"]
    assert open_headcount >= 180  # the tiny plan's open-position target
    assert 0 < county["positions"] <= open_headcount  # 岗位需求: the places left after the demo's hires
    roles = list(User.objects.values_list("role", flat=True))
    assert sorted(roles) == sorted(Role.values)  # exactly one login per role, administrators included
    assert not User.objects.filter(role__in=[*STAFF_ROLES, *ADMIN_ROLES], phone_encrypted="").exists()  # 2nd factor
    assert "county_admin" in capsys.readouterr().out


def test_every_generated_identity_is_synthetic_and_valid():
    build_demo(seed=5, scale="tiny", log=lambda *_: None)
    for resident in Resident.objects.all()[:200]:
        number = pii.decrypt(resident.id_number_encrypted)
        assert number.startswith("990000")
        info = parse_id_number(number)
        assert (info.birth_date, info.gender) == (resident.birth_date, resident.gender)
        phone = pii.decrypt(resident.phone_encrypted)
        assert phone.startswith("140")
        validate_mobile_phone(phone)
    for employer in Employer.objects.all():
        validate_credit_code(employer.credit_code)


def _generate(seed):
    """Build a tiny county, read it back, and roll it away again."""
    with transaction.atomic():
        build_demo(seed=seed, scale="tiny", log=lambda *_: None)
        people = list(Resident.objects.order_by("id").values_list("name", "birth_date", "area_code", "id_number_hash"))
        jobs = list(Job.objects.order_by("id").values_list("title", "headcount", "lat", "lng", "valid_from"))
        history = list(Application.objects.order_by("id").values_list("resident__area_code", "status", "created_at"))
        fairs = list(JobFair.objects.order_by("id").values_list("name", "starts_at"))
        registered = list(Resident.objects.order_by("id").values_list("created_at", flat=True))
        transaction.set_rollback(True)
    return people, jobs, history, fairs, registered


def test_the_same_seed_gives_the_same_county():
    assert _generate(7) == _generate(7)
    assert _generate(7) != _generate(8)


def test_seed_refuses_where_synthetic_identities_are_not_accepted(settings):
    settings.JOBCIRCLE_DEMO_ID_PREFIXES = []
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "tiny")


def test_seed_if_empty_does_nothing_the_second_time():
    call_command("seed_demo", "--scale", "tiny", "--seed", "1")
    before = Resident.objects.count()
    call_command("seed_demo", "--scale", "tiny", "--if-empty")
    assert Resident.objects.count() == before


def months_of(values):
    return {(v.year, v.month) for v in values}


def test_the_demo_spreads_a_year_of_history():
    build_demo(seed=2, scale="tiny", log=lambda *_: None)
    today = timezone.localdate()
    # a year back, from the first of its month (monitoring months are month starts; last December may lie there)
    year_ago = (today - datetime.timedelta(days=366)).replace(day=1)

    def spread(values, at_least):
        values = [timezone.localdate(v) if isinstance(v, datetime.datetime) else v for v in values]
        assert all(year_ago <= v <= today + datetime.timedelta(days=31) for v in values)
        assert len(months_of(values)) >= at_least, sorted(months_of(values))

    spread(Resident.objects.values_list("created_at", flat=True), 12)  # registrations
    spread(Job.objects.values_list("valid_from", flat=True), 11)  # publications
    spread(Application.objects.values_list("created_at", flat=True), 11)  # applications
    spread(Placement.objects.values_list("started_on", flat=True), 8)  # hires
    spread(JobFair.objects.values_list("starts_at", flat=True), 12)  # fairs
    spread(MonitoringRecord.objects.values_list("month", flat=True), 12)  # monitoring months
    spread(WelfarePlacement.objects.values_list("started_on", flat=True), 4)  # public-welfare placements
    trend = weekly_trend("990121")
    for series in trend["series"]:  # the dashboard's 12 weeks are not empty (hires are few in a tiny county)
        assert sum(1 for n in series["data"] if n) >= (3 if series["key"] == "placements" else 6), series["key"]
    assert overview("990121")["page_visits"] > 0


def test_every_demo_hire_is_a_hired_application_and_ends_the_job_search():
    build_demo(seed=4, scale="tiny", log=lambda *_: None)
    hires = Application.objects.filter(status="hired")
    assert Placement.objects.count() == hires.count() > 0
    assert not Placement.objects.exclude(job__applications__status="hired").exists()
    assert not Resident.objects.filter(placements__isnull=False, is_job_seeking=True).exists()
