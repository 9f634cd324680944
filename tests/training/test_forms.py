"""Back-office creation screens of providers and programmes: through the services, errors beside the field."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.training.enums import ProgrammeStatus
from jobcircle.training.models import Programme, TrainingProvider
from tests.factories import demo_credit_code

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def provider_data(community, **changes):
    return {"name": "幸福职业培训学校", "credit_code": demo_credit_code(), "kind": "institution",
            "address": "培训路2号", "community_code": community.code, "trade_codes": "4-03-02-01",
            "special_trades": "徽菜师傅、月嫂", **changes}  # fmt: skip


def programme_data(provider, community, **changes):
    start = TODAY + datetime.timedelta(days=7)
    second = start + datetime.timedelta(days=1)
    return {"provider": provider.pk, "name": "焊工一期", "occupation_code": "4-03-02-01", "kind": "employment",
            "level": "level5", "places": "30", "min_age": "16", "max_age": "60", "starts_on": start.isoformat(),
            "ends_on": (start + datetime.timedelta(days=10)).isoformat(), "venue": "培训楼", "subsidy_per_head": "800",
            "min_attendance_percent": "80", "community_code": community.code,
            "sessions": f"{start.isoformat()}, {second.isoformat()}", **changes}  # fmt: skip


def test_staff_register_a_provider_with_its_trades(client, community_staff, community):
    client.force_login(community_staff)
    assert "统一社会信用代码" in client.get("/backoffice/training/providers/new/").content.decode()
    response = client.post("/backoffice/training/providers/new/", provider_data(community))
    assert response.status_code == 302
    provider = TrainingProvider.objects.get()
    assert provider.area_code == community.code and provider.special_trades == ["徽菜师傅", "月嫂"]
    assert [o.code for o in provider.trades.all()] == ["4-03-02-01"]


def test_a_bad_provider_names_the_field_and_writes_nothing(client, community_staff, community):
    client.force_login(community_staff)
    response = client.post("/backoffice/training/providers/new/",
                           provider_data(community, credit_code="123", name=""))  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "统一社会信用代码" in page and "机构名称：不能为空" in page
    assert not TrainingProvider.objects.exists()


def test_staff_open_a_programme_with_its_sessions(client, community_staff, community):
    provider = f.provider(community)
    client.force_login(community_staff)
    assert provider.name in client.get("/backoffice/training/programmes/new/").content.decode()
    response = client.post("/backoffice/training/programmes/new/", programme_data(provider, community))
    programme = Programme.objects.get()
    assert response.url == f"/backoffice/training/programmes/{programme.pk}/"
    assert programme.status == ProgrammeStatus.RECRUITING and programme.sessions.count() == 2


def test_a_bad_programme_names_the_field_and_writes_nothing(client, community_staff, community):
    provider = f.provider(community)
    client.force_login(community_staff)
    for changes, message in [({"places": "多"}, "招生人数：应为整数"), ({"sessions": "下周一"}, "课次日期："),
                             ({"ends_on": "2000-01-01"}, "结业日期：不能早于开班日期")]:  # fmt: skip
        response = client.post("/backoffice/training/programmes/new/", programme_data(provider, community, **changes))
        assert response.status_code == 200 and message in response.content.decode()
    assert not Programme.objects.exists()


def test_another_areas_provider_cannot_be_chosen(client, neighbour_staff, neighbour_community, community):
    provider = f.provider(community)
    client.force_login(neighbour_staff)
    response = client.post("/backoffice/training/programmes/new/", programme_data(provider, neighbour_community))
    assert "培训机构：请选择本辖区内有效的培训机构" in response.content.decode()
    response = client.post("/backoffice/training/providers/new/", provider_data(community))
    assert "所属社区/村" in response.content.decode()
    assert not Programme.objects.exists() and TrainingProvider.objects.count() == 1


def test_residents_and_employers_get_403_on_the_creation_screens(client, resident_user, employer_user, community):
    for user in (resident_user, employer_user):
        client.force_login(user)
        for url in ("/backoffice/training/providers/new/", "/backoffice/training/programmes/new/"):
            assert client.get(url).status_code == 403
            assert client.post(url, provider_data(community)).status_code == 403
    assert not TrainingProvider.objects.exists()
