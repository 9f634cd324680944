"""Demo 创业服务 for one county: a year of guarantee loans (schedules, repayments, a few overdue), start-ups with
returnees and graduates, and two incubation bases with tenants. Written directly (with their creation rows in the
transition log), as the rest of the demo history is: the services' rules are exercised by the tests."""

import datetime
import random
from decimal import Decimal

from jobcircle.common.workflow import log_created
from jobcircle.entrepreneurship import data_policies
from jobcircle.entrepreneurship.enums import LoanStatus, ReturneeSource
from jobcircle.entrepreneurship.models import (
    IncubationBase,
    Instalment,
    Loan,
    LoanPolicy,
    Repayment,
    Startup,
    Tenancy,
    borrower_key,
)
from jobcircle.entrepreneurship.schedule import build_schedule
from jobcircle.entrepreneurship.services import LOAN_WORKFLOW
from jobcircle.people.models import Resident
from jobcircle.subsidies.models import Policy, PolicyVersion

LOANS, STARTUPS = 24, 60
PURPOSES = ("开办农家乐", "电商直播", "汽车维修", "特色种植", "小吃店", "家政服务", "服装加工", "快递驿站")


def _startups(rng, county, residents, employers, today, credit_code):
    rows = []
    for n in range(STARTUPS):
        person = rng.choice(residents)
        rows.append(Startup(
            name=f"{county.name[:2]}{PURPOSES[n % len(PURPOSES)]}{n + 1}号", credit_code=credit_code(n),
            kind="sole" if n % 5 else "private", registered_on=today - datetime.timedelta(days=rng.randint(0, 364)),
            resident=person, area_code=person.area_code, address="示范路", jobs=rng.randint(1, 8),
            returnee_source=ReturneeSource.DECLARED if n % 3 == 0 else ReturneeSource.NONE, is_graduate=n % 7 == 0,
        ))  # fmt: skip
    for employer in employers[:3]:  # the small businesses that borrow below
        rows.append(Startup(name=employer.name, credit_code=employer.credit_code, kind="private",
                            registered_on=today - datetime.timedelta(days=700),
                            area_code=employer.area_code))  # fmt: skip
    return Startup.objects.bulk_create(rows)


def _loan(rng, policy, borrower, person, today, n):
    disbursed = today - datetime.timedelta(days=rng.randint(20, 360))
    amount = Decimal(rng.choice((50000, 100000, 200000, 300000))) if person else Decimal(1000000)
    lines = build_schedule(amount, Decimal("0.0385"), 12, disbursed)
    loan = Loan.objects.create(
        policy=policy, borrower_kind=policy.borrower_kind, resident=borrower if person else None,
        employer=None if person else borrower, area_code=borrower.area_code, purpose=PURPOSES[n % len(PURPOSES)],
        amount_applied=amount, amount_granted=amount, term_months=12, bank="示范县农商银行", guarantor="县创业担保中心",
        contract_no=f"DEMO-{n + 1:04d}", annual_rate=Decimal("0.0385"), subsidy_share=policy.subsidy_share,
        disbursed_on=disbursed, maturity_on=lines[-1].due_on, jobs_created=rng.randint(1, 6) if person else 12,
        status=LoanStatus.DISBURSED,
    )  # fmt: skip
    late = n % 8 == 7  # one loan in eight stops paying
    paid_any = False
    for line in lines:
        item = Instalment.objects.create(loan=loan, number=line.number, due_on=line.due_on, principal=line.principal,
                                         interest=line.interest)  # fmt: skip
        if line.due_on <= today and not (late and line.number > 1):
            item.paid_principal, item.paid_interest, item.settled_on = line.principal, line.interest, line.due_on
            item.save(update_fields=["paid_principal", "paid_interest", "settled_on"])
            Repayment.objects.create(loan=loan, paid_on=line.due_on, principal=line.principal, interest=line.interest,
                                     serial=f"DEMO-{n + 1:04d}-{line.number}", area_code=loan.area_code)  # fmt: skip
            paid_any = True
    overdue = late and any(x.due_on < today - datetime.timedelta(days=30) for x in lines[1:])
    loan.status = LoanStatus.OVERDUE if overdue else LoanStatus.REPAYING if paid_any else LoanStatus.DISBURSED
    loan.save(update_fields=["status"])
    return loan


def build_entrepreneurship_demo(*, seed, county, residents, employers, today, credit_code) -> dict:
    """Loans, start-ups and bases for ``county``; ``credit_code(n)`` gives the n-th synthetic USCC."""
    rng = random.Random(seed * 15)
    data_policies.load(LoanPolicy, Policy, PolicyVersion)
    personal, business = LoanPolicy.objects.get(code="personal"), LoanPolicy.objects.get(code="business")
    grouped = list(Resident.objects.filter(pk__in=[r.pk for r in residents], key_groups__isnull=False).distinct())
    borrowers = rng.sample(grouped or residents, min(LOANS - 3, len(grouped or residents)))
    loans = [_loan(rng, personal, person, True, today, n) for n, person in enumerate(borrowers)]
    loans += [_loan(rng, business, e, False, today, len(loans) + n) for n, e in enumerate(employers[:3])]
    assert len({borrower_key(resident_id=x.resident_id, employer_id=x.employer_id) for x in loans}) == len(loans)
    log_created(LOAN_WORKFLOW, loans, reason="演示数据")
    startups = _startups(rng, county, residents, employers, today, credit_code)
    communities = sorted({s.area_code for s in startups})
    bases = [
        IncubationBase.objects.create(name=f"{county.name}创业孵化基地", level="province", capacity=40,
                                      certified_on=today - datetime.timedelta(days=500), area_code=communities[0]),
        IncubationBase.objects.create(name=f"{county.name}返乡创业园", kind="returnee_park", level="county",
                                      capacity=20, certified_on=today - datetime.timedelta(days=200),
                                      area_code=communities[-1]),
    ]  # fmt: skip
    Tenancy.objects.bulk_create([
        Tenancy(base=bases[n % 2], startup=s, moved_in=max(s.registered_on, today - datetime.timedelta(days=180)),
                jobs=s.jobs, services="场地、创业指导", area_code=bases[n % 2].area_code)
        for n, s in enumerate(startups[:18])
    ])  # fmt: skip
    return {"loans": len(loans), "startups": len(startups), "bases": len(bases)}
