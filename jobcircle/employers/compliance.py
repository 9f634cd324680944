"""招聘信息合规审查 — the posting checker driven by a versioned rule table (SEC-39).

The rules live in ``data/posting_rules.json``: each has a category, regex patterns, exception patterns, a
severity (BLOCK refuses the posting, REVIEW holds it for a reviewer), the law it rests on, and at least three
examples it must flag and three it must leave alone. The examples are the unit tests.

Matching rules:

- text is NFKC-normalised (full-width letters, digits and punctuation from Chinese IMEs), and whitespace and
  zero-width characters are dropped, so "男 性 优 先" and "男\u200b性优先" still match;
- a match that lies entirely inside a match of one of the rule's exceptions ("男女不限") is ignored;
- overlapping matches of one rule in one field are reported once;
- ``phrase``/``start``/``end`` always point into the original text, so ``text[start:end] == phrase``.

This module is pure Python: forms, services and the API import it, so it must not import Django models.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = [
    "BLOCK",
    "MAX_REVIEWED_LENGTH",
    "REVIEW",
    "RULESET",
    "RULESET_VERSION",
    "SEVERITIES",
    "PostingHit",
    "Rule",
    "RuleSet",
    "RuleTableError",
    "blocking_hits",
    "has_blocking",
    "load_rules",
    "review_posting",
    "validate_rule_table",
]

BLOCK = "BLOCK"
REVIEW = "REVIEW"
SEVERITIES = (BLOCK, REVIEW)

MIN_EXAMPLES = 3
REQUIRED_RULE_KEYS = {
    "id",
    "category",
    "label",
    "severity",
    "citation",
    "patterns",
    "exceptions",
    "positives",
    "negatives",
}
RULE_KEYS = REQUIRED_RULE_KEYS | {"note"}
TABLE_KEYS = {"version", "rules"}

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CATEGORY = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
# A citation names a law in 《》 and at least one article: 《中华人民共和国就业促进法》第二十七条.
_CITATION = re.compile(r"《[^《》]+》[^《》]*第[零一二三四五六七八九十百]+条")
# The checker's cost grows with the text: no field is scanned past this many characters. Callers refuse
# longer text first (the form, the API schema and the service take Job's max_length, at most this), so
# the cut only bounds the work for a caller that did not (SEC-29, issue 22 item 8).
MAX_REVIEWED_LENGTH = 5000
# Characters that carry no meaning but can split a phrase to slip past the checker.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


class RuleTableError(ValueError):
    """The rule table is malformed; ``problems`` lists what is wrong."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("posting rule table is invalid:\n- " + "\n- ".join(problems))


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    label: str
    severity: str
    citation: str
    patterns: tuple[re.Pattern[str], ...]
    exceptions: tuple[re.Pattern[str], ...]
    positives: tuple[str, ...]
    negatives: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class RuleSet:
    version: str
    rules: tuple[Rule, ...]

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)


@dataclass(frozen=True)
class PostingHit:
    """One offending phrase in one field of a posting."""

    rule_id: str
    category: str
    label: str
    severity: str
    field: str
    phrase: str  # exactly as it appears in the original text: text[start:end]
    start: int
    end: int
    citation: str

    @property
    def message(self) -> str:
        if self.severity == BLOCK:
            return f"「{self.phrase}」属于{self.label}，违反{self.citation}，请删除或修改。"
        return f"「{self.phrase}」属于{self.label}，可能违反{self.citation}，需人工复核；如无法定依据请删除或修改。"

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "category": self.category,
            "label": self.label,
            "severity": self.severity,
            "field": self.field,
            "phrase": self.phrase,
            "start": self.start,
            "end": self.end,
            "citation": self.citation,
            "message": self.message,
        }


# ---------------------------------------------------------------------------------------------------------------
# Normalisation with an offset map back to the original text


