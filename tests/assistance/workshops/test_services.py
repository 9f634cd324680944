"""Assistance workshops: registry, monthly checks, status following the latest check."""

import pytest
from django.core.exceptions import ValidationError

from jobcircle.accounts.access import scope_for_user
from jobcircle.assistance.enums import WorkshopStatus
from jobcircle.assistance.models import Workshop, WorkshopCheck
from jobcircle.assistance.workshops import services
from tests.factories import demo_credit_code

from ..factories import months_ago, workshop

pytestmark = pytest.mark.django_db


def check(shop, month, status="正常运行", workers=20, poverty=8, subsidy="3000"):
    return services.record_workshop_check(
        shop, by=None, data={"month": month, "status": status, "workers": workers, "poverty_workers": poverty,
                             "subsidy_granted": subsidy},
    )[0]  # fmt: skip


def test_a_workshop_is_registered_and_then_updated_by_its_code(community, community_staff):
    scope = scope_for_user(community_staff)
    data = {"code": "cj-001", "name": "幸福社区制衣帮扶车间", "operator_name": "示范制衣有限公司",
            "community_code": community.code, "certified_on": "2025-03-01",
            "credit_code": demo_credit_code()}  # fmt: skip
    shop, created = services.save_workshop(by=community_staff, data=data, scope=scope)
    assert created and shop.code == "CJ-001"
    shop, created = services.save_workshop(by=community_staff, data={**data, "name": "新名称"}, scope=scope)
    assert not created and Workshop.objects.get().name == "新名称"


def test_a_bad_credit_code_or_outside_community_is_refused(village, community_staff):
    data = {"code": "CJ-002", "name": "车间", "operator_name": "某公司", "community_code": village.code,
            "certified_on": "2025-03-01", "credit_code": "91990121MA0000000X"}  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.save_workshop(by=community_staff, data=data, scope=scope_for_user(community_staff))
    assert set(exc.value.message_dict) == {"community_code", "credit_code"}


def test_the_status_follows_the_latest_monthly_check(community):
    shop = workshop(community)
    check(shop, months_ago(1), status="缓冲监测")
    check(shop, months_ago(3), status="正常运行")  # back-filled older month
    shop.refresh_from_db()
    assert shop.status == WorkshopStatus.BUFFER


def test_checking_a_month_again_updates_it(community):
    shop = workshop(community)
    check(shop, months_ago(1), workers=10)
    check(shop, months_ago(1), workers=12)
    assert WorkshopCheck.objects.get().workers == 12


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"workers": 5, "poverty_workers": 6}, {"poverty_workers"}),
        ({"workers": -1}, {"workers"}),
        ({"status": "停业"}, {"status"}),
        ({"subsidy_granted": "12.345"}, {"subsidy_granted"}),
    ],
)
def test_bad_checks_name_the_field(community, data, fields):
    shop = workshop(community)
    base = {"month": months_ago(1), "status": "normal", "workers": 10, "poverty_workers": 2}
    with pytest.raises(ValidationError) as exc:
        services.record_workshop_check(shop, by=None, data={**base, **data})
    assert set(exc.value.message_dict) == fields


def test_a_code_already_used_outside_the_area_is_refused(village, community, community_staff):
    foreign = workshop(village, code="CJ-777")
    data = {"code": "cj-777", "name": "车间", "operator_name": "某公司", "community_code": community.code,
            "certified_on": months_ago(3).isoformat()}  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.save_workshop(by=community_staff, data=data, scope=scope_for_user(community_staff))
    assert set(exc.value.message_dict) == {"code"}
    foreign.refresh_from_db()
    assert foreign.area_code == village.code and foreign.name != "车间"


def test_missing_registry_fields_and_a_future_certification_are_named(community, community_staff):
    future = (months_ago(-2)).isoformat()
    data = {"code": "", "name": "", "operator_name": "", "community_code": community.code, "certified_on": future}
    with pytest.raises(ValidationError) as exc:
        services.save_workshop(by=community_staff, data=data, scope=scope_for_user(community_staff))
    assert set(exc.value.message_dict) == {"code", "name", "operator_name", "certified_on"}
    assert not Workshop.objects.exists()


def test_a_check_before_the_certification_month_is_refused(community):
    shop = workshop(community, certified_on=months_ago(2))
    with pytest.raises(ValidationError) as exc:
        check(shop, months_ago(3))
    assert set(exc.value.message_dict) == {"month"}
    assert not WorkshopCheck.objects.filter(workshop=shop).exists()


def test_a_workshop_moved_to_another_community_takes_its_checks_along(community, neighbour_community, township_staff):
    shop = workshop(community)
    check(shop, months_ago(1))
    data = {"code": shop.code, "name": shop.name, "operator_name": shop.operator_name,
            "community_code": neighbour_community.code, "certified_on": shop.certified_on.isoformat()}  # fmt: skip
    services.save_workshop(by=township_staff, data=data, scope=scope_for_user(township_staff))
    assert set(WorkshopCheck.objects.filter(workshop=shop).values_list("area_code", flat=True)) == {
        neighbour_community.code
    }
