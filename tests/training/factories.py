"""Training and internship records for tests, written straight to the models (the services are what is tested)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from jobcircle.classifications.models import Occupation
from jobcircle.people.models import KeyGroup
from jobcircle.training.enums import ProgrammeKind, ProgrammeStatus, SkillLevel
from jobcircle.training.models import InternshipBase, InternshipPosition, Programme, TrainingProvider, TrainingSession
from tests.factories import demo_credit_code


def provider(community, **fields):
    station = community.stations.first()
    row = TrainingProvider(
        name=fields.pop("name", f"{community.name}职业培训学校"), credit_code=demo_credit_code(), kind="institution",
        address="培训路1号", community=community, area_code=community.code, **fields,
    )  # fmt: skip
    row.set_location(station.lat, station.lng)
    row.save()
    return row


def programme(provider_row, *, community=None, sessions=3, lat=None, lng=None, groups=(), **fields):
    """A programme at ``community`` (default the provider's) starting today, 招生 unless ``status`` says otherwise."""
    community = community or provider_row.community
    start = fields.pop("starts_on", timezone.localdate())
    values = {
        "name": "中式烹调师培训班", "occupation": Occupation.objects.get(code="4-03-02-01"),
        "kind": ProgrammeKind.EMPLOYMENT,
        "level": SkillLevel.LEVEL_5, "places": 30, "starts_on": start, "ends_on": start + datetime.timedelta(days=20),
        "venue": "培训楼101", "subsidy_per_head": Decimal("1200.00"), "status": ProgrammeStatus.RECRUITING,
        **fields,
    }  # fmt: skip
    row = Programme(provider=provider_row, community=community, area_code=community.code, **values)
    station = community.stations.first()
    row.set_location(lat if lat is not None else station.lat, lng if lng is not None else station.lng)
    row.save()
    row.target_groups.set(KeyGroup.objects.filter(code__in=groups))
    TrainingSession.objects.bulk_create(
        [TrainingSession(programme=row, number=i + 1, held_on=row.starts_on) for i in range(sessions)]
    )
    return row


def base(employer, **fields):
    values = {"certificate_number": "见习认字〔2026〕1号", "certified_on": timezone.localdate(), "capacity": 20}
    values.update(fields)
    return InternshipBase.objects.create(employer=employer, area_code=employer.area_code, **values)


def position(base_row, **fields):
    values = {"title": "行政助理见习", "places": 3, "term_months": 6, "monthly_allowance": Decimal("1800.00"),
              "address": "单位地址", "raised_on": timezone.localdate(), **fields}  # fmt: skip
    row = InternshipPosition(base=base_row, area_code=base_row.area_code, **values)
    row.set_location(base_row.employer.lat, base_row.employer.lng)
    row.save()
    return row
