"""Staff screens of service stations (就业服务站): list, register, edit — inside the staff member's area."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from jobcircle.areas.maps import map_config
from jobcircle.common.web import add_service_errors, paginate, staff_required

from .forms import StationForm
from .models import ServiceStation
from .scoping import get_in_scope_or_404
from .stations import save_station


@staff_required
def station_list(request):
    stations = ServiceStation.objects.in_scope(request.scope).select_related("community", "community__parent")
    context = {"page_obj": paginate(request, stations.order_by("area_code", "name")), "nav": "stations"}
    return render(request, "areas/station_list.html", context)


@staff_required
def station_create(request):
    return _station_form(request, None)


@staff_required
def station_edit(request, pk):
    return _station_form(request, get_in_scope_or_404(ServiceStation.objects.all(), request.scope, pk=pk))


def _station_form(request, station):
    initial = StationForm.initial_for(station) if station else {}
    form = StationForm(request.POST or None, scope=request.scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            station = save_station(station, by=request.user, data=form.cleaned_data, scope=request.scope)
        except ValidationError as exc:
            add_service_errors(form, exc, {"location": "lat"})
        else:
            messages.success(request, f"已保存服务站 {station.name}")
            return redirect("areas:station_list")
    context = {"form": form, "station": station, "map_config": map_config(), "nav": "stations"}
    return render(request, "areas/station_form.html", context)
