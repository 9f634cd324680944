"""One audit call for every business and security event: ``log_action``.

- ``action`` is dotted and namespaced (``people.resident.created``).
- Changed field *names* are kept; values under PII keys are redacted here, centrally.
- Rows are hash-chained: row_hash = SHA-256(prev_hash + canonical fields). Appends are
  serialised by locking the single chain-head row, so the chain order is the id order.
- The request context (source IP from the trusted proxy only, request id) is picked up
  from ``RequestContextMiddleware``.
"""

import contextvars
import datetime
import hashlib
import json
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

# Keys whose values must never reach the audit log; their names may.
REDACTED_KEYS = {"id_number", "phone", "contact_phone", "password", "token", "code", "reason_text"}
GENESIS = "0" * 64
shipping_log = logging.getLogger("jobcircle.audit")  # shipped off-host when JOBCIRCLE_AUDIT_SYSLOG is set
request_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar("audit_request_context", default=None)


def _redact(data):
    return {key: ("[已隐去]" if key in REDACTED_KEYS else value) for key, value in (data or {}).items()}


def _fields(event: AuditEvent) -> dict:
    return {
        "created_at": event.created_at.isoformat(), "actor_id": event.actor_id, "actor_role": event.actor_role,
        "source_ip": event.source_ip, "request_id": event.request_id, "action": event.action,
        "object_type": event.object_type, "object_id": event.object_id, "area_code": event.area_code,
        "result": event.result, "changed_fields": event.changed_fields, "data": event.data,
    }  # fmt: skip


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    canonical = json.dumps(_fields(event), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def log_action(action, *, by=None, obj=None, area_code="", changed_fields=(), data=None, result="success"):
    """Append an audit event to the chain and return it."""
    context = request_context.get() or {}
    event = AuditEvent(
        created_at=timezone.now(),
        actor_id=by.pk if getattr(by, "pk", None) else None,
        actor_role=getattr(by, "role", "") or "",
        source_ip=context.get("ip"),
        request_id=context.get("request_id", ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        area_code=area_code or getattr(obj, "area_code", "") or "",
        result=result,
        changed_fields=sorted(changed_fields),
        data=json.loads(json.dumps(_redact(data), default=str)),
    )
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event.prev_hash = head.last_hash
        event.row_hash = compute_hash(head.last_hash, event)
        event.save(force_insert=True)
        head.last_hash, head.last_id = event.row_hash, event.pk
        head.save(update_fields=["last_hash", "last_id"])
        line = json.dumps(
            {"id": event.pk, **_fields(event), "row_hash": event.row_hash}, ensure_ascii=False, default=str
        )
        transaction.on_commit(lambda: shipping_log.info(line))
    return event


def verify_chain(batch_size=5000, using="default"):
    """Walk the chain in id order; return (rows checked, first broken row id or None, reason)."""
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    expected_prev = head.anchor_hash if head else GENESIS
    checked = 0
    rows = AuditEvent.objects.using(using).filter(id__gt=head.anchor_id if head else 0).order_by("id")
    for event in rows.iterator(chunk_size=batch_size):
        if event.prev_hash != expected_prev:
            return checked, event.pk, "前一条摘要不符：其前有记录被删除或修改"
        if compute_hash(event.prev_hash, event) != event.row_hash:
            return checked, event.pk, "本条内容与摘要不符：记录被修改"
        expected_prev = event.row_hash
        checked += 1
    if head and head.last_hash != expected_prev:
        return checked, head.last_id, "链尾不符：最新的记录被删除或修改"
    return checked, None, ""


def search(*, action="", actor=None, since=None, until=None, result="", upto=None):
    """The audit log filtered, newest first; the API and the 审计日志 screen both read through here.

    - ``action``: a dotted prefix (``accounts`` matches ``accounts.login.failed``);
    - ``actor``: an int is a user id; a string is a username, or also a user id when it is all digits;
    - ``since`` / ``until``: dates, both inclusive, in the server's time zone;
    - ``result``: ``success`` or ``failure``;
    - ``upto``: only events up to this id — the log as it stood when a reader opened its first page, so
      the events written meanwhile (each page read is one) do not push rows onto the next page.
    Ordered by id, newest first: ids follow the chain, so the order is total and stable.
    """
    events = AuditEvent.objects.order_by("-id")
    if upto is not None:
        events = events.filter(id__lte=upto)
    if action:
        events = events.filter(action__startswith=action)
    if isinstance(actor, int):
        events = events.filter(actor_id=actor)
    elif actor:
        match = Q(actor__username=actor)
        if actor.isdigit():
            match |= Q(actor_id=int(actor))
        events = events.filter(match)
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    if result:
        events = events.filter(result=result)
    return events


def log_read(*, by, filters: dict, rows: int, exported=False):
    """Reading or exporting the audit log is itself audited (SEC-12): who, with which filters, how many rows."""
    action = "common.audit.exported" if exported else "common.audit.read"
    return log_action(action, by=by, data={"filter": filters, "rows": rows})


def verify_chain_audited(*, by):
    """``verify_chain`` run from the 审计日志 screen; the check and its outcome are audited."""
    checked, broken_id, reason = verify_chain()
    log_action("common.audit.verified", by=by, data={"checked": checked, "broken_id": broken_id},
               result="failure" if broken_id is not None else "success")  # fmt: skip
    return checked, broken_id, reason


def is_pi_processing(event: AuditEvent) -> bool:
    """Events about people's records are PI-processing logs (kept ≥ 3 years, PIPL 56)."""
    return event.object_type.startswith(("people.", "assistance.", "subsidies.", "training.")) or "pii" in event.action


def purgeable_prefix(now=None):
    """Rows that may go: the longest run from the oldest row whose every row is past its retention window.

    Only a prefix is ever removed, so the remaining rows still form one verifiable chain.
    """
    from django.conf import settings

    now = now or timezone.now()
    general = now - datetime.timedelta(days=settings.JOBCIRCLE_AUDIT_RETENTION_DAYS)
    pi = now - datetime.timedelta(days=settings.JOBCIRCLE_AUDIT_PI_RETENTION_DAYS)
    head = AuditChainHead.objects.filter(pk=1).first()
    rows = []
    for event in AuditEvent.objects.filter(id__gt=head.anchor_id if head else 0).order_by("id").iterator():
        if event.created_at >= (pi if is_pi_processing(event) else general):
            break
        rows.append(event)
    return rows


def purge_expired(*, by=None, dry_run=True, now=None) -> int:
    """Delete the purgeable prefix (needs the table owner on PostgreSQL) and re-anchor the chain; audited."""
    from django.db import connection

    rows = purgeable_prefix(now)
    if dry_run or not rows:
        return len(rows)
    last = rows[-1]
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE common_auditevent DISABLE TRIGGER common_auditevent_append_only")
            cursor.execute("DELETE FROM common_auditevent WHERE id <= %s", [last.pk])
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE common_auditevent ENABLE TRIGGER common_auditevent_append_only")
        AuditChainHead.objects.filter(pk=1).update(anchor_id=last.pk, anchor_hash=last.row_hash)
    log_action("common.audit.purged", by=by, data={"rows": len(rows), "through_id": last.pk})
    return len(rows)
