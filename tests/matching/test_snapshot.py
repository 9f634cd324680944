"""Snapshot tables: ages, occupation slots, boosts and skill masks, column by column (no database)."""

import datetime

import numpy as np
import pytest

from jobcircle.matching.conf import get_config
from jobcircle.matching.snapshot import (
    JOB_MISSING,
    SEEKER_MISSING,
    SEEKER_PAD,
    SkillVocabulary,
    ages_on,
    build_jobs,
    build_seekers,
    occupation_keys,
    unique_values,
)
from jobcircle.people.models import age_on

from .helpers import job_row

D = datetime.date
BIRTH, TODAY = D(1990, 5, 17), D(2026, 12, 1)


def seeker(seeker_id, birth=BIRTH, skills=(), max_km=3, work_type="full_time"):
    return (seeker_id, 33.16, 115.62, 30, birth, skills, "990121001001", max_km, work_type, 3000)


def seeker_table(rows, occupations=None, key_groups=None, *, today=TODAY, vocabulary=None, **overrides):
    vocabulary = vocabulary or SkillVocabulary([])
    return build_seekers(rows, occupations or {}, key_groups or {}, today=today, config=get_config(**overrides),
                         vocabulary=vocabulary)  # fmt: skip


def test_ages_turn_on_the_birthday_and_for_29_february_on_1_march_in_common_years():
    cases = [
        (D(2000, 5, 17), D(2026, 5, 17), 26),  # birthday today
        (D(2000, 5, 17), D(2026, 5, 16), 25),
        (D(2000, 12, 31), D(2026, 1, 1), 25),
        (D(2000, 1, 1), D(2025, 12, 31), 25),
        (D(2004, 2, 29), D(2025, 2, 28), 20),  # common year: not yet on 28 February …
        (D(2004, 2, 29), D(2025, 3, 1), 21),  # … but on 1 March
        (D(2004, 2, 29), D(2028, 2, 28), 23),
        (D(2004, 2, 29), D(2028, 2, 29), 24),  # leap year: on the day
        (D(1969, 12, 31), D(2026, 12, 30), 56),
        (D(1900, 3, 1), D(2000, 2, 29), 99),
        (D(2026, 12, 1), D(2026, 12, 1), 0),
    ]
    for birth, today, age in cases:
        assert age_on(birth, today) == age, (birth, today)
        assert ages_on([birth], today).tolist() == [age]
        assert seeker_table([seeker(1, birth)], today=today).age.tolist() == [age]
    assert ages_on([], D(2026, 1, 1)).shape == (0,)


def test_seeker_occupations_take_one_slot_per_distinct_code_in_code_order():
    occupations = {
        3: ["6-01-01-01", "4-10-01-05", "6-01-01-01"],  # listed twice, out of order
        1: {"4-10"},  # two levels only
        9: ["5-01-01-01"],  # not a row
    }
    table = seeker_table([seeker(3), seeker(1), seeker(2)], occupations)
    assert table.id.tolist() == [1, 2, 3]
    keys = {code: occupation_keys(code) for code in ("4-10", "4-10-01-05", "6-01-01-01")}
    assert keys["4-10"][1] == JOB_MISSING
    pad = (SEEKER_PAD,) * 3
    expected = [
        [(keys["4-10"][0], SEEKER_MISSING, keys["4-10"][2]), pad],
        [pad, pad],
        [keys["4-10-01-05"], keys["6-01-01-01"]],
    ]
    got = np.stack([table.occ_exact, table.occ_minor, table.occ_middle], axis=-1)
    assert got.dtype == np.int64 and got.tolist() == [[list(k) for k in row] for row in expected]
    assert seeker_table([seeker(1)]).occ_exact.tolist() == [[SEEKER_PAD]]
    assert seeker_table([]).occ_exact.shape == (0, 1)


def test_boost_is_the_largest_of_a_seekers_groups_and_0_without_any():
    key_groups = {1: ["disabled"], 2: [], 4: ["disabled", "poverty_alleviated"], 7: ["poverty_alleviated"]}
    table = seeker_table([seeker(i) for i in (4, 3, 2, 1)], {}, key_groups, key_group_boost=0.05,
                         key_group_boosts={"poverty_alleviated": 0.08})  # fmt: skip
    assert table.boost.dtype == np.float64
    assert table.boost.tolist() == [0.05, 0.0, 0.0, 0.08]


def test_columns_per_distinct_value_keep_every_row_its_own():
    vocabulary = SkillVocabulary(['["电焊", "叉车"]', ["Excel"], None])
    rows = [seeker(1, skills='["电焊"]', max_km=None, work_type=None), seeker(2, skills=["电焊"], max_km=1.5),
            seeker(3, skills='["电焊"]', max_km=3),
            seeker(4, skills=["EXCEL", "电焊", "烹饪"], max_km=1.5)]  # fmt: skip
    table = seeker_table(rows, vocabulary=vocabulary)
    bit = {name: np.uint64(1) << np.uint64(i) for name, i in vocabulary.index.items()}
    assert table.skills[:, 0].tolist() == [bit["电焊"], bit["电焊"], bit["电焊"], bit["excel"] | bit["电焊"]]
    assert table.has_skills.tolist() == [True] * 4
    assert table.max_m.tolist() == [3000.0, 1500.0, 3000.0, 1500.0]
    assert table.work_type.tolist()[0] == max(table.work_type) > table.work_type[1]  # no intention: any type
    jobs = build_jobs([job_row(5, 33.1, 115.6, code="4-10"), job_row(2, 33.1, 115.6, code="4-10-01-05"),
                       job_row(8, 33.1, 115.6, code="4-10")], today=TODAY, config=get_config())  # fmt: skip
    assert jobs.id.tolist() == [2, 5, 8]
    assert jobs.occ_exact.tolist() == [occupation_keys(c)[0] for c in ("4-10-01-05", "4-10", "4-10")]
    assert jobs.occ_minor.tolist() == [occupation_keys("4-10-01-05")[1], JOB_MISSING, JOB_MISSING]


@pytest.mark.parametrize("size", [0, 1, 1000, 50_000])
def test_unique_values_are_numpys_distinct_values(size):
    values = np.random.default_rng(size).integers(-(2**40), 2**40, size) // 7 * 7
    values = np.concatenate([values, values[: size // 3]])  # with repeats
    assert np.array_equal(unique_values(values), np.unique(values))
    assert unique_values(values).dtype == values.dtype
