"""家庭户 screens: the list (with the live 零就业家庭 list) and one household with its members' history."""

from django.shortcuts import render
from django.utils import timezone

from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.common.web import paginate, query_without_page, staff_required

from . import services
from .models import Household


@staff_required
def household_list(request):
    """Households of the chosen area; ``zero=1``: today's 零就业家庭 only (the live list)."""
    region = region_in_scope_or_404(request.scope, request.GET.get("area"))
    households = Household.objects.in_scope(request.scope).in_area(region)
    zero = request.GET.get("zero") == "1"
    if zero:
        households = households.filter(pk__in=services.zero_employment_households(region, timezone.localdate()))
    households = households.select_related("community").order_by("area_code", "number")
    context = {"area": region, "zero": zero, "page_obj": paginate(request, households),
               "query": query_without_page(request), "nav": "households"}  # fmt: skip
    return render(request, "households/household_list.html", context)


@staff_required
def household_detail(request, pk):
    household = get_in_scope_or_404(Household.objects.select_related("community"), request.scope, pk=pk)
    today = timezone.localdate()
    context = {
        "household": household,
        "members": household.memberships.select_related("resident").order_by("left_on", "joined_on", "id"),
        "is_zero": services.zero_employment_households(household.community, today).filter(pk=household.pk).exists(),
        "spells": household.zero_employment_spells.order_by("-found_on"),
        "nav": "households",
    }
    return render(request, "households/household_detail.html", context)
