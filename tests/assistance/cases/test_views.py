"""The cases screens: own area 200, other area 404, other role 403, and the work done from them."""

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
