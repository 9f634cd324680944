import pytest
from django.template import Context, Template

from jobcircle.common import pii
from tests.factories import demo_id_number, demo_phone


def render(source, **context):
    return Template("{% load jc %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "masker", "make"),
    [("{{ value|mask_phone }}", pii.mask_phone, demo_phone), ("{{ value|mask_id }}", pii.mask_id_number,
     demo_id_number), ("{{ value|mask_name }}", pii.mask_name, lambda: "张小三")],
)  # fmt: skip
def test_mask_filters_show_what_the_pii_maskers_show(source, masker, make):
    value = make()
    shown = render(source, value=value)
    assert shown == masker(value)
    assert shown != value


def test_mask_filters_show_nothing_for_a_missing_number():
    assert render("{{ value|mask_phone }}|{{ value|mask_id }}", value=None) == "|"
