"""Casework factories: residents in key groups, public-welfare posts, workshops."""

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from openpyxl import load_workbook

from jobcircle.assistance.models import WelfarePost, Workshop
from jobcircle.assistance.monitoring.services import record_monitoring
from jobcircle.assistance.periods import add_months, month_start
from jobcircle.people.models import KeyGroup
from tests.factories import ResidentFactory


def this_month():
    return month_start(timezone.localdate())


def months_ago(n):
    return add_months(this_month(), -n)


def tagged_resident(community, *groups, birth=datetime.date(1985, 3, 9), **kwargs):
    resident = ResidentFactory(community=community, birth_date=birth, **kwargs)
    resident.key_groups.set(KeyGroup.objects.filter(code__in=groups))
    return resident


def welfare_post(community, *, headcount=2, subsidy="1500.00", pay="1800.00", start=None, end=None, code=None):
    start = start or months_ago(12)
    return WelfarePost.objects.create(
        code=code or f"GY{community.code}{WelfarePost.objects.count() + 1:03d}",
        name="村级保洁员",
        area_type="rural",
        community=community,
        area_code=community.code,
        unit_name=f"{community.name}村民委员会",
        headcount=headcount,
        monthly_pay=Decimal(pay),
        monthly_subsidy=Decimal(subsidy),
        term_start=start,
        term_end=end or add_months(start, 36) - datetime.timedelta(days=1),
    )


def workshop(community, *, code=None, certified_on=None):
    return Workshop.objects.create(
        code=code or f"CJ{community.code}{Workshop.objects.count() + 1:03d}",
        name=f"{community.name}帮扶车间",
        community=community,
        area_code=community.code,
        operator_name="示范制衣有限公司",
        certified_on=certified_on or months_ago(18),
    )


# --- helpers of the casework tests ---------------------------------------------------------


def record(person, month, data):
    """A month's monitoring recorded by the system (no actor)."""
    return record_monitoring(person, month=month, by=None, data=data)


def whole_percent(part, whole):
    """part/whole as a whole percentage, half up, counted here independently of the code under test."""
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("1"), ROUND_HALF_UP))


def login(client, user):
    client.force_login(user)
    return client


def exported_sheet(response):
    """The first sheet of an exported workbook."""
    return load_workbook(io.BytesIO(response.content)).active
