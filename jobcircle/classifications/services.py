"""Load the vendored catalogue CSVs (``data/``) into the database, upserting by code.

``sync_catalogue`` takes the model class so that migration 0002 can run the very same
code against its historical models; ``load_occupations`` / ``load_industries`` are the
entry points for ``manage.py load_classifications``. Rows are never deleted by a load:
codes that are in the database but no longer in the CSV are reported as ``stale``.
"""

import csv
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction

from .models import Industry, Occupation
from .synonyms import SYNONYMS

DATA_DIR = Path(__file__).resolve().parent / "data"
OCCUPATIONS_CSV = DATA_DIR / "occupations_2022.csv"
INDUSTRIES_CSV = DATA_DIR / "industries_gbt4754_2017.csv"

OCCUPATION_VERSION = "2022"
INDUSTRY_VERSION = "GB/T 4754-2017"

# Code shape per level: 大类 "4", 中类 "4-10", 小类 "4-10-01", 职业 "4-10-01-05".
OCCUPATION_CODE_PATTERNS = {
    1: re.compile(r"[1-8]"),
    2: re.compile(r"\d-\d{2}"),
    3: re.compile(r"\d-\d{2}-\d{2}"),
    4: re.compile(r"\d-\d{2}-\d{2}-\d{2}"),
}
# 门类 "A", 大类 "01", 中类 "011", 小类 "0111".
INDUSTRY_CODE_PATTERNS = {
    1: re.compile(r"[A-T]"),
    2: re.compile(r"\d{2}"),
    3: re.compile(r"\d{3}"),
    4: re.compile(r"\d{4}"),
}


class CatalogueError(ValueError):
    """A CSV row that does not fit the catalogue's code structure."""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: list = field(default_factory=list)

    @property
    def total(self):
        return self.created + self.updated + self.unchanged


def occupation_level(code):
    level = code.count("-") + 1
    if level not in OCCUPATION_CODE_PATTERNS or not OCCUPATION_CODE_PATTERNS[level].fullmatch(code):
        raise CatalogueError(f"不是职业分类代码：{code!r}")
    return level


def occupation_parent_code(code):
    """``4-10-01-05`` → ``4-10-01`` … ``4`` → None: the parent is always the code minus its last segment."""
    occupation_level(code)
    return code.rsplit("-", 1)[0] if "-" in code else None


def industry_level(code):
    level = 1 if code.isalpha() else len(code)
    if level not in INDUSTRY_CODE_PATTERNS or not INDUSTRY_CODE_PATTERNS[level].fullmatch(code):
        raise CatalogueError(f"不是国民经济行业分类代码：{code!r}")
    return level


def industry_parent_code(code, section=None):
    """中类/小类 drop their last digit; a 大类's 门类 is not in its code and must be given (``section``)."""
    level = industry_level(code)
    if level == 1:
        return None
    if level == 2:
        if not section or industry_level(section) != 1:
            raise CatalogueError(f"大类 {code} 缺少所属门类")
        return section
    return code[:-1]


def _csv_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _check_level(raw, level):
    if raw.get("level") and int(raw["level"]) != level:
        raise CatalogueError(f"{raw['code']}: 层级 {raw['level']} 与代码不符（应为 {level}）")


def read_occupation_rows(path=None):
    rows = []
    for raw in _csv_rows(path or OCCUPATIONS_CSV):
        code = raw["code"].strip()
        level = occupation_level(code)
        _check_level(raw, level)
        parent = occupation_parent_code(code)
        if (raw.get("parent_code") or None) not in (None, parent):
            raise CatalogueError(f"{code}: parent_code {raw['parent_code']} 不是代码前缀")
        rows.append(
            {
                "code": code,
                "parent_code": parent,
                "name": raw["name"].strip(),
                "level": level,
                "is_digital": raw.get("is_digital", "0").strip() == "1",
                "is_green": raw.get("is_green", "0").strip() == "1",
                "version": OCCUPATION_VERSION,
                "source": raw.get("checked", "").strip(),
            }
        )
    return rows


