"""The one xlsx writer: every export and template goes through it (ECO-09, SEC-23).

- ID numbers and other identifiers are written as text (``number_format='@'``).
- Any cell starting with = + - @ TAB CR or NUL is written as text with a leading
  apostrophe, so Excel never evaluates user input as a formula.
- Characters XML cannot hold (C0 controls but tab/CR/LF, lone surrogates, U+FFFE/U+FFFF) are
  dropped, so a row stored before input refused them still exports (SEC-29).
- Dates are real dates; the header row is frozen; every sheet carries a
  watermark line (who exported it and when) when one is given.
"""

import datetime
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
TEXT, NUMBER, DATE, MONEY = "text", "number", "date", "money"
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object] | None = None  # row → cell value (exports)
    kind: str = TEXT
    width: int = 14
    choices: tuple[str, ...] = ()  # drop-down list in templates


def safe_text(value) -> str:
    """Text as a cell holds it: XML-illegal characters dropped, and a formula-like start quoted
    (before or after the drop, so a NUL in front of "=" does not unquote a formula)."""
    raw = "" if value is None else str(value)
    text = XML_ILLEGAL_RE.sub("", raw)
    return "'" + text if raw.startswith(FORMULA_PREFIXES) or text.startswith(FORMULA_PREFIXES) else text


def _cell_value(value, kind):
    if value is None:
        return None
    if kind == DATE:
        return value if isinstance(value, datetime.date) else safe_text(value)
    if kind in (NUMBER, MONEY) and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return safe_text(value)


def build_workbook(
    sheets: Iterable[tuple[str, list[Column], Iterable[object]]],
    *,
    watermark: str = "",
    text_rows: int = 0,
    protect_password: str = "",
) -> Workbook:
    """sheets: (title, columns, rows); rows are objects passed to each column's ``value``.

    ``text_rows``: an empty template's text columns get a text column style and that many rows
    pre-formatted as text, so an ID number typed or pasted in stays 18 characters.
    ``protect_password``: protect every sheet (ECO-09, when configured).
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        header_row = 1
        if watermark:
            sheet.cell(row=1, column=1, value=safe_text(watermark)).font = Font(color="888888", italic=True)
            header_row = 2
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=header_row, column=index, value=column.header)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F2F2F2")
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            if column.choices:
                validation = DataValidation(
                    type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
                )
                validation.add(f"{letter}{header_row + 1}:{letter}10000")
                sheet.add_data_validation(validation)
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        last_row = header_row
        for row_number, row in enumerate(rows, start=header_row + 1):
            last_row = row_number
            for index, column in enumerate(columns, start=1):
                value = _cell_value(column.value(row) if column.value else None, column.kind)
                cell = sheet.cell(row=row_number, column=index, value=value)
                if column.kind == TEXT:
                    cell.number_format = "@"
                    cell.data_type = "s"
                elif column.kind == DATE:
                    cell.number_format = "yyyy-mm-dd"
        if not any(True for _ in sheet.iter_rows(min_row=header_row + 1, max_row=header_row + 1)):
            for index, column in enumerate(columns, start=1):  # empty template: text format ready for typing
                if column.kind == TEXT:
                    sheet.cell(row=header_row + 1, column=index).number_format = "@"
        if text_rows and last_row == header_row:  # an empty template: text columns stay text when typed into
            for index, column in enumerate(columns, start=1):
                if column.kind == TEXT:
                    sheet.column_dimensions[get_column_letter(index)].number_format = "@"
                    for row_number in range(header_row + 1, header_row + 1 + text_rows):
                        sheet.cell(row=row_number, column=index).number_format = "@"
        if protect_password:
            sheet.protection.sheet = True
            sheet.protection.password = protect_password
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def watermark_for(user, when=None) -> str:
    when = when or datetime.datetime.now()
    return f"导出人：{getattr(user, 'username', '系统')}　导出时间：{when:%Y-%m-%d %H:%M}　内部资料，注意保密"
