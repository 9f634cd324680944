"""Benchmark (`make bench`): 免申即享 screening of one policy over a 150,000-resident city (issue 13).

Goal: under 30 s on SQLite and on PostgreSQL. Each database gets the demo city (`seed_demo --scale city`:
6 counties × 25,000 residents, a year of monthly monitoring records), then the same code path a county's
screening task runs (`subsidies.screening.screen`: bulk facts per chunk of 5,000, the rule per person, hits
written) for the city's whole area, once per policy named. The seed time is reported but is not the goal.

    .venv/bin/python bench/subsidies.py                    # SQLite, then a throwaway PostgreSQL 15 cluster
    BENCH_SUBSIDIES_PG_URL=postgres://… bench/subsidies.py # an existing empty PostgreSQL database instead
    BENCH_SUBSIDIES_SCALE=county bench/subsidies.py        # 25,000 residents (a quick look)
    BENCH_SKIP_POSTGRES=1 bench/subsidies.py               # SQLite only
    BENCH_SUBSIDIES_REUSE=1 …                              # keep an already seeded database (screen again)
"""

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
POLICIES = ["transport", "flexible_insurance", "job_search"]
PORT = 55443


def step():
    """In its own process, on DATABASE_URL: seed the city, then time the screening of each policy."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from jobcircle.accounts.enums import Role
    from jobcircle.accounts.models import User
    from jobcircle.areas.models import Region
    from jobcircle.common import progress
    from jobcircle.demo.generator import CITY_CODE
    from jobcircle.people.models import Resident
    from jobcircle.subsidies.models import Policy, Screening
    from jobcircle.subsidies.screening import screen
    from jobcircle.subsidies.services import version_for

    scale = os.environ.get("BENCH_SUBSIDIES_SCALE", "city")
    call_command("migrate", verbosity=0)
    seed_s = None
    if not (os.environ.get("BENCH_SUBSIDIES_REUSE") and Resident.objects.exists()):
        started = time.perf_counter()
        call_command("seed_demo", "--scale", scale, "--seed", "1", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        seed_s = round(time.perf_counter() - started, 1)
    city = Region.objects.get(code=CITY_CODE)
    by, _ = User.objects.get_or_create(username="bench_subsidies", defaults={"role": Role.COUNTY_ADMIN, "area": city})
    period = str(timezone.localdate().year)
    out = {"database": connection.vendor, "scale": scale, "residents": Resident.objects.count(),
           "seed_seconds": seed_s, "period": period, "screenings": {}}  # fmt: skip
    for code in POLICIES:
        policy = Policy.objects.get(code=code)
        bar = progress.start("subsidies.screening", by=by, area_code=city.scope_prefix)
        screening = Screening.objects.create(policy=policy, version=version_for(policy, period), period=period,
                                             area_code=city.scope_prefix, progress=bar, created_by=by)  # fmt: skip
        started, cpu = time.perf_counter(), time.process_time()
        screen(screening)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        hits = screening.hits.all()
        out["screenings"][code] = {
            # the machine is shared: wall seconds, this process's CPU seconds, and the load average after
            "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "load_average": round(os.getloadavg()[0], 1), "screened": screening.screened,
            "qualifying": hits.filter(qualifies=True).count(), "near_misses": hits.filter(qualifies=False).count(),
        }  # fmt: skip
        print(f"  {code}: {out['screenings'][code]}", flush=True)
    print("RESULT " + json.dumps(out, ensure_ascii=False), flush=True)


def run_step(url):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "0"}
    print(f"== {url.split('/')[-1] or url}", flush=True)
    proc = subprocess.run([sys.executable, __file__, "--step"], env=env, cwd=ROOT, capture_output=True, text=True)
    sys.stderr.write(proc.stderr[-4000:])
    proc.check_returncode()
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def main():
    results = []
    sqlite = ROOT / "var" / "bench-subsidies.sqlite3"
    for suffix in ("", "-wal", "-shm") if not os.environ.get("BENCH_SUBSIDIES_REUSE") else ():
        Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
    results.append(run_step(f"sqlite:///{sqlite}"))
    if not os.environ.get("BENCH_SKIP_POSTGRES"):
        if os.environ.get("BENCH_SUBSIDIES_PG_URL"):
            results.append(run_step(os.environ["BENCH_SUBSIDIES_PG_URL"]))
        else:
            from pg import Cluster

            cluster = Cluster(PORT).start()
            try:
                results.append(run_step(cluster.create_database("bench_subsidies", postgis=False)))
            finally:
                cluster.stop()
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "goal": "screening one policy over a 150,000-resident city < 30 s on SQLite and PostgreSQL",
        "runs": results,
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
    }
    scale = results[0]["scale"]
    out = ROOT / "bench" / "results" / f"{result['date']}-subsidies-screening-{scale}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    step() if "--step" in sys.argv else main()
