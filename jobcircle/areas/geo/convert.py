"""Conversions between WGS-84, GCJ-02 and BD-09 (REQUIREMENTS.md ECO-03).

We store WGS-84/CGCS2000 and convert GCJ-02 (高德, 腾讯, WeChat) and BD-09 (百度)
only at the boundary. Every function takes and returns ``(lng, lat)`` — longitude
first — as floats (``Decimal`` input is accepted and converted), and every
direction applies the same out-of-China short-circuit to its *input* point,
returning it unchanged.

GCJ-02 → WGS-84 has no closed form: it is solved by iterating the forward
transform (fixed-point iteration converges to ~1e-12° within a few steps), not the
common one-step approximation that is off by up to ~5 m. BD-09 →
GCJ-02 is likewise the exact inverse of the forward formula, found by iteration.
"""

from __future__ import annotations

import math

__all__ = [
    "SUPPORTED_CRS",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "out_of_china",
    "to_wgs84",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

SUPPORTED_CRS: tuple[str, ...] = ("wgs84", "gcj02", "bd09")

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 obfuscation.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0

# Inverse iterations stop when the forward image is this close to the input (degrees).
_TOLERANCE_DEG = 1e-10
_MAX_ITERATIONS = 30


def out_of_china(lng: float, lat: float) -> bool:
    """True outside the rough bounding box in which GCJ-02 offsets apply."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _wgs_to_gcj_raw(lng: float, lat: float) -> tuple[float, float]:
    """Forward GCJ-02 transform without the out-of-China check."""
    d_lat = _transform_lat(lng - 105.0, lat - 35.0)
    d_lng = _transform_lng(lng - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1.0 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lng + d_lng, lat + d_lat


def _gcj_to_bd_raw(lng: float, lat: float) -> tuple[float, float]:
    z = math.hypot(lng, lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def _invert(forward, lng: float, lat: float) -> tuple[float, float]:
    """Solve ``forward(p) == (lng, lat)`` by fixed-point iteration."""
    guess_lng, guess_lat = lng, lat
    for _ in range(_MAX_ITERATIONS):
        got_lng, got_lat = forward(guess_lng, guess_lat)
        err_lng, err_lat = got_lng - lng, got_lat - lat
        guess_lng -= err_lng
        guess_lat -= err_lat
        if abs(err_lng) <= _TOLERANCE_DEG and abs(err_lat) <= _TOLERANCE_DEG:
            break
    return guess_lng, guess_lat


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    lng, lat = float(lng), float(lat)
    if out_of_china(lng, lat):
        return lng, lat
    return _wgs_to_gcj_raw(lng, lat)


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    lng, lat = float(lng), float(lat)
    if out_of_china(lng, lat):
        return lng, lat
    return _invert(_wgs_to_gcj_raw, lng, lat)


def gcj02_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    lng, lat = float(lng), float(lat)
    if out_of_china(lng, lat):
        return lng, lat
    return _gcj_to_bd_raw(lng, lat)


def bd09_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    lng, lat = float(lng), float(lat)
    if out_of_china(lng, lat):
        return lng, lat
    return _invert(_gcj_to_bd_raw, lng, lat)


def wgs84_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    lng, lat = float(lng), float(lat)
    if out_of_china(lng, lat):
        return lng, lat
    return _gcj_to_bd_raw(*_wgs_to_gcj_raw(lng, lat))


def bd09_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    lng, lat = float(lng), float(lat)
    if out_of_china(lng, lat):
        return lng, lat
    return _invert(_wgs_to_gcj_raw, *_invert(_gcj_to_bd_raw, lng, lat))


def to_wgs84(lng: float, lat: float, crs: str) -> tuple[float, float]:
    """Convert a point given in ``crs`` (one of :data:`SUPPORTED_CRS`) to WGS-84."""
    if crs == "wgs84":
        return float(lng), float(lat)
    if crs == "gcj02":
        return gcj02_to_wgs84(lng, lat)
    if crs == "bd09":
        return bd09_to_wgs84(lng, lat)
    raise ValueError(f"unsupported crs {crs!r}; expected one of {', '.join(SUPPORTED_CRS)}")
