"""Certification: 社区申报 → 乡镇初审 → 县审核 → 市认定 (or 退回), each level by its own role and area."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.accounts.enums import Role
from jobcircle.communities import services
from jobcircle.communities.enums import CertificationStatus as S
from jobcircle.communities.models import Certification
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def year():
    return timezone.localdate().year


@pytest.fixture
def city_admin(county):
    return make_user("city_admin", Role.COUNTY_ADMIN, area=county.parent)


def act(user):
    return {"by": user, "scope": scope_for_user(user)}


def test_a_community_goes_through_every_level_to_certified_with_the_year_s_reward(
    community, community_staff, township_staff, county_admin, city_admin
):
    made = services.submit(
        community, year(), statement="申报材料齐全", evidence=["专干任命文件"], **act(community_staff)
    )
    assert made.status == S.SUBMITTED and made.assessment and made.evidence == ["专干任命文件"]
    made = services.review(made, "pass", **act(township_staff))
    made = services.review(made, "pass", **act(county_admin))
    made = services.review(made, "pass", **act(city_admin))
    assert made.status == S.CERTIFIED and made.certified_on == timezone.localdate()
    assert made.reward == made.standard.reward >= 6000
    levels = [S.SUBMITTED, S.TOWNSHIP_PASSED, S.COUNTY_PASSED, S.CERTIFIED]
    assert [t.to_status for t in made.transitions.all()] == levels
    assert list(services.certified(community.parent, year())) == [made]


def test_each_level_is_refused_to_the_wrong_role_or_area(
    community, neighbour_staff, community_staff, township_staff, other_township_staff, county_admin
):
    with pytest.raises(PermissionDenied):
        services.submit(community, year(), **act(neighbour_staff))
    made = services.submit(community, year(), **act(community_staff))
    for outsider in (other_township_staff, county_admin, community_staff):
        with pytest.raises(PermissionDenied):
            services.review(made, "pass", **act(outsider))
    made = services.review(made, "pass", **act(township_staff))
    with pytest.raises(PermissionDenied):  # a county is not the city
        services.review(services.review(made, "pass", **act(county_admin)), "pass", **act(county_admin))


def test_returned_needs_a_reason_and_the_community_may_apply_again(community, community_staff, township_staff):
    made = services.submit(community, year(), **act(community_staff))
    with pytest.raises(ValidationError):
        services.review(made, "return", reason="", **act(township_staff))
    made = services.review(made, "return", reason="材料不全", **act(township_staff))
    assert made.status == S.RETURNED
    again = services.submit(community, year(), statement="已补充", **act(community_staff))
    assert again.pk == made.pk and again.status == S.SUBMITTED
    assert Certification.objects.filter(community=community, year=year()).count() == 1


def test_bad_input_is_refused_naming_the_field_and_writes_nothing(community, community_staff):
    with pytest.raises(ValidationError) as refused:
        services.submit(community, 1999, statement="坏\x07说明", evidence=["x" * 201, 3], **act(community_staff))
    assert {"year", "statement", "evidence[0]", "evidence[1]"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError):
        services.review(Certification(status=S.SUBMITTED), "maybe", by=None, scope=None)
    assert not Certification.objects.exists()
