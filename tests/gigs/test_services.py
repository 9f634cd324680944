"""零工: posting with the jobs' compliance review, expiry, nearby, sign-up, confirmation up to the headcount,
QR check-in, completion, ratings, disputes, the 灵活就业 effect and the two sides' contact."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.gigs import checkin, contacts, services
from jobcircle.gigs.enums import GigStatus, PosterKind, SignupStatus
from jobcircle.gigs.models import GigSignupTransition, GigTransition
from jobcircle.gigs.services import Poster
from jobcircle.people.models import EmploymentStatusChange
from tests.factories import ResidentFactory, Role, make_user

from .factories import completed, confirmed, employer_gig, gig_data, open_station, started_gig, today_gig

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(community):
    return ResidentFactory(community=community)


@pytest.fixture
def worker_user(worker):
    return make_user("worker_user", Role.RESIDENT, resident=worker)


def test_a_clean_gig_opens_at_once_and_logs_its_moves(employer, employer_user):
    gig = employer_gig(employer, employer_user)
    assert gig.status == GigStatus.OPEN and gig.published_on == timezone.localdate()
    assert gig.area_code == employer.area_code and (gig.lat, gig.lng) == (employer.lat, employer.lng)
    assert list(GigTransition.objects.filter(gig=gig).values_list("to_status", flat=True)) == ["open"]


def test_blocked_wording_is_refused_naming_the_field_and_writes_nothing(employer, employer_user):
    with pytest.raises(ValidationError) as caught:
        employer_gig(employer, employer_user, requirements="限男性")
    assert "requirements" in caught.value.message_dict
    assert not GigTransition.objects.exists()


def test_held_wording_waits_for_area_staff(employer, employer_user, community_staff):
    gig = employer_gig(employer, employer_user, requirements="年龄18-35岁")
    assert gig.status == GigStatus.REVIEW
    with pytest.raises(PermissionDenied):
        services.transition_gig(gig, "open", by=employer_user, scope=scope_for_user(employer_user))
    gig = services.transition_gig(gig, "open", by=community_staff, scope=scope_for_user(community_staff))
    assert gig.status == GigStatus.OPEN


@pytest.mark.parametrize(
    ("field", "value"),
    [("headcount", 0), ("headcount", 10_000), ("pay_rate", "-1"), ("pay_rate", "1.005"), ("pay_unit", "week"),
     ("occupation_code", "9-99"), ("title", "搬家\x00"), ("title", "长" * 61)],
)  # fmt: skip
def test_bad_input_names_the_field(employer, employer_user, field, value):
    with pytest.raises(ValidationError) as caught:
        employer_gig(employer, employer_user, **{field: value})
    assert field in caught.value.message_dict


def test_the_window_is_checked(employer, employer_user):
    start = timezone.now() + datetime.timedelta(days=1)
    for ends_at in (start - datetime.timedelta(hours=1), start + datetime.timedelta(days=8)):
        with pytest.raises(ValidationError) as caught:
            employer_gig(employer, employer_user, start=start, ends_at=ends_at)
        assert "ends_at" in caught.value.message_dict


def test_a_resident_posts_only_with_a_verified_phone(community, resident, resident_user):
    scope = scope_for_user(resident_user)
    poster = services.poster_for(scope, resident=resident)
    assert poster.kind == PosterKind.RESIDENT
    gig = services.post_gig(by=resident_user, poster=poster, data=gig_data())
    assert gig.poster_resident == resident and gig.employer is None
    no_phone = ResidentFactory(community=community)
    no_phone.phone_hash, no_phone.phone_encrypted = None, ""
    no_phone.save()
    user = make_user("no_phone", Role.RESIDENT, resident=no_phone)
    with pytest.raises(ValidationError):
        services.poster_for(scope_for_user(user), resident=no_phone)


def test_nobody_posts_as_someone_else(employer, resident, resident_user, employer_user, other_township_staff):
    with pytest.raises(ValidationError):
        services.poster_for(scope_for_user(resident_user), employer=employer)
    with pytest.raises(ValidationError):
        services.poster_for(scope_for_user(employer_user), resident=resident)
    with pytest.raises(ValidationError):
        services.poster_for(scope_for_user(other_township_staff), employer=employer)


def test_gigs_expire_at_their_end_time(employer, employer_user):
    gig = started_gig(employer, employer_user)
    assert services.expire_gigs(now=gig.ends_at - datetime.timedelta(minutes=1)) == 0
    assert services.expire_gigs(now=gig.ends_at) == 1
    gig.refresh_from_db()
    assert gig.status == GigStatus.ENDED
    assert services.expire_gigs(now=gig.ends_at) == 0  # idempotent
    assert not services.nearby_gigs(gig.lat, gig.lng)


def test_an_open_gig_past_its_end_is_not_listed_even_before_the_command(employer, employer_user):
    gig = started_gig(employer, employer_user)
    assert [g.pk for g in services.nearby_gigs(gig.lat, gig.lng)] == [gig.pk]
    assert services.nearby_gigs(gig.lat, gig.lng, now=gig.ends_at) == []


def test_nearby_sorts_by_start_then_distance_and_filters_the_day(employer, employer_user, neighbour_community):
    from tests.factories import EmployerFactory

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    nine = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(9)))
    far = EmployerFactory(community=neighbour_community)  # about 2 km east
    far_user = make_user("far_employer", Role.EMPLOYER, employer=far)
    early_far = employer_gig(far, far_user, start=nine)
    early_near = employer_gig(employer, employer_user, start=nine)
    later_near = employer_gig(employer, employer_user, start=nine + datetime.timedelta(hours=2))
    todays = today_gig(employer, employer_user)
    rows = services.nearby_gigs(employer.lat, employer.lng, 3, day=tomorrow)
    assert [g.pk for g in rows] == [early_near.pk, early_far.pk, later_near.pk]
    assert rows[1].distance_m > 1500 and "公里" in rows[1].distance_text
    assert todays.pk not in [g.pk for g in services.nearby_gigs(employer.lat, employer.lng, 1, day=tomorrow)]
    assert [g.pk for g in services.nearby_gigs(employer.lat, employer.lng, 1, day=tomorrow)] == [
        early_near.pk, later_near.pk]  # fmt: skip
    with pytest.raises(ValidationError):
        services.nearby_gigs(employer.lat, employer.lng, 500)


def test_sign_up_once_and_never_for_ones_own_gig(employer, employer_user, worker, worker_user, resident, resident_user):
    gig = employer_gig(employer, employer_user)
    signup = services.sign_up(gig, worker, by=worker_user)
    assert signup.status == SignupStatus.APPLIED and worker.gig_worker.is_active
    with pytest.raises(ValidationError):
        services.sign_up(gig, worker, by=worker_user)
    own = services.post_gig(by=resident_user, poster=Poster(PosterKind.RESIDENT, resident=resident), data=gig_data())
    with pytest.raises(ValidationError):
        services.sign_up(own, resident, by=resident_user)


def test_confirmation_stops_at_the_headcount_and_a_withdrawal_reopens(employer, employer_user, community):
    gig = employer_gig(employer, employer_user, headcount=2)
    people = [ResidentFactory(community=community) for _ in range(3)]
    users = [make_user(f"w{i}", Role.RESIDENT, resident=p) for i, p in enumerate(people)]
    signups = [services.sign_up(gig, p, by=u) for p, u in zip(people, users, strict=True)]
    scope = scope_for_user(employer_user)
    for signup in signups[:2]:
        services.transition_signup(signup, "confirmed", by=employer_user, scope=scope)
    gig.refresh_from_db()
    assert gig.status == GigStatus.FULL
    with pytest.raises(ValidationError):
        services.transition_signup(signups[2], "confirmed", by=employer_user, scope=scope)
    services.transition_signup(signups[0], "withdrawn", by=users[0], scope=scope_for_user(users[0]))
    gig.refresh_from_db()
    assert gig.status == GigStatus.OPEN
    services.transition_signup(signups[2], "confirmed", by=employer_user, scope=scope)
    assert services.taken_places(gig) == 2


def test_only_the_poster_side_confirms_and_only_the_worker_withdraws(
    employer, employer_user, worker, worker_user, resident_user, community_staff, neighbour_staff
):
    gig = employer_gig(employer, employer_user)
    signup = services.sign_up(gig, worker, by=worker_user)
    for outsider in (worker_user, resident_user, neighbour_staff):
        with pytest.raises(PermissionDenied):
            services.transition_signup(signup, "confirmed", by=outsider, scope=scope_for_user(outsider))
    with pytest.raises(PermissionDenied):
        services.transition_signup(signup, "withdrawn", by=employer_user, scope=scope_for_user(employer_user))
    signup = services.transition_signup(signup, "confirmed", by=community_staff, scope=scope_for_user(community_staff))
    assert signup.status == SignupStatus.CONFIRMED
    assert list(GigSignupTransition.objects.filter(signup=signup).values_list("to_status", flat=True)) == [
        "applied", "confirmed"]  # fmt: skip


def test_qr_check_in_and_out_with_the_sites_code(employer, employer_user, worker, worker_user):
    gig = started_gig(employer, employer_user)
    signup = confirmed(gig, worker, poster_user=employer_user, worker_user=worker_user)
    scope = scope_for_user(worker_user)
    signup = services.check_by_qr(signup, checkin.site_code(gig), by=worker_user, scope=scope)
    assert signup.status == SignupStatus.CHECKED_IN and signup.check_in_method == "site_qr"
    signup = services.check_by_qr(signup, checkin.site_code(gig), by=worker_user, scope=scope)
    assert signup.status == SignupStatus.CHECKED_OUT and signup.checked_out_at >= signup.checked_in_at


def test_the_stations_code_works_for_its_gigs_only(
    employer, employer_user, worker, worker_user, community, community_staff
):
    station = open_station(community, community_staff)
    gig = started_gig(employer, employer_user)
    assert gig.gig_station == station  # the community's station serves it
    signup = confirmed(gig, worker, poster_user=employer_user, worker_user=worker_user)
    signup = services.check_by_qr(
        signup, checkin.station_code(station), by=worker_user, scope=scope_for_user(worker_user)
    )
    assert signup.check_in_method == "station_qr"


def test_a_forged_stale_or_foreign_code_is_refused(employer, employer_user, worker, worker_user, monkeypatch):
    gig = started_gig(employer, employer_user)
    other = started_gig(employer, employer_user)
    signup = confirmed(gig, worker, poster_user=employer_user, worker_user=worker_user)
    scope = scope_for_user(worker_user)
    code = checkin.site_code(gig)
    for bad in (checkin.site_code(other), code[:-1] + ("A" if code[-1] != "A" else "B"), "g1:abc:def", ""):
        with pytest.raises(ValidationError) as caught:
            services.check_by_qr(signup, bad, by=worker_user, scope=scope)
        assert "token" in caught.value.message_dict
    monkeypatch.setattr(checkin, "MAX_AGE", datetime.timedelta(seconds=-1))
    with pytest.raises(ValidationError):
        services.check_by_qr(signup, code, by=worker_user, scope=scope)


def test_no_check_in_outside_the_working_time(employer, employer_user, worker, worker_user):
    gig = employer_gig(employer, employer_user, start=timezone.now() + datetime.timedelta(days=1))
    signup = confirmed(gig, worker, poster_user=employer_user, worker_user=worker_user)
    with pytest.raises(ValidationError):
        services.check_by_qr(signup, checkin.site_code(gig), by=worker_user, scope=scope_for_user(worker_user))


def test_completion_records_the_pay_and_counts_as_flexible_work_once_a_month(
    employer, employer_user, worker, worker_user
):
    assert worker.employment_status == "unemployed"
    first = completed(started_gig(employer, employer_user), worker, poster_user=employer_user, worker_user=worker_user)
    assert first.pay_amount == Decimal("100.00") and first.days_worked == 1 and first.status == "completed"
    completed(started_gig(employer, employer_user), worker, poster_user=employer_user, worker_user=worker_user,
              pay="80.50")  # fmt: skip
    worker.refresh_from_db()
    assert worker.employment_status == "flexible"
    history = EmploymentStatusChange.objects.filter(resident=worker, status="flexible")
    assert history.count() == 1 and history.get().note.startswith("零工：")
    [month] = services.flexible_work_by_month(worker)
    assert (month.gigs, month.days, month.income) == (2, 2, Decimal("180.50"))


def test_an_employed_worker_stays_employed(employer, employer_user, worker, worker_user):
    from jobcircle.people.services import record_employment_status

    record_employment_status(worker, "employed", by=None)
    completed(started_gig(employer, employer_user), worker, poster_user=employer_user, worker_user=worker_user)
    worker.refresh_from_db()
    assert worker.employment_status == "employed"
    assert services.flexible_work_by_month(worker)[0].gigs == 1


def test_completion_needs_check_out_and_sane_numbers(employer, employer_user, worker, worker_user):
    gig = started_gig(employer, employer_user)
    signup = confirmed(gig, worker, poster_user=employer_user, worker_user=worker_user)
    scope = scope_for_user(employer_user)
    with pytest.raises(ValidationError):
        services.complete_signup(signup, by=employer_user, scope=scope, data={"quantity": "4", "pay_amount": "10"})
    signup = services.transition_signup(signup, "checked_in", by=employer_user, scope=scope)
    signup = services.transition_signup(signup, "checked_out", by=employer_user, scope=scope)
    for bad in ({"quantity": "0", "pay_amount": "10"}, {"quantity": "1", "pay_amount": "-5"},
                {"quantity": "1", "pay_amount": "10", "days_worked": 3}):  # fmt: skip
        with pytest.raises(ValidationError):
            services.complete_signup(signup, by=employer_user, scope=scope, data=bad)


def test_ratings_only_after_completion_and_once_each_side(employer, employer_user, worker, worker_user):
    gig = started_gig(employer, employer_user)
    signup = confirmed(gig, worker, poster_user=employer_user, worker_user=worker_user)
    with pytest.raises(ValidationError):
        services.rate(signup, by=worker_user, scope=scope_for_user(worker_user), score=5, reason="好")
    signup = completed(started_gig(employer, employer_user), worker, poster_user=employer_user, worker_user=worker_user)
    signup = services.rate(signup, by=worker_user, scope=scope_for_user(worker_user), score=5, reason="按时结算")
    signup = services.rate(signup, by=employer_user, scope=scope_for_user(employer_user), score=4, reason="勤快")
    assert (signup.poster_score, signup.worker_score) == (5, 4)
    with pytest.raises(ValidationError):
        services.rate(signup, by=worker_user, scope=scope_for_user(worker_user), score=1, reason="改评")
    other = completed(started_gig(employer, employer_user), ResidentFactory(community=worker.community),
                      poster_user=employer_user, worker_user=None)  # fmt: skip
    for bad in (0, 6, "x"):
        with pytest.raises(ValidationError):
            services.rate(other, by=employer_user, scope=scope_for_user(employer_user), score=bad, reason="")
    with pytest.raises(PermissionDenied):
        services.rate(other, by=worker_user, scope=scope_for_user(worker_user), score=3, reason="")


def test_no_show_and_disputes_go_to_station_staff(
    employer, employer_user, worker, worker_user, community_staff, neighbour_staff
):
    gig = started_gig(employer, employer_user, headcount=1)
    signup = confirmed(gig, worker, poster_user=employer_user, worker_user=worker_user)
    signup = services.flag_dispute(
        signup, by=worker_user, scope=scope_for_user(worker_user), note="到场后被告知不需要了"
    )
    assert signup.disputed
    with pytest.raises(PermissionDenied):
        services.resolve_dispute(
            signup, by=neighbour_staff, scope=scope_for_user(neighbour_staff), resolution="已调解完毕"
        )
    with pytest.raises(PermissionDenied):
        services.resolve_dispute(signup, by=employer_user, scope=scope_for_user(employer_user), resolution="已调解完毕")
    signup = services.resolve_dispute(signup, by=community_staff, scope=scope_for_user(community_staff),
                                      resolution="已联系双方，发布方支付误工费")  # fmt: skip
    assert not signup.disputed and signup.dispute_resolution
    signup = services.transition_signup(signup, "no_show", by=community_staff, scope=scope_for_user(community_staff))
    gig.refresh_from_db()
    assert signup.status == SignupStatus.NO_SHOW and gig.status == GigStatus.OPEN


def test_the_two_sides_see_each_others_phone_for_that_gig_only(
    employer, employer_user, worker, worker_user, community_staff, resident_user
):
    from jobcircle.common import pii
    from jobcircle.common.models import AuditEvent

    gig = employer_gig(employer, employer_user)
    signup = services.sign_up(gig, worker, by=worker_user)
    with pytest.raises(PermissionDenied):  # not confirmed yet
        contacts.other_side_phone(signup, by=employer_user, scope=scope_for_user(employer_user))
    signup = services.transition_signup(signup, "confirmed", by=employer_user, scope=scope_for_user(employer_user))
    seen = contacts.other_side_phone(signup, by=employer_user, scope=scope_for_user(employer_user))
    assert seen["phone"] == pii.decrypt(worker.phone_encrypted) and "*" in seen["name"]
    back = contacts.other_side_phone(signup, by=worker_user, scope=scope_for_user(worker_user))
    assert back["phone"] == pii.decrypt(employer.contact_phone_encrypted)
    for outsider in (community_staff, resident_user):
        with pytest.raises(PermissionDenied):
            contacts.other_side_phone(signup, by=outsider, scope=scope_for_user(outsider))
    events = AuditEvent.objects.filter(action="gigs.contact.revealed")
    assert events.count() == 2 and all(seen["phone"] not in str(e.data) for e in events)


def test_walk_ins_are_registered_by_area_staff(community, community_staff, neighbour_staff, worker):
    station = open_station(community, community_staff)
    visit = services.record_walk_in(station, by=community_staff, scope=scope_for_user(community_staff),
                                    data={"resident": worker, "purpose": "find_work"})  # fmt: skip
    assert visit.area_code == community.code and visit.resident == worker
    with pytest.raises(PermissionDenied):
        services.record_walk_in(station, by=neighbour_staff, scope=scope_for_user(neighbour_staff),
                                data={"visitor_name": "张三", "purpose": "find_work"})  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.record_walk_in(station, by=community_staff, scope=scope_for_user(community_staff),
                                data={"visitor_name": "", "purpose": "nothing"})  # fmt: skip
    assert set(caught.value.message_dict) == {"visitor_name", "purpose"}


def test_opting_in_checks_the_card(worker, worker_user):
    card = services.opt_in(worker, by=worker_user, data={"skills": ["搬运"], "weekdays": [5, 6], "max_distance_km": 5})
    assert card.weekdays == [5, 6] and card.max_distance_km == Decimal("5.0")
    with pytest.raises(ValidationError) as caught:
        services.opt_in(worker, by=worker_user, data={"weekdays": [7], "max_distance_km": 80})
    assert set(caught.value.message_dict) == {"weekdays", "max_distance_km"}


def test_the_expiry_command_prints_its_count(employer, employer_user, capsys):
    from django.core.management import call_command

    employer_gig(employer, employer_user)
    call_command("expire_gigs")
    assert "已结束零工 0 个" in capsys.readouterr().out