def read_industry_rows(path=None):
    rows = []
    for raw in _csv_rows(path or INDUSTRIES_CSV):
        code = raw["code"].strip()
        level = industry_level(code)
        _check_level(raw, level)
        given = (raw.get("parent_code") or "").strip() or None
        parent = industry_parent_code(code, section=given)
        if given not in (None, parent):
            raise CatalogueError(f"{code}: parent_code {given} 不是代码前缀")
        rows.append(
            {
                "code": code,
                "parent_code": parent,
                "name": raw["name"].strip(),
                "level": level,
                "version": INDUSTRY_VERSION,
                "source": raw.get("origin", "").strip(),
            }
        )
    return rows


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def sync_catalogue(model, rows):
    """Upsert ``rows`` (dicts with ``code``, ``parent_code`` and field values) into ``model``, parents first.

    Works with historical models: values for fields the model does not have are ignored.
    """
    result = LoadResult()
    if not rows:
        return result
    fields = [name for name in rows[0] if name not in ("code", "parent_code") and _has_field(model, name)]
    with transaction.atomic():
        existing = {obj.code: obj for obj in model.objects.all()}
        ids = {code: obj.pk for code, obj in existing.items()}
        for level in sorted({row["level"] for row in rows}):
            to_create, to_update = [], []
            for row in (r for r in rows if r["level"] == level):
                parent_code = row["parent_code"]
                if parent_code is not None and parent_code not in ids:
                    raise CatalogueError(f"{row['code']}: 上级 {parent_code} 不存在")
                values = {name: row[name] for name in fields}
                values["parent_id"] = ids[parent_code] if parent_code is not None else None
                obj = existing.get(row["code"])
                if obj is None:
                    to_create.append(model(code=row["code"], **values))
                elif any(getattr(obj, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(obj, name, value)
                    to_update.append(obj)
                else:
                    result.unchanged += 1
            if to_create:
                model.objects.bulk_create(to_create, batch_size=500)
                ids = dict(model.objects.values_list("code", "pk"))
            if to_update:
                model.objects.bulk_update(to_update, [*fields, "parent_id"], batch_size=500)
            result.created += len(to_create)
            result.updated += len(to_update)
    wanted = {row["code"] for row in rows}
    result.stale = sorted(code for code in existing if code not in wanted)
    return result


def delete_catalogue(model):
    """Remove every row, children before parents (the self-reference is PROTECT)."""
    for level in sorted(set(model.objects.values_list("level", flat=True)), reverse=True):
        model.objects.filter(level=level).delete()


def load_occupations(path=None, model=None):
    return sync_catalogue(model or Occupation, read_occupation_rows(path))


def load_industries(path=None, model=None):
    return sync_catalogue(model or Industry, read_industry_rows(path))


# --- finding an occupation from what a person typed -----------------------------------------------

OCCUPATION_TEXT_CODE = re.compile(r"\d-\d{2}-\d{2}-\d{2}")
NEAREST_MIN_SIMILARITY = 0.4


def search_occupations(text, *, limit=10):
    """Occupations (职业, the finest level) for what a person typed, best first (the type-ahead).

    - a full code in the text ("4-01-02-04") finds that occupation first;
    - then a name equal to the text, then the everyday words of ``synonyms.SYNONYMS`` that the text
      names or begins (收银 → 收银员; 送外卖 → 网约配送员), then names starting with the text, then
      names containing it, then names the text contains (想做收银员 → 收银员);
    - at most ``limit``; an empty text finds nothing.
    """
    text = (text or "").strip()
    if not text:
        return []
    leaves = Occupation.objects.leaves()
    names = [text]
    for word, targets in sorted(SYNONYMS.items(), key=lambda item: (item[0] != text, len(item[0]))):
        if word == text or word in text or word.startswith(text):
            names += targets
    by_name = {o.name: o for o in leaves.filter(name__in=names)}
    found = list(leaves.filter(code__in=OCCUPATION_TEXT_CODE.findall(text)))
    found += [by_name[n] for n in names if n in by_name]
    found += list(leaves.filter(name__startswith=text).order_by("name", "code")[:limit])
    found += list(leaves.filter(name__contains=text).order_by("name", "code")[:limit])
    if len(found) < limit and len(text) > 1:
        inside = [o for o in leaves.only("id", "code", "name") if o.name in text]
        found += sorted(inside, key=lambda o: -len(o.name))
    unique = {}
    for occupation in found:
        unique.setdefault(occupation.pk, occupation)
    return list(unique.values())[:limit]


def nearest_occupation(text):
    """The one occupation closest to what a person typed, to propose for confirmation (or None).

    - the best of ``search_occupations``;
    - else the name most alike by characters (difflib ratio ≥ ``NEAREST_MIN_SIMILARITY``), so that
      a near spelling still finds its occupation; nothing alike is None (the words are kept and asked again).
    """
    found = search_occupations(text, limit=1)
    if found:
        return found[0]
    text = (text or "").strip()
    if not text:
        return None
    best, best_ratio = None, NEAREST_MIN_SIMILARITY
    for occupation in Occupation.objects.leaves().only("id", "code", "name").order_by("code"):
        ratio = SequenceMatcher(None, text, occupation.name).ratio()
        if ratio > best_ratio:
            best, best_ratio = occupation, ratio
    return best
