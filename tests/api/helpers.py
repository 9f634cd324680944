"""Every operation of the JSON API, read from the URLconf, with its path filled with real ids."""

import inspect

from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "/api/v1/"


def api_operations():
    """(method, path template, ninja operation) for every operation under /api/v1, from the URLconf.

    Each URL pattern of django-ninja serves one PathView (the closure of its view), which holds the
    operations of that path, one per set of methods.
    """
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and (prefix + str(p.pattern)).startswith(API_PREFIX):
                if not inspect.isfunction(p.callback):  # the schema, docs and index pages (partials)
                    continue
                path_view = inspect.getclosurevars(p.callback).nonlocals.get("self")
                for operation in getattr(path_view, "operations", []):
                    for method in operation.methods:
                        found.append((method, prefix + str(p.pattern), operation))

    walk(get_resolver().url_patterns, "/")
    return found


def is_public(operation):
    return not operation.auth_callbacks


def concrete(template, ids):
    """The template with each ``<int:name>`` replaced by ``ids[name]``; KeyError for an id not built."""
    path = template
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        name = path[start + 1 : end].split(":")[-1]
        path = path[:start] + str(ids[name]) + path[end + 1 :]
    return path


def call(client, method, path, body=None, **headers):
    if method == "GET":
        return client.get(path, **headers)
    return client.generic(method, path, _json(body or {}), content_type="application/json", **headers)


def _json(body):
    import json

    return json.dumps(body)
