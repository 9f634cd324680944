"""Staff forms of the formal registrations; the service (people.services) validates and names the field."""

from django import forms

from jobcircle.common.forms import TextRulesForm

from .enums import DifficultyCategory, EmploymentEndReason, UnemploymentEndReason

DATE = forms.DateInput(attrs={"type": "date"})


class EmploymentRegistrationForm(TextRulesForm):
    registered_on = forms.DateField(label="就业日期", widget=DATE)
    employer_name = forms.CharField(label="就业单位", max_length=100, required=False)
    is_urban = forms.BooleanField(label="城镇就业", required=False, initial=True)


class UnemploymentRegistrationForm(TextRulesForm):
    registered_on = forms.DateField(label="失业登记日期", widget=DATE)
    is_urban = forms.BooleanField(label="城镇", required=False, initial=True)


class EmploymentEndForm(TextRulesForm):
    ended_on = forms.DateField(label="终止日期", widget=DATE)
    end_reason = forms.ChoiceField(label="终止原因", choices=EmploymentEndReason.choices)


class UnemploymentEndForm(TextRulesForm):
    ended_on = forms.DateField(label="注销日期", widget=DATE)
    end_reason = forms.ChoiceField(label="注销原因", choices=UnemploymentEndReason.choices)


class DifficultyForm(TextRulesForm):
    category = forms.ChoiceField(label="认定类别", choices=DifficultyCategory.choices)
    valid_from = forms.DateField(label="有效期起", widget=DATE)
    valid_to = forms.DateField(label="有效期止", widget=DATE, required=False)
    evidence = forms.CharField(label="认定依据", max_length=200)


# kind (the form's hidden ``kind``) → its form
FORMS = {
    "employment": EmploymentRegistrationForm,
    "employment_end": EmploymentEndForm,
    "unemployment": UnemploymentRegistrationForm,
    "unemployment_end": UnemploymentEndForm,
    "difficulty": DifficultyForm,
}
