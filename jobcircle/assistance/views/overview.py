"""The casework overview: the month's figures in the bureau's own sentences, for the viewer's area."""

from django.shortcuts import render

from jobcircle.areas.models import Region
from jobcircle.common.web import staff_required
from jobcircle.people.models import KeyGroup

from .. import services, stats
from ..forms import month_from
from ..periods import add_months, month_end
from .common import chosen_prefix


@staff_required
def index(request):
    month, prefix = month_from(request.GET), chosen_prefix(request)
    today = services.today()
    year_start = month.replace(month=1)
    period_end = min(today, month_end(month))
    context = {
        "area": Region.objects.filter(code=prefix.ljust(12, "0")).first(),
        "month": month,
        "previous_month": add_months(month, -1),
        "next_month": add_months(month, 1) if add_months(month, 1) <= today else None,
        "progress": stats.monitoring_progress(prefix, month, on=today),
        "migration": stats.out_migration(prefix, month),
        "coverage": stats.assistance_coverage(prefix, month),
        "cases": stats.case_figures(prefix),
        "welfare": stats.welfare_post_figures(prefix, year_start, period_end),
        "welfare_change": stats.welfare_placed_change(prefix, year_start, period_end),
        "workshops": stats.workshop_figures(prefix, month),
        "sub_areas": stats.sub_areas(prefix) if len(prefix) < 12 else [],
        "key_groups": KeyGroup.objects.filter(is_active=True).values_list("code", "name"),
        "nav": "assistance",
    }
    return render(request, "assistance/index.html", context)
