"""Areas as values (issue 21): one queryset method, ``in_area(region)``, and a requested sub-area as a Region."""

import pytest
from django.http import Http404

from jobcircle.accounts.access import scope_for_user
from jobcircle.areas.codes import Area
from jobcircle.areas.models import Region, ServiceStation
from jobcircle.areas.scoping import region_in_scope_or_404
from jobcircle.people.models import Resident
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_in_area_keeps_the_rows_inside_the_region_and_its_sub_regions(town, community, village):
    here, there = ResidentFactory(community=community), ResidentFactory(community=village)
    assert set(Resident.objects.in_area(town)) == {here}
    assert set(Resident.objects.in_area(community)) == {here}
    assert set(Resident.objects.in_area(town.parent)) == {here, there}


def test_an_area_value_from_a_code_filters_like_its_region(town, community, village):
    ResidentFactory(community=community), ResidentFactory(community=village)
    for code in (town.code, town.code[:9]):
        assert set(Resident.objects.in_area(Area(code))) == set(Resident.objects.in_area(town))
    assert Area(town.code[:9]).scope_prefix == town.scope_prefix


def test_in_area_follows_the_models_area_field(town, community, village):
    assert set(Region.objects.in_area(town)) == {town, community}  # Region: its own code
    assert set(ServiceStation.objects.in_area(town)) == set(community.stations.all())


def test_the_requested_sub_area_is_a_region_inside_the_scope(township_staff, town, community):
    scope = scope_for_user(township_staff)
    assert region_in_scope_or_404(scope, None) == town
    assert region_in_scope_or_404(scope, community.code) == community
    assert region_in_scope_or_404(scope, town.code[:9]) == town


@pytest.mark.parametrize("code", ["990121101", "990121", "12345678901234", "abc"])
def test_a_sub_area_outside_the_scope_or_malformed_is_404(township_staff, village, code):
    with pytest.raises(Http404):
        region_in_scope_or_404(scope_for_user(township_staff), code)


def test_only_staff_have_a_region_to_filter_by(resident_user):
    with pytest.raises(Http404):
        region_in_scope_or_404(scope_for_user(resident_user), None)
