"""Back-office section of the resident page: 就业登记, 失业登记, 就业困难人员认定 (read and record)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common.web import add_service_errors, staff_required

from . import services
from .models import Resident
from .registration_forms import FORMS


def _record(kind, resident, by, data):
    """The one service call each form kind makes (ending acts on the registration in force)."""
    if kind == "employment":
        return services.record_employment_registration(resident, by=by, data=data)
    if kind == "unemployment":
        return services.record_unemployment_registration(resident, by=by, data=data)
    if kind == "difficulty":
        return services.certify_employment_difficulty(resident, by=by, data=data)
    employment = kind == "employment_end"
    registrations = resident.employment_registrations if employment else resident.unemployment_registrations
    current = registrations.filter(ended_on__isnull=True).first()
    if current is None:
        raise ValidationError({"ended_on": ["没有可终止（注销）的登记"]})
    end = services.end_employment_registration if employment else services.end_unemployment_registration
    return end(current, by=by, data=data)


@staff_required
def resident_registrations(request, pk):
    """GET: the section (a fragment for HTMX, a page otherwise); POST ``kind``: record through the service."""
    resident = get_in_scope_or_404(Resident.objects.all(), request.scope, pk=pk)
    forms = {kind: form_class(prefix=kind) for kind, form_class in FORMS.items()}
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind not in FORMS:
            raise Http404
        form = forms[kind] = FORMS[kind](request.POST, prefix=kind)
        if form.is_valid():
            try:
                _record(kind, resident, request.user, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已保存登记")
                return redirect(reverse("people:resident_detail", args=[pk]) + "#registrations")
    template = "people/_registrations.html" if request.headers.get("HX-Request") else "people/registrations.html"
    return render(request, template, {"resident": resident, "forms": forms, "nav": "residents"})
