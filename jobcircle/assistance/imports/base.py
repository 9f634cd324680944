"""What every ledger importer shares: error collection, counts, label → code conversion, resident look-up."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from jobcircle.common import pii
from jobcircle.people.models import Resident

from ..ledgers import Ledger
from .reader import RowError

CHUNK = 900  # below SQLite's limit on query parameters
MAX_LISTED_ERRORS = 20000


class ImportErrors:
    """Row errors (row, column, reason); one message per cell, the first found wins."""

    def __init__(self, ledger: Ledger, initial=()):
        self.ledger = ledger
        self.items: list[RowError] = []
        self.total = 0
        self._seen: set[tuple[int, str]] = set()
        for error in initial:
            self.add(error.row, error.column, error.message)

    def add(self, row: int, column: str, message: str):
        if column and (row, column) in self._seen:
            return
        self._seen.add((row, column))
        self.total += 1
        if len(self.items) < MAX_LISTED_ERRORS:
            self.items.append(RowError(row, column, message))

    def add_validation(self, row: int, exc: ValidationError, default_key: str = ""):
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                for message in messages:
                    self.add(row, self.ledger.header_for(key) or self.ledger.header_for(default_key), message)
        else:
            for message in exc.messages:
                self.add(row, self.ledger.header_for(default_key), message)

    def __bool__(self):
        return self.total > 0

    def __len__(self):
        return self.total


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def label_to_code(choices, value):
    """A choice typed as its Chinese label or its code → the code; unknown values pass through unchanged
    so that the cleaning service reports them with the list of allowed labels."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    for code, label in choices.choices:
        if text in (str(label), str(code)):
            return code
    return text


def digits_text(value):
    """A code or phone typed as a number (14000000001, 990121001001.0) → its digits as text."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", "", str(value))


def id_hash(number: str) -> str:
    return pii.blind_index("id_number", number.upper())


def residents_by_hash(scope, hashes):
    """{blind index: Resident} for residents inside the scope (chunked IN queries)."""
    found = {}
    hashes = list(dict.fromkeys(hashes))
    for start in range(0, len(hashes), CHUNK):
        chunk = hashes[start : start + CHUNK]
        for resident in Resident.objects.in_scope(scope).filter(id_number_hash__in=chunk):
            found[resident.id_number_hash] = resident
    return found


NOT_FOUND = "未找到该身份证号的居民（或不在您的管辖范围内），请先登记或导入居民实名台账"


def name_mismatch(resident) -> str:
    return f"姓名与系统登记的不一致（登记为“{pii.mask_name(resident.name)}”）"


class BaseImporter:
    """Subclasses clean rows (outside any transaction) and apply them (inside the batch's one transaction).

    ``apply`` may write even when it is a dry run or errors were found: the caller rolls the whole
    transaction back in both cases, so a preview runs exactly the rules the real import runs.
    """

    ledger: Ledger

    def __init__(self, *, by, scope, progress=None, batch=None):
        self.by, self.scope, self.batch = by, scope, batch
        self.progress = progress or (lambda done, message=None: None)
        self.warnings: list[str] = []  # shown after the batch's summary; they never stop an import

    def clean(self, rows, errors: ImportErrors) -> list:
        raise NotImplementedError

    def apply(self, cleaned, errors: ImportErrors, *, write: bool) -> Counts:
        raise NotImplementedError
