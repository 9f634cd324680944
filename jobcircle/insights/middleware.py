import re

from .services import home_area_code, record_page_visit, viewer_area_code

BOT_RE = re.compile(r"bot|spider|crawl|slurp|curl|wget|python-requests|httpx|headless|monitor|probe", re.I)
UNCOUNTED_PREFIXES = ("/static/", "/api/", "/admin/", "/healthz", "/favicon")


class PageVisitMiddleware:
    """Count successful human GET page views — portal, H5 and back office, anonymous too — against an area.

    - the page's community when the view sets ``request.visit_area_code``;
    - else the signed-in viewer's own area: a staff member's region, a resident's community, an employer's;
    - else the deployment's home county (``home_area_code``), so anonymous visits show on the county's
      dashboard (页面访问量).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._counts(request, response):
            area_code = getattr(request, "visit_area_code", None) or viewer_area_code(request) or home_area_code()
            if area_code:
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
