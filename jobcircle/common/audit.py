"""One audit call for every business and security event."""

from .models import AuditEvent

# Keys whose values must never reach the audit log; their names may.
REDACTED_KEYS = {"id_number", "phone", "contact_phone", "password", "token"}


def _redact(data):
    return {key: ("[已隐去]" if key in REDACTED_KEYS else value) for key, value in (data or {}).items()}


def log_action(action, *, by=None, obj=None, area_code="", changed_fields=(), data=None, result="success"):
    """Append an audit event.

    - ``action`` is dotted and namespaced, e.g. ``people.resident.created``.
    - Changed field *names* are kept; values of PII keys are redacted centrally.
    """
    return AuditEvent.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        actor_role=getattr(by, "role", "") or "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        area_code=area_code or getattr(obj, "area_code", "") or "",
        result=result,
        changed_fields=sorted(changed_fields),
        data=_redact(data),
    )
