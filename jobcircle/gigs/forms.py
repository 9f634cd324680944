"""Back-office forms of gigs. Only the text rule and the choices here: the rules are the services'
(gigs.sharing.clean_agreement_input), shown beside the fields through common.web.add_service_errors."""

from django import forms

from jobcircle.common.forms import TextRulesForm
from jobcircle.people.models import Resident

from .enums import Party, SharingStatus
from .models import SharingNeed, SharingOffer

DATE = {"type": "date"}

# The service names the parties and people by their API fields; the form by its own.
AGREEMENT_FIELD_MAP = {"lender_id": "offer", "borrower_id": "need", "resident_ids": "people", "offer_id": "offer",
                       "need_id": "need"}  # fmt: skip


def _messages(label):
    return {"required": f"{label}：请选择", "invalid_choice": f"{label}：不存在或不在您的管辖范围内",
            "invalid_pk_value": f"{label}：不存在或不在您的管辖范围内"}  # fmt: skip


class AgreementForm(TextRulesForm):
    """草拟共享用工协议 from an offer (the lender's 富余员工) and a need (the borrower's 缺工).

    - offers of the caller's area; open needs of any area (matching reaches across townships, and the
      service requires only one party in the caller's area);
    - the people offered are the lender's employees (平台就业记录) among the residents of the caller's area,
      as the API takes them (``resident_ids`` in scope).
    """

    offer = forms.ModelChoiceField(label="富余人员登记（调出方）", queryset=SharingOffer.objects.none(),
                                   error_messages=_messages("富余人员登记"))  # fmt: skip
    need = forms.ModelChoiceField(label="缺工需求（调入方）", queryset=SharingNeed.objects.none(),
                                  error_messages=_messages("缺工需求"))  # fmt: skip
    people = forms.ModelMultipleChoiceField(
        label="共享员工", queryset=Resident.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="调出方在平台登记就业的员工；每人须在手机上本人确认", error_messages=_messages("共享员工"),
    )  # fmt: skip
    start_date = forms.CharField(label="借调期间起", max_length=10, required=False, widget=forms.DateInput(DATE))
    end_date = forms.CharField(label="借调期间止", max_length=10, required=False, widget=forms.DateInput(DATE))
    pay_arrangement = forms.CharField(label="报酬约定", max_length=300, required=False,
                                      help_text="如 按调入方同岗位标准，日结")  # fmt: skip
    payer = forms.ChoiceField(label="报酬支付方", choices=Party.choices, error_messages=_messages("报酬支付方"))
    insurance_party = forms.ChoiceField(label="工伤保险责任方", choices=Party.choices,
                                        error_messages=_messages("工伤保险责任方"))  # fmt: skip

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        related, order = ("employer", "occupation"), ("start_date", "id")
        offers = SharingOffer.objects.in_scope(scope).filter(status=SharingStatus.OPEN).select_related(*related)
        self.fields["offer"].queryset = offers.order_by(*order)
        needs = SharingNeed.objects.filter(status=SharingStatus.OPEN).select_related(*related)
        self.fields["need"].queryset = needs.order_by(*order)
        self.fields["offer"].label_from_instance = self.fields["need"].label_from_instance = _post_label
        offer_id = self.data.get("offer") if self.is_bound else self.initial.get("offer")
        offer = offers.filter(pk=offer_id).first() if str(offer_id or "").isdigit() else None
        if offer is not None:
            self.fields["people"].queryset = (
                Resident.objects.in_scope(scope).filter(placements__employer_id=offer.employer_id).distinct()
                .order_by("id")
            )  # fmt: skip

    def service_data(self):
        """The data of ``gigs.sharing.draft_agreement``: the parties are the offer's and the need's employers."""
        data = dict(self.cleaned_data)
        offer, need = data["offer"], data["need"]
        return {**data, "people": list(data["people"]), "lender": offer.employer, "borrower": need.employer}


def _post_label(post):
    return (f"{post.employer.name} · {post.occupation.name} {post.headcount}人 · "
            f"{post.start_date:%Y-%m-%d}至{post.end_date:%Y-%m-%d}")  # fmt: skip
