"""就业帮扶车间: a workshop's registry entry, keyed by its code, and its monthly check; the workshop's
status follows its latest check."""

from django.core.exceptions import ValidationError
from django.db import transaction

from jobcircle.areas.services import community_for_write
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import parse_credit_code

from ..enums import WorkshopStatus
from ..models import Workshop, WorkshopCheck
from ..periods import month_start, parse_date, parse_month
from ..services import actor, clean_choice, clean_count, clean_money, clean_required_texts, today


def clean_workshop_input(data: dict, *, scope) -> dict:
    """Rules of a workshop's registry entry.

    - code, name, operating entity, community (inside the actor's area) and certification date required;
    - the credit code, when given, passes the one USCC validator;
    - the certification date is not in the future.
    """
    errors = FieldErrors()
    out = clean_required_texts(
        errors, data, (("code", "车间编号", 32), ("name", "车间名称", 100), ("operator_name", "经营主体", 100))
    )
    out["code"] = out["code"].upper()
    out["address"] = str(data.get("address") or "").strip()[:200]
    out["community"] = errors.capture("community_code", community_for_write, scope, data.get("community_code"))
    credit = str(data.get("credit_code") or "").strip()
    out["credit_code"] = ""
    if credit:
        info = errors.capture("credit_code", parse_credit_code, credit)
        out["credit_code"] = info.code if info else ""
    certified = errors.capture("certified_on", parse_date, data.get("certified_on"), "认定日期")
    if certified and certified > today():
        errors.add("certified_on", "认定日期：不能晚于今天")
    out["certified_on"] = certified
    errors.raise_if_any()
    return out


WORKSHOP_FIELDS = ("name", "operator_name", "credit_code", "address", "certified_on")


@transaction.atomic
def save_workshop(*, by, data: dict, scope) -> tuple[Workshop, bool]:
    """Register a workshop or update its registry entry by code; returns (workshop, created)."""
    cleaned = clean_workshop_input(data, scope=scope)
    community = cleaned.pop("community")
    workshop = Workshop.objects.select_for_update().filter(code=cleaned["code"]).first()
    created = workshop is None
    if created:
        workshop = Workshop(code=cleaned["code"], created_by=actor(by))
    elif not scope.covers(workshop.area_code):
        raise ValidationError({"code": ["车间编号已被您管辖范围以外的车间使用"]})
    for field in WORKSHOP_FIELDS:
        setattr(workshop, field, cleaned[field])
    workshop.community, workshop.area_code = community, community.code
    workshop.save()
    WorkshopCheck.objects.filter(workshop=workshop).update(area_code=workshop.area_code)
    log_action(
        "assistance.workshop.created" if created else "assistance.workshop.updated",
        by=by,
        obj=workshop,
        changed_fields=WORKSHOP_FIELDS,
    )
    return workshop, created


def clean_workshop_check_input(data: dict) -> dict:
    """Rules of a workshop's monthly check.

    - month required, not in the future; operating status one of 正常运行/缓冲监测/清理;
    - workers, poverty-alleviated and monitored workers are whole numbers ≥ 0 (monitored may be left blank:
      0), the two groups together not above the workers;
    - subsidy granted is money ≥ 0.
    """
    errors = FieldErrors()
    month = errors.capture("month", parse_month, data.get("month"), "检查月份")
    if month and month > month_start(today()):
        errors.add("month", "检查月份：不能晚于本月")
    status = clean_choice(errors, "status", "运行状态", data.get("status"), WorkshopStatus, required=True)
    workers = errors.capture("workers", clean_count, data.get("workers"), "务工人数", maximum=100000)
    poverty = errors.capture(
        "poverty_workers", clean_count, data.get("poverty_workers"), "其中脱贫人口", maximum=100000
    )
    monitored = errors.capture(
        "monitored_workers", clean_count, data.get("monitored_workers"), "其中监测对象", maximum=100000, required=False
    )
    if workers is not None and poverty is not None and poverty > workers:
        errors.add("poverty_workers", "其中脱贫人口：不能多于务工人数")
    elif workers is not None and poverty is not None and monitored is not None and poverty + monitored > workers:
        errors.add("monitored_workers", "其中监测对象：与脱贫人口合计不能多于务工人数")
    subsidy = errors.capture("subsidy_granted", clean_money, data.get("subsidy_granted"), "本月补贴")
    note = str(data.get("note") or "").strip()[:200]
    errors.raise_if_any()
    return {
        "month": month, "status": status, "workers": workers, "poverty_workers": poverty,
        "monitored_workers": monitored or 0, "subsidy_granted": subsidy, "note": note,
    }  # fmt: skip


CHECK_FIELDS = ("status", "workers", "poverty_workers", "monitored_workers", "subsidy_granted", "note")


@transaction.atomic
def record_workshop_check(workshop: Workshop, *, by, data: dict) -> tuple[WorkshopCheck, bool]:
    """Record a workshop's monthly check (one per month; recording again updates it).

    - the rules of ``clean_workshop_check_input``; the month is not before certification;
    - the workshop's status follows its latest check. Returns (check, created).
    """
    cleaned = clean_workshop_check_input(data)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if cleaned["month"] < month_start(workshop.certified_on):
        raise ValidationError({"month": ["检查月份：不能早于认定日期"]})
    check, created = WorkshopCheck.objects.update_or_create(
        workshop=workshop,
        month=cleaned["month"],
        defaults={**{f: cleaned[f] for f in CHECK_FIELDS}, "area_code": workshop.area_code, "recorded_by": actor(by)},
    )
    latest = workshop.checks.order_by("-month").first()
    if latest is not None and workshop.status != latest.status:
        workshop.status = latest.status
        workshop.save(update_fields=["status", "updated_at"])
    log_action(
        "assistance.workshop.checked",
        by=by,
        obj=workshop,
        changed_fields=CHECK_FIELDS,
        data={"month": cleaned["month"].isoformat(), "status": cleaned["status"]},
    )
    return check, created
