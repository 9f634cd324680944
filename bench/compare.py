"""Before and after a refactor, in one run: the recommendation and "jobs near me" figures side by side.

`python bench/compare.py [--base 938812e] [--rounds 2]` (part of `make bench`, through bench/run.py):

- exports the base commit's code with ``git archive`` into a temporary directory (the working tree
  is the "after"); both run on the shared virtualenv;
- seeds one county (``seed_demo --scale county --seed 1``) with the base code on SQLite and copies
  it for the working tree, which migrates its copy forward: the same rows on both sides;
- measures each side in its own process, alternately (base, head, then head, base, …) so that a
  busy shared machine weighs on both alike; every figure is the same call on both sides:
  ``recommend_jobs(resident, 10)``, ``nearby_jobs(lat, lng, 3, limit=20)``, ``GET /api/v1/jobs/nearby``
  and the H5 page ``GET /m/jobs/`` of a signed-in job seeker;
- writes bench/results/<date>-refactor-matching.json and the "refactor-matching" section of
  docs/performance.md.

The measuring part (``--measure``) only calls what both sides have, so it runs against either tree.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import percentiles, samples

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
POINTS, SEEKERS, H5_SEEKERS, WARMUP = 300, 200, 60, 10
FIGURES = {
    "recommend_service": "推荐 recommend_jobs(resident, 10)（服务）",
    "nearby_service": "附近岗位 nearby_jobs(3 km, 20)（服务）",
    "nearby_api": "附近岗位 GET /api/v1/jobs/nearby（HTTP）",
    "nearby_h5": "附近岗位 H5 GET /m/jobs/（登录居民，HTTP）",
}


# --- inside one tree ------------------------------------------------------------------------------


def _setup_django(tree, db_url):
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


def seed(tree, db_url):
    _setup_django(tree, db_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--scale", "county", "--seed", "1", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def migrate(tree, db_url):
    _setup_django(tree, db_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def measure(tree, db_url):
    """Samples (ms) of every figure on this tree; the same points and seekers on both sides."""
    _setup_django(tree, db_url)
    from django.test import Client

    from jobcircle.accounts.enums import Role
    from jobcircle.accounts.models import User
    from jobcircle.areas.models import ServiceStation
    from jobcircle.matching.services import nearby_jobs, recommend_jobs
    from jobcircle.people.models import Resident

    rng = random.Random(1)
    stations = list(ServiceStation.objects.order_by("pk").values_list("lat", "lng"))
    around = rng.choices(stations, k=POINTS)
    points = [(lat + rng.uniform(-0.02, 0.02), lng + rng.uniform(-0.02, 0.02)) for lat, lng in around]
    ids = list(Resident.objects.job_seekers().order_by("pk").values_list("pk", flat=True))
    sample = random.Random(2).sample(ids, min(SEEKERS, len(ids)))
    residents = Resident.objects.select_related("intention").in_bulk(sample)
    seekers = [residents[pk] for pk in sample]
    client = Client(HTTP_HOST="127.0.0.1")
    out = {
        "recommend_service": samples(lambda r: recommend_jobs(r, 10), seekers, WARMUP),
        "nearby_service": samples(lambda p: nearby_jobs(p[0], p[1], 3, limit=20), points, WARMUP),
        "nearby_api": samples(
            lambda p: client.get("/api/v1/jobs/nearby", {"lat": p[0], "lng": p[1], "limit": 20}), points
        ),
    }
    h5 = []
    for resident in seekers[:H5_SEEKERS]:
        login = {"role": Role.RESIDENT, "resident": resident}
        h5.append(User.objects.get_or_create(username=f"bench_h5_{resident.pk}", defaults=login)[0])

    def page(user):
        client.force_login(user)
        started = time.perf_counter()
        assert client.get("/m/jobs/").status_code == 200
        return (time.perf_counter() - started) * 1000

    for user in h5[:WARMUP]:
        page(user)
    out["nearby_h5"] = [page(user) for user in h5]
    return out


# --- the orchestrator -----------------------------------------------------------------------------


def _run(tree, *args):
    """This script's step in its own process, against ``tree``'s code; its JSON answer."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args, "--tree", str(tree)],
        check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(tree)},
    )  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def _git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout.strip()


