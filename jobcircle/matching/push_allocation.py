"""精准送岗, stage 2, allocation: the pairs of one partition (greedy, capacity-aware; ``engine.allocate``)."""

import numpy as np

from .conf import MatchingConfig
from .engine import CandidateFinder, Pairs, Scorer, allocate, open_admission, top_per_seeker
from .push_candidates import PartitionInput


def allocate_partition(data: PartitionInput, *, k, config: MatchingConfig) -> Pairs:
    """The chosen pairs of a partition, sorted by seeker and rank (greedy, capacity-aware).

    Seekers whose candidates were all taken get more: their next best pairs among jobs that can
    still accept them (admission bars, see ``engine.allocate``), until they have k or there are none.
    """
    S, J = data.seekers, data.jobs
    if len(J) == 0 or len(S) == 0:
        return Pairs.empty()
    scorer = Scorer(S, J, config, exclude=data.exclude)
    finder = CandidateFinder(scorer)
    pool = max(int(config.candidate_pool), k)
    scorer.admission = open_admission(data.capacity)
    candidates = finder.top(np.arange(len(S)), pool)
    extensions = {"rounds": 0, "seekers": 0, "excluded": 0}

    def extend(short, pairs, bars):
        extensions["rounds"] += 1
        extensions["seekers"] += len(short)
        new = slice(extensions["excluded"], len(pairs))  # pairs proposed since the last extension
        scorer.also_exclude(pairs.s[new] * len(J) + pairs.j[new])
        extensions["excluded"] = len(pairs)
        scorer.admission = bars
        return finder.top(short, pool)

    chosen, pairs = allocate(candidates, S.id, J.id, k=k, capacity=data.capacity, extend=extend)
    picked = pairs.take(chosen)
    data.stats.update(finder.stats, candidates=int(len(candidates)), extension_rounds=extensions["rounds"],
                      extended_seekers=extensions["seekers"])  # fmt: skip
    return top_per_seeker(picked, J.id, k)
