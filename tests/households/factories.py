"""Households built through the services, with members of a chosen age and status history."""

import datetime
import itertools

from django.utils import timezone

from jobcircle.households import services
from jobcircle.households.enums import Relation
from jobcircle.people.models import EmploymentStatusChange
from tests.factories import ResidentFactory

_numbers = itertools.count(1)


def years_ago(years, today=None):
    today = today or timezone.localdate()
    return (
        today.replace(year=today.year - years)
        if (today.month, today.day) != (2, 29)
        else today.replace(year=today.year - years, day=28)
    )


def member(community, *, age=35, status="unemployed", since=None, name=None):
    """A resident of ``age`` whose status history says ``status`` since ``since`` (default a year ago)."""
    resident = ResidentFactory(
        community=community, birth_date=years_ago(age) - datetime.timedelta(days=30), employment_status=status,
        **({"name": name} if name else {}),
    )  # fmt: skip
    EmploymentStatusChange.objects.create(
        resident=resident, status=status, changed_on=since or timezone.localdate() - datetime.timedelta(days=365)
    )
    return resident


def household(community, members, *, by=None, on=None, **data):
    """A household in ``community`` with ``members`` [(resident, relation)], the first the head."""
    number = data.pop("number", f"H{next(_numbers):06d}")
    made = services.register_household(by=by, scope=None, data={"number": number, "community_code": community.code,
                                                                  **data})  # fmt: skip
    joined = on or timezone.localdate() - datetime.timedelta(days=400)
    for index, resident in enumerate(members):
        relation = Relation.HEAD if index == 0 else Relation.CHILD
        services.add_member(made, resident, relation, by=by, scope=None, on=joined)
    return made
