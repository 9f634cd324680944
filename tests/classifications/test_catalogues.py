"""ECO-11 / ECO-12: the 职业分类大典 (2022) and GB/T 4754-2017 catalogues shipped as data.

The expected totals below are the ones written down (and explained) in
jobcircle/classifications/data/SOURCES.md; they are not computed from the CSVs.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from jobcircle.classifications import services
from jobcircle.classifications.models import Industry, IndustryLevel, Occupation, OccupationLevel

SOURCES_MD = Path(services.DATA_DIR) / "SOURCES.md"

# Shipped totals, per level (SOURCES.md, "Counts").
OCCUPATION_TOTALS = {1: 8, 2: 79, 3: 450, 4: 1639}
OCCUPATION_DIGITAL, OCCUPATION_GREEN, OCCUPATION_DIGITAL_AND_GREEN = 95, 134, 23
INDUSTRY_TOTALS = {1: 20, 2: 97, 3: 473, 4: 1381}
# Official totals of the final 2022 edition (人社部, 2022-09): the shipped file follows the
# 2022 公示稿 and carries one 小类 and three 职业 more, which we could not identify (SOURCES.md).
OFFICIAL_OCCUPATION_TOTALS = {1: 8, 2: 79, 3: 449, 4: 1636}

OCCUPATION_CODE = {1: r"[1-8]", 2: r"[1-8]-\d{2}", 3: r"[1-8]-\d{2}-\d{2}", 4: r"[1-8]-\d{2}-\d{2}-\d{2}"}
INDUSTRY_CODE = {1: r"[A-T]", 2: r"\d{2}", 3: r"\d{3}", 4: r"\d{4}"}

pytestmark = pytest.mark.django_db


def counts_per_level(model):
    return dict(Counter(model.objects.values_list("level", flat=True)))


# ---------------------------------------------------------------- 职业分类大典


def test_every_occupation_code_has_the_shape_of_its_level():
    wrong = [
        (code, level)
        for code, level in Occupation.objects.values_list("code", "level")
        if not re.fullmatch(OCCUPATION_CODE[level], code)
    ]
    assert wrong == []


def test_every_occupation_except_the_eight_major_groups_has_a_parent_whose_code_is_its_prefix():
    for occupation in Occupation.objects.select_related("parent"):
        if occupation.level == OccupationLevel.MAJOR:
            assert occupation.parent is None
            continue
        assert occupation.parent is not None, occupation.code
        assert occupation.parent.level == occupation.level - 1
        assert occupation.code.rsplit("-", 1)[0] == occupation.parent.code


def test_occupation_counts_per_level_are_the_documented_totals():
    assert counts_per_level(Occupation) == OCCUPATION_TOTALS


def test_shipped_occupations_exceed_the_official_totals_only_by_one_minor_group_and_three_occupations():
    shipped = counts_per_level(Occupation)
    assert {level: shipped[level] - OFFICIAL_OCCUPATION_TOTALS[level] for level in shipped} == {1: 0, 2: 0, 3: 1, 4: 3}


def test_digital_and_green_marks_are_counted_as_documented():
    occupations = Occupation.objects.filter(level=OccupationLevel.OCCUPATION)
    assert occupations.filter(is_digital=True).count() == OCCUPATION_DIGITAL
    assert occupations.filter(is_green=True).count() == OCCUPATION_GREEN
    assert occupations.filter(is_digital=True, is_green=True).count() == OCCUPATION_DIGITAL_AND_GREEN
    assert not Occupation.objects.exclude(level=OccupationLevel.OCCUPATION).filter(is_digital=True).exists()


def test_4_10_01_05_is_the_elderly_care_worker_under_life_care_services():
    carer = Occupation.objects.get(code="4-10-01-05")
    assert carer.name == "养老护理员"
    assert carer.level == OccupationLevel.OCCUPATION
    assert [carer.parent.code, carer.parent.parent.code, carer.parent.parent.parent.code] == ["4-10-01", "4-10", "4"]
    assert str(carer) == "4-10-01-05 养老护理员"


def test_a_digital_and_green_occupation_carries_both_marks_and_no_letters_in_its_name():
    surveyor = Occupation.objects.get(code="2-02-02-03")
    assert surveyor.name == "摄影测量与遥感工程技术人员"
    assert surveyor.is_digital and surveyor.is_green


def test_every_occupation_is_marked_as_the_2022_edition():
    assert set(Occupation.objects.values_list("version", flat=True)) == {"2022"}


# ---------------------------------------------------------------- GB/T 4754-2017


def test_every_industry_code_has_the_shape_of_its_level():
    wrong = [
        (code, level)
        for code, level in Industry.objects.values_list("code", "level")
        if not re.fullmatch(INDUSTRY_CODE[level], code)
    ]
    assert wrong == []


def test_there_are_exactly_twenty_sections_a_to_t():
    sections = list(Industry.objects.filter(level=IndustryLevel.SECTION).values_list("code", flat=True))
    assert sections == list("ABCDEFGHIJKLMNOPQRST")


def test_industry_counts_per_level_are_97_divisions_473_groups_and_the_documented_classes():
    assert counts_per_level(Industry) == INDUSTRY_TOTALS


def test_every_division_sits_under_a_section_and_deeper_codes_extend_their_parents_code():
    for industry in Industry.objects.select_related("parent"):
        if industry.level == IndustryLevel.SECTION:
            assert industry.parent is None
        elif industry.level == IndustryLevel.DIVISION:
            assert industry.parent.level == IndustryLevel.SECTION, industry.code
        else:
            assert industry.parent.level == industry.level - 1
            assert industry.code[:-1] == industry.parent.code


def test_divisions_follow_their_sections_in_code_order():
    divisions = Industry.objects.filter(level=IndustryLevel.DIVISION).select_related("parent").order_by("code")
    sections = [d.parent.code for d in divisions]
    assert sections == sorted(sections)
    assert divisions.first().code == "01" and divisions.last().code == "97"


def test_0111_is_rice_growing_under_a_01_011():
    rice = Industry.objects.get(code="0111")
    assert rice.name == "稻谷种植"
    chain = [rice.parent, rice.parent.parent, rice.parent.parent.parent]
    assert [(i.code, i.name) for i in chain] == [("011", "谷物种植"), ("01", "农业"), ("A", "农、林、牧、渔业")]
    assert str(rice) == "0111 稻谷种植"


def test_a_group_with_a_single_class_is_restored_under_the_classes_name():
    other_farming = Industry.objects.get(code="0190")
    assert other_farming.parent.code == "019"
    assert other_farming.parent.name == other_farming.name == "其他农业"


def test_leaves_are_the_finest_level_of_each_catalogue():
    assert Industry.objects.leaves().count() == INDUSTRY_TOTALS[4]
    assert Occupation.objects.leaves().count() == OCCUPATION_TOTALS[4]
    assert set(Industry.objects.leaves().values_list("level", flat=True)) == {IndustryLevel.CLASS}
    assert Industry.objects.roots().count() == INDUSTRY_TOTALS[1]


# ---------------------------------------------------------------- loading


def test_loading_twice_leaves_the_counts_unchanged():
    before = (counts_per_level(Occupation), counts_per_level(Industry))
    for _ in range(2):
        occupations, industries = services.load_occupations(), services.load_industries()
        assert (occupations.created, occupations.updated) == (0, 0)
        assert (industries.created, industries.updated) == (0, 0)
    assert (counts_per_level(Occupation), counts_per_level(Industry)) == before


def test_loading_upserts_by_code_restoring_edited_and_missing_rows():
    Occupation.objects.filter(code="4-10-01-05").update(name="改过的名字", is_green=True)
    Occupation.objects.filter(code="8-00-00-00").delete()

    result = services.load_occupations()

    assert (result.created, result.updated) == (1, 1)
    carer = Occupation.objects.get(code="4-10-01-05")
    assert (carer.name, carer.is_green) == ("养老护理员", False)
    assert Occupation.objects.get(code="8-00-00-00").parent.code == "8-00-00"
    assert counts_per_level(Occupation) == OCCUPATION_TOTALS


def test_loading_into_an_empty_table_builds_the_whole_tree():
    services.delete_catalogue(Industry)
    assert not Industry.objects.exists()

    result = services.load_industries()

    assert result.created == sum(INDUSTRY_TOTALS.values())
    assert counts_per_level(Industry) == INDUSTRY_TOTALS


def test_the_management_command_reports_nothing_new_on_a_loaded_database(capsys):
    call_command("load_classifications")
    out = capsys.readouterr().out
    assert "职业分类：新增 0，更新 0" in out
    assert "行业分类：新增 0，更新 0" in out


def test_a_csv_row_whose_code_does_not_fit_its_level_is_rejected(tmp_path):
    bad = tmp_path / "occupations.csv"
    bad.write_text("code,name,level,parent_code,is_digital,is_green\n4-1-01,坏代码,3,4-1,0,0\n", encoding="utf-8")
    with pytest.raises(services.CatalogueError):
        services.load_occupations(bad)


def test_a_csv_row_whose_parent_is_not_its_code_prefix_is_rejected(tmp_path):
    bad = tmp_path / "industries.csv"
    bad.write_text("code,name,level,parent_code\n0111,稻谷种植,4,012\n", encoding="utf-8")
    with pytest.raises(services.CatalogueError):
        services.load_industries(bad)


def test_sources_md_records_the_totals_these_tests_assert():
    text = SOURCES_MD.read_text(encoding="utf-8")
    occupations = " / ".join(str(OCCUPATION_TOTALS[level]) for level in (1, 2, 3, 4))
    industries = " / ".join(str(INDUSTRY_TOTALS[level]) for level in (1, 2, 3, 4))
    official = " / ".join(str(OFFICIAL_OCCUPATION_TOTALS[level]) for level in (1, 2, 3, 4))
    for line in (occupations, industries, official):
        assert line in text
    assert f"S {OCCUPATION_DIGITAL} / L {OCCUPATION_GREEN} / S+L {OCCUPATION_DIGITAL_AND_GREEN}" in text
