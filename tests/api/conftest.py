import datetime

import pytest

from jobcircle.accounts.access import scope_for_user
from jobcircle.matching.models import InboxMessage, PushRun
from jobcircle.people.models import JobIntention
from jobcircle.risk.models import RiskWarning
from tests.factories import EmployerFactory, JobFactory
from tests.households.factories import household


@pytest.fixture
def api_objects(community, town, resident_user, employer_user, township_staff, community_staff):
    """One real object behind each kind of path id, owned by ``resident_user`` and ``employer_user``.

    Returns the ids by the names the API's paths use, plus the fair's sign-in token.
    """
    from jobcircle.matching.push import start_push
    from jobcircle.recruiting.services import (
        add_fair_employer,
        apply_to_job,
        assign_liaison_officer,
        create_job_fair,
    )

    resident = resident_user.resident
    resident.is_job_seeking = True
    resident.save()
    JobIntention.objects.create(resident=resident, max_distance_km=3, min_monthly_pay=0, work_type="full_time")
    job = JobFactory(employer=employer_user.employer, headcount=5)
    application = apply_to_job(resident, job, by=resident_user)
    start = datetime.datetime.combine(datetime.date.today() + datetime.timedelta(days=7), datetime.time(9))
    fair = create_job_fair(
        by=township_staff, scope=scope_for_user(township_staff),
        data={"name": "城关街道招聘会", "kind": "comprehensive", "starts_at": start,
              "ends_at": start + datetime.timedelta(hours=3), "venue": "文化广场", "area_code": town.code},
    )  # fmt: skip
    add_fair_employer(fair, employer_user.employer, by=township_staff, scope=scope_for_user(township_staff), jobs=[job])
    key_employer = EmployerFactory(community=community, is_key_enterprise=True)
    assignment = assign_liaison_officer(
        community_staff, key_employer, by=township_staff, scope=scope_for_user(township_staff)
    )
    run = start_push(by=township_staff, area_code=town.code, enqueue=False)
    from jobcircle.gigs.enums import PosterKind
    from jobcircle.gigs.services import Poster, post_gig, sign_up
    from tests.gigs.factories import gig_data

    gig = post_gig(
        by=employer_user, poster=Poster(PosterKind.EMPLOYER, employer=employer_user.employer), data=gig_data()
    )
    signup = sign_up(gig, resident, by=resident_user)

    from tests.training import factories as training  # local import: training's own test factories

    programme = training.programme(training.provider(community))

    loan = _loan_of(resident)
    return {
        "resident_id": resident.pk,
        "employer_id": employer_user.employer_id,
        "job_id": job.pk,
        "user_id": community_staff.pk,
        "application_id": application.pk,
        "fair_id": fair.pk,
        "assignment_id": assignment.pk,
        "run_id": PushRun.objects.get(pk=run.pk).pk,
        "message_id": InboxMessage.objects.get(resident=resident).pk,
        "token": fair.sign_in_token,
        "policy_code": "transport",  # a subsidy policy of the shipped catalogue
        "code": "employers",  # a registered figure (insights.figures)
        "gig_id": gig.pk,  # an open gig of employer_user's, with resident_user's sign-up
        "signup_id": signup.pk,
        "household_id": household(community, [resident]).pk,  # households (issue 19): the resident's household
        "programme_id": programme.pk,  # a training programme open for enrolment in the resident's community
        "loan_id": loan.pk,  # the resident's guarantee loan (entrepreneurship)
        "warning_id": RiskWarning.objects.create(  # risk (issue 19): a warning in the community
            kind="workshop_buffer",
            level=2,
            subject_kind="workshop",
            subject_id=1,
            subject_label="车间",
            condition_key="api-test",
            detail="缓冲监测",
            area_code=community.code,
            raised_on=datetime.date.today(),
            due_on=datetime.date.today(),
        ).pk,
    }


def _loan_of(resident):
    """A guarantee loan the resident applied for (a 高校毕业生, under the shipped personal policy)."""
    from decimal import Decimal  # local import: this helper stays self-contained for the merge

    from jobcircle.entrepreneurship import data_policies
    from jobcircle.entrepreneurship.models import LoanPolicy
    from jobcircle.entrepreneurship.services import apply_for_loan
    from jobcircle.people.models import KeyGroup
    from jobcircle.subsidies.models import Policy, PolicyVersion

    data_policies.load(LoanPolicy, Policy, PolicyVersion)
    group, _ = KeyGroup.objects.get_or_create(code="graduate", defaults={"name": "高校毕业生"})
    resident.key_groups.add(group)
    return apply_for_loan(LoanPolicy.objects.get(code="personal"), resident, amount=Decimal("50000"), term_months=12,
                          purpose="开办工作室", by=None)  # fmt: skip
