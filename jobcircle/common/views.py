"""Error pages shared by every screen."""

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.views import defaults

# --- Error pages --------------------------------------------------------------------------------
# A request body over DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig, which Django turns into a 400) is
# answered 413 (SEC-29); under /api ApiJsonErrorsMiddleware turns the page into JSON.


def bad_request(request, exception):
    """config.urls handler400: the Chinese 413 page for an oversized body, Django's 400 page otherwise."""
    if isinstance(exception, RequestDataTooBig):
        return render(request, "413.html", status=413)
    return defaults.bad_request(request, exception)
