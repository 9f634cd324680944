"""Benchmarks (`make bench`): not tests. Results go to bench/results/ and docs/performance.md.

Measures, on a scratch SQLite database under var/ (or DATABASE_URL if set):
- seed_demo time at county scale (and city scale with BENCH_CITY=1);
- "jobs near me" (3 km) latency through the service and through the HTTP API;
- then, in their own processes, a 100,000-row ledger import (bench/import_residents.py) and the
  recommendation and nearby figures before and after issue 21's refactor side by side
  (bench/compare.py; BENCH_COMPARE_BASE names the "before" commit).
"""

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
if not os.environ.get("DATABASE_URL"):
    bench_db = ROOT / "var" / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{bench_db}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{bench_db}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from timing import percentiles  # noqa: E402 - bench/ (this script's folder) is on the path

from jobcircle.areas.models import ServiceStation  # noqa: E402
from jobcircle.matching.services import nearby_jobs  # noqa: E402


def timed(fn, points):
    samples = []
    for lat, lng in points:
        started = time.perf_counter()
        fn(lat, lng)
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def main():
    scale = "city" if os.environ.get("BENCH_CITY") else "county"
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", "--scale", scale, "--seed", "1", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seed_s = time.perf_counter() - started

    rng = random.Random(1)
    stations = list(ServiceStation.objects.values_list("lat", "lng"))
    points = [
        (lat + rng.uniform(-0.02, 0.02), lng + rng.uniform(-0.02, 0.02)) for lat, lng in rng.choices(stations, k=500)
    ]
    service = timed(lambda lat, lng: nearby_jobs(lat, lng, 3, limit=20), points)
    client = Client(HTTP_HOST="127.0.0.1")
    api = timed(lambda lat, lng: client.get("/api/v1/jobs/nearby", {"lat": lat, "lng": lng, "limit": 20}), points)
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "database": connection.vendor,
        "scale": scale,
        "seed_seconds": round(seed_s, 1),
        "nearby_service_3km": service,
        "nearby_api_3km": api,
        "machine": f"{os.cpu_count()} cores",
    }
    out = ROOT / "bench" / "results" / f"{result['date']}-{connection.vendor}-{scale}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {out.relative_to(ROOT)}")
    # Issue 5: a 100,000-row resident ledger import, in its own process (its own peak memory) and database.
    subprocess.run([sys.executable, str(ROOT / "bench" / "import_residents.py")], check=True)
    # Issue 21: recommendation and nearby figures, before and after, in one run (a county, SQLite).
    subprocess.run([sys.executable, str(ROOT / "bench" / "compare.py")], check=True)


if __name__ == "__main__":
    main()
