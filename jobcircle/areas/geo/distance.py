"""Great-circle distance (NumPy-free, ``math`` only).

Note the argument order: ``lat`` before ``lng`` — unlike :mod:`.convert`, which
takes ``(lng, lat)``.
"""

from __future__ import annotations

import math

__all__ = ["EARTH_RADIUS_M", "haversine_m"]

# IUGG mean Earth radius R1 (metres).
EARTH_RADIUS_M = 6371008.8


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Haversine distance in metres between two (lat, lng) points in degrees."""
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    h = math.sin(d_phi / 2.0) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
