"""招聘信息合规审查 (SEC-39): the rule table's own examples are the tests, plus the checker's contract."""

import copy
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from jobcircle.employers.compliance import (
    BLOCK,
    RULESET,
    RULESET_VERSION,
    PostingHit,
    RuleTableError,
    blocking_hits,
    has_blocking,
    load_rules,
    review_posting,
    validate_rule_table,
)


def shipped_table():
    source = resources.files("jobcircle.employers").joinpath("data", "posting_rules.json")
    return json.loads(source.read_text(encoding="utf-8"))


def rule_ids(hits):
    return {hit.rule_id for hit in hits}


POSITIVES = [
    pytest.param(rule, text, id=f"{rule.id}-{n}") for rule in RULESET.rules for n, text in enumerate(rule.positives)
]
NEGATIVES = [
    pytest.param(rule, text, id=f"{rule.id}-{n}") for rule in RULESET.rules for n, text in enumerate(rule.negatives)
]


# --- the examples are the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("rule", "text"), POSITIVES)
def test_every_positive_example_is_flagged_by_its_rule(rule, text):
    hits = [hit for hit in review_posting({"requirements": text}) if hit.rule_id == rule.id]

    assert hits, f"{rule.id} did not flag {text!r}"
    for hit in hits:
        assert hit.phrase in text
        assert text[hit.start : hit.end] == hit.phrase
        assert hit.severity == rule.severity
        assert hit.citation == rule.citation


@pytest.mark.parametrize(("rule", "text"), NEGATIVES)
def test_no_negative_example_is_flagged_by_its_rule(rule, text):
    hits = [hit for hit in review_posting({"requirements": text}) if hit.rule_id == rule.id]

    assert hits == [], f"{rule.id} flagged {[h.phrase for h in hits]} in {text!r}"


# --- the rule table ---------------------------------------------------------------------------------------------


def test_the_shipped_rule_table_is_valid():
    assert validate_rule_table(shipped_table()) == []


def test_the_shipped_rule_table_is_versioned_and_covers_the_required_categories():
    categories = {rule.category for rule in RULESET.rules}

    assert RULESET_VERSION == shipped_table()["version"]
    assert {
        "gender",
        "ethnicity",
        "race",
        "religion",
        "hbv",
        "infectious_disease",
        "hukou",
        "region",
        "marriage_pregnancy",
        "disability",
        "age",
        "illegal_fee",
        "document_retention",
    } <= categories
    assert RULESET.get("age-limit").severity == "REVIEW"
    assert RULESET.get("no-such-rule") is None


def a_table_with(**changes):
    table = copy.deepcopy(shipped_table())
    table["rules"][0].update(changes)
    return table


def test_a_rule_without_a_citation_is_reported():
    table = a_table_with()
    del table["rules"][0]["citation"]

    assert "rule gender-excludes-women: missing citation" in validate_rule_table(table)
    assert "rule gender-excludes-women: missing citation" in validate_rule_table(a_table_with(citation=" "))


def test_a_citation_without_a_law_and_an_article_is_reported():
    problems = validate_rule_table(a_table_with(citation="就业促进法"))

    assert any("citation must name a law" in p for p in problems)


def test_a_rule_with_only_two_examples_is_reported():
    rule = shipped_table()["rules"][0]
    problems = validate_rule_table(a_table_with(positives=rule["positives"][:2], negatives=rule["negatives"][:2]))

    assert "rule gender-excludes-women: positives needs at least 3 texts it must flag, has 2" in problems
    assert "rule gender-excludes-women: negatives needs at least 3 texts it must not flag, has 2" in problems


def test_a_bad_severity_a_broken_regex_and_a_duplicate_id_are_reported():
    table = a_table_with(severity="WARN", patterns=["限(男"])
    table["rules"][1]["id"] = table["rules"][0]["id"]
    problems = validate_rule_table(table)

    assert "rule gender-excludes-women: severity must be BLOCK or REVIEW, not 'WARN'" in problems
    assert any("regex does not compile" in p and "限(男" in p for p in problems)
    assert "rule gender-excludes-women: duplicate id" in problems


def test_a_full_width_pattern_and_an_unknown_key_are_reported():
    problems = validate_rule_table(a_table_with(patterns=["３５岁以下"], citaton="《劳动法》第十五条"))

    assert any("not NFKC-normalised" in p for p in problems)
    assert "rule gender-excludes-women: unknown key citaton" in problems


