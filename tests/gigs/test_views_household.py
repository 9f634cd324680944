"""H5 for a registered household (个人/家庭): posting a gig with the compliance messages beside the fields,
and the poster's screen of sign-ups (confirm up to the headcount, arrival, completion and pay) — the same
services as the employer portal and the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcircle.gigs import services
from jobcircle.gigs.enums import PosterKind
from jobcircle.gigs.models import Gig, GigSignup
from jobcircle.gigs.services import Poster
from tests.factories import ResidentFactory, Role, make_user

from .factories import OCCUPATION, gig_data

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    start = timezone.localtime() + datetime.timedelta(days=1)
    data = {"title": "搬家帮手", "occupation_code": f"{OCCUPATION} 养老护理员", "description": "帮忙搬运家具",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"), "address": "幸福社区3栋",
            "pay_unit": "day", "pay_rate": "150", "headcount": "2", "requirements": "",
            "contact_preference": "phone"}  # fmt: skip
    data.update(overrides)
    return data


def household_gig(resident, user, **overrides):
    poster = Poster(PosterKind.RESIDENT, resident=resident)
    return services.post_gig(by=user, poster=poster, data=gig_data(**overrides))


def worker(community, name):
    resident = ResidentFactory(community=community)
    return resident, make_user(name, Role.RESIDENT, resident=resident)


def test_a_household_posts_a_gig_on_h5(client, resident, resident_user, django_assert_max_num_queries):
    client.force_login(resident_user)
    assert client.get(reverse("portal:m_gig_post")).status_code == 200
    response = client.post(reverse("portal:m_gig_post"), form_data())
    gig = Gig.objects.get()
    assert response.status_code == 302 and response.url == reverse("portal:m_posted_gig", args=[gig.pk])
    assert gig.poster_resident == resident and gig.poster_kind == PosterKind.RESIDENT and gig.status == "open"
    with django_assert_max_num_queries(15):
        listed = client.get(reverse("portal:m_posted_gigs"))
    assert "搬家帮手" in listed.content.decode()


def test_blocked_wording_is_shown_beside_its_field_and_nothing_is_written(client, resident_user):
    client.force_login(resident_user)
    response = client.post(reverse("portal:m_gig_post"), form_data(requirements="限男性"))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["requirements"] and form.errors["requirements"][0].startswith("要求：")
    assert 'data-jc-highlight="requirements"' in response.content.decode()
    assert not Gig.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [("headcount", "0", "需要人数"), ("pay_rate", "-1", "报酬标准"), ("title", "", "零工任务"),
     ("ends_at", "", "结束时间"), ("pay_unit", "week", "计酬方式"), ("title", "搬家\x00", "零工任务")],
)  # fmt: skip
def test_bad_input_names_the_field_and_writes_nothing(client, resident_user, field, value, label):
    client.force_login(resident_user)
    response = client.post(reverse("portal:m_gig_post"), form_data(**{field: value}))
    assert response.status_code == 200
    assert any(message.startswith(label) for message in response.context["form"].errors[field])
    assert not Gig.objects.exists()


def test_without_a_verified_phone_nothing_is_posted(client, community):
    resident = ResidentFactory(community=community)
    resident.phone_hash, resident.phone_encrypted = None, ""
    resident.save()
    client.force_login(make_user("no_phone", Role.RESIDENT, resident=resident))
    response = client.post(reverse("portal:m_gig_post"), form_data())
    assert response.status_code == 200 and "发布零工需先绑定并验证手机号" in response.content.decode()
    assert not Gig.objects.exists()


def test_other_roles_get_403(client, employer_user, community_staff):
    for user in (employer_user, community_staff):
        client.force_login(user)
        for url in (reverse("portal:m_gig_post"), reverse("portal:m_posted_gigs")):
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(reverse("portal:m_gig_post"), form_data()).status_code == 403
    assert not Gig.objects.exists()


def test_another_residents_gig_is_404_and_not_listed(client, community, resident, resident_user):
    gig = household_gig(resident, resident_user)
    applicant, applicant_user = worker(community, "applicant")
    signup = services.sign_up(gig, applicant, by=applicant_user)
    _, other_user = worker(community, "other_poster")
    client.force_login(other_user)
    assert client.get(reverse("portal:m_posted_gig", args=[gig.pk])).status_code == 404
    response = client.post(reverse("portal:m_posted_gig", args=[gig.pk]), {"signup": signup.pk, "action": "confirmed"})
    assert response.status_code == 404
    assert gig.title not in client.get(reverse("portal:m_posted_gigs")).content.decode()
    client.force_login(applicant_user)  # the worker sees their sign-up in 我的零工, not the poster's screen
    assert client.get(reverse("portal:m_posted_gig", args=[gig.pk])).status_code == 404
    assert GigSignup.objects.get(pk=signup.pk).status == "applied"


def test_the_household_confirms_up_to_the_headcount_only(client, community, resident, resident_user):
    gig = household_gig(resident, resident_user, headcount=1)
    signups = [services.sign_up(gig, w, by=u) for w, u in (worker(community, "w1"), worker(community, "w2"))]
    client.force_login(resident_user)
    url = reverse("portal:m_posted_gig", args=[gig.pk])
    page = client.get(url)
    assert page.status_code == 200 and all(f'data-jc-signup="{s.pk}"' in page.content.decode() for s in signups)
    client.post(url, {"signup": signups[0].pk, "action": "confirmed"})
    refused = client.post(url, {"signup": signups[1].pk, "action": "confirmed"}, follow=True)
    assert [s.status for s in GigSignup.objects.order_by("id")] == ["confirmed", "applied"]
    assert "不能再确认" in refused.content.decode()
    assert Gig.objects.get(pk=gig.pk).status == "full"


def test_the_household_records_arrival_completion_and_pay(client, community, resident, resident_user):
    gig = household_gig(resident, resident_user, start=timezone.now() - datetime.timedelta(minutes=10))
    helper, helper_user = worker(community, "helper")
    signup = services.sign_up(gig, helper, by=helper_user)
    client.force_login(resident_user)
    url = reverse("portal:m_posted_gig", args=[gig.pk])
    for action in ("confirmed", "checked_in", "checked_out"):
        client.post(url, {"signup": signup.pk, "action": action})
    assert GigSignup.objects.get(pk=signup.pk).status == "checked_out"
    bad = client.post(url, {"signup": signup.pk, "action": "complete", "quantity": "4", "pay_amount": "-5"})
    assert bad.status_code == 200 and bad.context["form"].errors["pay_amount"][0].startswith("报酬")
    assert GigSignup.objects.get(pk=signup.pk).status == "checked_out"
    client.post(url, {"signup": signup.pk, "action": "complete", "quantity": "4", "pay_amount": "100.00"})
    done = GigSignup.objects.get(pk=signup.pk)
    assert done.status == "completed" and str(done.pay_amount) == "100.00"
    assert "100.00元" in client.get(url).content.decode()
