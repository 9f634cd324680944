"""Push quality (part of `make bench`; a report, not a test): precision@3 against two baselines.

Synthetic county (no database): every seeker has hidden preferences the platform never sees:
a true occupation (their job intention names it 60 % of the time, a neighbour in the same 小类
25 %, something else 15 %), a personal commute tolerance, a true reservation wage around the
stated minimum, and skills that do or do not cover what a job asks. A pushed job is *relevant*
when the seeker's hidden utility for it clears a fixed bar. Three pushes, all with the same hard
filters and the same capacity rule (factor × headcount, greedy by their own score), k = 3:

- ours: the engine's score (matching.engine);
- distance only: the interim rule, nearest first;
- random: a random order among the feasible jobs.

precision@3 = relevant pushed jobs / pushed jobs. Written to bench/results/<date>-quality.json and
the quality section of docs/performance.md.
"""

import datetime
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

SEEKERS, JOBS, SEED, K = 5000, 2500, 7, 3
SKILLS = ["电焊", "叉车", "驾驶", "烹饪", "护理", "电工", "收银", "缝纫", "木工", "瓦工"]
RELEVANT = 2.0  # hidden-utility bar


def world(seed=SEED, today=datetime.date(2026, 12, 1)):
    from province import leaf_occupations

    rng = np.random.default_rng(seed)
    codes = leaf_occupations()
    by_minor = {}
    for i, c in enumerate(codes):
        by_minor.setdefault(c[:7], []).append(i)
    centre = (33.16, 115.62)

    def place(n, sigma):
        d = np.abs(rng.normal(0, sigma, n))
        a = rng.uniform(0, 2 * math.pi, n)
        lat = centre[0] + d * np.cos(a) / 111_195
        lng = centre[1] + d * np.sin(a) / (111_195 * math.cos(math.radians(centre[0])))
        return lat, lng

    # Jobs: employers hire within a 中类 family, as in the demo.
    j_lat, j_lng = place(JOBS, 4000)
    families = sorted({c[:4] for c in codes})
    fam = {f: [i for i, c in enumerate(codes) if c[:4] == f] for f in families}
    j_occ = np.array([rng.choice(fam[families[rng.integers(len(families))]]) for _ in range(JOBS)])
    j_pay = rng.choice([2500, 3000, 3500, 4000, 4500, 5000, 6000, 7000], size=JOBS)
    j_skills = [list(rng.choice(SKILLS, size=rng.integers(1, 3), replace=False)) if rng.random() < 0.3 else []
                for _ in range(JOBS)]  # fmt: skip
    job_rows = [
        (i + 1, float(j_lat[i]), float(j_lng[i]), codes[j_occ[i]], int(rng.choice([0, 20, 30], p=[0.6, 0.3, 0.1])),
         18, int(rng.choice([45, 55, 60])), str(rng.choice(["full_time", "part_time", "gig"], p=[0.75, 0.15, 0.1])),
         int(j_pay[i]), int(rng.choice([1, 2, 3, 5], p=[0.4, 0.3, 0.2, 0.1])), j_skills[i],
         today - datetime.timedelta(days=int(rng.integers(0, 60))))
        for i in range(JOBS)
    ]  # fmt: skip
    # Seekers: a true occupation drawn like the jobs' (people want the work that exists nearby).
    s_lat, s_lng = place(SEEKERS, 3500)
    true_occ = rng.choice(j_occ, size=SEEKERS)
    stated = []
    for t in true_occ:
        r = rng.random()
        if r < 0.6:
            first = t
        elif r < 0.85:
            first = rng.choice(by_minor[codes[t][:7]])
        else:
            first = rng.integers(len(codes))
        stated.append([codes[first], codes[rng.integers(len(codes))]])
    max_km = rng.choice([3, 5, 10], size=SEEKERS, p=[0.7, 0.2, 0.1])
    min_pay = rng.choice([2500, 3000, 3500, 4000, 5000], size=SEEKERS)
    s_skills = [list(rng.choice(SKILLS, size=rng.integers(1, 4), replace=False)) if rng.random() < 0.4 else []
                for _ in range(SEEKERS)]  # fmt: skip
    seeker_rows = [
        (i + 1, float(s_lat[i]), float(s_lng[i]), int(rng.choice([20, 30, 40], p=[0.4, 0.4, 0.2])),
         datetime.date(int(rng.integers(1966, 2006)), 6, 1), s_skills[i], "990121001001", int(max_km[i]),
         str(rng.choice(["full_time", "part_time", "gig"], p=[0.7, 0.15, 0.15])), int(min_pay[i]))
        for i in range(SEEKERS)
    ]  # fmt: skip
    hidden = {
        "true_code": [codes[t] for t in true_occ],
        "tolerance_m": max_km * 1000 * rng.uniform(0.4, 0.8, SEEKERS),
        "reservation": min_pay * rng.uniform(0.9, 1.15, SEEKERS),
        "noise": rng,
    }
    return job_rows, seeker_rows, {i + 1: stated[i] for i in range(SEEKERS)}, hidden


