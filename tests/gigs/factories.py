"""Gigs and sharing built through their services (tests/gigs)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.gigs import services
from jobcircle.gigs.enums import PosterKind
from jobcircle.gigs.services import Poster

OCCUPATION = "4-10-01-05"  # 养老护理员 (the factories' occupation)


def gig_data(**overrides):
    """A clean gig starting ``start`` (default: in an hour) for four hours."""
    start = overrides.pop("start", None) or timezone.now() + datetime.timedelta(hours=1)
    data = {
        "title": "搬家帮手", "description": "帮忙搬运家具和纸箱", "requirements": "有搬家经验者优先",
        "address": "幸福社区3栋", "occupation_code": OCCUPATION, "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=4), "pay_unit": "hour", "pay_rate": "25.00", "headcount": 2,
    }  # fmt: skip
    data.update(overrides)
    return data


def employer_gig(employer, by, **overrides):
    return services.post_gig(by=by, poster=Poster(PosterKind.EMPLOYER, employer=employer), data=gig_data(**overrides))


def today_gig(employer, by, **overrides):
    """A gig of today only: begun ten minutes ago, ending within the hour and before local midnight (a gig that
    starts in an hour and runs four reaches into tomorrow when a test runs in the evening)."""
    now = timezone.now()
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(23, 59)))
    end = min(now + datetime.timedelta(hours=1), midnight)
    return employer_gig(employer, by, start=now - datetime.timedelta(minutes=10), ends_at=end, **overrides)


def started_gig(employer, by, **overrides):
    """A gig that began ten minutes ago (check-in is open)."""
    return employer_gig(employer, by, start=timezone.now() - datetime.timedelta(minutes=10), **overrides)


def confirmed(gig, worker, *, poster_user, worker_user=None):
    signup = services.sign_up(gig, worker, by=worker_user)
    return services.transition_signup(signup, "confirmed", by=poster_user, scope=scope_for_user(poster_user))


def completed(gig, worker, *, poster_user, worker_user, pay="100.00"):
    scope = scope_for_user(poster_user)
    signup = confirmed(gig, worker, poster_user=poster_user, worker_user=worker_user)
    signup = services.transition_signup(signup, "checked_in", by=poster_user, scope=scope)
    signup = services.transition_signup(signup, "checked_out", by=poster_user, scope=scope)
    return services.complete_signup(signup, by=poster_user, scope=scope, data={"quantity": "4", "pay_amount": pay})


PAY = Decimal("100.00")


def open_station(community, staff, hours="8:00-17:00"):
    """The community's service station made a 零工驿站 by its staff."""
    return services.open_gig_station(
        community.stations.first(), by=staff, scope=scope_for_user(staff), data={"hours": hours}
    )
