"""The engine on in-memory snapshots: hard filters, ranking, exact pruning, allocation = greedy."""

import random

import numpy as np
import pytest

from jobcircle.areas.geo.distance import haversine_m
from jobcircle.matching.conf import get_config
from jobcircle.matching.engine import (
    CandidateFinder,
    Grid,
    Scorer,
    allocate,
    apportion,
    brute_force_top,
    greedy_reference,
    rank_jobs,
    rank_seekers,
    top_per_seeker,
)
from jobcircle.matching.snapshot import occupation_keys

from .helpers import CENTER, job_row, point_near, random_world, seeker_row, tables


def _as_set(pairs, S, J):
    return [
        (int(S.id[s]), int(J.id[j]), round(float(sc), 12))
        for s, j, sc in zip(pairs.s, pairs.j, pairs.score, strict=True)
    ]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("prefilter", [True, False])
def test_pruned_candidates_equal_brute_force(seed, prefilter, monkeypatch):
    import jobcircle.matching.engine as engine

    # The bucket prefilter of top_per_seeker normally starts at 50,000 pairs; force it on and off.
    monkeypatch.setattr(engine, "PREFILTER_MIN_PAIRS", 0 if prefilter else 10**12)
    S, J, config = random_world(seed)
    scorer = Scorer(S, J, config)
    for limit in (1, 3, 10):
        expected = brute_force_top(scorer, limit)
        finder = CandidateFinder(scorer)
        got = finder.top(np.arange(len(S)), limit)
        assert _as_set(got, S, J) == _as_set(expected, S, J)


@pytest.mark.parametrize("seed", range(3))
def test_pruning_is_exact_in_a_dense_town_where_the_fallback_rings_matter(seed):
    S, J, config = random_world(100 + seed, seekers=120, jobs=2500, spread_m=4000)
    scorer = Scorer(S, J, config)
    for limit in (2, 6):
        finder = CandidateFinder(scorer)
        got = finder.top(np.arange(len(S)), limit)
        assert _as_set(got, S, J) == _as_set(brute_force_top(scorer, limit), S, J)
        assert finder.stats["primary_pairs"] + finder.stats["fallback_pairs"] < len(S) * len(J)


@pytest.mark.parametrize("large", [False, True], ids=["small tables", "large-table paths"])
def test_pruning_skips_most_pairs_yet_stays_exact_with_exclusions(large, monkeypatch):
    import jobcircle.matching.engine as engine

    if large:  # what a county of a province takes: grid buckets searched, exclusions as sorted keys
        monkeypatch.setattr(engine, "MAX_LISTED_BUCKETS", 0)
        monkeypatch.setattr(engine, "MAX_EXCLUDE_BITS", 0)
    S, J, config = random_world(99, seekers=80, jobs=600)
    rng = np.random.default_rng(1)
    exclude = rng.choice(len(S) * len(J), size=3000, replace=False)
    scorer = Scorer(S, J, config, exclude=exclude)
    finder = CandidateFinder(scorer)
    got = finder.top(np.arange(len(S)), 5)
    assert _as_set(got, S, J) == _as_set(brute_force_top(scorer, 5), S, J)
    excluded = set(exclude.tolist())
    assert not {int(s) * len(J) + int(j) for s, j in zip(got.s, got.j, strict=True)} & excluded


@pytest.mark.parametrize("seed", range(4))
def test_hard_filters_and_radius_are_never_violated(seed):
    S, J, config = random_world(seed + 20)
    got = brute_force_top(Scorer(S, J, config), 1000)
    work_ok = config.work_type_matrix()
    assert len(got) > 0
    for s, j, d in zip(got.s, got.j, got.distance_m, strict=True):
        exact = haversine_m(S.lat[s], S.lng[s], J.lat[j], J.lng[j])
        assert d == pytest.approx(exact, abs=1e-6)
        assert exact <= S.max_m[s] + 1e-6
        assert S.edu[s] >= J.edu_min[j]
        assert work_ok[S.work_type[s]][J.work_type[j]]


def test_a_job_just_outside_the_seekers_distance_is_never_proposed():
    inside = point_near(CENTER, 2995, 1.0)
    outside = point_near(CENTER, 3005, 1.0)
    S, J, config = tables([job_row(1, *inside), job_row(2, *outside)], [seeker_row(5, *CENTER, max_km=3)])
    assert list(J.id[brute_force_top(Scorer(S, J, config), 10).j]) == [1]


def test_ranking_is_monotonic_in_distance_when_all_else_is_equal():
    distances = [2900, 150, 1200, 600, 2300, 40, 1800]
    jobs = [job_row(100 + i, *point_near(CENTER, d, 2.0)) for i, d in enumerate(distances)]
    S, J, config = tables(jobs, [seeker_row(1, *CENTER)], {1: ["4-10-01-05"]})
    ranked = rank_jobs(Scorer(S, J, config), Grid(J.lat, J.lng), 0, 10)
    assert list(np.round(ranked.distance_m)) == sorted(np.round(ranked.distance_m))
    assert list(np.diff(ranked.score) < 0) == [True] * (len(distances) - 1)