def test_an_example_the_rule_does_not_honour_is_reported():
    rule = shipped_table()["rules"][0]
    table = a_table_with(positives=[*rule["positives"], "欢迎退役军人"], negatives=[*rule["negatives"], "限男性"])
    problems = validate_rule_table(table)

    assert "rule gender-excludes-women: positive example is not flagged: 欢迎退役军人" in problems
    assert "rule gender-excludes-women: negative example is flagged at 「限男性」: 限男性" in problems


def test_a_table_that_is_not_an_object_or_has_no_rules_is_reported():
    assert validate_rule_table([]) == ["rule table must be a JSON object with version and rules"]
    assert validate_rule_table({"version": "", "rules": []}) == [
        "rule table needs a non-empty version",
        "rule table needs a non-empty list of rules",
    ]


def test_loading_a_broken_table_raises_with_the_problems():
    table = a_table_with()
    del table["rules"][0]["citation"]

    with pytest.raises(RuleTableError) as excinfo:
        load_rules(table)
    assert "rule gender-excludes-women: missing citation" in excinfo.value.problems


def test_a_posting_can_be_reviewed_against_another_rule_table():
    table = shipped_table()
    table["version"] = "test-1"
    table["rules"] = [rule for rule in table["rules"] if rule["id"] == "age-limit"]
    ruleset = load_rules(table)

    hits = review_posting({"requirements": "限男性，35岁以下"}, ruleset=ruleset)

    assert ruleset.version == "test-1"
    assert [(h.rule_id, h.phrase) for h in hits] == [("age-limit", "35岁以下")]


# --- hits and messages ------------------------------------------------------------------------------------------


def test_the_message_quotes_the_phrase_and_the_citation():
    [hit] = review_posting({"requirements": "仓管员，限男性。"})

    assert hit.phrase == "限男性"
    assert hit.message == (
        "「限男性」属于性别限制，违反《中华人民共和国就业促进法》第二十七条；"
        "《中华人民共和国妇女权益保障法》第四十三条，请删除或修改。"
    )


def test_a_review_message_asks_for_a_reviewer_instead_of_refusing():
    [hit] = review_posting({"requirements": "年龄35周岁以下"})

    assert hit.severity == "REVIEW"
    assert "「35周岁以下」属于年龄限制" in hit.message
    assert "可能违反《中华人民共和国就业促进法》第二十六条" in hit.message
    assert "人工复核" in hit.message


def test_a_hit_serialises_for_the_api_and_the_audit_log():
    [hit] = review_posting({"title": "保安（男性优先）"})

    assert hit.as_dict() == {
        "rule_id": "gender-excludes-women",
        "category": "gender",
        "label": "性别限制",
        "severity": "BLOCK",
        "field": "title",
        "phrase": "男性优先",
        "start": 3,
        "end": 7,
        "citation": hit.citation,
        "message": hit.message,
    }


def test_a_multi_field_posting_reports_the_right_field_names():
    hits = review_posting(
        {
            "title": "招聘仓管员（限本地户口）",
            "description": "负责仓库货物收发、盘点。",
            "requirements": "男性优先，35岁以下，乙肝携带者勿扰。",
            "benefits": "包吃住，入职需交押金500元。",
        }
    )

    assert [(h.field, h.rule_id) for h in hits] == [
        ("benefits", "deposit-or-fee"),
        ("requirements", "gender-excludes-women"),
        ("requirements", "age-limit"),
        ("requirements", "hbv-carrier"),
        ("title", "hukou-local"),
    ]
    assert [h.phrase for h in hits] == ["入职需交押金500元", "男性优先", "35岁以下", "乙肝携带者勿扰", "限本地户口"]


def test_hits_in_one_field_are_in_reading_order():
    hits = review_posting({"requirements": "已婚已育，不招河南人，限男性"})

    assert [h.phrase for h in hits] == ["已婚已育", "不招河南人", "限男性"]
    assert [h.start for h in hits] == sorted(h.start for h in hits)


def test_full_width_characters_still_match():
    text = "年龄：１８－３５岁，ＨＩＶ携带者勿扰，性别：男"
    hits = review_posting({"requirements": text})

    assert rule_ids(hits) == {"age-limit", "infectious-carrier", "gender-excludes-women"}
    for hit in hits:
        assert text[hit.start : hit.end] == hit.phrase
    assert "ＨＩＶ携带者勿扰" in {h.phrase for h in hits}


def test_spaces_and_invisible_characters_do_not_hide_a_phrase():
    for text in ("男 性 优 先", "男\u3000性优先", "男\u200b性优先"):
        [hit] = review_posting({"title": text})
        assert hit.rule_id == "gender-excludes-women"
        assert hit.phrase == text


