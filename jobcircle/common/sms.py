"""Pluggable SMS sending. Everything that texts a person calls ``send_sms``.

Backends: ``ConsoleBackend`` (default: writes to the log, phone masked — the demo's
verification codes appear on the console), ``MemoryBackend`` (tests: ``outbox``).
A gateway backend implements ``send(phone, text)`` and raises ``SMSError`` on failure.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from .pii import mask_phone

logger = logging.getLogger("jobcircle.sms")


class SMSError(Exception):
    """The message could not be handed to the gateway."""


class ConsoleBackend:
    def send(self, phone, text):
        logger.warning("短信 → %s：%s", mask_phone(phone), text)
        print(f"[短信] {mask_phone(phone)}：{text}", flush=True)  # noqa: T201 - the console is this backend's output


class MemoryBackend:
    outbox: list[tuple[str, str]] = []

    def send(self, phone, text):
        MemoryBackend.outbox.append((phone, text))


def send_sms(phone: str, text: str):
    import_string(settings.JOBCIRCLE_SMS_BACKEND)().send(phone, text)