def test_occupation_hierarchy_orders_exact_then_small_then_middle_category():
    here = point_near(CENTER, 500, 0.5)
    jobs = [
        job_row(1, *here, code="6-01-01-01"),  # unrelated
        job_row(2, *here, code="4-10-02-01"),  # same 中类 4-10
        job_row(3, *here, code="4-10-01-02"),  # same 小类 4-10-01
        job_row(4, *here, code="4-10-01-05"),  # the occupation itself
    ]
    S, J, config = tables(jobs, [seeker_row(1, *CENTER)], {1: ["4-10-01-05"]})
    ranked = brute_force_top(Scorer(S, J, config), 4)
    assert list(J.id[ranked.j]) == [4, 3, 2, 1]
    assert list(ranked.occupation) == [3, 2, 1, 0]


def test_occupation_keys_separate_levels():
    assert occupation_keys("4-10-01-05")[1:] == occupation_keys("4-10-01-02")[1:]
    assert occupation_keys("4-10")[0] != occupation_keys("4-10-00")[0]
    assert occupation_keys("4-10")[1] == -1


def test_pay_skills_freshness_and_key_group_each_raise_the_score():
    here = point_near(CENTER, 800, 0.1)
    base = job_row(1, *here, pay_max=2500, opened_days=50)
    better_pay = job_row(2, *here, pay_max=5000, opened_days=50)
    fresher = job_row(3, *here, pay_max=2500, opened_days=1)
    skilled = job_row(4, *here, pay_max=2500, opened_days=50, skills=["电焊"])
    S, J, config = tables([base, better_pay, fresher, skilled],
                          [seeker_row(1, *CENTER, skills=["电焊"]), seeker_row(2, *CENTER, skills=["电焊"])],
                          key_groups={2: ["poverty_alleviated"]})  # fmt: skip
    got = brute_force_top(Scorer(S, J, config), 4)
    score = {(int(S.id[s]), int(J.id[j])): sc for s, j, sc in zip(got.s, got.j, got.score, strict=True)}
    assert score[1, 2] > score[1, 1] and score[1, 3] > score[1, 1] and score[1, 4] > score[1, 1]
    assert score[2, 1] == pytest.approx(score[1, 1] + config.key_group_boost)


def test_candidates_for_a_job_rank_by_the_same_score_and_respect_each_seekers_distance():
    job = job_row(1, *CENTER)
    seekers = [
        seeker_row(10, *point_near(CENTER, 2500, 0.0), max_km=3),
        seeker_row(11, *point_near(CENTER, 500, 0.0), max_km=3),
        seeker_row(12, *point_near(CENTER, 4000, 0.0), max_km=3),  # too far for this seeker
        seeker_row(13, *point_near(CENTER, 4000, 0.0), max_km=5),
    ]
    S, J, config = tables([job], seekers)
    ranked = rank_seekers(Scorer(S, J, config), 0, 10)
    assert list(S.id[ranked.s]) == [11, 10, 13]


def _random_candidates(seed, n_seekers=40, n_jobs=25, per=8):
    rng = random.Random(seed)
    s, j, score = [], [], []
    for seeker in range(n_seekers):
        for job in rng.sample(range(n_jobs), per):
            s.append(seeker)
            j.append(job)
            score.append(rng.choice((0.5, 0.6, 0.7, round(rng.random(), 3))))  # ties on purpose
    from jobcircle.matching.engine import Pairs

    n = len(s)
    pairs = Pairs(np.array(s), np.array(j), np.array(score), np.zeros(n), np.zeros(n, np.int8),
                  np.zeros(n, np.int16), np.ones(n, bool))  # fmt: skip
    seeker_ids = np.array(rng.sample(range(1, 1000), n_seekers))
    job_ids = np.array(rng.sample(range(1, 1000), n_jobs))
    return pairs, seeker_ids, job_ids, rng


@pytest.mark.parametrize("seed", range(30))
def test_allocation_equals_the_greedy_rule_and_holds_capacity(seed):
    pairs, seeker_ids, job_ids, rng = _random_candidates(seed)
    capacity = np.array([rng.choice((0, 1, 2, 3, 10)) for _ in job_ids])
    sorted_pairs = top_per_seeker(pairs, job_ids, 100)
    chosen, out = allocate(sorted_pairs, seeker_ids, job_ids, k=3, capacity=capacity)
    expected = greedy_reference(sorted_pairs, seeker_ids, job_ids, k=3, capacity=capacity)
    assert list(chosen) == list(expected)
    assert np.bincount(out.j[chosen], minlength=len(job_ids)).tolist() <= capacity.tolist() or all(
        np.bincount(out.j[chosen], minlength=len(job_ids)) <= capacity
    )
    assert all(np.bincount(out.s[chosen], minlength=len(seeker_ids)) <= 3)


