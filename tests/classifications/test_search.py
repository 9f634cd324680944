"""Finding an occupation from what a person typed: the catalogue, everyday words, the nearest name."""

import pytest

from jobcircle.classifications.models import Occupation
from jobcircle.classifications.services import nearest_occupation, search_occupations
from jobcircle.classifications.synonyms import SYNONYMS

pytestmark = pytest.mark.django_db


def names(occupations):
    return [o.name for o in occupations]


@pytest.mark.parametrize(
    ("typed", "first"),
    [("收银", "收银员"), ("收银员", "收银员"), ("保姆", "家政服务员"), ("送外卖", "网约配送员"),
     ("司机", "道路货运汽车驾驶员"), ("想做收银员", "收银员"), ("4-10-01-05", "养老护理员"), ("护工", "养老护理员")],
)  # fmt: skip
def test_what_people_type_finds_the_occupation_first(typed, first):
    assert names(search_occupations(typed))[0] == first


def test_the_first_characters_already_suggest(db):
    assert "收银员" in names(search_occupations("收"))


def test_every_everyday_word_points_at_catalogue_occupations():
    leaves = set(Occupation.objects.leaves().values_list("name", flat=True))
    assert {name for targets in SYNONYMS.values() for name in targets} <= leaves


def test_the_nearest_occupation_of_a_near_spelling_and_none_for_nonsense():
    assert nearest_occupation("养老护里员").name == "养老护理员"
    assert nearest_occupation("ZZZ") is None and search_occupations("") == []
