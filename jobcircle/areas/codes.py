"""Statistical division codes (统计用区划代码): 6-digit ↔ 12-digit helpers."""

import re
from dataclasses import dataclass

from .enums import PREFIX_LENGTH, RegionLevel

CODE_RE = re.compile(r"^\d{12}$")


def pad_code(code: str) -> str:
    """110101 → 110101000000; 9-digit township codes are padded the same way."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) > 12:
        raise ValueError(f"区划代码格式不正确：{code}")
    return code.ljust(12, "0")


def level_of(code12: str) -> RegionLevel:
    if code12[9:] != "000":
        return RegionLevel.COMMUNITY
    if code12[6:9] != "000":
        return RegionLevel.TOWNSHIP
    if code12[4:6] != "00":
        return RegionLevel.COUNTY
    if code12[2:4] != "00":
        return RegionLevel.CITY
    return RegionLevel.PROVINCE


def prefix_of(code12: str) -> str:
    """The leading digits every code inside this region starts with."""
    return code12[: PREFIX_LENGTH[level_of(code12)]]


def split_code(code12: str) -> list[str]:
    """110101001001 → [110000, 110100, 110101, 110101001, 110101001001] (ancestors, then itself)."""
    level = level_of(code12)
    parts = [code12[:2] + "0000", code12[:4] + "00", code12[:6], code12[:9], code12]
    return parts[: int(level)]


def parent_code(code12: str) -> str | None:
    """12-digit code of the parent region; None for a province."""
    ancestors = split_code(code12)
    return pad_code(ancestors[-2]) if len(ancestors) > 1 else None


@dataclass(frozen=True)
class Area:
    """A region as a value, from its code alone (no database row): ``Area("110101")``.

    Filters by a typed sub-area use it where the ``Region`` row is not needed; both have
    ``scope_prefix``, which is all ``AreaQuerySet.in_area`` reads.
    """

    code: str

    def __post_init__(self):
        object.__setattr__(self, "code", pad_code(self.code))

    @property
    def scope_prefix(self) -> str:
        return prefix_of(self.code)
