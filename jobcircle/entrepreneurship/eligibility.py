"""Who may borrow: a loan policy's rule over the subsidies' fact vocabulary (subsidies.rules, subsidies.facts).

The borrower's person or employer facts come from the same bulk functions the subsidies screening uses (one-row
QuerySet); the loan facts (subsidies.rules.LOAN_FACTS) from the records here. No fact is derived twice.
"""

import datetime

from django.db.models import Min

from jobcircle.subsidies import facts as fact_sources
from jobcircle.subsidies import rules

from .enums import BorrowerKind, CreditFlag
from .models import Loan, LoanPolicy, Startup, borrower_key


def rule_kind(policy: LoanPolicy) -> str:
    return "loan_person" if policy.borrower_kind == BorrowerKind.PERSON else "loan_business"


def _business_years(borrower, person: bool, today: datetime.date) -> float:
    """Years since the borrower's business was registered: a person's first start-up, a business's own record."""
    lookup = {"resident": borrower} if person else {"credit_code": borrower.credit_code}
    qs = Startup.objects.filter(**lookup)
    first = qs.aggregate(first=Min("registered_on"))["first"]
    return round((today - first).days / 365.25, 2) if first else -1


def loan_facts(policy: LoanPolicy, borrower, *, amount, credit_flags=(), excluding=None, today=None) -> dict:
    """The facts of one borrower for ``policy``: person/employer facts plus the loan facts."""
    today = today or datetime.date.today()
    person = policy.borrower_kind == BorrowerKind.PERSON
    model = type(borrower)
    base = fact_sources.facts_for(
        "person" if person else "employer", model.objects.filter(pk=borrower.pk), today.year, today
    )[borrower.pk]
    key = borrower_key(resident_id=borrower.pk) if person else borrower_key(employer_id=borrower.pk)
    others = Loan.objects.outstanding().filter(borrower=key).exclude(pk=getattr(excluding, "pk", None))
    flags = sorted(credit_flags)
    labels = dict(CreditFlag.choices)
    return {
        **base,
        "outstanding_loans": others.count(),
        "credit_flags": flags,
        "credit_flag_names": "、".join(labels.get(f, f) for f in flags) or "无",
        "business_years": _business_years(borrower, person, today),
        "amount": float(amount),
    }


def explain_loan(policy: LoanPolicy, borrower, *, amount, credit_flags=(), excluding=None) -> list[rules.Check]:
    """Every condition of the policy's rule for this borrower, holds or fails, in Chinese."""
    facts = loan_facts(policy, borrower, amount=amount, credit_flags=credit_flags, excluding=excluding)
    return rules.explain(rule_kind(policy), policy.rule, facts)
