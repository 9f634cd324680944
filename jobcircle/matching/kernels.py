"""Compiled inner loop of the batch candidate search (Numba): one seeker at a time, no pair arrays.

``engine.CandidateFinder`` decides what to search (tiers, probes, their score bounds); this loop
walks each probe's grid window, applies the hard filters, scores each pair *approximately* and
keeps, per seeker, the best ``limit`` scores so far. It returns every pair that may be in a
seeker's top ``limit``: the caller scores those again with ``Scorer.evaluate`` (NumPy), so the
result is exactly the NumPy score and ranking; the compiled ``exp2``/``asin`` may differ from
NumPy's in the last bits, which ``EPS`` (far above that) absorbs:

- a pair counts toward a seeker's threshold only when it surely passes the admission bar;
- a pair is returned when its approximate score is within ``EPS`` of the threshold at the time,
  and the caller keeps those within ``EPS`` of the final threshold;
- reaches are computed from ``threshold - EPS``, so no pair that can win lies beyond them.

Rings partition a probe's distances exactly (each pair is met once): a ring covers
(previous outer, outer], both squared chords computed here by the same formula, and the
seeker's own maximum is the NumPy value ``Scorer.max_chord2`` itself.
"""

import math

import numpy as np
from numba import njit

from jobcircle.areas.geo.distance import EARTH_RADIUS_M

EPS = 1e-9
R = float(EARTH_RADIUS_M)

_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)
_S1, _S2, _S4, _S56 = np.uint64(1), np.uint64(2), np.uint64(4), np.uint64(56)


@njit(cache=True, inline="always")
def _popcount(x):
    x = x - ((x >> _S1) & _M1)
    x = (x & _M2) + ((x >> _S2) & _M2)
    x = (x + (x >> _S4)) & _M4
    return (x * _H01) >> _S56


@njit(cache=True, inline="always")
def _chord2(radius_m):
    h = math.sin(radius_m / (2.0 * R))
    return 4.0 * h * h


@njit(cache=True, inline="always")
def _reach(threshold, bound, w_distance, half_m):
    """How far a job scoring at most ``w_distance × 2^(−d/half) + bound`` may lie and still reach
    ``threshold − EPS``: infinite below it, −1 when nowhere (as ``CandidateFinder._reach``)."""
    gap = threshold - EPS - bound
    if gap > w_distance + 1e-12:
        return -1.0
    if gap <= 0.0:
        return np.inf
    return half_m * math.log2(w_distance / gap) * (1 + 1e-9) + 1e-6


@njit(cache=True)
def _excluded(kind, bits, keys, key):
    if kind == 1:
        return (bits[key >> 3] >> (key & 7)) & 1 == 1
    if kind == 2:
        pos = np.searchsorted(keys, key)
        return pos < len(keys) and keys[pos] == key
    return False


