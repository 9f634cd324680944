import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from jobcircle.accounts.enums import ADMIN_ROLES, STAFF_ROLES, Role
from jobcircle.accounts.models import User
from jobcircle.common import pii
from jobcircle.common.validators import parse_id_number, validate_credit_code, validate_mobile_phone
from jobcircle.demo.generator import build_demo
from jobcircle.employers.models import Employer, Job
from jobcircle.insights.services import overview
from jobcircle.people.models import Resident

pytestmark = pytest.mark.django_db


def test_seed_builds_a_plausible_county_with_one_login_per_role(capsys):
    call_command("seed_demo", "--scale", "tiny", "--seed", "3")
    county = overview("990121")
    assert county["residents"] == Resident.objects.count() > 0
    assert 0 < county["job_seekers"] < county["residents"]
    assert county["positions"] >= 180  # the tiny plan's open-position target
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
        jobs = list(Job.objects.order_by("id").values_list("title", "headcount", "lat", "lng"))
        transaction.set_rollback(True)
    return people, jobs


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
