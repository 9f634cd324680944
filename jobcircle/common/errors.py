"""Collecting field errors so that bad input gets every message at once and writes nothing."""

from django.core.exceptions import PermissionDenied, ValidationError


class FieldErrors:
    """Accumulate ``{field: [messages]}``; ``raise_if_any()`` raises one ValidationError(dict)."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field, message):
        self.errors.setdefault(field, []).append(str(message))

    def capture(self, field, func, *args, **kwargs):
        """Call a validator; on ValidationError record its messages under ``field`` and return None."""
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            for message in exc.messages:
                self.add(field, message)
            return None

    def raise_if_any(self):
        if self.errors:
            raise ValidationError(self.errors)


def error_items(exc: ValidationError) -> list[dict]:
    """[{"field": ..., "message": ...}] for API responses and logs."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": message} for field, errors in exc.message_dict.items() for message in errors
        ]
    return [{"field": "__all__", "message": message} for message in exc.messages]


class FieldPermissionDenied(PermissionDenied):
    """A write naming fields the actor may not write (accounts.permissions.WRITABLE_FIELDS): 403, nothing written.

    ``messages`` maps each refused field to a Chinese message naming it.
    """

    def __init__(self, messages: dict[str, str]):
        self.messages = dict(messages)
        super().__init__("；".join(self.messages.values()))

    def items(self) -> list[dict]:
        return [{"field": field, "message": message} for field, message in self.messages.items()]
