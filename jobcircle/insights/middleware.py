import re

from django.conf import settings

from .services import record_page_visit

BOT_RE = re.compile(r"bot|spider|crawl|slurp|curl|wget|python-requests|httpx|headless|monitor|probe", re.I)
UNCOUNTED_PREFIXES = ("/static/", "/api/", "/admin/", "/healthz", "/favicon")


class PageVisitMiddleware:
    """Count successful human GET page views against the area they concern.

    - The area is the page's community when the view sets ``request.visit_area_code``,
      else the viewer's region, else the deployment's home county.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._counts(request, response):
            user = getattr(request, "user", None)
            area_code = (
                getattr(request, "visit_area_code", None)
                or (user.area.code if user is not None and user.is_authenticated and user.area_id else None)
                or settings.JOBCIRCLE_HOME_AREA_CODE.ljust(12, "0")
            )
            record_page_visit(area_code)
        return response

    @staticmethod
    def _counts(request, response):
        return (
            request.method == "GET"
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(UNCOUNTED_PREFIXES)
            and not BOT_RE.search(request.META.get("HTTP_USER_AGENT", "") or "bot")
        )