def test_offsets_point_into_the_original_text_when_normalisation_changes_its_length():
    text = "宿舍20㎡…………限男性"
    [hit] = review_posting({"benefits": text})

    assert hit.phrase == "限男性"
    assert (hit.start, hit.end) == (text.index("限"), len(text))


def test_an_exception_only_suppresses_matches_inside_it():
    assert review_posting({"requirements": "男女不限，性别不限"}) == []

    [hit] = review_posting({"requirements": "男女不限，男性优先"})
    assert hit.phrase == "男性优先"


def test_overlapping_matches_of_one_rule_are_reported_once():
    hits = review_posting({"requirements": "仅限男性"})

    assert [(h.rule_id, h.phrase) for h in hits] == [("gender-excludes-women", "仅限男性")]


def test_empty_and_missing_fields_are_skipped():
    assert review_posting({"title": "", "description": None, "benefits": "  \n"}) == []


def test_blocking_helpers_pick_out_the_block_hits():
    hits = review_posting({"requirements": "35岁以下，限男性"})
    review_only = review_posting({"requirements": "35岁以下"})

    assert [h.rule_id for h in blocking_hits(hits)] == ["gender-excludes-women"]
    assert has_blocking(hits)
    assert not has_blocking(review_only)
    assert blocking_hits(review_only) == []
    assert all(isinstance(h, PostingHit) and h.severity == BLOCK for h in blocking_hits(hits))


# --- clean postings ---------------------------------------------------------------------------------------------

CLEAN_POSTINGS = {
    "焊工": {
        "title": "电焊工（熟练工）",
        "description": "负责钢结构件的焊接作业，按图纸完成二氧化碳保护焊、氩弧焊，做好焊接质量自检。",
        "requirements": "持有效焊工证（熔化焊接与热切割作业），2年以上工作经验，能看懂图纸；男女不限，年满18周岁，"
        "身体健康，能适应车间环境。",
        "benefits": "月薪8000-12000元（计件另计），缴纳五险一金，包吃住，免费提供劳保用品，每年免费体检，"
        "加班按国家规定支付加班费。",
    },
    "保洁员": {
        "title": "小区保洁员",
        "description": "负责小区楼道、电梯厅和公共区域的日常清扫，垃圾分类收集与清运。",
        "requirements": "年龄不限，身体健康能胜任即可，工作认真负责；欢迎就业困难人员、退役军人和残疾人报名。",
        "benefits": "工作时间7:00-11:30、14:00-17:30，月休4天，月薪2800元，缴纳社会保险，公司免费提供工作服，"
        "不收取任何费用。",
    },
    "收银员": {
        "title": "超市收银员",
        "description": "负责收银、扫码结算、日常商品整理与补货，为顾客提供咨询服务。",
        "requirements": "会使用电脑及收银系统，有收银经验者优先，应届毕业生可报名，能接受早晚倒班"
        "（早班7:30-15:30，晚班15:00-22:30）。",
        "benefits": "月薪3500-4200元+全勤奖200元，缴纳五险，员工宿舍免押金，免费工作餐，女职工依法享受产假、哺乳假，"
        "入职请携带身份证原件及复印件。",
    },
}


@pytest.mark.parametrize("job", CLEAN_POSTINGS.values(), ids=CLEAN_POSTINGS.keys())
def test_a_clean_realistic_posting_yields_no_hits(job):
    assert review_posting(job) == []


# --- layering ---------------------------------------------------------------------------------------------------


def test_the_checker_does_not_import_django_models():
    root = Path(__file__).resolve().parents[2]
    code = "import sys, jobcircle.employers.compliance; print('django.db.models' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "False"


def test_the_checker_reads_at_most_its_bound_of_any_field():
    from jobcircle.employers.compliance import MAX_REVIEWED_LENGTH

    hits = review_posting({"description": "缝" * MAX_REVIEWED_LENGTH + "限男性"})
    assert hits == []
    assert review_posting({"description": "缝" * (MAX_REVIEWED_LENGTH - 3) + "限男性"})


def test_the_checker_bound_covers_every_reviewed_field_of_a_job():
    from jobcircle.employers.compliance import MAX_REVIEWED_LENGTH
    from jobcircle.employers.models import Job
    from jobcircle.employers.services import REVIEWED_FIELDS

    assert all(Job._meta.get_field(field).max_length <= MAX_REVIEWED_LENGTH for field in REVIEWED_FIELDS)
