"""ECO-03: WGS-84 / GCJ-02 / BD-09 conversions and haversine distance."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobcircle.areas.geo.convert import (
    SUPPORTED_CRS,
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    out_of_china,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from jobcircle.areas.geo.distance import EARTH_RADIUS_M, haversine_m

DEG_TOLERANCE = 1e-6

# REQUIREMENTS.md "Coordinates" table: (name, WGS-84, GCJ-02, BD-09, WGS↔GCJ offset in metres); all (lng, lat).
VECTORS = [
    ("天安门", (116.397499, 39.908722), (116.403743, 39.910126), (116.410116, 39.916465), 554.9),
    ("成都", (104.066000, 30.657000), (104.068508, 30.654578), (104.075006, 30.660604), 360.6),
    ("乌鲁木齐", (87.616800, 43.825600), (87.619650, 43.826805), (87.626100, 43.832950), 265.0),
    ("三亚", (109.511900, 18.252800), (109.515984, 18.251095), (109.522532, 18.256877), 471.1),
]
VECTOR_IDS = [v[0] for v in VECTORS]
TOKYO = (139.691700, 35.689500)

ALL_DIRECTIONS = [wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02, wgs84_to_bd09, bd09_to_wgs84]


def assert_close(actual, expected, tolerance=DEG_TOLERANCE):
    assert actual == pytest.approx(expected, abs=tolerance), f"{actual} != {expected}"


def distance_m(a, b):
    """Distance between two (lng, lat) points."""
    return haversine_m(a[1], a[0], b[1], b[0])


# ---------------------------------------------------------------------------
# Vector table to 1e-6°
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name, wgs, gcj, bd, offset", VECTORS, ids=VECTOR_IDS)
def test_wgs84_to_gcj02_matches_the_vector_table(name, wgs, gcj, bd, offset):
    assert_close(wgs84_to_gcj02(*wgs), gcj)


@pytest.mark.parametrize("name, wgs, gcj, bd, offset", VECTORS, ids=VECTOR_IDS)
def test_gcj02_to_wgs84_matches_the_vector_table(name, wgs, gcj, bd, offset):
    assert_close(gcj02_to_wgs84(*gcj), wgs)


@pytest.mark.parametrize("name, wgs, gcj, bd, offset", VECTORS, ids=VECTOR_IDS)
def test_gcj02_to_bd09_matches_the_vector_table(name, wgs, gcj, bd, offset):
    assert_close(gcj02_to_bd09(*gcj), bd)


@pytest.mark.parametrize("name, wgs, gcj, bd, offset", VECTORS, ids=VECTOR_IDS)
def test_bd09_to_gcj02_matches_the_vector_table(name, wgs, gcj, bd, offset):
    assert_close(bd09_to_gcj02(*bd), gcj)


@pytest.mark.parametrize("name, wgs, gcj, bd, offset", VECTORS, ids=VECTOR_IDS)
def test_wgs84_to_bd09_matches_the_vector_table(name, wgs, gcj, bd, offset):
    assert_close(wgs84_to_bd09(*wgs), bd)


@pytest.mark.parametrize("name, wgs, gcj, bd, offset", VECTORS, ids=VECTOR_IDS)
def test_bd09_to_wgs84_matches_the_vector_table(name, wgs, gcj, bd, offset):
    assert_close(bd09_to_wgs84(*bd), wgs)


@pytest.mark.parametrize("name, wgs, gcj, bd, offset", VECTORS, ids=VECTOR_IDS)
def test_wgs_to_gcj_offset_matches_the_table_within_one_metre(name, wgs, gcj, bd, offset):
    assert distance_m(wgs, wgs84_to_gcj02(*wgs)) == pytest.approx(offset, abs=1.0)


# ---------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name, wgs, gcj, bd, offset", VECTORS, ids=VECTOR_IDS)
def test_wgs_to_gcj_to_wgs_round_trip_error_is_below_one_centimetre(name, wgs, gcj, bd, offset):
    assert distance_m(wgs, gcj02_to_wgs84(*wgs84_to_gcj02(*wgs))) < 0.01


@pytest.mark.parametrize("name, wgs, gcj, bd, offset", VECTORS, ids=VECTOR_IDS)
def test_wgs_to_bd_to_wgs_round_trip_error_is_below_one_centimetre(name, wgs, gcj, bd, offset):
    assert distance_m(wgs, bd09_to_wgs84(*wgs84_to_bd09(*wgs))) < 0.01


china_points = st.tuples(st.floats(73.5, 135.0), st.floats(18.0, 53.5))


@given(point=china_points)
def test_gcj02_to_wgs84_is_the_inverse_of_wgs84_to_gcj02_anywhere_in_china(point):
    assert distance_m(point, gcj02_to_wgs84(*wgs84_to_gcj02(*point))) < 0.01


@given(point=china_points)
def test_bd09_to_gcj02_is_the_inverse_of_gcj02_to_bd09_anywhere_in_china(point):
    assert distance_m(point, bd09_to_gcj02(*gcj02_to_bd09(*point))) < 0.01


# ---------------------------------------------------------------------------
# Outside China
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("convert", ALL_DIRECTIONS, ids=lambda f: f.__name__)
def test_tokyo_is_unchanged_in_every_direction(convert):
    assert convert(*TOKYO) == TOKYO


@pytest.mark.parametrize("crs", SUPPORTED_CRS)
def test_tokyo_is_unchanged_by_to_wgs84_for_every_crs(crs):
    assert to_wgs84(*TOKYO, crs) == TOKYO


@given(
    point=st.one_of(
        st.tuples(st.floats(-180, 72.0), st.floats(-90, 90)),
        st.tuples(st.floats(137.9, 180), st.floats(-90, 90)),
        st.tuples(st.floats(-180, 180), st.floats(-90, 0.8)),
        st.tuples(st.floats(-180, 180), st.floats(55.9, 90)),
    )
)
def test_every_direction_leaves_points_outside_china_unchanged(point):
    assert out_of_china(*point)
    for convert in ALL_DIRECTIONS:
        assert convert(*point) == point


@pytest.mark.parametrize("name, wgs, gcj, bd, offset", VECTORS, ids=VECTOR_IDS)
def test_the_four_chinese_points_are_inside_china(name, wgs, gcj, bd, offset):
    assert not out_of_china(*wgs)
    assert not out_of_china(*gcj)
    assert not out_of_china(*bd)


# ---------------------------------------------------------------------------
# to_wgs84
# ---------------------------------------------------------------------------


def test_supported_crs_are_wgs84_gcj02_and_bd09():
    assert set(SUPPORTED_CRS) == {"wgs84", "gcj02", "bd09"}


@pytest.mark.parametrize("name, wgs, gcj, bd, offset", VECTORS, ids=VECTOR_IDS)
def test_to_wgs84_converts_each_supported_crs(name, wgs, gcj, bd, offset):
    assert to_wgs84(*wgs, "wgs84") == wgs
    assert_close(to_wgs84(*gcj, "gcj02"), wgs)
    assert_close(to_wgs84(*bd, "bd09"), wgs)


@pytest.mark.parametrize("crs", ["epsg:4326", "cgcs2000", "GCJ02", "", "mercator"])
def test_to_wgs84_rejects_unsupported_crs_with_value_error(crs):
    with pytest.raises(ValueError, match="unsupported crs"):
        to_wgs84(116.4, 39.9, crs)


# ---------------------------------------------------------------------------
# haversine_m
# ---------------------------------------------------------------------------


def test_haversine_of_a_point_to_itself_is_zero():
    assert haversine_m(39.9, 116.4, 39.9, 116.4) == 0.0


def test_one_degree_of_latitude_is_the_mean_radius_times_pi_over_180():
    assert haversine_m(30.0, 104.0, 31.0, 104.0) == pytest.approx(EARTH_RADIUS_M * math.pi / 180, rel=1e-12)


def test_haversine_takes_latitude_before_longitude():
    # One degree of longitude at 60°N is half a degree of latitude's length; swapping arguments breaks this.
    assert haversine_m(60.0, 10.0, 60.0, 11.0) == pytest.approx(111_195.08 * 0.5, rel=1e-3)


def test_haversine_between_antipodes_is_half_the_circumference():
    assert haversine_m(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * EARTH_RADIUS_M)


def test_beijing_to_shanghai_is_about_1067_km():
    assert haversine_m(39.9042, 116.4074, 31.2304, 121.4737) == pytest.approx(1_067_000, rel=0.005)


@given(
    a=st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
    b=st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
)
def test_haversine_is_symmetric_and_bounded_by_half_the_circumference(a, b):
    d = haversine_m(*a, *b)
    assert d == pytest.approx(haversine_m(*b, *a), abs=1e-6)
    assert 0.0 <= d <= math.pi * EARTH_RADIUS_M + 1e-6


def test_decimal_input_from_model_fields_is_accepted_and_floats_are_returned():
    from decimal import Decimal

    wgs, gcj = VECTORS[0][1], VECTORS[0][2]
    result = gcj02_to_wgs84(Decimal(str(gcj[0])), Decimal(str(gcj[1])))
    assert all(isinstance(c, float) for c in result)
    assert_close(result, wgs)
    assert to_wgs84(Decimal("139.6917"), Decimal("35.6895"), "wgs84") == TOKYO