@pytest.mark.parametrize("seed", range(10))
def test_allocation_with_short_lists_extended_on_demand_equals_greedy_on_full_lists(seed):
    pairs, seeker_ids, job_ids, rng = _random_candidates(seed, per=10)
    capacity = np.array([rng.choice((0, 1, 1, 2)) for _ in job_ids])
    full = top_per_seeker(pairs, job_ids, 100)
    expected = greedy_reference(full, seeker_ids, job_ids, k=3, capacity=capacity)
    expected_pairs = {(int(full.s[i]), int(full.j[i])) for i in expected}

    def extend(short, so_far, bars):
        """The next three of each short seeker's full list that they have not seen yet."""
        seen = set(zip(so_far.s.tolist(), so_far.j.tolist(), strict=True))
        keep = [i for i in range(len(full)) if full.s[i] in short and (full.s[i], full.j[i]) not in seen]
        by_seeker = {}
        for i in keep:
            by_seeker.setdefault(int(full.s[i]), []).append(i)
        return full.take(np.array(sorted(i for idx in by_seeker.values() for i in idx[:3]), dtype=np.int64))

    chosen, out = allocate(top_per_seeker(pairs, job_ids, 4), seeker_ids, job_ids, k=3, capacity=capacity,
                           extend=extend)  # fmt: skip
    assert {(int(out.s[i]), int(out.j[i])) for i in chosen} == expected_pairs


@pytest.mark.parametrize("large", [False, True], ids=["small tables", "large-table paths"])
@pytest.mark.parametrize("seed", range(6))
def test_partition_allocation_with_admission_equals_greedy_over_every_candidate(seed, large, monkeypatch):
    """The push's own loop (small pools, extensions past full jobs) against greedy on full lists."""
    import jobcircle.matching.engine as engine
    from jobcircle.matching.push_allocation import allocate_partition
    from jobcircle.matching.push_candidates import PartitionInput

    if large:  # a province county's paths: searched grid buckets, exclusions as sorted keys that grow
        monkeypatch.setattr(engine, "MAX_LISTED_BUCKETS", 0)
        monkeypatch.setattr(engine, "MAX_EXCLUDE_BITS", 0)
    S, J, config = random_world(200 + seed, seekers=90, jobs=120, spread_m=3000)
    config = get_config(candidate_pool=2)
    rng = np.random.default_rng(seed)
    capacity = rng.choice([0, 1, 1, 2, 3], size=len(J))
    exclude = rng.choice(len(S) * len(J), size=200, replace=False)
    data = PartitionInput(S, J, exclude, capacity, {}, np.ones(len(S), bool))
    got = allocate_partition(data, k=3, config=config)
    full = brute_force_top(Scorer(S, J, config, exclude=exclude), 10_000)
    expected = full.take(greedy_reference(full, S.id, J.id, k=3, capacity=capacity))
    assert sorted(zip(got.s.tolist(), got.j.tolist(), strict=True)) == sorted(
        zip(expected.s.tolist(), expected.j.tolist(), strict=True)
    )
    assert data.stats["extension_rounds"] > 0


def test_apportion_splits_exactly_and_deterministically():
    assert apportion(20, {"990121": 3, "990122": 1}) == {"990121": 15, "990122": 5}
    assert apportion(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert sum(apportion(7, {"x": 5, "y": 9, "z": 2}).values()) == 7
    assert apportion(5, {"a": 0}) == {"a": 0}


def test_the_fallback_finds_a_job_at_the_seekers_own_door():
    """Distance 0 sits on the inner edge of the first fallback ring."""
    S, J, config = tables([job_row(1, *CENTER, code="6-01-01-01")], [seeker_row(5, *CENTER)], {5: ["4-10-01-05"]})
    got = CandidateFinder(Scorer(S, J, config)).top(np.arange(1), 3)
    assert list(J.id[got.j]) == [1] and got.distance_m[0] == 0


def test_the_same_code_above_the_occupation_level_is_an_exact_match():
    """A seeker wanting 中类 "4-10" and a job filed under "4-10" match exactly, not as 同小类."""
    here = point_near(CENTER, 300, 1.0)
    S, J, config = tables([job_row(1, *here, code="4-10"), job_row(2, *here, code="4-10-01-05")],
                          [seeker_row(5, *CENTER)], {5: ["4-10"]})  # fmt: skip
    got = CandidateFinder(Scorer(S, J, config)).top(np.arange(1), 3)
    assert dict(zip(J.id[got.j].tolist(), got.occupation.tolist(), strict=True)) == {1: 3, 2: 1}
