"""The field rules the casework seams share (assistance.services): each bad value is refused by its label."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jobcircle.assistance import services
from jobcircle.assistance.enums import WorkshopStatus
from jobcircle.common.errors import FieldErrors


@pytest.mark.parametrize(
    ("given", "expected"), [("1,234.5", Decimal("1234.50")), ("", Decimal("0.00")), (0, Decimal("0.00"))]
)
def test_money_is_read_in_yuan_to_the_cent(given, expected):
    assert services.clean_money(given, "月工资") == expected


@pytest.mark.parametrize("given", ["-1", "1.234", "100000000", "abc", "NaN"])
def test_bad_money_is_refused_by_its_label(given):
    with pytest.raises(ValidationError) as exc:
        services.clean_money(given, "月工资")
    assert exc.value.messages[0].startswith("月工资：")


def test_counts_are_whole_numbers_within_their_bounds():
    assert services.clean_count("12", "岗位数") == 12
    assert services.clean_count("", "岗位数", required=False) is None
    for given, kwargs in (("", {}), ("1.5", {}), ("-2", {}), ("1000", {"maximum": 999})):
        with pytest.raises(ValidationError) as exc:
            services.clean_count(given, "岗位数", **kwargs)
        assert exc.value.messages[0].startswith("岗位数：")


def test_yes_and_no_are_read_in_the_ledgers_words():
    assert [services.parse_yes_no(v, "是否求职") for v in ("是", "否", "√", "", True)] == [
        True,
        False,
        True,
        None,
        True,
    ]
    with pytest.raises(ValidationError, match="是否求职"):
        services.parse_yes_no("也许", "是否求职")


def test_a_choice_is_taken_by_code_or_label_and_a_bad_one_lists_the_labels():
    errors = FieldErrors()
    assert services.clean_choice(errors, "status", "运行状态", "buffer", WorkshopStatus) == "buffer"
    assert services.clean_choice(errors, "status", "运行状态", WorkshopStatus.NORMAL.label, WorkshopStatus) == "normal"
    assert services.clean_choice(errors, "status", "运行状态", "停业", WorkshopStatus) == ""
    assert services.clean_choice(errors, "note", "备注", "", WorkshopStatus, required=True) == ""
    with pytest.raises(ValidationError) as exc:
        errors.raise_if_any()
    assert set(exc.value.message_dict) == {"status", "note"}
    assert all(label in exc.value.message_dict["status"][0] for label in WorkshopStatus.labels)


def test_required_texts_are_trimmed_and_blank_or_long_ones_named():
    errors = FieldErrors()
    out = services.clean_required_texts(
        errors, {"name": "  保洁员 ", "unit_name": "", "code": "X" * 33},
        (("name", "岗位名称", 100), ("unit_name", "用人单位", 100), ("code", "编号", 32)),
    )  # fmt: skip
    assert out["name"] == "保洁员"
    with pytest.raises(ValidationError) as exc:
        errors.raise_if_any()
    assert exc.value.message_dict == {"unit_name": ["用人单位：不能为空"], "code": ["编号：不能超过32个字"]}
