"""Start-ups (flags, the registrations import) and incubation bases (tenants, the yearly award)."""

import datetime
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jobcircle.assistance.enums import WorkLocation
from jobcircle.assistance.models import MonitoringRecord
from jobcircle.classifications.models import Industry
from jobcircle.entrepreneurship import startups
from jobcircle.entrepreneurship.enums import ReturneeSource
from jobcircle.entrepreneurship.imports import import_registrations
from jobcircle.entrepreneurship.models import IncubationBase, Startup
from jobcircle.people.enums import EmploymentStatus
from tests.factories import EmployerFactory, demo_credit_code, demo_id_number

from .conftest import borrower, scope

pytestmark = pytest.mark.django_db
HEADER = ["名称", "统一社会信用代码", "法定代表人身份证号", "成立日期", "住所", "主体类型", "行业代码", "从业人数"]


def registrations(tmp_path, rows):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    path = tmp_path / "registrations.xlsx"
    book.save(path)
    return path


def away(resident, month):
    MonitoringRecord.objects.create(resident=resident, month=month, area_code=resident.area_code,
                                    employment_status=EmploymentStatus.EMPLOYED,
                                    work_location=WorkLocation.OUT_OF_PROVINCE)  # fmt: skip


def test_the_import_matches_legal_persons_by_id_and_flags_returnees_from_monitoring(
    community, community_staff, tmp_path
):
    number = demo_id_number(datetime.date(1988, 3, 2))
    returnee = borrower(community, "migrant_worker", id_number=number)
    away(returnee, datetime.date(2025, 3, 1))
    industry = Industry.objects.leaves().first()
    path = registrations(tmp_path, [
        ["返乡小吃店", demo_credit_code(), number, datetime.date(2025, 9, 1), "幸福路2号", "个体工商户",
         industry.code if industry else "", 3],
        ["外来商贸有限公司", demo_credit_code(), demo_id_number(datetime.date(1979, 1, 1)), "2025-10-01", "",
         "私营企业", "", 8],
    ])  # fmt: skip
    first = import_registrations(path, by=community_staff, scope=scope(community_staff), apply=True)
    assert first.applied and first.counts.created == 2, first.errors
    shop = Startup.objects.get(name="返乡小吃店")
    assert shop.resident == returnee and shop.returnee_source == ReturneeSource.MONITORING and shop.jobs == 3
    other = Startup.objects.get(name="外来商贸有限公司")
    assert other.resident is None and other.area_code == community.code and not other.is_returnee
    again = import_registrations(path, by=community_staff, scope=scope(community_staff), apply=True)
    assert again.counts.unchanged == 2 and again.counts.created == 0
    assert Startup.objects.count() == 2


def test_a_bad_row_rolls_back_the_whole_registrations_file(community, community_staff, tmp_path):
    path = registrations(tmp_path, [
        ["好店", demo_credit_code(), demo_id_number(), datetime.date(2025, 9, 1), "", "个体工商户", "", 1],
        ["坏店", "123", demo_id_number(), datetime.date(2025, 9, 1), "", "合伙企业", "", 1],
    ])  # fmt: skip
    result = import_registrations(path, by=community_staff, scope=scope(community_staff), apply=True)
    assert not result.applied and {(e.row, e.column) for e in result.errors} == {
        (3, "统一社会信用代码"),
        (3, "主体类型"),
    }
    assert not Startup.objects.exists()


def test_self_declared_returnee_and_graduate_flags(community, county_admin):
    graduate = borrower(community, "graduate")
    data = {"name": "青年工作室", "credit_code": demo_credit_code(), "kind": "sole",
            "registered_on": datetime.date(2025, 5, 1)}  # fmt: skip
    startup, outcome = startups.upsert_startup(data, resident=graduate, area_code=community.code, by=county_admin,
                                               declared_returnee=True)  # fmt: skip
    assert outcome == "created" and startup.is_graduate and startup.returnee_source == ReturneeSource.DECLARED


def test_a_startup_in_the_future_is_refused_naming_the_field(community, county_admin):
    data = {"name": "明日店", "credit_code": demo_credit_code(), "kind": "sole",
            "registered_on": datetime.date.today() + datetime.timedelta(days=2)}  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        startups.upsert_startup(data, resident=None, area_code=community.code, by=county_admin)
    assert "registered_on" in exc.value.message_dict


@pytest.fixture
def base(community):
    return IncubationBase.objects.create(name="县创业孵化基地", level="province", capacity=2, area_code=community.code,
                                         certified_on=datetime.date(2024, 6, 1),
                                         operator=EmployerFactory(community=community))  # fmt: skip


def startup(community, name):
    return Startup.objects.create(name=name, credit_code=demo_credit_code(), kind="sole", area_code=community.code,
                                  registered_on=datetime.date(2025, 1, 1))  # fmt: skip


def test_tenants_move_in_and_out_within_capacity(base, community, community_staff, neighbour_staff):
    s = scope(community_staff)
    one = startups.move_in(base, startup(community, "甲"), moved_in=datetime.date(2025, 2, 1), by=community_staff,
                           scope=s, jobs=4)  # fmt: skip
    startups.move_in(base, startup(community, "乙"), moved_in=datetime.date(2025, 3, 1), by=community_staff, scope=s)
    with pytest.raises(ValidationError):
        startups.move_in(base, startup(community, "丙"), moved_in=datetime.date(2025, 3, 1), by=community_staff,
                         scope=s)  # fmt: skip
    with pytest.raises(PermissionDenied):
        startups.move_in(base, startup(community, "丁"), moved_in=datetime.date(2025, 3, 1), by=neighbour_staff,
                         scope=scope(neighbour_staff))  # fmt: skip
    startups.move_out(one, moved_out=datetime.date(2025, 12, 31), by=community_staff, scope=s)
    assert base.tenancies.filter(moved_out__isnull=True).count() == 1


def test_the_yearly_award_goes_to_the_subsidies_once(base, community, community_staff, county_admin):
    startups.move_in(base, startup(community, "甲"), moved_in=datetime.date(2025, 2, 1), by=community_staff,
                     scope=scope(community_staff), jobs=4)  # fmt: skip
    award = startups.award_base(base, 2025, D("50000"), by=county_admin, scope=scope(county_admin))
    assert (award.tenants, award.jobs, award.application.amount) == (1, 4, D("50000.00"))
    assert award.application.employer_id == base.operator_id and award.application.period == "2025"
    with pytest.raises(ValidationError):
        startups.award_base(base, 2025, D("50000"), by=county_admin, scope=scope(county_admin))
    with pytest.raises(PermissionDenied):
        startups.award_base(base, 2026, D("1"), by=community_staff, scope=scope(community_staff))
