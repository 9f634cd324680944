"""免申即享: screen a policy over an area, then turn the confirmed hits into applications at the review stage."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jobcircle.areas.codes import Area
from jobcircle.areas.scoping import region_in_scope_or_404
from jobcircle.common import progress
from jobcircle.common.audit import log_action
from jobcircle.common.workflow import log_created
from jobcircle.matching.models import InboxMessage

from . import facts as fact_sources
from . import rules
from .enums import CLOSED_STATES, ApplicationSource, BeneficiaryKind, ScreeningState
from .models import Screening, ScreeningHit, SubsidyApplication, beneficiary_key
from .services import (
    APPLICATION_WORKFLOW,
    _kind_queryset,
    _new_application,
    _require_applied_for,
    _require_manager,
    amount_for,
    as_of_date,
    period_year,
    version_for,
)

CHUNK = 5000  # beneficiaries per round of bulk fact queries (and per progress step)


def start_screening(policy, period: str, *, by, scope, area_code: str = "") -> Screening:
    """Open a screening of ``policy`` for ``period`` over the manager's area (or a part of it) and queue it.

    - only a subsidy manager (县级); the area is the manager's scope, narrowed to ``area_code`` if inside it;
    - the screening runs as a background task (progress in common.progress) — immediate in tests.
    """
    from .tasks import run_screening  # local import: the task module imports this one to run it

    _require_manager(by)
    version = version_for(policy, period)
    _require_applied_for(version)
    prefix = region_in_scope_or_404(scope, area_code).scope_prefix
    bar = progress.start("subsidies.screening", by=by, area_code=prefix, message=f"{policy.name}{period}筛查")
    screening = Screening.objects.create(
        policy=policy, version=version, period=period, area_code=prefix, progress=bar, created_by=by
    )
    log_action("subsidies.screening.started", by=by, obj=screening, data={"policy": policy.code, "period": period})
    run_screening.enqueue(screening.pk)
    return screening


def screen(screening: Screening) -> Screening:
    """Run a screening: every beneficiary of the area, facts in bulk per chunk, the rule evaluated per person.

    - qualifying: every condition holds and the beneficiary has no open or committed application (nor payment)
      for the policy and period;
    - near miss: exactly one condition fails (the hit names it);
    - progress advances per chunk; the hits replace any of an earlier run of the same screening.
    """
    policy, version, period = screening.policy, screening.version, screening.period
    kind = policy.beneficiary_kind
    year, as_of = period_year(period), as_of_date(period)
    person = kind == BeneficiaryKind.PERSON
    taken = set(
        SubsidyApplication.objects.filter(policy=policy, period=period)
        .exclude(status__in=CLOSED_STATES)
        .values_list("beneficiary", flat=True)
    )
    candidates = _kind_queryset(policy).in_area(Area(screening.area_code))
    ids = list(candidates.order_by("pk").values_list("pk", "area_code"))
    screening.hits.all().delete()
    progress.advance(screening.progress_id, 0, total=len(ids))
    hits = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # The chunk is a pk range of the same ordered candidates: a range, not 5,000 parameters per query.
        facts = fact_sources.facts_for(kind, candidates.filter(pk__range=(chunk[0][0], chunk[-1][0])), year, as_of)
        for pk, area_code in chunk:
            key = beneficiary_key(resident_id=pk) if person else beneficiary_key(employer_id=pk)
            if key in taken:
                continue
            checks = rules.explain(kind, version.rule, facts[pk])
            failed = len(rules.failing(checks))
            if failed > 1:
                continue
            hits.append(
                ScreeningHit(
                    screening=screening,
                    area_code=area_code,
                    qualifies=failed == 0,
                    resident_id=pk if person else None,
                    employer_id=None if person else pk,
                    amount=amount_for(version, facts[pk]) if failed == 0 else 0,
                    explanation=[c.as_dict() for c in checks],
                )  # fmt: skip
            )
        progress.advance(screening.progress_id, start + len(chunk))
    ScreeningHit.objects.bulk_create(hits, batch_size=2000)
    screening.state, screening.screened = ScreeningState.DONE, len(ids)
    screening.save(update_fields=["state", "screened"])
    qualifying = sum(h.qualifies for h in hits)
    progress.finish(
        screening.progress_id, result={"qualifying": qualifying, "near_misses": len(hits) - qualifying},
        message=f"筛查{len(ids)}个对象，符合{qualifying}个",
    )  # fmt: skip
    return screening


@transaction.atomic
def confirm_hits(screening: Screening, hit_ids=None, *, by, scope) -> list[SubsidyApplication]:
    """Turn qualifying hits (all, or those named) into applications at the first review level, and tell each person.

    - only a subsidy manager whose area covers the screening; near misses are never confirmed;
    - a hit already confirmed, or a beneficiary who meanwhile has an open application, is skipped;
    - each application keeps the screening's explanation and rule version; one "" → review log row each;
    - the person gets an inbox message (站内信) naming the policy and the amount.
    """
    _require_manager(by)
    if not scope.covers(screening.area_code):
        raise ValidationError({"screening": ["筛查：不在您的辖区"]})
    hits = screening.hits.select_for_update(of=("self",)).filter(qualifies=True, application__isnull=True)
    hits = hits.order_by("pk")
    if hit_ids is not None:
        hits = hits.filter(pk__in=hit_ids)
    version, policy = screening.version, screening.policy
    taken = set(
        SubsidyApplication.objects.filter(policy=policy, period=screening.period)
        .exclude(status__in=CLOSED_STATES)
        .values_list("beneficiary", flat=True)
    )
    created = []
    for hit in hits.select_related("resident", "employer"):
        beneficiary = hit.resident or hit.employer
        key = beneficiary_key(resident_id=hit.resident_id, employer_id=hit.employer_id)
        if key in taken:
            continue
        checks = [rules.Check(c["label"], c["holds"], c["detail"]) for c in hit.explanation]
        application = _new_application(
            version, beneficiary, screening.period, hit.amount, checks, by=by, source=ApplicationSource.SCREENING
        )
        hit.application = application
        hit.save(update_fields=["application"])
        taken.add(key)
        created.append(application)
    log_created(APPLICATION_WORKFLOW, created, by=by, reason="免申即享筛查确认")
    _notify(created, policy)
    log_action("subsidies.screening.confirmed", by=by, obj=screening, data={"applications": len(created)})
    return created


def _notify(applications, policy):
    """One inbox message per person (employers read their applications in the employer portal)."""

    now, today = timezone.now(), timezone.localdate()
    InboxMessage.objects.bulk_create(
        [
            InboxMessage(
                resident_id=a.resident_id,
                kind=InboxMessage.Kind.SUBSIDY,
                pushed_on=today,
                created_at=now,
                title=f"您符合{policy.name}条件，补贴{a.amount}元正在审核"[:100],
                body=f"经核查，您符合{policy.name}（{a.period}）的享受条件，无需申请，补贴{a.amount}元已进入审核。"
                "如不需要可以谢绝；请提供本人银行账号以便发放。",
                area_code=a.area_code,
                link="/m/subsidies/",
            )  # fmt: skip
            for a in applications
            if a.resident_id
        ]
    )