@njit(cache=True)
def scan_tier(level, rings, probe_s, probe_g, probe_b, grid, seekers, jobs, weights, exclusion, admission, top, buf):
    """Search one tier's probes (sorted by seeker); update ``top`` (per seeker, best approximate
    scores, descending) and append candidate pairs to ``buf``. Returns (buf, pairs met, seekers
    who searched)."""
    order, starts, keys, lat0, lng0, dy, dx, ny, nx, gx, gy, gz = grid  # g*: job unit vectors in grid order
    (s_lat, s_lng, s_x, s_y, s_z, s_max_m, s_max_c2, s_edu, s_age, s_wt, s_min_pay,
     s_o3, s_o2, s_o1, s_sk, s_boost) = seekers  # fmt: skip
    (j_edu, j_age_min, j_age_max, j_wt, j_pay,
     j_o3, j_o2, j_o1, j_sk, j_sk_count, j_fresh_w, work_ok) = jobs  # fmt: skip
    w_distance, half_m, w_skills, w_pay, occupation_w, use_skills = weights
    ex_kind, ex_bits, ex_keys = exclusion
    admission_on, bar = admission
    buf_s, buf_j, buf_sc, n_buf = buf
    n_jobs = len(j_edu)
    limit = top.shape[1]
    width = s_o3.shape[1]
    words = s_sk.shape[1]
    listed = len(starts) > 0
    met = 0
    searched = 0
    done_r = np.zeros(len(probe_s))
    done_c2 = np.full(len(probe_s), -1.0)
    first = 0
    while first < len(probe_s):
        s = probe_s[first]
        last = first
        while last < len(probe_s) and probe_s[last] == s:
            last += 1
        for ring in rings:
            any_work = False
            for p in range(first, last):
                target = min(s_max_m[s], _reach(top[s, limit - 1], probe_b[p], w_distance, half_m))
                if not target > done_r[p]:
                    continue
                radius = min(target, ring)
                if radius <= done_r[p]:
                    continue
                any_work = True
                outer = s_max_c2[s] if radius >= s_max_m[s] else min(_chord2(radius), s_max_c2[s])
                inner = done_c2[p]
                done_r[p] = radius
                done_c2[p] = outer
                # The grid window of a spherical cap of ``radius`` (as Grid.ranges).
                theta = radius / R * (1 + 1e-9) + 1e-12
                dlat = math.degrees(theta)
                phi = math.radians(abs(s_lat[s]))
                ratio = math.sin(theta) / math.cos(phi)
                dlng = 360.0
                if phi + theta < math.pi / 2 and ratio < 1:
                    dlng = math.degrees(math.asin(min(ratio, 1.0)))
                cy_lo = int(math.floor((s_lat[s] - dlat - lat0) / dy))
                cy_hi = int(math.floor((s_lat[s] + dlat - lat0) / dy))
                cx_lo = int(math.floor((s_lng[s] - dlng - lng0) / dx))
                cx_hi = int(math.floor((s_lng[s] + dlng - lng0) / dx))
                if cy_hi < 0 or cy_lo >= ny or cx_hi < 0 or cx_lo >= nx:
                    continue
                cy_lo, cy_hi = max(cy_lo, 0), min(cy_hi, ny - 1)
                cx_lo, cx_hi = max(cx_lo, 0), min(cx_hi, nx - 1)
                g = probe_g[p]
                for row in range(cy_lo, cy_hi + 1):
                    base = (g * ny + row) * nx
                    if listed:
                        st, en = starts[base + cx_lo], starts[base + cx_hi + 1]
                    else:
                        st = np.searchsorted(keys, base + cx_lo, "left")
                        en = np.searchsorted(keys, base + cx_hi, "right")
                    for t in range(st, en):
                        j = order[t]
                        met += 1
                        # Squared chord in NumPy's order of operations (Scorer.evaluate).
                        d = s_x[s] - gx[t]
                        d2 = d * d
                        d = s_y[s] - gy[t]
                        d2 = d2 + d * d
                        d = s_z[s] - gz[t]
                        d2 = d2 + d * d
                        if d2 > outer or d2 <= inner:
                            continue
                        if s_edu[s] < j_edu[j]:  # no age filter (engine.py docstring)
                            continue
                        if not work_ok[s_wt[s], j_wt[j]]:
                            continue
                        if ex_kind and _excluded(ex_kind, ex_bits, ex_keys, s * n_jobs + j):
                            continue
                        best = 0
                        for slot in range(width):
                            if s_o3[s, slot] == j_o3[j]:
                                best = 3
                                break
                            if s_o2[s, slot] == j_o2[j]:
                                best = max(best, 2)
                            elif s_o1[s, slot] == j_o1[j]:
                                best = max(best, 1)
                        if best != level:
                            continue
                        half_chord = min(math.sqrt(d2) * 0.5, 1.0)
                        score = math.exp2(2.0 * R * math.asin(half_chord) * (-1.0 / half_m)) * w_distance
                        score += occupation_w[level]
                        if use_skills:
                            overlap = 0
                            for w in range(words):
                                overlap += np.int64(_popcount(s_sk[s, w] & j_sk[j, w]))
                            score += w_skills * (overlap / max(j_sk_count[j], 1))
                        if s_min_pay[s] <= 0 or j_pay[j] >= s_min_pay[s]:
                            score += w_pay
                        score += j_fresh_w[j]
                        score += s_boost[s]
                        sure = True
                        if admission_on:
                            if score < bar[j] - EPS:
                                continue
                            sure = score > bar[j] + EPS
                        if score < top[s, limit - 1] - EPS:
                            continue
                        if n_buf == len(buf_s):
                            buf_s, buf_j, buf_sc = _grow(buf_s), _grow(buf_j), _grow(buf_sc)
                        buf_s[n_buf], buf_j[n_buf], buf_sc[n_buf] = s, j, score
                        n_buf += 1
                        if sure and score > top[s, limit - 1]:
                            k = limit - 1
                            while k > 0 and top[s, k - 1] < score:
                                top[s, k] = top[s, k - 1]
                                k -= 1
                            top[s, k] = score
            if any_work:
                searched += 1
        first = last
    return (buf_s, buf_j, buf_sc, n_buf), met, searched


