"""Contact (issue 17): the employer a resident applied to sees that applicant's phone (audited, through the
one reveal door) and invites to interview or sends an offer by SMS and inbox message; masking stays for
everyone else."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.models import AuditEvent
from jobcircle.common.sms import MemoryBackend
from jobcircle.matching.models import InboxMessage
from jobcircle.people.services import reveal_resident_pii
from jobcircle.recruiting.services import apply_to_job, employer_may_see_phone, reveal_applicant_phone, transition
from tests.factories import EmployerFactory, JobFactory, ResidentFactory, demo_phone, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone():
    return demo_phone()


@pytest.fixture
def application(employer, community, phone):
    applicant = ResidentFactory(community=community, phone=phone)
    return apply_to_job(applicant, JobFactory(employer=employer), by=None)


@pytest.fixture(autouse=True)
def empty_outbox():
    MemoryBackend.outbox.clear()


def test_the_employer_sees_the_applicants_phone_on_request_and_it_is_audited(client, employer_user, application, phone):
    client.force_login(employer_user)
    page = client.get(reverse("portal:employer_applicants", args=[application.job_id])).content.decode()
    assert phone not in page and "查看电话" in page

    response = client.post(reverse("portal:employer_applicant_phone", args=[application.pk]))

    assert response.status_code == 200 and f'href="tel:{phone}"' in response.content.decode()
    event = AuditEvent.objects.get(action="people.resident.pii_revealed")
    assert (event.actor, event.data["fields"]) == (employer_user, ["phone"])


def test_another_employer_gets_404_and_never_the_phone(client, application, neighbour_community, phone):
    other = make_user("other_employer", "employer", employer=EmployerFactory(community=neighbour_community))
    client.force_login(other)
    response = client.post(reverse("portal:employer_applicant_phone", args=[application.pk]))
    assert response.status_code == 404 and phone not in response.content.decode()
    with pytest.raises(PermissionDenied):
        reveal_applicant_phone(application, by=other, scope=scope_for_user(other))
    with pytest.raises(PermissionDenied):  # the people door alone never answers an employer
        reveal_resident_pii(application.resident, by=other, scope=scope_for_user(other), fields=["phone"],
                            reason="联系申请人")  # fmt: skip


def test_the_employer_never_sees_the_id_number_nor_a_withdrawn_applicants_phone(employer_user, application):
    scope = scope_for_user(employer_user)
    with pytest.raises(PermissionDenied):
        reveal_resident_pii(application.resident, by=employer_user, scope=scope, fields=["id_number"],
                            reason="联系申请人", applicant_of_employer=True)  # fmt: skip
    assert employer_may_see_phone(scope, application.resident)
    applicant = make_user("applicant", "resident", resident=application.resident)
    transition(application, "withdrawn", by=applicant, scope=scope_for_user(applicant))
    assert not employer_may_see_phone(scope, application.resident)
    with pytest.raises(PermissionDenied):
        reveal_applicant_phone(application, by=employer_user, scope=scope)


def test_an_interview_invitation_and_an_offer_go_by_sms_and_inbox(client, employer_user, application, phone):
    client.force_login(employer_user)
    at = (timezone.localtime() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    client.post(
        reverse("portal:employer_application_transition", args=[application.pk]),
        {"status": "interview", "interview_at": at.strftime("%Y-%m-%dT%H:%M"), "interview_place": "幸福路8号二楼"},
    )
    application.refresh_from_db()
    assert application.status == "interview"
    invitation = InboxMessage.objects.get(resident=application.resident, kind="interview")
    assert "幸福路8号二楼" in invitation.title and invitation.sms_status == "sent"
    assert [p for p, _ in MemoryBackend.outbox] == [phone] and "面试邀请" in MemoryBackend.outbox[0][1]

    transition(application, "offer", by=employer_user, scope=scope_for_user(employer_user))
    offer = InboxMessage.objects.get(resident=application.resident, kind="offer")
    assert "录用" in offer.title and len(MemoryBackend.outbox) == 2


def test_an_invitation_in_the_inbox_lists_no_pushed_jobs(employer_user, application):
    from jobcircle.matching.models import JobPush
    from jobcircle.matching.services import inbox

    JobPush.objects.create(
        resident=application.resident, job=application.job, pushed_on=timezone.localdate(), rank=1, score=1,
        distance_m=100, occupation_match=3, skill_overlap=0, pay_fit=True, area_code=application.area_code,
    )  # fmt: skip
    at = timezone.now() + datetime.timedelta(days=1)
    transition(
        application,
        "interview",
        by=employer_user,
        scope=scope_for_user(employer_user),
        interview_at=at,
        interview_place="幸福路8号",
    )
    (entry,) = inbox(application.resident)
    assert entry.message.kind == "interview" and entry.items == []
