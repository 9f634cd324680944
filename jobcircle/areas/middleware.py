from .scoping import scope_for_user


class ScopeMiddleware:
    """Resolve who the user is and which area they may see, once per request (request.scope)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = scope_for_user(getattr(request, "user", None))
        return self.get_response(request)
