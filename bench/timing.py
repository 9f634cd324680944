"""Latency samples and their percentiles, shared by the benchmarks (imports nothing of the application,
so ``bench/compare.py`` can time either tree with it)."""

import statistics
import time


def percentiles(samples_ms):
    ordered = sorted(samples_ms)
    if not ordered:
        return {"n": 0}
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 2),
    }


def samples(fn, items, warmup=20):
    """Milliseconds of ``fn(item)`` for every item, after ``fn`` ran on the first ``warmup`` items."""
    for item in items[:warmup]:
        fn(item)
    out = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - started) * 1000)
    return out
