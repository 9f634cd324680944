"""Map tile configuration for the browser (ECO-05), from settings.JOBCIRCLE_MAP only.

The tile URL template may hold ``{layer}`` and ``{key}``, filled in here, and Leaflet's own
``{s}``, ``{z}``, ``{x}``, ``{y}``. With no template the maps draw their points and circles on a
plain background (tests, offline demos). Boundary GeoJSON is never read by public pages (ECO-07).
"""

from django.conf import settings


def map_config() -> dict:
    conf = getattr(settings, "JOBCIRCLE_MAP", {}) or {}
    template = conf.get("TILE_URL") or ""
    layers = []
    if template:
        for layer in conf.get("LAYERS") or [""]:
            layers.append(
                {"name": layer, "url": template.replace("{layer}", layer).replace("{key}", conf.get("KEY", ""))}
            )
    return {"layers": layers, "subdomains": conf.get("SUBDOMAINS", ""), "attribution": conf.get("ATTRIBUTION", "")}
