"""Helpers shared by the H5 view tests (tests/portal/*)."""

import re

from django.urls import reverse

from jobcircle.common.sms import MemoryBackend


def send_and_verify(client, phone):
    """The resident sign-in: ask for a code on /m/login/, then type the texted one."""
    client.post(reverse("portal:m_login"), {"phone": phone, "action": "send"})
    code = re.search(r"\d{6}", MemoryBackend.outbox[-1][1]).group()
    return client.post(reverse("portal:m_login"), {"phone": phone, "code": code, "action": "verify"})