def utility(S, J, pairs, job_rows, seeker_rows, hidden):
    """The seeker's hidden utility for each pair (never seen by the pushes)."""
    true_code = np.array(hidden["true_code"])[pairs.s]
    job_code = np.array([r[3] for r in job_rows])[pairs.j]
    same = true_code == job_code
    minor = np.char.equal(np.array([c[:7] for c in true_code]), np.array([c[:7] for c in job_code]))
    middle = np.char.equal(np.array([c[:4] for c in true_code]), np.array([c[:4] for c in job_code]))
    u = 2.0 * same + 1.0 * (minor & ~same) + 0.5 * (middle & ~minor)
    u += 1.0 * np.exp(-pairs.distance_m / hidden["tolerance_m"][pairs.s])
    u += 0.7 * (J.pay_max[pairs.j] >= hidden["reservation"][pairs.s])
    asks = [set(r[10]) for r in job_rows]
    has = [set(r[5]) for r in seeker_rows]
    lacking = np.array([bool(asks[j] - has[s]) for s, j in zip(pairs.s.tolist(), pairs.j.tolist(), strict=True)])
    u -= 1.0 * lacking
    return u + hidden["noise"].normal(0, 0.3, len(u))


def main():
    import django

    django.setup()
    from django.conf import settings

    from jobcircle.matching.conf import get_config
    from jobcircle.matching.engine import Pairs, Scorer, allocate, brute_force_top, top_per_seeker
    from jobcircle.matching.push_allocation import allocate_partition
    from jobcircle.matching.push_candidates import PartitionInput
    from jobcircle.matching.snapshot import SkillVocabulary, build_jobs, build_seekers

    started = time.perf_counter()
    config = get_config()
    today = datetime.date(2026, 12, 1)
    job_rows, seeker_rows, occupations, hidden = world(today=today)
    vocabulary = SkillVocabulary(r[10] for r in job_rows)
    J = build_jobs(job_rows, today=today, config=config, vocabulary=vocabulary)
    S = build_seekers(seeker_rows, occupations, {}, today=today, config=config, vocabulary=vocabulary)
    scorer = Scorer(S, J, config)
    feasible = brute_force_top(scorer, 10**9)  # every pair passing the hard filters
    relevant = utility(S, J, feasible, job_rows, seeker_rows, hidden) >= RELEVANT
    key = feasible.s * len(J) + feasible.j
    relevant_keys = set(key[relevant].tolist())
    capacity = int(config.capacity_factor) * J.headcount.astype(np.int64)
    rng = np.random.default_rng(11)

    def push(scores):
        pairs = Pairs(feasible.s, feasible.j, scores, feasible.distance_m, feasible.occupation, feasible.skills,
                      feasible.pay_fit)  # fmt: skip
        chosen, out = allocate(top_per_seeker(pairs, J.id, 10**9), S.id, J.id, k=K, capacity=capacity)
        return out.take(chosen)

    data = PartitionInput(S, J, np.zeros(0, np.int64), capacity, {}, np.ones(len(S), dtype=bool))
    ours = allocate_partition(data, k=K, config=config)  # the push's own code path (pruned, extended)
    greedy = push(feasible.score)
    same = sorted(zip(ours.s.tolist(), ours.j.tolist(), strict=True)) == sorted(
        zip(greedy.s.tolist(), greedy.j.tolist(), strict=True)
    )
    results = {}
    for name, picked in (
        ("ours", ours),
        ("distance_only", push(-feasible.distance_m)),
        ("random", push(rng.random(len(feasible)))),
    ):
        hits = np.array([k in relevant_keys for k in (picked.s * len(J) + picked.j).tolist()])
        per_seeker = np.bincount(picked.s, minlength=len(S))
        results[name] = {
            "pushes": int(len(picked)), "precision_at_3": round(float(hits.mean()), 3) if len(hits) else 0.0,
            "seekers_served": int((per_seeker > 0).sum()), "seekers_with_3": int((per_seeker == K).sum()),
            "mean_distance_m": round(float(picked.distance_m.mean()), 0),
            "occupation_match_share": round(float((picked.occupation > 0).mean()), 3),
        }  # fmt: skip
    out = {
        "date": time.strftime("%Y-%m-%d"), "seekers": SEEKERS, "jobs": JOBS, "k": K, "seed": SEED,
        "feasible_pairs": int(len(feasible)), "relevant_pairs": int(relevant.sum()),
        "relevant_share_of_feasible": round(float(relevant.mean()), 4), "results": results,
        "ours_equals_greedy_over_every_feasible_pair": same,
        "weights": settings.JOBCIRCLE_MATCHING["weights"], "seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip
    path = ROOT / "bench" / "results" / f"{out['date']}-quality.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(out, ensure_ascii=False, indent=2))
    update_doc(out)


def update_doc(q):
    from perfdoc import replace_section

    r = q["results"]
    lines = [f"Push quality (`bench/quality.py`, {q['date']}): {q['seekers']} synthetic seekers with hidden "
             f"preferences, {q['jobs']} jobs, k = {q['k']}, the same hard filters and capacity rule for every push; "
             f"{q['relevant_share_of_feasible']:.1%} of feasible pairs are relevant.", "",
             "| push | precision@3 | pushes | seekers served | mean distance | occupation match |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for name, label in (("ours", "ours (engine score)"), ("distance_only", "distance only"), ("random", "random")):
        x = r[name]
        lines.append(f"| {label} | {x['precision_at_3']:.3f} | {x['pushes']} | {x['seekers_served']} | "
                     f"{x['mean_distance_m']:.0f} m | {x['occupation_match_share']:.0%} |")  # fmt: skip
    replace_section("matching-quality", lines)


if __name__ == "__main__":
    main()
