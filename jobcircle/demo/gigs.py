"""Demo 零工 and 共享员工 for a demo county: a year of history, small (make run stays quick).

Every third service station becomes a 零工驿站 with a walk-in register; about four gigs a week over the past
year (past ones ended with their sign-ups completed, paid and rated, or withdrawn, declined, no-show), a
few open for today and tomorrow around the stations; offers and needs of employee sharing and a handful
of agreements (ended, running and awaiting the people's consent). Written in bulk with the creation rows of
the workflow logs (common.workflow.log_created); deterministic for a seed.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from jobcircle.classifications.models import Occupation
from jobcircle.common.workflow import log_created
from jobcircle.gigs.enums import AgreementStatus, CheckMethod, Consent, GigStatus, PayUnit, PosterKind, SignupStatus
from jobcircle.gigs.enums import WalkInPurpose as Purpose
from jobcircle.gigs.models import (
    Gig,
    GigSignup,
    GigStation,
    SharedWorker,
    SharingAgreement,
    SharingNeed,
    SharingOffer,
    WalkIn,
)
from jobcircle.gigs.services import GIG_WORKFLOW, SIGNUP_WORKFLOW
from jobcircle.gigs.sharing import AGREEMENT_WORKFLOW

from .history import set_timestamps

TASKS = [("搬家帮手", "4-02-06-01", PayUnit.HOUR, 30), ("农忙采摘", "5-01-02-01", PayUnit.DAY, 180),
         ("装卸货物", "4-02-06-01", PayUnit.PIECE, 2), ("家庭保洁", "4-10-04-01", PayUnit.HOUR, 35),
         ("活动布置", "4-02-06-01", PayUnit.DAY, 200), ("看护老人", "4-10-01-05", PayUnit.DAY, 220)]  # fmt: skip
GIGS_PER_WEEK = 4
KM = 1 / 111.2


def _occupations():
    codes = {code for _, code, _, _ in TASKS}
    found = dict(Occupation.objects.filter(code__in=codes).values_list("code", "pk"))
    fallback = Occupation.objects.filter(level=4).order_by("code").values_list("pk", flat=True).first()
    return {code: found.get(code, fallback) for code in codes}


def _when(day, rng):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice((7, 8, 9, 13)))))
    return start, start + datetime.timedelta(hours=rng.choice((3, 4, 8)))


def build_gigs_demo(*, seed, stations, residents, employers, today=None) -> dict:
    """Build the county's gig market and sharing history; returns counts."""
    rng = random.Random(seed * 7919 + 20)
    today = today or timezone.localdate()
    occupation_of = _occupations()
    gig_stations = GigStation.objects.bulk_create(
        [GigStation(station=s, area_code=s.area_code, hours="每天 7:00-18:00") for s in stations[::3]]
    )
    workers = [r for r in residents if r.employment_status != "employed"][:80] or residents[:80]
    posters = employers[:20]
    gigs, plan = [], []
    for week in range(52, -1, -1):
        for _ in range(GIGS_PER_WEEK):
            day = today - datetime.timedelta(days=7 * week + rng.randint(0, 6))
            plan.append(day)
    plan += [today, today, today + datetime.timedelta(days=1), today + datetime.timedelta(days=1)]
    now = timezone.now()
    for day in plan:
        title, code, unit, rate = rng.choice(TASKS)
        station = rng.choice(gig_stations)
        employer = rng.choice(posters)
        start, end = _when(day, rng)
        over = end <= now
        gig = Gig(
            poster_kind=PosterKind.EMPLOYER, employer=employer, gig_station=station, title=title,
            description=f"{title}，工作地点在{station.station.name}附近", occupation_id=occupation_of[code],
            starts_at=start, ends_at=end, address=f"{station.station.address}附近", pay_unit=unit,
            pay_rate=Decimal(rate), headcount=rng.randint(1, 4), area_code=employer.area_code,
            status=GigStatus.ENDED if over else GigStatus.OPEN,
            published_on=day - datetime.timedelta(days=rng.randint(0, 3)),
        )  # fmt: skip
        gig.set_location(station.station.lat + rng.uniform(-2, 2) * KM, station.station.lng + rng.uniform(-2, 2) * KM)
        gigs.append(gig)
    gigs = Gig.objects.bulk_create(gigs, batch_size=500)
    log_created(GIG_WORKFLOW, gigs, reason="演示数据")
    signups, moments = [], []
    for gig in gigs:
        if gig.status == GigStatus.OPEN:
            continue
        taken = 0
        for worker in rng.sample(workers, min(len(workers), gig.headcount + 1)):
            outcome = rng.choices(["done", "withdrawn", "declined", "no_show"], weights=(78, 8, 10, 4))[0]
            if outcome in ("done", "no_show") and taken >= gig.headcount:
                outcome = "declined"  # never more confirmed than the headcount
            signups.append(_past_signup(gig, worker, outcome, rng))
            moments.append(gig.starts_at - datetime.timedelta(days=rng.randint(1, 3)))
            taken += outcome in ("done", "no_show")
    signups = GigSignup.objects.bulk_create(signups, batch_size=1000)
    log_created(SIGNUP_WORKFLOW, signups, reason="演示数据")
    set_timestamps(GigSignup, "created_at", [(s.pk, at) for s, at in zip(signups, moments, strict=True)])
    walk_ins = [
        WalkIn(gig_station=station, area_code=station.area_code, visitor_name=rng.choice("张王李赵刘陈杨黄") + "某",
               purpose=rng.choice(Purpose.values), visited_at=now - datetime.timedelta(days=rng.randint(0, 364)))
        for station in gig_stations for _ in range(40)
    ]  # fmt: skip
    WalkIn.objects.bulk_create(walk_ins, batch_size=1000)
    agreements = _sharing(rng, employers, residents, occupation_of, today)
    return {"gig_stations": len(gig_stations), "gigs": len(gigs), "signups": len(signups), "agreements": agreements}