@njit(cache=True)
def _grow(a):
    out = np.empty(max(2 * len(a), 1024), dtype=a.dtype)
    out[: len(a)] = a
    return out


@njit(cache=True, inline="always")
def _worse(a, b, score, seeker_id):
    """Whether held pair ``a`` ranks below pair ``b`` for their job: lower score, then larger seeker id."""
    return score[a] < score[b] or (score[a] == score[b] and seeker_id[a] > seeker_id[b])


@njit(cache=True)
def defer_accept(pair_s, pair_j, score, seeker_id, end, nxt, held_count, k, capacity, heap, heap_start, heap_size):
    """Seeker-proposing deferred acceptance, one proposal at a time (as ``engine.allocate`` describes).

    - Seeker s proposes its pairs ``nxt[s] .. end[s]`` in order while it holds fewer than ``k``.
    - Job j holds at most ``capacity[j]`` pairs in a heap whose top is its worst held pair
      (``heap[heap_start[j] : heap_start[j] + heap_size[j]]``, pair indices); a better proposal to a
      full job evicts the worst, whose seeker proposes again.
    - ``seeker_id`` is per pair (the proposer's id). State arrays are updated in place, so the
      caller may append pairs (extensions) and call again.
    """
    stack = np.flatnonzero((held_count < k) & (nxt < end))
    top = len(stack)
    while top > 0:
        top -= 1
        s = stack[top]
        while held_count[s] < k and nxt[s] < end[s]:
            p = nxt[s]
            nxt[s] += 1
            j = pair_j[p]
            if capacity[j] <= 0:
                continue
            base = heap_start[j]
            size = heap_size[j]
            if size < capacity[j]:  # room: sift the new pair up (worst at the top)
                i = size
                heap_size[j] = size + 1
                while i > 0:
                    parent = (i - 1) // 2
                    if not _worse(p, heap[base + parent], score, seeker_id):
                        break
                    heap[base + i] = heap[base + parent]
                    i = parent
                heap[base + i] = p
                held_count[s] += 1
                continue
            worst = heap[base]
            if not _worse(worst, p, score, seeker_id):
                continue  # refused: the job is full of better pairs
            held_count[s] += 1
            evicted = pair_s[worst]
            held_count[evicted] -= 1
            # Replace the top and sift down.
            i = 0
            while True:
                child = 2 * i + 1
                if child >= size:
                    break
                if child + 1 < size and _worse(heap[base + child + 1], heap[base + child], score, seeker_id):
                    child += 1
                if not _worse(heap[base + child], p, score, seeker_id):
                    break
                heap[base + i] = heap[base + child]
                i = child
            heap[base + i] = p
            if len(stack) == top:
                grown = np.empty(2 * len(stack) + 16, dtype=stack.dtype)
                grown[:top] = stack[:top]
                stack = grown
            stack[top] = evicted
            top += 1
