import datetime
import io

from openpyxl import load_workbook

from jobcircle.common.exports import DATE, NUMBER, Column, build_workbook, workbook_bytes


def _reopen(sheets, **kwargs):
    return load_workbook(io.BytesIO(workbook_bytes(build_workbook(sheets, **kwargs))))


def test_formula_like_text_is_written_as_text_not_a_formula():
    columns = [Column("姓名", lambda r: r["name"])]
    sheet = _reopen([("名单", columns, [{"name": '=HYPERLINK("http://x","点我")'}, {"name": "@SUM(A1)"}])])["名单"]
    for row in sheet.iter_rows(min_row=2):
        assert row[0].data_type != "f"
        assert row[0].value.startswith("'")


def test_identifiers_are_text_and_keep_all_eighteen_characters():
    columns = [Column("身份证号", lambda r: r)]
    cell = _reopen([("名单", columns, ["990000199001011237"])])["名单"]["A2"]
    assert cell.data_type == "s"
    assert cell.number_format == "@"
    assert len(cell.value) == 18


def test_dates_are_real_dates_numbers_are_numbers_and_the_header_is_frozen():
    columns = [Column("日期", lambda r: r[0], kind=DATE), Column("人数", lambda r: r[1], kind=NUMBER)]
    sheet = _reopen([("表", columns, [(datetime.date(2026, 11, 1), 3)])], watermark="导出人：测试")["表"]
    assert sheet["A1"].value.startswith("导出人")
    assert sheet["A3"].value.date() == datetime.date(2026, 11, 1)
    assert sheet["B3"].value == 3
    assert sheet.freeze_panes == "A3"


def test_characters_xml_cannot_hold_are_dropped_and_the_rest_kept():
    columns = [Column("岗位名称", lambda r: r)]
    rows = ["门店\x1f理货员", "缝纫\x00工", "行一\n行二\t列", "\x00=1+1"]
    sheet = _reopen([("岗位", columns, rows)])["岗位"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "门店理货员", "缝纫工", "行一\n行二\t列", "'=1+1",
    ]  # fmt: skip
