"""H5 我可以申请的补贴: the explanation per policy, apply, give a bank account, decline."""

import pytest

from jobcircle.common.models import AuditEvent
from jobcircle.subsidies.enums import ApplicationStatus as S
from jobcircle.subsidies.models import SubsidyApplication

from .conftest import monitored

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(resident_user):
    from jobcircle.people.models import KeyGroup

    resident = resident_user.resident
    resident.key_groups.add(KeyGroup.objects.get(code="poverty_alleviated"))
    return resident


def test_the_page_explains_each_policy_and_names_what_fails(client, policies, worker, resident_user):
    client.force_login(resident_user)

    page = client.get("/m/subsidies/").content.decode()

    assert "一次性交通补贴" in page
    assert "✘ 不符合：当年省外务工满3个月" in page
    assert "✔ 符合：脱贫人口或监测对象" in page


def test_a_resident_applies_with_a_bank_account_then_declines(client, policies, worker, resident_user):
    from django.utils import timezone

    monitored(worker, [3, 4, 5], year=timezone.localdate().year)
    client.force_login(resident_user)

    client.post("/m/subsidies/transport/apply/", {"bank_name": "县农商银行", "bank_account": "6228480000001234567"})
    application = SubsidyApplication.objects.get(resident=worker)
    client.post(f"/m/subsidies/applications/{application.pk}/decline/")

    application.refresh_from_db()
    assert application.bank_account_masked.endswith("4567")
    assert "6228480000001234567" not in str(list(AuditEvent.objects.values_list("data", flat=True)))
    assert application.status == S.WITHDRAWN
    assert application.transitions.get(to_status=S.WITHDRAWN).reason == "本人谢绝"


def test_a_resident_cannot_touch_someone_elses_application(client, policies, community, resident_user,
                                                           county_admin):  # fmt: skip
    from jobcircle.subsidies.services import submit_application

    from .conftest import PERIOD, person

    other = submit_application(policies["transport"], monitored(person(community, "monitored"), [1, 2, 3]), PERIOD,
                               by=county_admin)  # fmt: skip
    client.force_login(resident_user)

    assert client.post(f"/m/subsidies/applications/{other.pk}/decline/").status_code == 404


def test_the_employer_portal_lists_employer_policies_explains_and_applies(client, policies, employer, employer_user):
    from django.utils import timezone

    from jobcircle.subsidies.models import EmployerInsuranceYear

    year = timezone.localdate().year
    EmployerInsuranceYear.objects.create(employer=employer, year=year, insured_at_start=100, layoffs=2,
                                         ui_contributions="20000.00")  # fmt: skip
    client.force_login(employer_user)

    page = client.get("/employer/subsidies/").content.decode()
    assert "稳岗返还" in page and "企业吸纳脱贫人口补贴" in page and "一次性交通补贴" not in page
    assert "✘ 不符合：当年吸纳脱贫人口（含监测对象）且入职满6个月" in page
    client.post("/employer/subsidies/job_retention/apply/", {})
    application = SubsidyApplication.objects.get()
    assert (application.employer, application.period, application.status) == (employer, str(year), S.COUNTY_REVIEW)
    client.post("/employer/subsidies/poverty_hire/apply/", {})
    assert SubsidyApplication.objects.count() == 1  # the failing condition refuses it


def test_residents_and_staff_cannot_open_the_employer_policies(client, policies, resident_user, community_staff):
    for user in (resident_user, community_staff):
        client.force_login(user)
        assert client.get("/employer/subsidies/").status_code == 403
