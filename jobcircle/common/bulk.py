"""Bulk INSERT for the project's large writes: the daily push (columns) and the ledger import (objects).

Django's ``bulk_create`` compiles every value of every row; at 100,000s of rows that dominates the
write. Here the statement and the per-field conversions are built once per call:

- ``bulk_insert(model, columns)`` takes rows column by column ({field name: a sequence, or one value
  for every row}). PostgreSQL gets COPY (text format), which also keeps a province partition's rows
  from ever becoming Python objects; anything else (or a caller that needs the new ids) gets batched
  multi-row ``INSERT … VALUES``.
- ``bulk_insert_objects(model, objects, set_pks=…)`` takes unsaved model instances (values as the model
  gives them: defaults from ``__init__``, ``auto_now``/``auto_now_add`` stamped now), optionally setting
  their primary keys (SQLite ≥ 3.35 and PostgreSQL return new ids in insertion order, as ``bulk_create``
  itself relies on).

Only quoted identifiers from the model's own ``_meta`` are formatted into SQL; every value is a
parameter (or a COPY field). No domain imports: ``common`` sits at the bottom.
"""

import datetime
import enum

import numpy as np
from django.db import connections, models, router
from django.utils import timezone

COPY_CHUNK = 100_000
MAX_PARAMS = 30_000  # per statement; rows per batch = this // fields, at most MAX_BATCH
MAX_BATCH = 500
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.FloatField, models.BooleanField)


def bulk_insert(model, columns: dict) -> int:
    """Insert rows given column by column: {field name: a sequence, or one value for every row}.

    COPY (text format) on PostgreSQL, batched ``INSERT … VALUES`` elsewhere; the same values either
    way (text escapes, dates, times with their zone, NULLs). For plain columns (numbers, text, dates,
    times): COPY writes them as text without asking their field. Returns the number of rows.
    """
    return _insert(model, columns, copy=True)


def bulk_insert_objects(model, objects, *, set_pks=False) -> int:
    """Insert unsaved instances of ``model`` (every concrete field but the primary key); returns how many.

    - Every value goes through its field (JSON, decimals, choices), in batched ``INSERT … VALUES``.
    - ``auto_now``/``auto_now_add`` fields are stamped now, on the objects too.
    - With ``set_pks`` each object gets its new primary key and counts as saved.
    """
    if not objects:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objects:
                setattr(obj, f.attname, now)
    columns = {f.name: [getattr(obj, f.attname) for obj in objects] for f in fields}
    ids = _insert(model, columns, copy=False, returning=set_pks)
    if set_pks:
        alias, pk = router.db_for_write(model), model._meta.pk
        for obj, new_id in zip(objects, ids, strict=True):
            setattr(obj, pk.attname, new_id)
            obj._state.adding, obj._state.db = False, alias
    return len(objects)


def _insert(model, columns: dict, *, copy, returning=False):
    """The rows as COPY (``copy`` and PostgreSQL) or batched VALUES; the new ids with ``returning``."""
    n = max((len(v) for v in columns.values() if _is_column(v)), default=0)
    if not n:
        return [] if returning else 0
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if copy and connection.vendor == "postgresql":
            texts = [_copy_texts(value, n) for value in columns.values()]
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as stream:
                for lo in range(0, n, COPY_CHUNK):
                    lines = map("\t".join, zip(*(t[lo : lo + COPY_CHUNK] for t in texts), strict=True))
                    stream.write("\n".join(lines) + "\n")
            return n
        converters = [_converter(f, connection) for f in fields]
        values = [list(map(conv, _as_list(v, n))) for conv, v in zip(converters, columns.values(), strict=True)]
        rows = list(zip(*values, strict=True))
        row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_batch = max(1, min(MAX_BATCH, MAX_PARAMS // len(fields)))
        suffix = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
        ids = []
        for lo in range(0, n, per_batch):
            batch = rows[lo : lo + per_batch]
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([row_sql] * len(batch))}{suffix}"  # noqa: S608
            cursor.execute(sql, [v for row in batch for v in row])
            if returning:
                ids += [row[0] for row in cursor.fetchall()]
    return ids if returning else n


def _converter(field, connection):
    """How one field's Python value becomes a query parameter: plain values (and choices, as their
    value) go through as they are; anything else (dates, JSON, decimals) through the field itself."""
    if field.is_relation or isinstance(field, _PLAIN_FIELDS):
        return lambda value: value.value if isinstance(value, enum.Enum) else value
    return lambda value: field.get_db_prep_save(value, connection)


def _is_column(value):
    return isinstance(value, (list, tuple, np.ndarray))


def _as_list(value, n):
    if isinstance(value, np.ndarray):
        return value.tolist()
    return list(value) if _is_column(value) else [value] * n


def _copy_texts(value, n) -> list[str]:
    """COPY text-format fields of one column (floats as their shortest exact repr)."""
    values = _as_list(value, n) if _is_column(value) else [value]
    typed = isinstance(value, np.ndarray) and value.dtype != object  # one Python type for every value
    mixed = not typed and len({type(v) for v in values}) > 1
    texts = [_copy_text(v) for v in values] if mixed else _copy_same_type(values)
    return texts if _is_column(value) else texts * n


def _copy_same_type(values) -> list[str]:
    kind = type(values[0])
    if kind is bool:
        return ["t" if v else "f" for v in values]
    if kind is int:
        return list(map(str, values))
    if kind is float:
        return list(map(repr, values))
    if kind is str and not any(c in "".join(values) for c in "\\\t\n\r"):
        return values  # nothing to escape (area codes, titles)
    return [_copy_text(v) for v in values]


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)