def _past_signup(gig, worker, outcome, rng):
    """A sign-up of an ended gig: completed (paid, rated), or withdrawn, declined, no-show."""
    signup = GigSignup(gig=gig, worker=worker, area_code=gig.area_code)
    if outcome in ("done", "no_show"):
        signup.confirmed_at = gig.starts_at - datetime.timedelta(hours=rng.randint(2, 30))
    if outcome != "done":
        signup.status = {"withdrawn": SignupStatus.WITHDRAWN, "declined": SignupStatus.DECLINED,
                         "no_show": SignupStatus.NO_SHOW}[outcome]  # fmt: skip
        return signup
    hours = Decimal((gig.ends_at - gig.starts_at).seconds // 3600)
    quantity = {PayUnit.HOUR: hours, PayUnit.DAY: Decimal(1), PayUnit.PIECE: Decimal(rng.randint(40, 120))}
    signup.status, signup.days_worked, signup.quantity = SignupStatus.COMPLETED, 1, quantity[gig.pay_unit]
    signup.pay_amount = (signup.quantity * gig.pay_rate).quantize(Decimal("0.01"))
    signup.checked_in_at, signup.checked_out_at = gig.starts_at, gig.ends_at
    signup.check_in_method = signup.check_out_method = CheckMethod.STATION_QR
    signup.completed_on = timezone.localtime(gig.ends_at).date()
    signup.worker_score, signup.poster_score = rng.choice((4, 5, 5)), rng.choice((3, 4, 5, 5))
    return signup


def _sharing(rng, employers, residents, occupation_of, today):
    """Offers and needs over the year; an agreement for some pairs: ended, running, awaiting consent."""
    if len(employers) < 4:
        return 0
    occupation = occupation_of["4-02-06-01"]
    offers, needs, agreements, workers = [], [], [], []
    for i in range(6):
        lender, borrower = employers[2 * i % len(employers)], employers[(2 * i + 1) % len(employers)]
        start = today - datetime.timedelta(days=300 - 50 * i)
        end = start + datetime.timedelta(days=60)
        offers.append(SharingOffer(employer=lender, area_code=lender.area_code, headcount=5, occupation_id=occupation,
                                   start_date=start, end_date=end, conditions="淡季富余，可共享"))  # fmt: skip
        needs.append(SharingNeed(employer=borrower, area_code=borrower.area_code, headcount=3, occupation_id=occupation,
                                 start_date=start, end_date=end, conditions="旺季缺工"))  # fmt: skip
        status = AgreementStatus.CONSENT if i == 5 else AgreementStatus.ENDED if end < today else AgreementStatus.ACTIVE
        agreements.append(SharingAgreement(
            lender=lender, borrower=borrower, area_code=lender.area_code, start_date=start, end_date=end,
            pay_arrangement="调入方按日结算，标准不低于原单位", payer="borrower", insurance_party="lender",
            status=status,
        ))  # fmt: skip
    SharingOffer.objects.bulk_create(offers)
    SharingNeed.objects.bulk_create(needs)
    agreements = SharingAgreement.objects.bulk_create(agreements)
    log_created(AGREEMENT_WORKFLOW, agreements, reason="演示数据")
    employed = [r for r in residents if r.employment_status == "employed"] or residents
    for agreement in agreements:
        consent = Consent.PENDING if agreement.status == AgreementStatus.CONSENT else Consent.AGREED
        for person in rng.sample(employed, min(3, len(employed))):
            workers.append(SharedWorker(agreement=agreement, resident=person, consent=consent))
    SharedWorker.objects.bulk_create(workers, ignore_conflicts=True)
    return len(agreements)
