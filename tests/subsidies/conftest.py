"""Subsidy test helpers: the shipped catalogue and people with the facts the rules read."""

import datetime

import pytest

from jobcircle.assistance.enums import WorkLocation
from jobcircle.assistance.models import MonitoringRecord
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import KeyGroup
from jobcircle.subsidies import data_policies
from jobcircle.subsidies.models import Policy, PolicyVersion
from tests.factories import ResidentFactory

YEAR = 2025
PERIOD = str(YEAR)


@pytest.fixture
def policies(db):
    """The shipped catalogue by code (the migration loads it; reloaded after a transactional flush)."""
    data_policies.load(Policy, PolicyVersion)
    return {p.code: p for p in Policy.objects.all()}


def person(community, *groups, status=EmploymentStatus.EMPLOYED, **fields):
    """A resident of ``community`` in the key groups named by code."""
    for code in groups:
        KeyGroup.objects.get_or_create(code=code, defaults={"name": code})
    resident = ResidentFactory(community=community, employment_status=status, **fields)
    resident.key_groups.set(KeyGroup.objects.filter(code__in=groups))
    return resident


def monitored(resident, months, *, where=WorkLocation.OUT_OF_PROVINCE, status=EmploymentStatus.EMPLOYED, year=YEAR):
    """Monthly monitoring records of ``resident`` for the given months of ``year``."""
    MonitoringRecord.objects.bulk_create(
        [
            MonitoringRecord(
                resident=resident,
                month=datetime.date(year, m, 1),
                area_code=resident.area_code,
                employment_status=status,
                work_location=where,
            )  # fmt: skip
            for m in months
        ]
    )
    return resident
