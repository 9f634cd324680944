import re

from jobcircle.common.sms import MemoryBackend


def last_code():
    """The newest 6-digit code texted in this test run (MemoryBackend)."""
    return re.search(r"\d{6}", MemoryBackend.outbox[-1][1]).group()
