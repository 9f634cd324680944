"""Reading a ledger workbook: find the header row, match columns by header name, normalise cells.

- the header row is found among the first rows (exports carry a watermark line above it);
- headers match by name or a known alias, ignoring spaces, ``*`` and “（必填）”; order does not matter;
- missing required columns are a file error; unknown columns are ignored;
- an ID column's cell must be text of 18 characters: a number means Excel has already damaged it.

Cells are read with python-calamine (Rust): typed values (text stays text, numbers are numbers,
dates are dates, formulas give their cached value, nothing is evaluated), about twenty times
faster than openpyxl's reader on a 100,000-row ledger. The file has already passed the upload gate.
"""

import datetime
import re
from dataclasses import dataclass, field

from python_calamine import CalamineError, CalamineWorkbook

from ..ledgers import Ledger

HEADER_SEARCH_ROWS = 10
_HEADER_NOISE = re.compile(r"[\s*＊]|（必填）|\(必填\)")


@dataclass(frozen=True)
class RowError:
    row: int  # Excel row number as staff see it (0: the whole file)
    column: str
    message: str


@dataclass
class ReadResult:
    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)


def normalise_header(text) -> str:
    return _HEADER_NOISE.sub("", str(text or "")).replace("(", "（").replace(")", "）")


def _header_map(ledger: Ledger) -> dict[str, str]:
    names = {}
    for f in ledger.fields:
        for name in (f.header, *f.aliases):
            names[normalise_header(name)] = f.key
    return names


def id_cell(value) -> tuple[str | None, str | None]:
    """(text, error) for an ID-number cell: numbers are refused, text must be 18 characters."""
    if value is None:
        return None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None, "请以文本格式填写身份证号（该单元格是数字，Excel 已丢失末尾数字或字母）"
    text = re.sub(r"\s+", "", str(value))
    if not text:
        return None, None
    if len(text) != 18:
        return None, f"身份证号应为18位（当前{len(text)}位）"
    return text, None


def cell_value(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    return value


def read_ledger(path, ledger: Ledger, *, on_row=None) -> ReadResult:
    """Rows of the ledger's sheet (or the first sheet) as (Excel row number, {key: value})."""
    result = ReadResult()
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        title = ledger.title if ledger.title in workbook.sheet_names else workbook.sheet_names[0]
        sheet = workbook.get_sheet_by_name(title)
    except (CalamineError, IndexError, ValueError):
        result.errors.append(RowError(0, "", "无法读取该 Excel 文件，请用 Excel 或 WPS 另存为 .xlsx 后再上传"))
        return result
    first_row = sheet.start[0] + 1 if sheet.start else 1  # calamine skips leading empty rows
    names = _header_map(ledger)
    rows = enumerate(sheet.iter_rows(), start=first_row)
    header_row, positions, headers = 0, {}, []
    for number, values in rows:
        found = {i: names[normalise_header(v)] for i, v in enumerate(values) if normalise_header(v) in names}
        if len(found) >= max(1, len([f for f in ledger.fields if f.required]) // 2):
            header_row, positions, headers = number, found, list(values)
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not header_row:
        result.errors.append(RowError(0, "", f"未找到表头：请使用“{ledger.title}”模板（第一行为表头）"))
        return result
    keys = list(positions.values())
    duplicates = sorted({ledger.header_for(k) for k in keys if keys.count(k) > 1})
    if duplicates:
        result.errors.append(RowError(header_row, "、".join(duplicates), "表头重复，请只保留一列"))
    missing = [f.header for f in ledger.fields if f.required and f.key not in keys]
    if missing:
        result.errors.append(RowError(header_row, "、".join(missing), "缺少必填列"))
    if result.errors:
        return result
    result.ignored_headers = [str(h) for i, h in enumerate(headers) if h not in (None, "") and i not in positions]
    identity = {f.key for f in ledger.fields if f.identity}
    for number, values in rows:
        record, blank = {}, True
        for index, key in positions.items():
            raw = values[index] if index < len(values) else None
            if key in identity:
                text, error = id_cell(raw)
                if error:
                    result.errors.append(RowError(number, ledger.header_for(key), error))
                record[key] = text
                blank = blank and raw in (None, "")
            else:
                record[key] = cell_value(raw)
                blank = blank and record[key] is None
        if not blank:
            result.rows.append((number, record))
        if on_row is not None and number % 5000 == 0:
            on_row(number)
    return result
