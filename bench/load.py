"""Bounded load test (SEC-38), part of `make bench`: 50 concurrent users on loopback for 60 s.

Seeds the demo county into var/load.sqlite3, gives ten community staff members a password and an
API token, starts gunicorn (2 workers × 8 threads) on loopback, runs locust headless, and records p95
and the error rate per request type in bench/results/ (summarised in docs/performance.md).
"""

import csv
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "load"
DB = WORK / "load.sqlite3"
USERS, SPAWN_RATE, DURATION = 50, 10, "60s"
PASSWORD = "Load-test-pass-2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env):
    """Seed and write the fixture the locustfile reads (tokens, ID numbers, employers, points)."""
    script = f"""
import json, django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("seed_demo", "--scale", "county", "--seed", "1", verbosity=0)
from jobcircle.accounts.enums import Role
from jobcircle.accounts.models import ApiToken, User
from jobcircle.areas.models import Region, ServiceStation
from jobcircle.common import pii
from jobcircle.employers.models import Employer
from jobcircle.people.models import Resident
staff = []
for n, community in enumerate(Region.objects.filter(code__startswith="990121", level=5).order_by("code")[:10]):
    user = User(username=f"load_staff_{{n}}", role=Role.COMMUNITY_STAFF, area=community)
    user.set_password({PASSWORD!r}); user.set_phone(f"1400009{{n:04d}}"); user.save()
    _, token = ApiToken.issue(user, name="load test")
    residents = Resident.objects.filter(area_code=community.code)[:20]
    employers = Employer.objects.filter(area_code=community.code).values_list("id", flat=True)[:5]
    staff.append({{"username": user.username, "token": token,
                  "id_numbers": [pii.decrypt(r.id_number_encrypted) for r in residents],
                  "employer_ids": list(employers)}})
staff = [s for s in staff if s["id_numbers"] and s["employer_ids"]]
points = list(ServiceStation.objects.filter(area_code__startswith="990121").values_list("lat", "lng"))
print(json.dumps({{"staff": staff, "points": points, "password": {PASSWORD!r}, "occupation_code": "4-10-01-05"}}))
"""
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    fixture = WORK / "fixture.json"
    fixture.write_text(out.stdout.strip().splitlines()[-1], encoding="utf-8")
    return fixture


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "0",
           "DATABASE_URL": f"sqlite:///{DB}", "ALLOWED_HOSTS": "127.0.0.1", "PYTHONPATH": str(ROOT)}  # fmt: skip
    fixture = prepare(env)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own server on loopback
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "8", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        subprocess.run(  # noqa: S603 - fixed argv
            [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "load" / "locustfile.py"),
             "--headless", "-u", str(USERS), "-r", str(SPAWN_RATE), "-t", DURATION, "--host", f"http://127.0.0.1:{port}",
             "--csv", str(WORK / "locust"), "--only-summary", "--loglevel", "WARNING"],
            env={**env, "JOBCIRCLE_LOAD_FIXTURE": str(fixture)}, cwd=ROOT, check=False,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = list(csv.DictReader((WORK / "locust_stats.csv").open(encoding="utf-8")))
    result = {
        "date": time.strftime("%Y-%m-%d"), "users": USERS, "duration": DURATION, "server": "gunicorn 2×8, SQLite",
        "requests": {
            r["Name"]: {"count": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                        "p50_ms": float(r["50%"] or 0), "p95_ms": float(r["95%"] or 0)}
            for r in rows
        },
    }  # fmt: skip
    total = result["requests"].get("Aggregated", {})
    result["error_rate"] = round(total.get("failures", 0) / max(total.get("count", 1), 1), 4)
    out = ROOT / "bench" / "results" / f"{result['date']}-load-50-users.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
