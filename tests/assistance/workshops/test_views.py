"""The workshops screens: own area 200, other area 404, other role 403, and the work done from them."""

import pytest
from django.urls import reverse

from jobcircle.assistance.models import (
    Workshop,
    WorkshopCheck,
)

from ..factories import login, months_ago

pytestmark = pytest.mark.django_db


def test_workshops_are_registered_and_checked_from_the_screen(client, community, community_staff):
    client = login(client, community_staff)
    client.post(
        reverse("assistance:workshop_create"),
        {
            "code": "CJ-9",
            "name": "编织车间",
            "community_code": community.code,
            "operator_name": "某合作社",
            "certified_on": months_ago(6).isoformat(),
        },
    )
    shop = Workshop.objects.get(code="CJ-9")
    client.post(
        reverse("assistance:workshop_detail", args=[shop.pk]),
        {"month": f"{months_ago(1):%Y-%m}", "status": "buffer", "workers": 9, "poverty_workers": 4},
    )
    assert WorkshopCheck.objects.get(workshop=shop).status == "buffer"
