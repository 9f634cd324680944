"""Back-office subsidy screens: thin views over the services, scoped (404 elsewhere) and by duty (403)."""

import pytest

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.models import AuditEvent
from jobcircle.subsidies.enums import ApplicationStatus as S
from jobcircle.subsidies.models import Payment, SubsidyApplication
from jobcircle.subsidies.services import review_application, submit_application

from .conftest import PERIOD, monitored, person

pytestmark = pytest.mark.django_db


def test_the_catalogue_shows_each_policy_to_area_staff_and_refuses_residents(client, policies, community_staff,
                                                                            resident_user):  # fmt: skip
    client.force_login(community_staff)
    page = client.get("/backoffice/subsidies/").content.decode()
    assert "一次性交通补贴" in page and "当年省外务工满3个月" in page

    client.force_login(resident_user)
    assert client.get("/backoffice/subsidies/").status_code == 403


def test_the_county_screens_and_confirms_from_the_screening_page(client, policies, community, county_admin,
                                                                  township_staff):  # fmt: skip
    qualifying = monitored(person(community, "poverty_alleviated"), [3, 4, 5])
    client.force_login(county_admin)

    client.post("/backoffice/subsidies/policies/transport/screening/start/", {"period": PERIOD})
    page = client.get("/backoffice/subsidies/policies/transport/screening/").content.decode()
    assert "省外务工3个月（监测记录：3月、4月、5月）" in page
    hit = policies["transport"].screenings.get().hits.get()
    client.post(f"/backoffice/subsidies/screenings/{hit.screening_id}/confirm/", {"hit": [hit.pk]})

    assert SubsidyApplication.objects.get().resident == qualifying
    client.force_login(township_staff)
    assert client.get("/backoffice/subsidies/policies/transport/screening/").status_code == 403


def test_the_review_queue_shows_the_levels_applications_and_an_outsider_gets_404(
    client, policies, community, community_staff, neighbour_staff, county_admin
):
    application = submit_application(
        policies["transport"], monitored(person(community, "poverty_alleviated"), [3, 4, 5]), PERIOD, by=county_admin
    )
    client.force_login(community_staff)
    assert application.beneficiary_name in client.get("/backoffice/subsidies/review/").content.decode()

    client.post(f"/backoffice/subsidies/review/{application.pk}/", {"decision": "approve"})
    application.refresh_from_db()
    assert application.status == S.TOWNSHIP_REVIEW

    client.force_login(neighbour_staff)
    assert client.post(f"/backoffice/subsidies/review/{application.pk}/", {"decision": "approve"}).status_code == 404


def test_batch_export_and_paid_result_from_the_batch_screens(
    client, policies, community, community_staff, township_staff, county_admin
):
    application = submit_application(
        policies["transport"], monitored(person(community, "poverty_alleviated"), [3, 4, 5]), PERIOD, by=None
    )
    for reviewer in (community_staff, township_staff, county_admin):
        application = review_application(application, "approve", by=reviewer, scope=scope_for_user(reviewer))
    client.force_login(county_admin)

    created = client.post("/backoffice/subsidies/batches/new/transport/", {"application": [application.pk]})
    batch_url = created["Location"]
    exported = client.post(f"{batch_url}export/", {"reason": "银行代发补贴"})
    line = application.payout_lines.get()
    client.post(f"/backoffice/subsidies/lines/{line.pk}/result/", {"result": "paid"})

    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="subsidies.batch.exported").exists()
    assert Payment.objects.get().amount == application.amount
    client.force_login(township_staff)
    assert client.get(batch_url).status_code == 403
