"""Loaders, on the suite's database: ``int_pairs`` reads exactly the rows ``values_list`` reads, and
``seeker_features`` reads each seeker with their codes."""

import datetime
import random
import struct

import numpy as np
import pytest

from jobcircle.classifications.models import Occupation
from jobcircle.matching.loaders import COPY_HEADER, SEEKER_COLUMNS, _copied_pairs, int_pairs, seeker_features
from jobcircle.matching.models import JobPush
from jobcircle.people.models import KeyGroup, Resident
from tests.factories import ResidentFactory

from .conftest import make_seeker

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 26)
BIG = 2**62 + 12345  # beyond 32 bits and beyond a double's exact integers


def push(resident_id, job_id, day=DAY):
    # JobPush has no database FK constraints, so ids need not exist.
    return JobPush(resident_id=resident_id, job_id=job_id, pushed_on=day, rank=1, score=1.0, distance_m=0.0,
                   occupation_match=0, skill_overlap=0, pay_fit=True, area_code="990121001001")  # fmt: skip


def pairs_of(queryset):
    return queryset.order_by("resident_id", "job_id").values_list("resident_id", "job_id")


def assert_same_rows(queryset):
    got = int_pairs(queryset)
    expected = list(queryset)
    assert got.dtype == np.int64 and got.shape == (len(expected), 2)
    assert [tuple(map(int, row)) for row in got] == expected


def test_empty_querysets_give_no_rows():
    JobPush.objects.bulk_create([push(1, 2)])
    for queryset in (
        pairs_of(JobPush.objects.none()),
        pairs_of(JobPush.objects.filter(pk__in=[])),  # no query at all
        pairs_of(JobPush.objects.filter(job_id=3)),  # a query that finds nothing
    ):
        assert_same_rows(queryset)


def test_one_row():
    JobPush.objects.bulk_create([push(7, BIG), push(8, 9)])
    assert_same_rows(pairs_of(JobPush.objects.filter(resident_id=7)))
    assert int_pairs(pairs_of(JobPush.objects.filter(resident_id=7))).tolist() == [[7, BIG]]


def test_many_rows_in_the_query_order_with_parameters_and_a_subquery(community):
    rng = random.Random(5)
    pairs = {(rng.randrange(10**7, 10**8), rng.randrange(1, 10**6)) for _ in range(3000)} | {(BIG, 1), (1, BIG)}
    days = [DAY - datetime.timedelta(days=d) for d in range(4)]
    JobPush.objects.bulk_create([push(r, j, rng.choice(days)) for r, j in pairs])
    everything = pairs_of(JobPush.objects.all())
    assert_same_rows(everything)
    assert_same_rows(JobPush.objects.order_by("-job_id", "resident_id").values_list("job_id", "resident_id"))
    # Shaped like the push history: a window of days and the residents of a subquery.
    resident = ResidentFactory(community=community)
    JobPush.objects.bulk_create([push(resident.pk, j, DAY - datetime.timedelta(days=j % 3)) for j in range(1, 40)])
    window = JobPush.objects.filter(resident_id__in=Resident.objects.filter(pk=resident.pk).values("pk"),
                                    pushed_on__gt=DAY - datetime.timedelta(days=2), pushed_on__lt=DAY)  # fmt: skip
    assert_same_rows(pairs_of(window))
    assert len(int_pairs(pairs_of(window))) == 13


def test_only_two_columns_are_read():
    JobPush.objects.bulk_create([push(1, 2), push(3, 4)])
    with pytest.raises(ValueError, match="two columns"):
        int_pairs(JobPush.objects.order_by("pk").values_list("resident_id", "job_id", "rank"))


def copy_stream(pairs, *, count=None, header=COPY_HEADER):
    packed = b"".join(struct.pack(">qq", *p) for p in pairs)
    count = len(pairs) if count is None else count
    field = struct.pack(">i", len(packed)) + packed if pairs else struct.pack(">i", -1)
    return header + struct.pack(">hiq", 2, 8, count) + field + b"\xff\xff"


def test_the_copy_stream_is_parsed_and_checked():
    assert _copied_pairs(copy_stream([(1, BIG), (2**40, 3)])).tolist() == [[1, BIG], [2**40, 3]]
    assert _copied_pairs(copy_stream([])).shape == (0, 2)
    with pytest.raises(ValueError, match="not a COPY binary stream"):
        _copied_pairs(copy_stream([(1, 2)], header=b"PGCOPY\n\xff\r\n\x00" + bytes(4) + struct.pack(">i", 4)))
    with pytest.raises(ValueError, match="a NULL value"):
        _copied_pairs(copy_stream([(1, 2)], count=2))  # a row whose pair was NULL
    with pytest.raises(ValueError, match="trailer"):
        _copied_pairs(copy_stream([(1, 2)])[:-2] + b"\x00\x00")


def test_seeker_features_come_with_their_codes_in_one_query(community, django_assert_num_queries):
    """Own occupations and intended ones, active key groups only; a seeker without a job intention
    or without any code."""
    groups = list(KeyGroup.objects.order_by("code")[:3])
    KeyGroup.objects.filter(pk=groups[2].pk).update(is_active=False)
    welder = make_seeker(community, occupations=("4-10-01-05", "6-01-01-01"), key_groups=[g.code for g in groups])
    welder.occupations.set(Occupation.objects.filter(code__in=["4-10-01-05", "4-01-02-01"]))
    no_intention = make_seeker(community, intention=False, key_groups=[groups[1].code])
    plain = make_seeker(community, occupations=())
    queryset = Resident.objects.filter(pk__in=[welder.pk, no_intention.pk, plain.pk])
    with django_assert_num_queries(1):
        rows, occupations, key_groups = seeker_features(queryset, extra=("h3_r5",))
    assert sorted(r[0] for r in rows) == sorted(queryset.values_list("pk", flat=True))
    assert [r[-1] for r in sorted(rows)] == list(queryset.order_by("pk").values_list("h3_r5", flat=True))
    assert all(len(r) == len(SEEKER_COLUMNS) + 1 for r in rows)
    assert occupations == {welder.pk: ["4-01-02-01", "4-10-01-05", "4-10-01-05", "6-01-01-01"]}
    assert key_groups == {welder.pk: [groups[0].code, groups[1].code], no_intention.pk: [groups[1].code]}
