"""SEC-05: SMS sign-in codes — 6 digits, hashed, 5-minute TTL, single use, rate limited per phone and IP."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jobcircle.accounts import services
from jobcircle.accounts.models import LoginCode
from jobcircle.common.sms import MemoryBackend
from tests.factories import demo_phone


@pytest.fixture
def clock(monkeypatch):
    """A controllable now() for the code service."""
    state = {"now": timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)}
    monkeypatch.setattr(services, "_now", lambda: state["now"])

    def advance(**delta):
        state["now"] += datetime.timedelta(**delta)

    return advance


@pytest.fixture(autouse=True)
def empty_outbox():
    MemoryBackend.outbox.clear()


def code_for(phone):
    return re.search(r"\d{6}", [text for to, text in MemoryBackend.outbox if to == phone][-1]).group()


@pytest.mark.django_db
def test_a_code_is_six_digits_stored_only_as_a_hash_and_works_once(clock):
    phone = demo_phone()
    services.send_login_code(phone, ip="127.0.0.1")
    code = code_for(phone)
    assert re.fullmatch(r"\d{6}", code)
    stored = LoginCode.objects.get()
    assert code not in stored.code_hash and phone not in stored.phone_hash
    assert services.check_login_code(phone, code) == phone
    with pytest.raises(ValidationError):
        services.check_login_code(phone, code)  # reuse is refused


@pytest.mark.django_db
def test_a_code_expires_after_five_minutes(clock):
    phone = demo_phone()
    services.send_login_code(phone, ip="127.0.0.1")
    clock(minutes=5, seconds=1)
    with pytest.raises(ValidationError, match="已过期"):
        services.check_login_code(phone, code_for(phone))


@pytest.mark.django_db
def test_five_wrong_codes_burn_the_code(clock):
    phone = demo_phone()
    services.send_login_code(phone, ip="127.0.0.1")
    right = code_for(phone)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(ValidationError):
            services.check_login_code(phone, wrong)
    with pytest.raises(ValidationError):
        services.check_login_code(phone, right)


@pytest.mark.django_db
def test_one_send_a_minute_per_phone(clock):
    phone = demo_phone()
    services.send_login_code(phone, ip="10.0.0.1")
    with pytest.raises(services.RateLimited, match="1分钟"):
        services.send_login_code(phone, ip="10.0.0.2")
    clock(minutes=1)
    services.send_login_code(phone, ip="10.0.0.3")


@pytest.mark.django_db
def test_the_eleventh_send_of_a_day_to_a_phone_is_refused(clock, settings):
    phone = demo_phone()
    for i in range(settings.JOBCIRCLE_SMS_PER_DAY):
        services.send_login_code(phone, ip=f"10.0.1.{i}")
        clock(minutes=2)
    with pytest.raises(services.RateLimited, match="明天"):
        services.send_login_code(phone, ip="10.0.1.99")
    clock(days=1)
    services.send_login_code(phone, ip="10.0.1.99")


# Shared networks (issue 17): one address is only held to an abuse ceiling, with an image captcha past a
# threshold; trusted office networks skip both; the per-phone limits hold for everyone.


@pytest.mark.django_db
def test_past_the_threshold_an_address_needs_a_captcha_for_each_further_code(clock, settings):
    for _ in range(settings.JOBCIRCLE_SMS_CAPTCHA_AFTER):
        assert not services.captcha_required("10.0.2.1")
        services.send_login_code(demo_phone(), ip="10.0.2.1")
    assert services.captcha_required("10.0.2.1")
    with pytest.raises(ValidationError) as exc:
        services.send_login_code(demo_phone(), ip="10.0.2.1")
    assert "captcha" in exc.value.message_dict
    services.send_login_code(demo_phone(), ip="10.0.2.1", human_checked=True)
    assert not services.captcha_required("10.0.2.2")  # another address is not affected
    clock(hours=1)
    assert not services.captcha_required("10.0.2.1")  # a new window


@pytest.mark.django_db
def test_the_ceiling_of_one_address_still_stops_a_flood(clock, settings):
    settings.JOBCIRCLE_SMS_IP_PER_HOUR = settings.JOBCIRCLE_SMS_CAPTCHA_AFTER + 5
    for _ in range(settings.JOBCIRCLE_SMS_IP_PER_HOUR):
        services.send_login_code(demo_phone(), ip="10.0.6.1", human_checked=True)
    sent = len(MemoryBackend.outbox)
    with pytest.raises(services.RateLimited, match="当前网络"):
        services.send_login_code(demo_phone(), ip="10.0.6.1", human_checked=True)
    assert len(MemoryBackend.outbox) == sent
    settings.JOBCIRCLE_SMS_IP_PER_DAY = settings.JOBCIRCLE_SMS_IP_PER_HOUR + 2  # the refused try counted too
    clock(hours=1)
    services.send_login_code(demo_phone(), ip="10.0.6.1", human_checked=True)
    clock(hours=1)
    with pytest.raises(services.RateLimited, match="当前网络"):  # the daily ceiling
        services.send_login_code(demo_phone(), ip="10.0.6.1", human_checked=True)


@pytest.mark.django_db
def test_a_trusted_office_network_needs_no_captcha_and_has_no_ceiling(clock, settings):
    settings.JOBCIRCLE_TRUSTED_NETWORKS = ["10.9.0.0/16", "2001:db8::/32"]
    settings.JOBCIRCLE_SMS_IP_PER_HOUR = settings.JOBCIRCLE_SMS_CAPTCHA_AFTER + 1
    for _ in range(settings.JOBCIRCLE_SMS_IP_PER_HOUR + 2):
        assert not services.captcha_required("10.9.3.4")
        services.send_login_code(demo_phone(), ip="10.9.3.4")
    assert services.in_trusted_network("2001:db8::1") and not services.in_trusted_network("10.10.0.1")
    assert not services.in_trusted_network("not an address")


@pytest.mark.django_db
def test_per_phone_limits_still_hold_on_a_trusted_network(clock, settings):
    settings.JOBCIRCLE_TRUSTED_NETWORKS = ["10.9.0.0/16"]
    phone = demo_phone()
    services.send_login_code(phone, ip="10.9.0.1")
    with pytest.raises(services.RateLimited, match="1分钟"):
        services.send_login_code(phone, ip="10.9.0.1")
    for _ in range(settings.JOBCIRCLE_SMS_PER_DAY - 2):  # the refused try counts towards the day too
        clock(minutes=2)
        services.send_login_code(phone, ip="10.9.0.1")
    clock(minutes=2)
    with pytest.raises(services.RateLimited, match="明天"):
        services.send_login_code(phone, ip="10.9.0.1")


@pytest.mark.django_db
def test_a_bad_phone_is_a_field_error():
    with pytest.raises(ValidationError) as exc:
        services.send_login_code("12345", ip="127.0.0.1")
    assert "phone" in exc.value.message_dict


# Residents' sign-in codes and staff second-factor codes are kept apart (issue 22 item 3): a resident code
# never counts against, replaces or passes for a staff code of the same phone, and the other way round.


def wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.mark.django_db
def test_wrong_resident_codes_for_a_phone_leave_its_staff_code_working(clock):
    phone = demo_phone()
    services.send_login_code(phone, ip="10.0.3.1", purpose=services.STAFF_SECOND_FACTOR)
    staff_code = code_for(phone)
    services.send_login_code(phone, ip="10.0.3.2")  # a resident-style code asked for the same phone
    for _ in range(services.MAX_FAILED_ATTEMPTS + 1):
        with pytest.raises(ValidationError):
            services.check_login_code(phone, wrong(staff_code))
    assert services.check_login_code(phone, staff_code, purpose=services.STAFF_SECOND_FACTOR) == phone


@pytest.mark.django_db
def test_a_code_passes_only_for_the_purpose_it_was_sent_for(clock):
    phone = demo_phone()
    services.send_login_code(phone, ip="10.0.4.1", purpose=services.STAFF_SECOND_FACTOR)
    with pytest.raises(ValidationError):
        services.check_login_code(phone, code_for(phone))
    clock(minutes=1)
    services.send_login_code(phone, ip="10.0.4.1")
    with pytest.raises(ValidationError):
        services.check_login_code(phone, code_for(phone), purpose=services.STAFF_SECOND_FACTOR)


@pytest.mark.django_db
def test_resident_sends_do_not_use_up_the_staff_sends_of_a_phone_or_an_ip(clock):
    phone = demo_phone()
    for _ in range(10):
        services.send_login_code(phone, ip="10.0.5.1")
        clock(minutes=2)
    with pytest.raises(services.RateLimited):
        services.send_login_code(phone, ip="10.0.5.1", human_checked=True)
    services.send_login_code(phone, ip="10.0.5.1", purpose=services.STAFF_SECOND_FACTOR)
    assert services.check_login_code(phone, code_for(phone), purpose=services.STAFF_SECOND_FACTOR) == phone


@pytest.mark.django_db
def test_two_codes_across_a_minute_boundary_are_still_one_minute_apart(clock):
    """One code per phone per 60 seconds, not per calendar minute: 10:00:59 then 10:01:00 is refused."""
    phone = demo_phone()
    clock(seconds=59)
    services.send_login_code(phone, ip="127.0.0.1")
    clock(seconds=1)
    with pytest.raises(services.RateLimited, match="1分钟"):
        services.send_login_code(phone, ip="127.0.0.1")
    clock(minutes=1)
    services.send_login_code(phone, ip="127.0.0.1")  # a minute after the refused try
    assert len([to for to, _text in MemoryBackend.outbox if to == phone]) == 2
