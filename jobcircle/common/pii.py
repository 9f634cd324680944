"""The one module that owns personal data: encryption at rest, blind indexes, masking.

- Values (身份证号, phone) are encrypted with AES-256-GCM. The stored token is
  ``v1:<key id>:<base64(nonce + ciphertext)>``; the key id lets old keys keep
  decrypting while new writes use the current key (rotation).
- Lookup and uniqueness go through a keyed blind index: HMAC-SHA256 over the
  normalised value, with a key derived from (but not equal to) the PII key, so
  two deployments with different keys produce different indexes.
- Everything shown to a person goes through ``mask_*``; nothing else formats PII.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TOKEN_VERSION = "v1"


class PIIDecryptError(Exception):
    """The stored token is corrupt, was tampered with, or its key is not configured."""


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"jobcircle-pii", info=purpose).derive(secret.encode())


@lru_cache(maxsize=8)
def _keyring(current: str, old: tuple[str, ...]):
    """Return (current key id, {key id: AESGCM}, blind-index key) for the configured secrets."""
    ciphers = {}
    current_id = None
    for secret in (current, *old):
        key = _derive(secret, b"encryption")
        key_id = hashlib.sha256(key).hexdigest()[:8]
        ciphers.setdefault(key_id, AESGCM(key))
        current_id = current_id or key_id
    return current_id, ciphers, _derive(current, b"blind-index")


def _keys():
    secret = settings.JOBCIRCLE_PII_KEY
    if not secret:
        raise ImproperlyConfigured("JOBCIRCLE_PII_KEY is not set")
    return _keyring(secret, tuple(settings.JOBCIRCLE_PII_OLD_KEYS))


def encrypt(value: str) -> str:
    """Encrypt a normalised value; empty stays empty."""
    if not value:
        return ""
    key_id, ciphers, _ = _keys()
    nonce = os.urandom(12)
    sealed = ciphers[key_id].encrypt(nonce, value.encode(), key_id.encode())
    return f"{TOKEN_VERSION}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        version, key_id, payload = token.split(":", 2)
        raw = base64.b64decode(payload, validate=True)
        cipher = _keys()[1][key_id]
        if version != TOKEN_VERSION:
            raise ValueError(version)
        return cipher.decrypt(raw[:12], raw[12:], key_id.encode()).decode()
    except Exception as exc:  # any malformed, unknown-key or tampered token
        raise PIIDecryptError("无法解密个人信息字段（密钥不匹配或数据被篡改）") from exc


class PIIField:
    """One personal-data field of a model, declared once: its three columns and how each is written.

    ``set_phone = pii.PIIField("phone", mask=pii.mask_phone, empty_hash=None)`` on a model gives
    ``obj.set_phone(value)``, which writes ``phone_encrypted`` (``encrypt``), ``phone_hash``
    (``blind_index`` of ``kind``, default the name) and ``phone_masked`` (``mask``) together, so no model
    spells the triple by hand and no column can be left stale. The stored format is the module's own
    (a declaration changes nothing on disk).

    - ``kind``: the blind index's kind; two fields of one kind (a resident's and an employer's phone)
      hash alike;
    - ``empty_hash``: what an empty value stores in the hash column (None for a nullable unique column,
      so that many empty values do not collide);
    - reading the plaintext is not offered here: a person's number is read through the reveal doors
      (people.services.reveal_resident_pii and its export form) — see docs/decisions/one-writer.md.
    """

    def __init__(self, name: str, *, mask, kind: str | None = None, empty_hash: str | None = ""):
        self.name, self.kind, self.mask, self.empty_hash = name, kind or name, mask, empty_hash
        self.columns = (f"{name}_encrypted", f"{name}_hash", f"{name}_masked")

    def write(self, obj, value: str) -> None:
        encrypted, hashed, masked = self.columns
        setattr(obj, encrypted, encrypt(value))
        setattr(obj, hashed, blind_index(self.kind, value) or self.empty_hash)
        setattr(obj, masked, self.mask(value))

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return lambda value: self.write(obj, value)


def needs_reencryption(token: str) -> bool:
    return bool(token) and token.split(":", 2)[1] != _keys()[0]


# Every encrypted column: model label → the names before ``_encrypted``. A name the model declares as a
# ``PIIField`` (``set_<name>``) is written again through it (which also recomputes its blind index and
# mask); otherwise the column alone is encrypted again. tests/test_consistency.py fails when a column is missing here:
# a column left out would become unreadable once the old key is retired.
ENCRYPTED_COLUMNS = {
    "people.Resident": ("id_number", "phone"),
    "employers.Employer": ("contact_phone",),
    "accounts.User": ("phone",),  # staff get their second-factor codes there
    "accounts.AuthenticatorKey": ("key",),  # TOTP secrets
    "subsidies.SubsidyApplication": ("bank_account",),  # subsidy payouts (bank file)
}


def reencrypt_with_current_key(batch_size=1000) -> dict:
    """Write every encrypted column again with the current key (``manage.py rotate_pii_keys``).

    Returns {model label: rows}; the caller runs it in one transaction.
    """
    from django.apps import apps

    counts = {}
    for label, names in ENCRYPTED_COLUMNS.items():
        model = apps.get_model(label)
        declared = {name: getattr(model, f"set_{name}", None) for name in names}
        declared = {name: spec for name, spec in declared.items() if isinstance(spec, PIIField)}
        saved = [column for name in names for column in (declared[name].columns if name in declared
                                                         else (f"{name}_encrypted",))]  # fmt: skip
        counts[label] = 0
        for row in model.objects.only("pk", *(f"{name}_encrypted" for name in names)).iterator(batch_size):
            for name in names:
                value = decrypt(getattr(row, f"{name}_encrypted"))
                if name in declared:
                    declared[name].write(row, value)
                else:
                    setattr(row, f"{name}_encrypted", encrypt(value))
            row.save(update_fields=saved)
            counts[label] += 1
    return counts


def blind_index(kind: str, value: str) -> str:
    """Keyed hash of a normalised value, for equality search and uniqueness (SEC-18)."""
    if not value:
        return ""
    return hmac.new(_keys()[2], f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


# --- masking (SEC-19): the only formatters of PII ----------------------------


def mask_id_number(value: str) -> str:
    """Staff lists: first 4 and last 4 visible, e.g. 3412**********123X."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_bank_account(value: str) -> str:
    """Bank accounts (subsidy payouts): last 4 visible, e.g. ************1234."""
    value = (value or "").replace(" ", "")
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


def mask_name(value: str) -> str:
    """Public notices: 张* / 张*三."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


# The permission to reveal, as accounts.permissions names it (common imports nothing above it; a test in
# tests/common/test_pii.py holds the two spellings equal).
REVEAL_PII = "reveal_pii"


def can_view_pii(scope, obj) -> bool:
    """Whether the caller of ``scope`` (an ``accounts.access.Scope``) may reveal the plaintext ID number and
    phone of ``obj``.

    - the scope's role holds the reveal permission (``scope.can(REVEAL_PII)``);
    - ``obj`` lies inside the scope's area.
    An employer holds no reveal permission: the phone of its own applicants is a recruiting rule
    (recruiting.services.reveal_applicant_phone), not this one.
    Every reveal still needs a reason and is audited (people.services.reveal_resident_pii).
    """
    return scope.can(REVEAL_PII) and scope.covers(getattr(obj, "area_code", ""))
