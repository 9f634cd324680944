"""Demo households (issue 19): the county's residents grouped into households of one to four people in their
community, a year of 零就业家庭 history (found a year ago and each quarter since, some cleared when a member
found work) with the assistance cases the daily run opens. Built through households.services' own rule."""

import datetime
import random

from django.db import transaction

from jobcircle.households.enums import Relation
from jobcircle.households.models import Household, HouseholdMembership
from jobcircle.households.services import sync_zero_employment, unemployed_members, zero_employment_households
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import EmploymentStatusChange, Resident

SHARE_IN_HOUSEHOLDS = 0.6  # residents grouped into households; the rest are not yet in the household ledger
RELATIONS = (Relation.SPOUSE, Relation.CHILD, Relation.PARENT)


@transaction.atomic
def build_households_demo(*, seed: int, county, residents, today: datetime.date) -> str:
    """Households for ``residents`` of ``county`` and a year of 零就业家庭 spells; returns a line for the log."""
    rng = random.Random(f"households-{seed}-{county.code}")
    start = today - datetime.timedelta(days=360)
    by_community: dict[str, list] = {}
    for resident in residents:
        if rng.random() < SHARE_IN_HOUSEHOLDS:
            by_community.setdefault(resident.area_code, []).append(resident)
    households, members = [], []
    for area_code, people in sorted(by_community.items()):
        community_id = people[0].community_id
        while people:
            size = min(len(people), rng.choice((1, 2, 2, 3, 3, 4)))
            group, people = people[:size], people[size:]
            number = f"{area_code}{len(households) + 1:05d}"
            income = rng.random() < 0.15
            address = f"{rng.randint(1, 300)}号"
            households.append(Household(number=number, community_id=community_id, area_code=area_code,
                                        address=address, has_business_income=income))  # fmt: skip
            members.append(group)
    Household.objects.bulk_create(households, batch_size=2000)
    HouseholdMembership.objects.bulk_create(
        [
            HouseholdMembership(
                household=household,
                resident=resident,
                area_code=household.area_code,
                relation=Relation.HEAD if index == 0 else rng.choice(RELATIONS),
                joined_on=start,
            )  # fmt: skip
            for household, group in zip(households, members, strict=True)
            for index, resident in enumerate(group)
        ],
        batch_size=5000,
    )
    sync_zero_employment(county, on=start)
    # A third of the households found a year ago have a member find work later in the year (动态清零).
    found = list(zero_employment_households(county, start))
    cleared = [h for h in found if rng.random() < 0.35]
    changes = []
    for resident in unemployed_members(cleared, start).order_by("id"):
        day = start + datetime.timedelta(days=rng.randint(20, 330))
        changes.append(EmploymentStatusChange(resident=resident, status=EmploymentStatus.EMPLOYED, changed_on=day,
                                              note="演示：实现就业"))  # fmt: skip
    EmploymentStatusChange.objects.bulk_create(changes)
    Resident.objects.filter(pk__in=[c.resident_id for c in changes]).update(
        employment_status=EmploymentStatus.EMPLOYED, is_job_seeking=False
    )
    for days in (90, 180, 270):
        sync_zero_employment(county, on=start + datetime.timedelta(days=days))
    result = sync_zero_employment(county, on=today)
    open_now = zero_employment_households(county, today).count()
    return f"{county.name}：家庭户 {len(households)}，零就业家庭 {open_now}（今日新认定 {result['found']}）"
