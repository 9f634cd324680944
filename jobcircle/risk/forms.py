"""Back-office forms for risk warnings. They only shape input; the rules are in risk/services.py."""

from django import forms

from jobcircle.common.forms import TextRulesForm

from .enums import Level, WarningKind, WarningStatus


def _blank(choices):
    return [("", "全部"), *choices]


class WarningFilterForm(TextRulesForm):
    kind = forms.ChoiceField(label="预警类型", required=False, choices=_blank(WarningKind.choices))
    status = forms.ChoiceField(label="状态", required=False, choices=_blank(WarningStatus.choices))
    level = forms.TypedChoiceField(label="预警等级", required=False, coerce=int, empty_value=None,
                                   choices=_blank(Level.choices))  # fmt: skip

    def filter(self, warnings):
        """The list narrowed by the valid filters (an invalid one is ignored, as a blank one)."""
        if not self.is_valid():
            return warnings
        data = self.cleaned_data
        for name in ("kind", "status", "level"):
            if data.get(name) not in (None, ""):
                warnings = warnings.filter(**{name: data[name]})
        return warnings


class WarningWorkForm(TextRulesForm):
    """处置: the assistance case the warning is worked in (the service checks it is of the warning's township)."""

    case_id = forms.IntegerField(label="帮扶案件", min_value=1)


class WarningResolveForm(TextRulesForm):
    note = forms.CharField(label="解除说明", max_length=200, min_length=2)
