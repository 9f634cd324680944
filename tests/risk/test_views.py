"""风险预警 screens: the area sees the dashboard, the list and a warning, and works it (签收 → 处置 with a
case → 解除 with a note); another area gets 404, residents and employers 403; bad input writes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcircle.assistance.models import AssistanceCase
from jobcircle.households import services as households
from jobcircle.risk import services
from jobcircle.risk.enums import WarningKind, WarningStatus
from jobcircle.risk.models import RiskWarning, RiskWarningTransition
from tests.households.factories import household, member

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def warning(county, community, community_staff):
    household(community, [member(community, status="unemployed", since=days_ago(100))])
    households.sync_zero_employment(community, on=days_ago(40))
    services.run_warnings(county)
    return RiskWarning.objects.get()


def test_the_dashboard_counts_by_area_and_kind_and_the_list_filters(client, township_staff, community, warning):
    client.force_login(township_staff)
    page = client.get(reverse("risk:dashboard"))
    assert page.status_code == 200
    assert [(r["area_code"], r["kind"], r["count"]) for r in page.context["counts"]] == [
        (community.code, WarningKind.ZERO_HOUSEHOLD_OPEN, 1)
    ]
    listed = client.get(reverse("risk:warning_list"), {"kind": WarningKind.ZERO_HOUSEHOLD_OPEN})
    assert list(listed.context["page_obj"]) == [warning]
    assert list(client.get(reverse("risk:warning_list"), {"status": "resolved"}).context["page_obj"]) == []
    assert client.get(reverse("risk:warning_detail", args=[warning.pk])).status_code == 200


def test_staff_acknowledge_work_with_a_case_and_resolve_with_a_note(client, community_staff, warning):
    client.force_login(community_staff)
    client.post(reverse("risk:warning_acknowledge", args=[warning.pk]))
    case = AssistanceCase.objects.filter(area_code=warning.area_code).first()
    detail = client.get(reverse("risk:warning_detail", args=[warning.pk]))
    assert case in list(detail.context["cases"])
    client.post(reverse("risk:warning_work", args=[warning.pk]), {"case_id": case.pk})
    client.post(reverse("risk:warning_resolve", args=[warning.pk]), {"note": "已安排公益性岗位"})
    warning.refresh_from_db()
    assert (warning.status, warning.case, warning.resolution) == (WarningStatus.RESOLVED, case, "已安排公益性岗位")


def test_bad_input_is_a_message_naming_the_field_and_writes_nothing(client, community_staff, warning):
    client.force_login(community_staff)
    refused = client.post(reverse("risk:warning_resolve", args=[warning.pk]), {"note": "好"}, follow=True)
    assert "解除说明" in refused.content.decode()
    client.post(reverse("risk:warning_resolve", args=[warning.pk]), {"note": "坏\x07说明"})
    client.post(reverse("risk:warning_work", args=[warning.pk]), {"case_id": "x"})  # and not acknowledged yet
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN and not RiskWarningTransition.objects.exists()


def test_another_area_gets_404(client, neighbour_staff, other_township_staff, community, warning):
    client.force_login(neighbour_staff)
    assert client.get(reverse("risk:warning_detail", args=[warning.pk])).status_code == 404
    assert client.post(reverse("risk:warning_acknowledge", args=[warning.pk])).status_code == 404
    assert client.post(reverse("risk:warning_resolve", args=[warning.pk]), {"note": "已处理"}).status_code == 404
    assert client.get(reverse("risk:dashboard"), {"area": community.code}).status_code == 404
    client.force_login(other_township_staff)
    assert list(client.get(reverse("risk:warning_list")).context["page_obj"]) == []
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN


def test_residents_employers_and_administrators_get_403(client, resident_user, employer_user, system_admin, warning):
    for user in (resident_user, employer_user, system_admin):
        client.force_login(user)
        assert client.get(reverse("risk:dashboard")).status_code == 403
        assert client.get(reverse("risk:warning_list")).status_code == 403
        assert client.get(reverse("risk:warning_detail", args=[warning.pk])).status_code == 403
        assert client.post(reverse("risk:warning_acknowledge", args=[warning.pk])).status_code == 403
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN


def test_the_list_costs_the_same_queries_whatever_its_length(client, county, township_staff, neighbour_community,
                                                             warning, django_assert_max_num_queries):  # fmt: skip
    for _ in range(3):
        household(neighbour_community, [member(neighbour_community, status="unemployed", since=days_ago(100))])
    households.sync_zero_employment(neighbour_community, on=days_ago(40))
    services.run_warnings(county)
    client.force_login(township_staff)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("risk:warning_list"))
    assert page.context["page_obj"].paginator.count == 4
