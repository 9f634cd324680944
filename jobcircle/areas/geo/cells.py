"""H3 (v4) cells used to prefilter "within r km" in the database; haversine decides exactly.

Two resolutions are stored per point: r7 (edge ≈1.4 km) serves radii up to
10 km with a few dozen cells, r5 (edge ≈9.9 km) serves radii up to 50 km.
"""

import math

import h3

FINE_RES = 7
COARSE_RES = 5
FINE_MAX_RADIUS_M = 10_000
# H3 hexagon edges vary around the global average; these bounds are loose on
# purpose (real cells in China stay well inside them) so no point is ever missed.
EDGE_MIN_FACTOR = 0.7
EDGE_MAX_FACTOR = 1.5


def cells_for(lat: float, lng: float) -> tuple[int, int]:
    """(r5, r7) cell ids of a point, as signed 64-bit-safe integers."""
    return (
        h3.str_to_int(h3.latlng_to_cell(lat, lng, COARSE_RES)),
        h3.str_to_int(h3.latlng_to_cell(lat, lng, FINE_RES)),
    )


def covering_cells(lat: float, lng: float, radius_m: float) -> tuple[str, list[int]]:
    """(column name, cell ids) whose union covers the disc of ``radius_m`` around the point.

    A point at distance d lies in a cell whose centre is within d + 2·edge_max of
    the query cell's centre, and each ring of the grid moves a centre at least
    1.5·edge_min further away, so k = ceil((r + 2·edge_max) / (1.5·edge_min))
    rings suffice.
    """
    res, column = (FINE_RES, "h3_r7") if radius_m <= FINE_MAX_RADIUS_M else (COARSE_RES, "h3_r5")
    edge_avg = h3.average_hexagon_edge_length(res, unit="m")
    k = math.ceil((radius_m + 2 * EDGE_MAX_FACTOR * edge_avg) / (1.5 * EDGE_MIN_FACTOR * edge_avg))
    origin = h3.latlng_to_cell(lat, lng, res)
    return column, [h3.str_to_int(cell) for cell in h3.grid_disk(origin, k)]
