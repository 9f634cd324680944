from django.utils.cache import add_never_cache_headers

# Pages and API responses under these paths can carry personal data (SEC-20).
PERSONAL_DATA_PREFIXES = ("/api/", "/backoffice/", "/admin/", "/accounts/")


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on everything that may show personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PERSONAL_DATA_PREFIXES):
            add_never_cache_headers(response)
        return response