def _normalise(text: str) -> tuple[str, list[int], list[int]]:
    """NFKC-normalise ``text`` and drop whitespace/invisible characters.

    Returns the normalised string and, for each of its characters, the start and end offsets of the original
    characters it came from. A base character and its combining marks are normalised together, so a character
    that expands (``㎡`` → ``m2``, ``…`` → ``...``) maps every output character back to the same original span.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for ch in unicodedata.normalize("NFKC", text[i:j]):
            if ch.isspace() or ch in _INVISIBLE:
                continue
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return "".join(out), starts, ends


def _rule_spans(rule: Rule, normalised: str) -> list[tuple[int, int]]:
    """Spans (in normalised coordinates) where ``rule`` fires, exceptions applied, overlaps merged."""
    spans = [m.span() for pattern in rule.patterns for m in pattern.finditer(normalised) if m.end() > m.start()]
    if not spans:
        return []
    if rule.exceptions:
        allowed = [m.span() for pattern in rule.exceptions for m in pattern.finditer(normalised)]
        spans = [(s, e) for s, e in spans if not any(xs <= s and e <= xe for xs, xe in allowed)]
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _scan(rule: Rule, field: str, text: str, normalised: str, starts: list[int], ends: list[int]) -> list[PostingHit]:
    hits = []
    for s, e in _rule_spans(rule, normalised):
        start, end = starts[s], ends[e - 1]
        hits.append(
            PostingHit(
                rule_id=rule.id,
                category=rule.category,
                label=rule.label,
                severity=rule.severity,
                field=field,
                phrase=text[start:end],
                start=start,
                end=end,
                citation=rule.citation,
            )
        )
    return hits


def review_posting(fields: Mapping[str, str | None], *, ruleset: RuleSet | None = None) -> list[PostingHit]:
    """Check the free-text fields of a job posting against the rule table.

    - ``fields`` maps field names ("title", "description", "requirements", "benefits", …) to their text;
      empty or missing values are skipped.
    - every rule runs on every field; a rule reports each offending phrase once per field.
    - results are sorted by field name, then position; BLOCK hits refuse the posting, REVIEW hits hold it.
    - at most MAX_REVIEWED_LENGTH characters of a field are read (its cost is bounded).
    """
    ruleset = RULESET if ruleset is None else ruleset
    hits: list[PostingHit] = []
    for field, value in fields.items():
        if not value:
            continue
        text = str(value)[:MAX_REVIEWED_LENGTH]
        normalised, starts, ends = _normalise(text)
        if not normalised:
            continue
        for rule in ruleset.rules:
            hits.extend(_scan(rule, field, text, normalised, starts, ends))
    hits.sort(key=lambda h: (h.field, h.start, h.end, h.rule_id))
    return hits


def blocking_hits(hits: Iterable[PostingHit]) -> list[PostingHit]:
    """The hits that refuse a posting outright (severity BLOCK)."""
    return [hit for hit in hits if hit.severity == BLOCK]


def has_blocking(hits: Iterable[PostingHit]) -> bool:
    """True when at least one hit has severity BLOCK."""
    return any(hit.severity == BLOCK for hit in hits)


# ---------------------------------------------------------------------------------------------------------------
# Loading and validating the rule table


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _build_rule(raw: Mapping[str, Any]) -> Rule:
    return Rule(
        id=raw["id"],
        category=raw["category"],
        label=raw["label"],
        severity=raw["severity"],
        citation=raw["citation"],
        patterns=tuple(_compile(p) for p in raw["patterns"]),
        exceptions=tuple(_compile(p) for p in raw.get("exceptions", [])),
        positives=tuple(raw["positives"]),
        negatives=tuple(raw["negatives"]),
        note=raw.get("note", ""),
    )


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_regexes(where: str, key: str, value: Any, *, required: bool) -> list[str]:
    if not isinstance(value, list) or (required and not value):
        return [f"{where}: {key} must be a {'non-empty ' if required else ''}list of regular expressions"]
    problems = []
    for pattern in value:
        if not _is_text(pattern):
            problems.append(f"{where}: {key} contains an empty or non-string entry")
            continue
        try:
            compiled = _compile(pattern)
        except re.error as exc:
            problems.append(f"{where}: {key} regex does not compile ({exc}): {pattern}")
            continue
        if unicodedata.normalize("NFKC", pattern) != pattern:
            # Text is NFKC-normalised before matching, so a full-width character in a pattern never matches.
            problems.append(f"{where}: {key} regex is not NFKC-normalised: {pattern}")
        if key == "patterns" and compiled.fullmatch(""):
            problems.append(f"{where}: {key} regex matches the empty string: {pattern}")
    return problems


def _check_rule(where: str, raw: Mapping[str, Any]) -> list[str]:
    problems = [f"{where}: missing {key}" for key in sorted(REQUIRED_RULE_KEYS - raw.keys())]
    problems += [f"{where}: unknown key {key}" for key in sorted(raw.keys() - RULE_KEYS)]
    if "id" in raw and not (isinstance(raw["id"], str) and _SLUG.fullmatch(raw["id"])):
        problems.append(f"{where}: id must be a slug such as gender-excludes-women")
    if "category" in raw and not (isinstance(raw["category"], str) and _CATEGORY.fullmatch(raw["category"])):
        problems.append(f"{where}: category must be a lower-case identifier such as marriage_pregnancy")
    if "label" in raw and not _is_text(raw["label"]):
        problems.append(f"{where}: label must be a non-empty Chinese label")
    if "severity" in raw and raw["severity"] not in SEVERITIES:
        problems.append(f"{where}: severity must be BLOCK or REVIEW, not {raw['severity']!r}")
    if "citation" in raw:
        if not _is_text(raw["citation"]):
            problems.append(f"{where}: missing citation")
        elif not _CITATION.search(raw["citation"]):
            problems.append(f"{where}: citation must name a law in 《》 and an article (第…条): {raw['citation']}")
    if "note" in raw and not isinstance(raw["note"], str):
        problems.append(f"{where}: note must be a string")
    if "patterns" in raw:
        problems += _check_regexes(where, "patterns", raw["patterns"], required=True)
    if "exceptions" in raw:
        problems += _check_regexes(where, "exceptions", raw["exceptions"], required=False)
    for key, kind in (("positives", "texts it must flag"), ("negatives", "texts it must not flag")):
        if key not in raw:
            continue
        examples = raw[key]
        if not isinstance(examples, list) or not all(_is_text(x) for x in examples):
            problems.append(f"{where}: {key} must be a list of non-empty texts")
        elif len(examples) < MIN_EXAMPLES:
            problems.append(f"{where}: {key} needs at least {MIN_EXAMPLES} {kind}, has {len(examples)}")
    return problems


def _check_examples(where: str, rule: Rule) -> list[str]:
    problems = []
    for text in rule.positives:
        if not _rule_spans(rule, _normalise(text)[0]):
            problems.append(f"{where}: positive example is not flagged: {text}")
    for text in rule.negatives:
        normalised, starts, ends = _normalise(text)
        for s, e in _rule_spans(rule, normalised):
            problems.append(f"{where}: negative example is flagged at 「{text[starts[s] : ends[e - 1]]}」: {text}")
    return problems


def validate_rule_table(data: Any, *, check_examples: bool = True) -> list[str]:
    """Problems with a rule table, as readable sentences; an empty list means the table is fit to ship.

    - top level: ``{"version": "...", "rules": [...]}``, nothing else.
    - every rule: slug id (unique), category, Chinese label, severity BLOCK/REVIEW, a citation naming a law
      and an article, regexes that compile (and are NFKC-normal), at least 3 positive and 3 negative examples.
    - with ``check_examples``, every positive must be flagged by its rule and no negative may be.
    """
    if not isinstance(data, Mapping):
        return ["rule table must be a JSON object with version and rules"]
    problems = [f"unknown top-level key {key}" for key in sorted(data.keys() - TABLE_KEYS)]
    if not _is_text(data.get("version")):
        problems.append("rule table needs a non-empty version")
    rules = data.get("rules")
    if not isinstance(rules, list) or not rules:
        return [*problems, "rule table needs a non-empty list of rules"]
    seen: set[str] = set()
    for index, raw in enumerate(rules):
        if not isinstance(raw, Mapping):
            problems.append(f"rule #{index + 1}: must be an object")
            continue
        rule_id = raw.get("id")
        where = f"rule {rule_id}" if isinstance(rule_id, str) and rule_id else f"rule #{index + 1}"
        if isinstance(rule_id, str) and rule_id:
            if rule_id in seen:
                problems.append(f"{where}: duplicate id")
            seen.add(rule_id)
        rule_problems = _check_rule(where, raw)
        problems += rule_problems
        if check_examples and not rule_problems:
            problems += _check_examples(where, _build_rule(raw))
    return problems


def _read_shipped_table() -> Any:
    source = resources.files("jobcircle.employers").joinpath("data", "posting_rules.json")
    return json.loads(source.read_text(encoding="utf-8"))


def load_rules(data: Mapping[str, Any] | None = None) -> RuleSet:
    """Build a RuleSet from ``data`` (default: the shipped ``data/posting_rules.json``).

    - a structurally broken table raises RuleTableError, so a bad deploy fails at import, not on a posting.
    - examples are not re-checked here; the test suite (and ``validate_rule_table``) does that.
    """
    data = _read_shipped_table() if data is None else data
    problems = validate_rule_table(data, check_examples=False)
    if problems:
        raise RuleTableError(problems)
    return RuleSet(version=data["version"], rules=tuple(_build_rule(raw) for raw in data["rules"]))


RULESET = load_rules()
RULESET_VERSION = RULESET.version
