import datetime

import pytest

from jobcircle.classifications.models import Occupation
from jobcircle.common.sms import MemoryBackend
from jobcircle.people.models import JobIntention, KeyGroup
from tests.factories import ResidentFactory


@pytest.fixture(autouse=True)
def sms_outbox():
    MemoryBackend.outbox.clear()
    yield MemoryBackend.outbox
    MemoryBackend.outbox.clear()


def make_seeker(community, *, lat=None, lng=None, occupations=("4-10-01-05",), max_km=3, min_pay=0,
                work_type="full_time", education=30, birth=datetime.date(1990, 5, 17), key_groups=(), skills=(),
                name=None, intention=True):  # fmt: skip
    extra = {"name": name} if name else {}
    resident = ResidentFactory(community=community, lat=lat, lng=lng, education=education, birth_date=birth,
                               is_job_seeking=True, skills=list(skills), **extra)  # fmt: skip
    if key_groups:
        resident.key_groups.set(KeyGroup.objects.filter(code__in=key_groups))
    if intention:
        i = JobIntention.objects.create(resident=resident, max_distance_km=max_km, min_monthly_pay=min_pay,
                                        work_type=work_type)  # fmt: skip
        i.occupations.set(Occupation.objects.filter(code__in=occupations))
    return resident


@pytest.fixture
def seeker_factory():
    return make_seeker


@pytest.fixture
def daily_cadence(db):
    """Everyone due every day (issue 18's cadence set to one day), for tests of the daily rules themselves."""
    from jobcircle.matching.models import PushCadence

    PushCadence.objects.update(period_days=1)
