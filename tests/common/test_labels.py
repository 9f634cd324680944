"""Every audit action the code base writes has a Chinese label (common.labels)."""

import re
from pathlib import Path

import pytest

from jobcircle.common import labels
from jobcircle.recruiting.enums import ApplicationStatus

SOURCE = Path(__file__).resolve().parents[2] / "jobcircle"
CODE = re.compile(r'"((?:accounts|areas|assistance|common|employers|matching|people|recruiting)\.[a-z_]+\.[a-z_]+)"')


def written_codes():
    codes = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" not in path.parts:
            codes |= set(CODE.findall(path.read_text(encoding="utf-8")))
    return sorted(codes | {f"recruiting.application.{s}" for s in ApplicationStatus.values})


@pytest.mark.parametrize("code", written_codes())
def test_every_action_code_has_a_chinese_label(code):
    assert labels.has_label(code), code


def test_field_names_read_as_the_models_verbose_names():
    assert labels.field_labels("people.resident", ["employment_status", "phone", "unknown_x"]) == [
        "就业状态", "手机号", "unknown_x"
    ]  # fmt: skip
    assert labels.result_label("failure") == "失败"
