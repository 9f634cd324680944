"""劳动力地图 benchmark (issue 19): aggregate the 150,000-resident city, on SQLite and on PostgreSQL.

`python bench/labour_map.py [--pg postgres://…/DB]` (not part of `make test`):

- seeds the city demo (``seed_demo --scale city --seed 1``: six counties, 150,000 residents) into a
  scratch SQLite file under var/ and, when ``--pg`` (or ``BENCH_PG_URL``) names a database, into it;
- ``--keep`` reuses an already seeded SQLite file (seeding is skipped when data is there);
- in a fresh process per database, times ``insights.labour_map.aggregate`` for the whole city on
  hexagons at resolutions 5, 6 and 7 and by community (median and worst of 5 runs after one warm-up, wall
  time and this process's CPU time, which on SQLite includes the database's work), with the load average,
  and measures the JSON payload of one county's page at its default view (resolution 6) and by community;
- writes bench/results/<date>-labour-map.json; the goals are < 1 s per aggregation and < 300 KB per
  county payload.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def _django(db_url):
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


def seed(db_url):
    _django(db_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", "--scale", "city", "--seed", "1", "--if-empty", verbosity=0,
                 stdout=open(os.devnull, "w"))  # fmt: skip  # noqa: SIM115
    print(json.dumps({"seed_seconds": round(time.perf_counter() - started, 1)}))


def measure(db_url):
    _django(db_url)
    from django.db import connection

    from jobcircle.areas.enums import RegionLevel
    from jobcircle.areas.models import Region
    from jobcircle.insights import labour_map
    from jobcircle.people.models import Resident

    city = Region.objects.get(level=RegionLevel.CITY, code__startswith="99")
    county = Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=city.scope_prefix).order_by("code")[0]
    out = {"database": connection.vendor, "residents": Resident.objects.in_area(city).count(), "aggregate_s": {}}
    for name, kwargs in (("hex_r5", {"res": 5}), ("hex_r6", {"res": 6}), ("hex_r7", {"res": 7}),
                         ("community", {"level": "community"})):  # fmt: skip
        labour_map.aggregate(city, **kwargs)  # warm-up: the database's caches, h3's tables
        times, cpu, cells = [], [], 0
        for _ in range(RUNS):
            started, started_cpu = time.perf_counter(), time.process_time()
            cells = len(labour_map.aggregate(city, **kwargs))
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        out["aggregate_s"][name] = {"median": round(statistics.median(times), 3), "max": round(max(times), 3),
                                    "cpu_median": round(statistics.median(cpu), 3), "cells": cells}  # fmt: skip
    for name, kwargs in (("county_hex_r6_bytes", {"res": 6}), ("county_hex_r7_bytes", {"res": 7}),
                         ("county_community_bytes", {"level": "community"})):  # fmt: skip
        payload = {"cells": labour_map.aggregate(county, **kwargs), "layers": labour_map.LAYERS}
        out[name] = len(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    out["county_residents"] = Resident.objects.in_area(county).count()
    out["load_average_1m"] = round(os.getloadavg()[0], 1)  # the machine is shared: read the times against it
    print(json.dumps(out))


def _last_json(text):
    return json.loads([line for line in text.splitlines() if line.startswith("{")][-1])


def _run(step, url):
    """One step in its own process (its own Django, database connection and caches)."""
    done = subprocess.run([sys.executable, __file__, step, url], check=True, capture_output=True, text=True)
    return _last_json(done.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", ""))
    parser.add_argument("--seed-only", default="")
    parser.add_argument("--measure", default="")
    parser.add_argument("--keep", action="store_true", help="reuse var/bench-labour-map.sqlite3 if it is seeded")
    args = parser.parse_args()
    if args.seed_only:
        return seed(args.seed_only)
    if args.measure:
        return measure(args.measure)
    sqlite = ROOT / "var" / "bench-labour-map.sqlite3"
    for suffix in ("", "-wal", "-shm") if not args.keep else ():
        Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
    results = {"date": time.strftime("%Y-%m-%d"), "machine": f"{os.cpu_count()} cores", "runs": RUNS, "databases": []}
    for url in [f"sqlite:///{sqlite}", *([args.pg] if args.pg else [])]:
        me = [sys.executable, __file__]
        seeded = _last_json(
            subprocess.run([*me, "--seed-only", url], check=True, capture_output=True, text=True).stdout
        )
        measured = _last_json(
            subprocess.run([*me, "--measure", url], check=True, capture_output=True, text=True).stdout
        )
        results["databases"].append({**seeded, **measured})
        print(json.dumps(results["databases"][-1], ensure_ascii=False))
    out = ROOT / "bench" / "results" / f"{results['date']}-labour-map.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