def compare(base, rounds):
    changed = _git("status", "--porcelain", "--", "jobcircle")
    head = _git("rev-parse", "--short", "HEAD") + ("+changes" if changed else "")
    base = _git("rev-parse", "--short", base)
    work = Path(tempfile.mkdtemp(prefix="jc-compare-"))
    try:
        before = work / "before"
        before.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", base], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
        db_before, db_after = work / "before.sqlite3", work / "after.sqlite3"
        started = time.perf_counter()
        _run(before, "--seed", f"sqlite:///{db_before}")
        shutil.copyfile(db_before, db_after)
        _run(ROOT, "--migrate", f"sqlite:///{db_after}")
        seed_s = time.perf_counter() - started
        sides = {"before": (before, db_before), "after": (ROOT, db_after)}
        taken = {side: {name: [] for name in FIGURES} for side in sides}
        for n in range(rounds):
            order = ["before", "after"] if n % 2 == 0 else ["after", "before"]
            for side in order:
                tree, db = sides[side]
                for name, values in _run(tree, "--measure", f"sqlite:///{db}").items():
                    taken[side][name].append(values)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures = {}
    for name in FIGURES:
        # Over every sample, and the quietest round's median (the least disturbed by other work).
        b, a = ({**percentiles([v for one in taken[side][name] for v in one]),
                 "best_round_p50_ms": min(percentiles(one)["p50_ms"] for one in taken[side][name])}
                for side in ("before", "after"))  # fmt: skip
        figures[name] = {"before": b, "after": a, "p50_ratio": round(a["p50_ms"] / b["p50_ms"], 3),
                         "p99_ratio": round(a["p99_ms"] / b["p99_ms"], 3),
                         "best_round_p50_ratio": round(a["best_round_p50_ms"] / b["best_round_p50_ms"], 3)}  # fmt: skip
    return {"date": time.strftime("%Y-%m-%d"), "base": base, "head": head, "database": "sqlite", "scale": "county",
            "rounds": rounds, "setup_seconds": round(seed_s, 1), "machine": f"{os.cpu_count()} cores",
            "load_average": [round(x, 2) for x in os.getloadavg()], "figures": figures}  # fmt: skip


def doc_lines(result):
    lines = [
        f"### {result['date']} — before ({result['base']}) and after ({result['head']}), one run, SQLite, county",
        "",
        f"`bench/compare.py`: the same seeded county on both sides, {result['rounds']} alternating rounds "
        f"per side, {result['machine']} (load average at the end {result['load_average'][0]}). "
        "Ratios after / before (below 1: faster) of p50, p99 and the quietest round's p50.",
        "",
        "| figure | before p50 / p99 / quietest round p50 (ms) | after (ms) | ratio (after / before) |",
        "|---|---|---|---|",
    ]
    for name, label in FIGURES.items():
        f = result["figures"][name]
        keys = ("p50_ms", "p99_ms", "best_round_p50_ms")
        b, a = (" / ".join(str(f[side][key]) for key in keys) for side in ("before", "after"))
        lines.append(f"| {label} | {b} | {a} | {f['p50_ratio']} / {f['p99_ratio']} / {f['best_round_p50_ratio']} |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=os.environ.get("BENCH_COMPARE_BASE", "938812e"))
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--tree", type=Path)
    parser.add_argument("--seed", metavar="DATABASE_URL")
    parser.add_argument("--migrate", metavar="DATABASE_URL")
    parser.add_argument("--measure", metavar="DATABASE_URL")
    args = parser.parse_args()
    if args.seed:
        return seed(args.tree, args.seed)
    if args.migrate:
        return migrate(args.tree, args.migrate)
    if args.measure:
        print(json.dumps(measure(args.tree, args.measure)))
        return None
    result = compare(args.base, args.rounds)
    out = RESULTS / f"{result['date']}-refactor-matching.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    sys.path.insert(0, str(ROOT / "bench"))
    from perfdoc import replace_section

    replace_section("refactor-matching", doc_lines(result))
    print("\n".join(doc_lines(result)))
    print(f"written to {out.relative_to(ROOT)} and docs/performance.md")
    return None


if __name__ == "__main__":
    main()
