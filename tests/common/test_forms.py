"""The one text rule on the web forms (SEC-29, issue 22 item 5): every form derives from TextRulesForm."""

import importlib
import pkgutil

import pytest
from django import forms

import jobcircle
from jobcircle.common.forms import TextRulesForm


def _all_form_classes():
    for module in pkgutil.walk_packages(jobcircle.__path__, "jobcircle."):
        if module.name.endswith((".forms", ".views")) or ".views." in module.name:
            importlib.import_module(module.name)
    seen, todo = set(), [forms.Form]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [cls for cls in seen if cls.__module__.startswith("jobcircle.")]


def test_every_form_of_ours_applies_the_text_rule():
    classes = _all_form_classes()
    assert len(classes) > 20
    assert [cls.__qualname__ for cls in classes if not issubclass(cls, TextRulesForm)] == []


class _Sample(TextRulesForm):
    title = forms.CharField(label="岗位名称", max_length=100)
    description = forms.CharField(label="工作内容", widget=forms.Textarea)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


@pytest.mark.parametrize("char", ["\x00", "\x1f", "\x7f"])
def test_a_control_character_is_a_chinese_error_beside_its_field(char):
    form = _Sample({"title": f"门店{char}理货员", "description": f"一{char}二", "password": "x"})
    assert not form.is_valid()
    assert "岗位名称：不能包含控制字符或换行" in form.errors["title"]
    assert "工作内容：不能包含控制字符（如NUL、换页符）" in form.errors["description"]


def test_line_breaks_only_in_a_textarea():
    form = _Sample({"title": "门店\n理货员", "description": "一\n\t二", "password": "x"})
    assert not form.is_valid()
    assert list(form.errors) == ["title"]
