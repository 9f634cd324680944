"""Back-office creation screens of providers and programmes: through the services, errors beside the field."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.training.enums import ProgrammeStatus
from jobcircle.training.models import InternshipBase, InternshipPosition, Programme, TrainingProvider
from tests.factories import demo_credit_code

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def provider_data(community, **changes):
    return {"name": "幸福职业培训学校", "credit_code": demo_credit_code(), "kind": "institution",
            "address": "培训路2号", "community_code": community.code, "trade_codes": "4-03-02-01",
            "special_trades": "徽菜师傅、月嫂", **changes}  # fmt: skip


def programme_data(provider_row, community, **changes):
    start = TODAY + datetime.timedelta(days=7)
    second = start + datetime.timedelta(days=1)
    return {"provider": provider_row.pk, "name": "焊工一期", "occupation_code": "4-03-02-01", "kind": "employment",
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
                             ({"ends_on": "2000-01-01"}, "结业日期：不能早于开班日期"),
                             ({"provider": "abc"}, "培训机构：请选择本辖区内有效的培训机构")]:  # fmt: skip
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


# --- 就业见习 -----------------------------------------------------------------------------------------------


def base_data(employer, **changes):
    return {"employer": employer.pk, "certificate_number": "见习认字〔2026〕8号", "certified_on": TODAY.isoformat(),
            "capacity": "10", **changes}  # fmt: skip


def position_data(base_row, **changes):
    return {"base": base_row.pk, "title": "出纳见习", "places": "2", "term_months": "6", "monthly_allowance": "1800",
            "address": "幸福路8号", **changes}  # fmt: skip


def test_staff_certify_a_base_and_raise_a_position(client, community_staff, employer):
    client.force_login(community_staff)
    assert employer.name in client.get("/backoffice/training/internships/bases/new/").content.decode()
    assert client.post("/backoffice/training/internships/bases/new/", base_data(employer)).status_code == 302
    base_row = InternshipBase.objects.get(employer=employer)
    assert base_row.capacity == 10 and base_row.area_code == employer.area_code
    assert client.post("/backoffice/training/internships/positions/new/", position_data(base_row)).status_code == 302
    assert InternshipPosition.objects.get().title == "出纳见习"


def test_bad_base_and_position_input_names_the_field_and_writes_nothing(client, community_staff, employer):
    client.force_login(community_staff)
    page = client.post("/backoffice/training/internships/bases/new/", base_data(employer, capacity="0"))
    assert "见习容量：应在1到10000之间" in page.content.decode()
    assert not InternshipBase.objects.exists()
    base_row = f.base(employer, capacity=3)
    page = client.post("/backoffice/training/internships/positions/new/", position_data(base_row, term_months="24"))
    assert "见习期限（月）：应在3到12之间" in page.content.decode()
    page = client.post("/backoffice/training/internships/positions/new/", position_data(base_row, places="5"))
    assert "见习人数：超过基地见习容量" in page.content.decode()
    assert not InternshipPosition.objects.exists()


def test_another_areas_employer_and_base_cannot_be_chosen(client, neighbour_staff, employer):
    base_row = f.base(employer)
    client.force_login(neighbour_staff)
    page = client.post("/backoffice/training/internships/bases/new/", base_data(employer)).content.decode()
    assert "用工单位：请选择本辖区内的用工单位" in page
    page = client.post("/backoffice/training/internships/positions/new/", position_data(base_row)).content.decode()
    assert "见习基地：请选择本辖区内已认定的见习基地" in page
    assert InternshipBase.objects.count() == 1 and not InternshipPosition.objects.exists()


def test_residents_and_employers_get_403_on_the_internship_screens(client, resident_user, employer_user, employer):
    for user in (resident_user, employer_user):
        client.force_login(user)
        for url in ("/backoffice/training/internships/bases/new/", "/backoffice/training/internships/positions/new/"):
            assert client.get(url).status_code == 403
            assert client.post(url, base_data(employer)).status_code == 403
    assert not InternshipBase.objects.exists()
