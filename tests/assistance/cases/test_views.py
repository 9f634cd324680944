"""The cases screens: own area 200, other area 404, other role 403, and the work done from them."""

import datetime

import pytest
from django.urls import reverse

from jobcircle.assistance import services as shared
from jobcircle.assistance.models import (
    CaseService,
)

from ..factories import login

pytestmark = pytest.mark.django_db


def test_case_services_and_transitions_from_the_screen(client, world, community_staff):
    case = world["case"]
    client = login(client, community_staff)
    client.post(
        reverse("assistance:case_service", args=[case.pk]),
        {"kind": "guidance", "provided_on": shared.today().isoformat(), "note": "面谈"},
    )
    assert CaseService.objects.filter(case=case, kind="guidance").exists()
    client.post(reverse("assistance:case_transition", args=[case.pk]), {"to_state": "withdrawn", "note": "外出上学"})
    case.refresh_from_db()
    assert case.state == "withdrawn"


def test_another_areas_staff_cannot_move_or_serve_a_case(client, world, neighbour_staff, other_township_staff):
    case = world["case"]
    for user in (neighbour_staff, other_township_staff):
        client = login(client, user)
        moved = client.post(reverse("assistance:case_transition", args=[case.pk]), {"to_state": "withdrawn"})
        served = client.post(reverse("assistance:case_service", args=[case.pk]), {"kind": "guidance"})
        assert (moved.status_code, served.status_code) == (404, 404)
    case.refresh_from_db()
    assert case.state == "open" and not CaseService.objects.filter(case=case).exists()


def test_a_role_without_casework_is_refused_and_writes_nothing(client, world, audit_admin, resident_user):
    case = world["case"]
    for user in (audit_admin, resident_user):
        client = login(client, user)
        assert client.get(reverse("assistance:case_list")).status_code == 403
        moved = client.post(reverse("assistance:case_transition", args=[case.pk]), {"to_state": "withdrawn"})
        assert moved.status_code == 403
    case.refresh_from_db()
    assert case.state == "open"


def test_a_bad_service_names_the_date_field_and_writes_nothing(client, world, community_staff):
    case = world["case"]
    tomorrow = shared.today() + datetime.timedelta(days=1)
    response = login(client, community_staff).post(
        reverse("assistance:case_service", args=[case.pk]), {"kind": "guidance", "provided_on": tomorrow.isoformat()}
    )
    assert response.status_code == 200 and "服务日期：不能晚于今天" in response.content.decode()
    assert not CaseService.objects.filter(case=case).exists()


def test_the_case_list_shows_the_areas_cases_only(client, world, community_staff, neighbour_staff, township_staff):
    link = reverse("assistance:case_detail", args=[world["case"].pk])
    assert link in login(client, community_staff).get(reverse("assistance:case_list")).content.decode()
    assert link in login(client, township_staff).get(reverse("assistance:case_list")).content.decode()
    assert link not in login(client, neighbour_staff).get(reverse("assistance:case_list")).content.decode()


def test_the_case_page_shows_its_history_with_who_and_why(client, world, community_staff):
    case = world["case"]
    client = login(client, community_staff)
    client.post(reverse("assistance:case_transition", args=[case.pk]), {"to_state": "withdrawn", "note": "外出上学"})
    page = client.get(reverse("assistance:case_detail", args=[case.pk])).content.decode()
    assert "— → 帮扶中" in page and "月度监测：未就业且有就业意愿" in page  # opened by the monthly monitoring
    assert "帮扶中 → 已退出" in page and "外出上学" in page and community_staff.username in page
