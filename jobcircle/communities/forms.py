"""Back-office forms for 充分就业社区. They only shape input; the rules are in communities/services.py."""

from django import forms

from jobcircle.common.forms import TextRulesForm


class CertificationSubmitForm(TextRulesForm):
    """社区申报: a statement and the evidence, one item a line (the service checks lengths and count)."""

    statement = forms.CharField(label="申报说明", required=False, max_length=2000, widget=forms.Textarea)
    evidence = forms.CharField(
        label="佐证材料清单", required=False, max_length=12000, widget=forms.Textarea, help_text="每行一项"
    )

    def evidence_items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["evidence"].splitlines() if line.strip()]


class CertificationReviewForm(TextRulesForm):
    """The current level's decision: pass, or return with a reason (the service checks the reason)."""

    decision = forms.ChoiceField(label="审核意见", choices=[("pass", "通过"), ("return", "退回")])
    reason = forms.CharField(label="退回原因", max_length=200, required=False)
