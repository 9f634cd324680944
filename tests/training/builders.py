"""Training and internships in the insights test county (tests/insights/builders.py calls ``build_training``).

In each community, through the services: a provider and a programme opened and finished today with two of the
community's residents (both 脱贫人口; hired and placed on a welfare post today, so both employed after training); the
community's employer certified as an internship base, with two young interns (new residents, returned so the county's
truth counts them): one on post, one ended at term today and retained — still on post today, the day it ends.
Every training figure then has data in every area.
"""

import datetime

from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.people.enums import EmploymentStatus
from jobcircle.training import internships, services
from jobcircle.training.enums import ProgrammeStatus
from tests.factories import ResidentFactory

from . import factories as f

PER_COMMUNITY = {
    "training_programmes": 1, "training_trainees": 2, "training_poverty_trainees": 2, "training_completed": 2,
    "training_employed_after": 2, "internship_bases": 1, "internship_positions": 3, "interns_on_post": 2,
    "interns_started": 2, "interns_retained": 1,
}  # fmt: skip


def young_unemployed(community):
    today = timezone.localdate()
    return ResidentFactory(community=community, birth_date=today.replace(year=today.year - 20),
                           employment_status=EmploymentStatus.UNEMPLOYED)  # fmt: skip


def build_training(by, community, *, trainees, employer) -> int:
    """Build the community's training and internships; returns how many residents it registered."""
    scope = scope_for_user(by)
    today = timezone.localdate()
    programme = f.programme(f.provider(community), sessions=1, ends_on=today)
    enrolments = [services.enrol(programme, person, by=by, scope=scope) for person in trainees]
    services.move_programme(programme, ProgrammeStatus.RUNNING, by=by, scope=scope)
    services.record_attendance(programme.sessions.get(), [e.pk for e in enrolments], by=by, scope=scope)
    services.move_programme(programme, ProgrammeStatus.FINISHED, by=by, scope=scope)
    position = f.position(f.base(employer), places=3)
    start = max(today.replace(day=1), today - datetime.timedelta(days=25))
    internships.place_intern(position, young_unemployed(community), by=by, scope=scope, started_on=start)
    leaving = internships.place_intern(position, young_unemployed(community), by=by, scope=scope, started_on=start)
    internships.end_placement(leaving, by=by, scope=scope, retained=True)
    return 2
