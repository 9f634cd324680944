"""Latency samples and their percentiles, shared by the benchmarks (imports nothing of the application,
so ``bench/compare.py`` can time either tree with it)."""

import os
import statistics
import time
from pathlib import Path


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


def use_scratch_database(root, env_name, filename):
    """Point DATABASE_URL at the database a benchmark owns: ``env_name``'s URL when set (e.g. a scratch
    PostgreSQL), else a fresh SQLite file ``var/<filename>`` (any previous one deleted)."""
    if os.environ.get(env_name):
        os.environ["DATABASE_URL"] = os.environ[env_name]
        return
    bench_db = Path(root) / "var" / filename
    for suffix in ("", "-wal", "-shm"):
        Path(f"{bench_db}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{bench_db}"
