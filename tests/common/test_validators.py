"""ECO-01, ECO-02, SEC-25, SEC-43: identity numbers, credit codes and mobile phones."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumValidationError

from jobcircle.common.validators import (
    CreditCodeInfo,
    IdNumberInfo,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile_phone,
    organization_code_check_char,
    parse_credit_code,
    parse_id_number,
    parse_identity_document,
    validate_credit_code,
    validate_id_number,
    validate_mobile_phone,
)

# Written out from the spec rather than imported, so the tests are an independent oracle.
PROVINCE_CODES = frozenset(
    f"{n:02d}"
    for n in [
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
        83,
    ]
)
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FUNCTION_SCOPED = hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def error_code(excinfo) -> str:
    return excinfo.value.code


def error_message(excinfo) -> str:
    return excinfo.value.messages[0]


# ---------------------------------------------------------------------------
# ID numbers: the REQUIREMENTS.md vector table
# ---------------------------------------------------------------------------

VALID_IDS = [
    "11010519491231002X",
    "360426199101010071",
    "33010619900101123X",
    "310115198001010016",
    "110229201601010010",
]


def test_female_beijing_id_from_the_table_parses_to_date_gender_and_place():
    info = parse_id_number("11010519491231002X")
    assert info == IdNumberInfo(
        number="11010519491231002X",
        birth_date=datetime.date(1949, 12, 31),
        gender="F",
        birth_place="北京市朝阳区",
        warnings=(),
    )


def test_male_jiangxi_id_from_the_table_is_valid_and_male():
    info = parse_id_number("360426199101010071")
    assert info.gender == "M"
    assert info.birth_date == datetime.date(1991, 1, 1)
    assert info.warnings == ()


def test_hangzhou_xihu_id_from_the_table_names_zhejiang_xihu():
    info = parse_id_number("33010619900101123X")
    assert info.birth_place == "浙江省西湖区"
    assert info.warnings == ()


def test_pudong_id_that_stdnum_rejects_is_valid_without_warning():
    with pytest.raises(StdnumValidationError):
        ric.validate("310115198001010016")  # upstream issue #442: area code newer than birth year
    info = parse_id_number("310115198001010016")
    assert info.birth_place == "上海市浦东新区"
    assert info.warnings == ()


def test_id_with_area_code_abolished_before_birth_is_accepted_with_a_warning_for_staff():
    with pytest.raises(StdnumValidationError):
        ric.validate("110229201601010010")
    info = parse_id_number("110229201601010010")
    assert info.birth_date == datetime.date(2016, 1, 1)
    assert info.warnings == ("地区码110229（延庆县）已于2015年撤销，早于出生年份，请核对",)


def test_id_with_an_area_code_missing_from_the_table_is_accepted_with_a_warning():
    number = with_check_digit("11999919900101001")
    info = parse_id_number(number)
    assert info.birth_place == "北京市"
    assert len(info.warnings) == 1
    assert "119999" in info.warnings[0]
    assert info.warnings[0] == "地区码119999未收录于行政区划代码表，请核对"


@pytest.mark.parametrize(
    "area, place", [("810000", "香港特别行政区"), ("820000", "澳门特别行政区"), ("830000", "台湾地区")]
)
def test_residence_permit_numbers_for_hong_kong_macau_and_taiwan_are_accepted_without_warning(area, place):
    info = parse_id_number(with_check_digit(area + "1990" + "0101001"))
    assert info.birth_place == place
    assert info.warnings == ()


@pytest.mark.parametrize("number", VALID_IDS)
def test_validate_id_number_returns_none_for_every_valid_vector(number):
    assert validate_id_number(number) is None


@pytest.mark.parametrize("number", VALID_IDS)
@pytest.mark.parametrize("position", range(18))
def test_changing_any_one_digit_of_a_table_vector_is_a_checksum_error(number, position):
    original = number[position]
    replacement = "0" if original != "0" else "1"
    mutated = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(mutated)
    assert error_code(excinfo) == "id_number_checksum"


# ---------------------------------------------------------------------------
# ID numbers: each error kind has its own message
# ---------------------------------------------------------------------------


def test_wrong_checksum_message_says_the_check_digit_is_wrong_and_names_the_field():
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number("110105194912310021", field_label="法定代表人身份证号")
    assert error_code(excinfo) == "id_number_checksum"
    assert error_message(excinfo).startswith("法定代表人身份证号")
    assert "校验位错误" in error_message(excinfo)


def test_impossible_birth_date_such_as_february_30_is_reported_as_a_nonexistent_date():
    number = with_check_digit("11010519490230002")
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(number)
    assert error_code(excinfo) == "id_number_birth_date"
    assert "1949-02-30不存在" in error_message(excinfo)


def test_birth_date_before_1900_is_rejected_as_out_of_range():
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(with_check_digit("11010518991231002"))
    assert error_code(excinfo) == "id_number_birth_date_range"
    assert "早于1900-01-01" in error_message(excinfo)


def test_birth_date_on_1900_01_01_is_accepted():
    assert parse_id_number(with_check_digit("11010519000101002")).birth_date == datetime.date(1900, 1, 1)


def test_birth_date_in_the_future_is_rejected_as_out_of_range():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(with_check_digit(f"110105{tomorrow:%Y%m%d}002"))
    assert error_code(excinfo) == "id_number_birth_date_range"
    assert "晚于今天" in error_message(excinfo)


def test_birth_date_of_today_is_accepted():
    today = timezone.localdate()
    assert parse_id_number(with_check_digit(f"110105{today:%Y%m%d}002")).birth_date == today


@pytest.mark.parametrize("value", ["11010519491231002", "11010519491231002X1", "1101051949"])
def test_wrong_length_is_reported_with_the_actual_length(value):
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(value)
    assert error_code(excinfo) == "id_number_length"
    assert f"当前为{len(value)}位" in error_message(excinfo)


def test_fifteen_digit_old_number_asks_for_the_eighteen_digit_number():
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number("110105491231002")
    assert error_code(excinfo) == "id_number_15_digit"
    assert "请填写18位身份证号" in error_message(excinfo)


@pytest.mark.parametrize(
    "value", ["1101051949123100AX", "X1010519491231002X", "11010519491231002Y", "11010519491231-02X"]
)
def test_non_digit_characters_are_reported_by_position(value):
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(value)
    assert error_code(excinfo) == "id_number_format"
    assert "只能填写数字，最后一位可以是X" in error_message(excinfo)


def test_non_ascii_digits_are_not_mistaken_for_digits():
    arabic_indic = "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"  # str.isdigit() is True for these; NFKC keeps them
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(arabic_indic)
    assert error_code(excinfo) == "id_number_format"


@pytest.mark.parametrize("prefix", ["00", "10", "16", "20", "38", "47", "55", "60", "66", "72", "80", "84", "98"])
def test_unknown_province_prefix_is_rejected_with_its_own_message(prefix):
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(with_check_digit(prefix + "010519900101001"))
    assert error_code(excinfo) == "id_number_province"
    assert f"前两位“{prefix}”不是有效的省级行政区划代码" in error_message(excinfo)


@pytest.mark.parametrize("value", ["", "   ", None])
def test_empty_id_number_says_the_field_is_required(value):
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(value)
    assert error_code(excinfo) == "id_number_empty"
    assert error_message(excinfo) == "身份证号不能为空"


def test_each_id_error_kind_has_a_distinct_message():
    bad_values = [
        "110105194912310021",  # checksum
        with_check_digit("11010519490230002"),  # impossible date
        "1101051949123100",  # length
        "110105491231002",  # 15-digit
        "1101051949123100AX",  # non-digit
        with_check_digit("99010519900101001"),  # unknown province (990105 is not a demo prefix)
    ]
    messages = set()
    codes = set()
    for value in bad_values:
        with pytest.raises(ValidationError) as excinfo:
            parse_id_number(value)
        messages.add(error_message(excinfo))
        codes.add(error_code(excinfo))
    assert len(messages) == len(bad_values)
    assert len(codes) == len(bad_values)


# ---------------------------------------------------------------------------
# ID numbers: normalisation
# ---------------------------------------------------------------------------


def test_full_width_digits_and_full_width_x_from_chinese_imes_are_normalised():
    assert normalize_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    assert parse_id_number("１１０１０５１９４９１２３１００２ｘ").number == "11010519491231002X"


def test_lower_case_x_is_upper_cased():
    assert parse_id_number("11010519491231002x").number == "11010519491231002X"


def test_spaces_including_ideographic_spaces_and_newlines_are_stripped():
    assert normalize_id_number(" 110105 19491231\u3000002x\n") == "11010519491231002X"


# ---------------------------------------------------------------------------
# ID numbers: SEC-43 demo prefix
# ---------------------------------------------------------------------------

DEMO_ID = with_check_digit("99000019900101001")


def test_demo_prefix_number_is_accepted_when_the_setting_lists_it(settings):
    settings.JOBCIRCLE_DEMO_ID_PREFIXES = ["990000"]
    info = parse_id_number(DEMO_ID)
    assert info.birth_date == datetime.date(1990, 1, 1)
    assert info.gender == "M"
    assert info.birth_place == ""
    assert info.warnings == ()


def test_demo_prefix_number_is_rejected_as_unknown_province_when_the_setting_is_empty(settings):
    settings.JOBCIRCLE_DEMO_ID_PREFIXES = []
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(DEMO_ID)
    assert error_code(excinfo) == "id_number_province"


def test_only_the_listed_six_digit_prefix_is_accepted_not_the_whole_99_range(settings):
    settings.JOBCIRCLE_DEMO_ID_PREFIXES = ["990000"]
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(with_check_digit("99000119900101001"))
    assert error_code(excinfo) == "id_number_province"


def test_demo_prefix_numbers_still_need_a_correct_checksum_and_real_date(settings):
    settings.JOBCIRCLE_DEMO_ID_PREFIXES = ["990000"]
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(DEMO_ID[:-1] + ("0" if DEMO_ID[-1] != "0" else "1"))
    assert error_code(excinfo) == "id_number_checksum"
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(with_check_digit("99000019900231001"))
    assert error_code(excinfo) == "id_number_birth_date"


# ---------------------------------------------------------------------------
# ID numbers: properties
# ---------------------------------------------------------------------------


def digit_string(length):
    return st.text(alphabet="0123456789", min_size=length, max_size=length)


@st.composite
def seventeen_digits(draw):
    """Mostly structured (so dates and provinces are often valid), sometimes fully random."""
    if draw(st.integers(0, 4)) == 0:
        return draw(digit_string(17))
    province = draw(st.one_of(st.sampled_from(sorted(PROVINCE_CODES)), digit_string(2)))
    area = draw(digit_string(4))
    if draw(st.booleans()):
        birth = draw(st.dates(min_value=datetime.date(1890, 1, 1), max_value=datetime.date(2099, 12, 31)))
        ymd = f"{birth:%Y%m%d}"
    else:
        ymd = f"{draw(st.integers(1890, 2099))}{draw(st.integers(0, 13)):02d}{draw(st.integers(0, 32)):02d}"
    sequence = draw(digit_string(3))
    return province + area + ymd + sequence


def expected_to_be_accepted(first17: str, demo_prefixes) -> bool:
    try:
        birth = datetime.date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
    except ValueError:
        return False
    if not datetime.date(1900, 1, 1) <= birth <= timezone.localdate():
        return False
    return first17[:6] in demo_prefixes or first17[:2] in PROVINCE_CODES


@FUNCTION_SCOPED
@given(first17=seventeen_digits())
@example(first17="11010519491231002")
@example(first17="99000019900101001")
def test_seventeen_digits_plus_computed_check_digit_is_accepted_iff_date_and_province_are_valid(settings, first17):
    settings.JOBCIRCLE_DEMO_ID_PREFIXES = ["990000"]
    number = with_check_digit(first17)
    try:
        info = parse_id_number(number)
    except ValidationError as exc:
        assert not expected_to_be_accepted(first17, {"990000"}), exc.messages
        assert exc.code in {"id_number_birth_date", "id_number_birth_date_range", "id_number_province"}
        event(f"rejected: {exc.code}")
    else:
        assert expected_to_be_accepted(first17, {"990000"})
        event("accepted")
        assert info.number == number
        assert info.gender == ("M" if int(first17[16]) % 2 else "F")


@st.composite
def valid_id_numbers(draw):
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    area = draw(digit_string(4))
    birth = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)))
    sequence = draw(digit_string(3))
    return with_check_digit(f"{province}{area}{birth:%Y%m%d}{sequence}")


@given(number=st.one_of(valid_id_numbers(), st.sampled_from(VALID_IDS)), data=st.data())
def test_every_single_character_mutation_of_a_valid_id_is_rejected(number, data):
    parse_id_number(number)  # precondition: the original is accepted
    position = data.draw(st.integers(0, 17), label="position")
    replacement = data.draw(st.sampled_from([c for c in "0123456789X" if c != number[position]]), label="new")
    mutated = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(mutated)
    expected = "id_number_format" if replacement == "X" and position < 17 else "id_number_checksum"
    assert error_code(excinfo) == expected


# ---------------------------------------------------------------------------
# Credit codes (ECO-02)
# ---------------------------------------------------------------------------

# The ECO-02 vector for the letter authority N (农业/村级集体经济组织): letter authorities number their
# 主体标识码 themselves, so it is valid although MA0000000 would fail a GB 11714 check.
VILLAGE_COLLECTIVE = "N2110100MA00000006"
VALID_CREDIT_CODES = ["91110000600037341L", "91350100M000100Y43", VILLAGE_COLLECTIVE]


def test_beijing_enterprise_credit_code_is_valid_and_registered_with_industry_and_commerce():
    assert parse_credit_code("91110000600037341L") == CreditCodeInfo(
        code="91110000600037341L",
        registration_authority="工商",
        warnings=(),
        organization_type="企业",
        division="北京市",
    )


def test_fuzhou_credit_code_with_letters_in_the_body_is_valid():
    info = parse_credit_code("91350100M000100Y43")
    assert info.registration_authority == "工商"
    assert info.division == "福建省福州市"
    assert info.warnings == ()


def test_village_collective_credit_code_that_stdnum_rejects_is_valid():
    with pytest.raises(StdnumValidationError):
        uscc.validate(VILLAGE_COLLECTIVE)
    info = parse_credit_code(VILLAGE_COLLECTIVE)
    assert info.registration_authority == "农业"
    assert info.organization_type == "村级集体经济组织"
    assert info.warnings == ()


def test_stdnum_doc_example_with_authority_a_fails_on_checksum_naming_expected_and_actual():
    with pytest.raises(ValidationError) as excinfo:
        parse_credit_code("A1110000600037341L")
    assert error_code(excinfo) == "credit_code_checksum"
    assert "校验位应为K，实际为L" in error_message(excinfo)
    assert error_message(excinfo).startswith("统一社会信用代码")


def test_authority_a_with_the_right_check_character_is_accepted():
    assert parse_credit_code("A1110000600037341K").registration_authority == "中央军委改革和编制办公室"


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_validate_credit_code_returns_none_for_valid_codes(code):
    assert validate_credit_code(code) is None


def test_credit_code_is_normalised_from_full_width_lower_case_spaces_and_hyphens():
    assert normalize_credit_code(" ９１１１００００-６０００３７３４１ｌ ") == "91110000600037341L"
    assert parse_credit_code("n2110100 ma00000006").code == VILLAGE_COLLECTIVE


def test_national_level_division_code_is_accepted_without_warning():
    code = "91100000" + "10000000"
    code += organization_code_check_char(code[8:])
    code += uscc.calc_check_digit(code)
    info = parse_credit_code(code)
    assert info.division == "国家级"
    assert info.warnings == ()


def test_unknown_division_code_is_only_a_warning():
    code = "91999999MA000000"
    code += organization_code_check_char(code[8:])
    code += uscc.calc_check_digit(code)
    info = parse_credit_code(code)
    assert len(info.warnings) == 1
    assert "999999" in info.warnings[0]


@pytest.mark.parametrize("first", ["0", "B", "C", "X", "Z"])
def test_registration_authority_outside_1_to_9_a_n_y_is_rejected(first):
    with pytest.raises(ValidationError) as excinfo:
        parse_credit_code(first + "1110000600037341L")
    assert error_code(excinfo) == "credit_code_authority"


def test_organisation_category_must_be_a_digit():
    with pytest.raises(ValidationError) as excinfo:
        parse_credit_code("9A110000600037341L")
    assert error_code(excinfo) == "credit_code_category"


def test_division_code_positions_3_to_8_must_be_digits():
    with pytest.raises(ValidationError) as excinfo:
        parse_credit_code("9111A000600037341L")
    assert error_code(excinfo) == "credit_code_division"
    assert "第5位" in error_message(excinfo)


@pytest.mark.parametrize("value", ["", "91110000600037341", "91110000600037341LL"])
def test_credit_code_of_wrong_length_or_empty_is_rejected(value):
    with pytest.raises(ValidationError) as excinfo:
        parse_credit_code(value)
    assert error_code(excinfo) in {"credit_code_empty", "credit_code_length"}


@pytest.mark.parametrize("letter", list("IOZSV"))
@pytest.mark.parametrize("position", range(8, 18))
def test_letters_i_o_z_s_v_are_rejected_in_the_body_and_check_position(letter, position):
    base = "91110000600037341L"
    with pytest.raises(ValidationError) as excinfo:
        parse_credit_code(base[:position] + letter + base[position + 1 :])
    assert error_code(excinfo) == "credit_code_format"
    assert "不使用字母I、O、Z、S、V" in error_message(excinfo)


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_letters_i_o_z_s_v_are_rejected_even_with_a_recomputed_check_character(letter):
    body = "91110000" + letter + "00037341"
    # No choice of final character can make a code containing a forbidden letter valid.
    for check in CREDIT_ALPHABET:
        with pytest.raises(ValidationError):
            parse_credit_code(body + check)


@given(
    code=st.sampled_from(VALID_CREDIT_CODES),
    position=st.integers(0, 17),
    replacement=st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
)
def test_every_one_character_mutation_of_a_valid_credit_code_is_rejected(code, position, replacement):
    if replacement == code[position]:
        return
    with pytest.raises(ValidationError):
        parse_credit_code(code[:position] + replacement + code[position + 1 :])


@given(
    authority=st.sampled_from("123456789ANY"),
    category=st.sampled_from("0123456789"),
    division=digit_string(6),
    body=st.text(alphabet=CREDIT_ALPHABET, min_size=8, max_size=8),
)
def test_every_well_formed_credit_code_with_computed_check_character_is_accepted(authority, category, division, body):
    first17 = authority + category + division + body + organization_code_check_char(body)
    code = first17 + uscc.calc_check_digit(first17)
    assert parse_credit_code(code).code == code


# ---------------------------------------------------------------------------
# Mobile phones (SEC-25)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, normalised",
    [
        ("13812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+86-13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("\u300013812345678\n", "13812345678"),
    ],
)
def test_mainland_mobile_numbers_in_common_notations_are_accepted(value, normalised):
    assert normalize_mobile_phone(value) == normalised
    assert validate_mobile_phone(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "",
        "12812345678",  # second digit 2
        "10012345678",
        "23812345678",  # does not start with 1
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "1381234567a",
        "+85291234567",  # Hong Kong
        "010-12345678",  # landline
        "+1 13812345678",
    ],
)
def test_non_mainland_mobile_numbers_are_rejected_with_the_standard_message(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_mobile_phone(value)
    assert error_code(excinfo) == "mobile_phone_format"
    assert error_message(excinfo) == "手机号格式不正确：请填写11位中国大陆手机号"


# ---------------------------------------------------------------------------
# The embedded 组织机构代码 (GB 11714) and every 证件类型 by its own rules (issue 22 item 10)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, check",
    [("60003734", "1"), ("M000100Y", "4"), ("55138508", "2"), ("MA01G0FB", "0"), ("K356UE9X", "0")],
)
def test_organisation_code_check_character_follows_gb_11714(body, check):
    assert organization_code_check_char(body) == check


@pytest.mark.parametrize(
    "code, expected",
    [
        ("91341282K356UE9X1E", "0"),  # issue 22: stdnum accepts it, the embedded organisation code does not
        ("91350100M000100Y5" + uscc.calc_check_digit("91350100M000100Y5"), "4"),  # ECO-02's vector, 17th changed
    ],
)
def test_a_wrong_check_character_of_the_embedded_organisation_code_is_refused(code, expected):
    assert uscc.calc_check_digit(code) == code[-1]  # the 18th character alone is right
    with pytest.raises(ValidationError) as excinfo:
        parse_credit_code(code)
    assert error_code(excinfo) == "credit_code_organization_checksum"
    assert f"第17位（组织机构代码校验码）错误：应为{expected}，实际为{code[16]}" in error_message(excinfo)


def test_division_000000_is_accepted_with_a_warning_for_staff():
    first17 = "91000000MA000000" + organization_code_check_char("MA000000")
    info = parse_credit_code(first17 + uscc.calc_check_digit(first17))
    assert any("000000" in warning for warning in info.warnings)


def hmt_number(area="810000", birth="19900101", sequence="123", wrong=False):
    return with_check_digit_or_wrong(area + birth + sequence, wrong)


def foreign_number(birth="19850612", sequence="011", wrong=False):
    return with_check_digit_or_wrong("911840" + birth + sequence, wrong)  # issued in 北京, nationality 840


def with_check_digit_or_wrong(first17, wrong):
    check = ric.calc_check_digit(first17 + "0")
    return first17 + (("1" if check == "0" else "0") if wrong else check)


MAINLAND = "11010519491231002X"  # the REQUIREMENTS.md vector (female, 1949-12-31)
MAINLAND_WRONG_CHECK = MAINLAND[:-1] + "3"
FUTURE = datetime.date(2099, 1, 1)

# (id_type, number, birth date typed in, sex typed in) → the refused field and a phrase of its message
REFUSED_DOCUMENTS = [
    ("hmt_residence", hmt_number(wrong=True), None, None, "id_number", "校验位错误"),
    ("hmt_residence", hmt_number(), datetime.date(1991, 1, 1), None, "birth_date", "1990-01-01不一致"),
    ("hmt_residence", hmt_number(sequence="122"), None, "M", "gender", "不一致"),
    ("hmt_residence", MAINLAND, None, None, "id_number", "请将证件类型选为“居民身份证”"),
    ("hmt_residence", "440300199001011234", None, None, "id_number", "请将证件类型选为“居民身份证”"),
    ("resident_id", hmt_number(), None, None, "id_number", "请将证件类型选为“港澳台居民居住证”"),
    ("resident_id", MAINLAND, datetime.date(1950, 1, 1), None, "birth_date", "不一致"),
    ("passport", "E12345678", FUTURE, "M", "birth_date", "2099-01-01不在1900-01-01至今天之间"),
    ("passport", MAINLAND_WRONG_CHECK, datetime.date(1949, 12, 31), "F", "id_number", "选为“居民身份证”"),
    ("passport", MAINLAND, datetime.date(1949, 12, 31), "F", "id_number", "选为“居民身份证”"),
    ("passport", hmt_number(), datetime.date(1990, 1, 1), "M", "id_number", "选为“港澳台居民居住证”"),
    ("passport", "E1234", None, "M", "birth_date", "需填写出生日期"),
    ("passport", "E12345678", datetime.date(1980, 1, 1), None, "gender", "需填写性别"),
    ("passport", "E-1234", datetime.date(1980, 1, 1), "M", "id_number", "5至30位"),
    ("foreign_permanent", MAINLAND_WRONG_CHECK, None, None, "id_number", "选为“居民身份证”"),
    ("foreign_permanent", foreign_number(wrong=True), None, None, "id_number", "校验位错误"),
    ("foreign_permanent", foreign_number(birth="20990101"), None, None, "id_number", "不在1900-01-01至今天之间"),
    ("foreign_permanent", foreign_number(), None, "F", "gender", "不一致"),
    ("foreign_permanent", "USA11085061200", FUTURE, "M", "id_number", "2004年版"),
    ("foreign_permanent", "USA110850612001", FUTURE, "M", "birth_date", "不在1900-01-01至今天之间"),
]


@pytest.mark.parametrize("id_type, number, birth_date, gender, field, phrase", REFUSED_DOCUMENTS)
def test_each_document_type_refuses_numbers_that_break_its_own_rules(
    id_type, number, birth_date, gender, field, phrase
):
    with pytest.raises(ValidationError) as excinfo:
        parse_identity_document(id_type, number, birth_date=birth_date, gender=gender)
    messages = excinfo.value.message_dict
    assert list(messages) == [field]
    assert phrase in messages[field][0]


ACCEPTED_DOCUMENTS = [
    ("resident_id", MAINLAND, None, None, datetime.date(1949, 12, 31), "F"),
    ("resident_id", MAINLAND, datetime.date(1949, 12, 31), "F", datetime.date(1949, 12, 31), "F"),
    ("hmt_residence", hmt_number(), None, None, datetime.date(1990, 1, 1), "M"),
    ("hmt_residence", hmt_number("830000", "19751130", "224"), None, "F", datetime.date(1975, 11, 30), "F"),
    ("foreign_permanent", foreign_number(), None, None, datetime.date(1985, 6, 12), "M"),
    ("foreign_permanent", "USA110850612001", datetime.date(1985, 6, 12), "M", datetime.date(1985, 6, 12), "M"),
    ("passport", "e1234567８", datetime.date(1980, 2, 29), "F", datetime.date(1980, 2, 29), "F"),
]


@pytest.mark.parametrize("id_type, number, birth_date, gender, stored_birth, stored_gender", ACCEPTED_DOCUMENTS)
def test_each_document_type_accepts_its_valid_numbers_with_the_birth_date_and_sex_to_store(
    id_type, number, birth_date, gender, stored_birth, stored_gender
):
    info = parse_identity_document(id_type, number, birth_date=birth_date, gender=gender)
    assert (info.birth_date, info.gender) == (stored_birth, stored_gender)
    assert info.number == normalize_id_number(number)


@pytest.mark.parametrize("char", ["\x00", "\x08", "\x0b", "\x1f", "\x7f", "\x85", "\ud800", "\uffff"])
def test_the_text_rule_refuses_control_characters_in_every_field(char):
    from jobcircle.common.validators import validate_text

    for multiline in (False, True):
        with pytest.raises(ValidationError) as caught:
            validate_text(f"门店{char}理货员", label="岗位名称", multiline=multiline)
        assert caught.value.messages[0].startswith("岗位名称：不能包含控制字符")


def test_tab_and_line_breaks_only_in_multi_line_fields():
    from jobcircle.common.validators import validate_text

    assert validate_text("一\n二\t三\r\n", label="工作内容", multiline=True) == "一\n二\t三\r\n"
    with pytest.raises(ValidationError, match="工作地点：不能包含控制字符或换行"):
        validate_text("一\n二", label="工作地点")


def test_the_text_rule_counts_characters_not_bytes():
    from jobcircle.common.validators import validate_text

    assert validate_text("工" * 200, label="工作地点", max_length=200)
    with pytest.raises(ValidationError, match="工作地点：不能超过200个字"):
        validate_text("工" * 201, label="工作地点", max_length=200)
