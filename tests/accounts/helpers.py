import hashlib
import hmac
import re
import struct

from jobcircle.common.sms import MemoryBackend


def last_code():
    """The newest 6-digit code texted in this test run (MemoryBackend)."""
    return re.search(r"\d{6}", MemoryBackend.outbox[-1][1]).group()


def rfc6238_code(key: bytes, unix_time: float, step=30, digits=6) -> str:
    """The TOTP code of ``key`` at ``unix_time``, computed here from RFC 6238/4226 (HMAC-SHA1, dynamic
    truncation) independently of django-otp, so the tests check the library rather than trust it."""
    counter = int(unix_time) // step
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**digits:0{digits}d}"
