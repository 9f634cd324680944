"""Validators for Chinese identity numbers, credit codes and mobile phones.

This module is the single place where these rules live (REQUIREMENTS.md ECO-01,
ECO-02, SEC-25, SEC-43). Forms, the API and bulk imports all call it.

python-stdnum is used only for its checksum functions and its bundled
administrative-division table: ``stdnum.cn.ric.validate`` and
``stdnum.cn.uscc.validate`` have known false negatives (real people born before
their area code was created; registration authorities ``N``/``Y``/``A``) and are
deliberately never used as the gate.

Errors are raised as :class:`django.core.exceptions.ValidationError` with a
Simplified Chinese message that names the field and a stable ``code``.
Problems that staff should look at but that must not block a person (an unknown
or abolished area code) are returned as ``warnings`` instead.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc

__all__ = [
    "CreditCodeInfo",
    "IdNumberInfo",
    "normalize_credit_code",
    "normalize_id_number",
    "normalize_mobile_phone",
    "organization_code_check_char",
    "parse_identity_document",
    "parse_credit_code",
    "parse_id_number",
    "validate_credit_code",
    "validate_id_number",
    "validate_mobile_phone",
    "validate_text",
    "text_problem",
    "model_max_length",
]

_WHITESPACE_RE = re.compile(r"\s+")
_ASCII_DIGITS = frozenset("0123456789")

MIN_BIRTH_DATE = datetime.date(1900, 1, 1)

# Province-level codes accepted in the first two digits of a 公民身份号码.
# 81/82/83 are used by 港澳台居民居住证 (香港 810000, 澳门 820000, 台湾 830000,
# per 《港澳台居民居住证申领发放办法》, 2018). Names are our own (simplified
# script) rather than stdnum's, which has no 83 and spells 81/82 in traditional.
PROVINCES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
    "83": "台湾地区",
}

# Whole-province codes used by 港澳台居民居住证; 830000 is absent from stdnum's table.
_RESIDENCE_PERMIT_AREAS: dict[str, str] = {
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
    "830000": "台湾地区",
}


def _nfkc(value: object) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value))


def _today() -> datetime.date:
    return timezone.localdate() if settings.USE_TZ else datetime.date.today()


def _demo_id_prefixes() -> frozenset[str]:
    """SEC-43: 6-digit prefixes of synthetic IDs; read at call time so tests can override."""
    return frozenset(str(p) for p in (getattr(settings, "JOBCIRCLE_DEMO_ID_PREFIXES", None) or ()))


# ---------------------------------------------------------------------------
# Administrative-division lookup (stdnum's bundled GB/T 2260 history)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Period:
    start: int | None
    end: int | None
    name: str


def _parse_periods(county: str) -> tuple[_Period, ...]:
    """Parse stdnum's ``"[1983-2019]桥东区,[2020-]襄都区"`` notation."""
    periods = []
    for part in county.split(","):
        part = part.strip()
        if not part:
            continue
        if part.startswith("[") and "]" in part:
            span, name = part[1:].split("]", 1)
            start, _, end = span.partition("-")
            periods.append(_Period(int(start) if start else None, int(end) if end else None, name))
        else:
            periods.append(_Period(None, None, part))
    return tuple(periods)


@lru_cache(maxsize=4096)
def _division_periods(code: str) -> tuple[_Period, ...]:
    """All names a 6-digit division code has had (empty if the code is unknown)."""
    from stdnum import numdb

    county = ""
    for _part, props in numdb.get("cn/loc").info(code):
        county = props.get("county", county)
    return _parse_periods(county) if county else ()


# Placeholder names in GB/T 2260 for "the districts/counties of this city".
_PLACEHOLDER_NAMES = frozenset({"市辖区"})


def _place_name(code: str, county_name: str) -> str:
    province = PROVINCES.get(code[:2], "")
    if code.endswith("0000") or not county_name or county_name == province or county_name in _PLACEHOLDER_NAMES:
        return province
    return province + county_name


def _lookup_birth_place(code: str, birth_year: int) -> tuple[str, tuple[str, ...]]:
    """Return ``(birth_place, warnings)`` for the area code of an ID number.

    Never rejects: an area code that is newer than the birth year is normal (the
    number is assigned where the person lived when the card was issued), so only
    an unknown code or one abolished *before* the birth year produces a warning.
    """
    if code in _RESIDENCE_PERMIT_AREAS:
        return _RESIDENCE_PERMIT_AREAS[code], ()
    periods = _division_periods(code)
    if not periods:
        return (
            PROVINCES.get(code[:2], ""),
            (f"地区码{code}未收录于行政区划代码表，请核对",),
        )
    for period in periods:
        if (period.start is None or period.start <= birth_year) and (period.end is None or birth_year <= period.end):
            return _place_name(code, period.name), ()
    later = [p for p in periods if p.start is not None and p.start > birth_year]
    if later:
        # Code created after the birth year: the usual case for people who moved.
        return _place_name(code, min(later, key=lambda p: p.start).name), ()
    last = max(periods, key=lambda p: p.end if p.end is not None else 10_000)
    return (
        _place_name(code, last.name),
        (f"地区码{code}（{last.name}）已于{last.end}年撤销，早于出生年份，请核对",),
    )


# ---------------------------------------------------------------------------
# 居民身份证号码 (ECO-01)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    birth_date: datetime.date
    gender: str  # "M" or "F"
    birth_place: str  # e.g. "北京市朝阳区"; "" if unknown
    warnings: tuple[str, ...] = ()


def normalize_id_number(value: object) -> str:
    """NFKC-normalise (full-width digits from Chinese IMEs), strip all whitespace, upper-case ``x``."""
    return _WHITESPACE_RE.sub("", _nfkc(value)).upper()


def parse_id_number(value: object, *, field_label: str = "身份证号") -> IdNumberInfo:
    """Validate an 18-digit 公民身份号码 and return what it encodes.

    Raises ``ValidationError`` for: empty, 15-digit old numbers, wrong length,
    non-digits, wrong MOD 11-2 check digit, impossible or out-of-range birth date,
    unknown province. Unknown/abolished area codes are warnings only.
    """
    number = normalize_id_number(value)
    if not number:
        raise ValidationError(f"{field_label}不能为空", code="id_number_empty")
    if len(number) == 15 and set(number) <= _ASCII_DIGITS:
        raise ValidationError(
            f"{field_label}为15位旧号码，已停止使用，请填写18位身份证号",
            code="id_number_15_digit",
        )
    if len(number) != 18:
        raise ValidationError(
            f"{field_label}应为18位，当前为{len(number)}位",
            code="id_number_length",
        )
    for index, char in enumerate(number, start=1):
        if char in _ASCII_DIGITS or (index == 18 and char == "X"):
            continue
        raise ValidationError(
            f"{field_label}第{index}位“{char}”无效：只能填写数字，最后一位可以是X",
            code="id_number_format",
        )
    # The expected digit is deliberately not shown: users would "fix" the last
    # digit of a mistyped number and turn a detectable typo into a wrong ID.
    if number[-1] != _ric.calc_check_digit(number):
        raise ValidationError(
            f"{field_label}校验位错误：号码中有数字输错，请逐位核对",
            code="id_number_checksum",
        )
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    try:
        birth_date = datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            f"{field_label}中的出生日期{number[6:10]}-{number[10:12]}-{number[12:14]}不存在，请核对第7–14位",
            code="id_number_birth_date",
        ) from None
    if birth_date < MIN_BIRTH_DATE:
        raise ValidationError(
            f"{field_label}中的出生日期{birth_date.isoformat()}早于1900-01-01，请核对",
            code="id_number_birth_date_range",
        )
    if birth_date > _today():
        raise ValidationError(
            f"{field_label}中的出生日期{birth_date.isoformat()}晚于今天，请核对",
            code="id_number_birth_date_range",
        )
    gender = "M" if int(number[16]) % 2 == 1 else "F"

    area = number[:6]
    if area in _demo_id_prefixes():
        # SEC-43: synthetic fixture identity, only when this deployment lists the prefix.
        return IdNumberInfo(number, birth_date, gender, "", ())
    if area[:2] not in PROVINCES:
        raise ValidationError(
            f"{field_label}前两位“{area[:2]}”不是有效的省级行政区划代码，请核对",
            code="id_number_province",
        )
    birth_place, warnings = _lookup_birth_place(area, birth_date.year)
    return IdNumberInfo(number, birth_date, gender, birth_place, warnings)


def validate_id_number(value: object) -> None:
    """Django validator: raise ``ValidationError`` unless *value* is an acceptable ID number."""
    parse_id_number(value)


# ---------------------------------------------------------------------------
# Every 证件类型 by its own rules (issue 22 item 10)
# ---------------------------------------------------------------------------

# Codes equal to people.enums.IdType's values (common knows no domain enums).
RESIDENT_ID, HMT_RESIDENCE, FOREIGN_PERMANENT, PASSPORT = (
    "resident_id",
    "hmt_residence",
    "foreign_permanent",
    "passport",
)
DOCUMENT_LABELS = {
    RESIDENT_ID: "居民身份证",
    HMT_RESIDENCE: "港澳台居民居住证",
    FOREIGN_PERMANENT: "外国人永久居留身份证",
    PASSPORT: "护照",
}
_HMT_PREFIXES = frozenset(code[:2] for code in _RESIDENCE_PERMIT_AREAS)
# An 18-character number laid out as a 公民身份号码 (a province code, 15 digits, a digit or X).
_CITIZEN_NUMBER_SHAPE = re.compile(r"^\d{17}[\dX]$")
_PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,30}$")
_OLD_FOREIGN_PERMANENT_RE = re.compile(r"^[A-Z]{3}\d{12}$")


def _citizen_number_type(number: str) -> str | None:
    """The document an 18-character number of the 公民身份号码 layout belongs to, checksum aside."""
    if not _CITIZEN_NUMBER_SHAPE.match(number) or number[:2] not in PROVINCES:
        return None
    return HMT_RESIDENCE if number[:2] in _HMT_PREFIXES else RESIDENT_ID


def _wrong_type(kind: str) -> ValidationError:
    return ValidationError(
        {"id_number": [f"证件号码：这是{DOCUMENT_LABELS[kind]}号码，请将证件类型选为“{DOCUMENT_LABELS[kind]}”"]}
    )


def _given_birth_date(value) -> datetime.date:
    """A birth date typed in for a document that does not encode one: a real date, 1900-01-01 to today."""
    if value in (None, ""):
        raise ValidationError({"birth_date": ["出生日期：该证件类型需填写出生日期"]})
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError({"birth_date": ["出生日期：请填写日期，格式如1990-01-31"]}) from None
    if value < MIN_BIRTH_DATE or value > _today():
        raise ValidationError({"birth_date": [f"出生日期：{value.isoformat()}不在1900-01-01至今天之间，请核对"]})
    return value


def _given_gender(value) -> str:
    if value not in ("M", "F"):
        raise ValidationError({"gender": ["性别：该证件类型需填写性别（男/女）"]})
    return value


def _agrees(info: IdNumberInfo, birth_date, gender) -> IdNumberInfo:
    """A birth date or sex typed in beside a number that encodes them must say the same."""
    errors = {}
    if birth_date not in (None, "") and str(birth_date) != info.birth_date.isoformat():
        errors["birth_date"] = [f"出生日期：与证件号码中的出生日期{info.birth_date.isoformat()}不一致，请核对"]
    if gender not in (None, "") and gender != info.gender:
        encoded = "男" if info.gender == "M" else "女"
        errors["gender"] = [f"性别：与证件号码中的性别（{encoded}）不一致，请核对"]
    if errors:
        raise ValidationError(errors)
    return info


def _parse_hmt_residence(number, birth_date, gender) -> IdNumberInfo:
    if _citizen_number_type(number) == RESIDENT_ID:
        raise _wrong_type(RESIDENT_ID)
    info = _one_field(parse_id_number, number, field_label="港澳台居民居住证号码")
    if number[:6] not in _RESIDENCE_PERMIT_AREAS:
        raise ValidationError(
            {"id_number": ["港澳台居民居住证号码：应以810000（香港）、820000（澳门）或830000（台湾）开头"]}
        )
    return _agrees(info, birth_date, gender)


def _parse_foreign_permanent(number, birth_date, gender) -> IdNumberInfo:
    label = "外国人永久居留身份证号码"
    kind = _citizen_number_type(number)
    if kind is not None:
        raise _wrong_type(kind)
    if _OLD_FOREIGN_PERMANENT_RE.match(number):  # 2004 card: country letters + 12 digits; nothing else encoded
        return IdNumberInfo(number, _given_birth_date(birth_date), _given_gender(gender), "")
    if not _CITIZEN_NUMBER_SHAPE.match(number) or number[0] != "9":
        raise ValidationError(
            {"id_number": [f"{label}：应为以9开头的18位号码（2017年版），或3位字母加12位数字（2004年版）"]}
        )
    # 2017 card: 9, province of issue, nationality, birth date, sequence (odd: male), MOD 11-2 check.
    if number[-1] != _ric.calc_check_digit(number):
        raise ValidationError({"id_number": [f"{label}：校验位错误，号码中有数字输错，请逐位核对"]})
    if number[1:3] not in PROVINCES or number[1:3] in _HMT_PREFIXES:
        raise ValidationError({"id_number": [f"{label}：第2–3位“{number[1:3]}”不是受理地省级行政区划代码"]})
    try:
        encoded = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError({"id_number": [f"{label}：第7–14位的出生日期不存在，请核对"]}) from None
    if encoded < MIN_BIRTH_DATE or encoded > _today():
        raise ValidationError({"id_number": [f"{label}：出生日期{encoded.isoformat()}不在1900-01-01至今天之间"]})
    info = IdNumberInfo(number, encoded, "M" if int(number[16]) % 2 else "F", "")
    return _agrees(info, birth_date, gender)


def _parse_passport(number, birth_date, gender) -> IdNumberInfo:
    kind = _citizen_number_type(number)
    if kind is not None:
        raise _wrong_type(kind)
    if not _PASSPORT_RE.match(number):
        raise ValidationError({"id_number": ["护照号码：应为5至30位字母或数字"]})
    return IdNumberInfo(number, _given_birth_date(birth_date), _given_gender(gender), "")


def _one_field(func, *args, field="id_number", **kwargs):
    try:
        return func(*args, **kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({field: exc.messages}) from exc


def parse_identity_document(id_type: str, value: object, *, birth_date=None, gender=None) -> IdNumberInfo:
    """Validate a document number by the rules of its 证件类型 and return the birth date and sex to store.

    Raises ``ValidationError({field: [...]})`` naming ``id_number``, ``birth_date`` or ``gender``.

    - 居民身份证: :func:`parse_id_number`; a 港澳台居民居住证 number (81/82/83) is redirected to its type.
    - 港澳台居民居住证: the same layout and check digit, beginning 810000/820000/830000.
    - 外国人永久居留身份证: 2017 card (18 digits from 9, MOD 11-2, birth date and sex encoded) or the
      2004 card (3 letters + 12 digits).
    - 护照: 5–30 letters or digits.
    - under every type, an 18-character number laid out as a 公民身份号码 is recognised and the caller is
      told which type to choose, even when its check digit is wrong.
    - a birth date or sex typed in must agree with the number when the number encodes them; where it
      does not, both are required and the birth date lies between 1900-01-01 and today.
    """
    number = normalize_id_number(value)
    if not number:
        raise ValidationError({"id_number": ["证件号码：不能为空"]})
    if id_type == RESIDENT_ID:
        if _citizen_number_type(number) == HMT_RESIDENCE:
            raise _wrong_type(HMT_RESIDENCE)
        return _agrees(_one_field(parse_id_number, number), birth_date, gender)
    parsers = {
        HMT_RESIDENCE: _parse_hmt_residence,
        FOREIGN_PERMANENT: _parse_foreign_permanent,
        PASSPORT: _parse_passport,
    }
    if id_type not in parsers:
        raise ValidationError({"id_type": [f"证件类型取值无效：{id_type}"]})
    return parsers[id_type](number, birth_date, gender)


# ---------------------------------------------------------------------------
# 统一社会信用代码 (ECO-02, GB 32100-2015)
# ---------------------------------------------------------------------------

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
_FORBIDDEN_CREDIT_LETTERS = frozenset("IOZSV")

# Position 1: 登记管理部门代码 (GB 32100-2015 附录A).
REGISTRATION_AUTHORITIES: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

# Position 2 (机构类别代码) for the authorities a county employment platform meets.
# Informational only: an unlisted combination is not an error.
_ORGANIZATION_TYPES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
}

# Division code used by central (national-level) registration authorities.
_NATIONAL_DIVISION = "100000"


@dataclass(frozen=True)
class CreditCodeInfo:
    code: str
    registration_authority: str  # e.g. "工商"
    warnings: tuple[str, ...] = ()
    organization_type: str = ""  # e.g. "企业", "" when not known
    division: str = ""  # name of positions 3–8, e.g. "北京市", "" when unknown


def normalize_credit_code(value: object) -> str:
    """NFKC-normalise, strip whitespace and hyphens, upper-case."""
    return _WHITESPACE_RE.sub("", _nfkc(value)).replace("-", "").upper()


def _division_name(code: str) -> str:
    if code == _NATIONAL_DIVISION:
        return "国家级"
    if code[:2] not in PROVINCES:
        return ""
    periods = _division_periods(code)
    if not periods:
        return ""
    # Historic codes are fine: registration is permanent even after re-districting.
    return _place_name(code, periods[-1].name)


_ORGANIZATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organization_code_check_char(body: str) -> str:
    """GB 11714 check character of the 8-character body of a 组织机构代码 (credit code positions 9–16).

    Characters count 0–9 and A=10 … Z=35; C = 11 − (Σ value × weight mod 11), 10 → X, 11 → 0.
    """
    check = 11 - sum(int(char, 36) * weight for char, weight in zip(body, _ORGANIZATION_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def parse_credit_code(value: object, *, field_label: str = "统一社会信用代码") -> CreditCodeInfo:
    """Validate an 18-character 统一社会信用代码 and return what it encodes.

    - format by position (GB 32100-2015), then the 18th check character (stdnum's MOD 31);
    - then, for the numbered authorities 1–9, the embedded 组织机构代码's own check character (17th,
      GB 11714), which stdnum does not check;
    - an unknown division code (positions 3–8) is a warning for staff, never a refusal.
    """
    code = normalize_credit_code(value)
    if not code:
        raise ValidationError(f"{field_label}不能为空", code="credit_code_empty")
    if len(code) != 18:
        raise ValidationError(f"{field_label}应为18位，当前为{len(code)}位", code="credit_code_length")
    if code[0] not in REGISTRATION_AUTHORITIES:
        raise ValidationError(
            f"{field_label}第1位（登记管理部门代码）“{code[0]}”无效：应为1–9、A、N或Y",
            code="credit_code_authority",
        )
    if code[1] not in _ASCII_DIGITS:
        raise ValidationError(
            f"{field_label}第2位（机构类别代码）“{code[1]}”无效：应为数字",
            code="credit_code_category",
        )
    for index in range(2, 8):
        if code[index] not in _ASCII_DIGITS:
            raise ValidationError(
                f"{field_label}第{index + 1}位“{code[index]}”无效：第3–8位（行政区划码）应为数字",
                code="credit_code_division",
            )
    for index in range(8, 18):
        char = code[index]
        if char in CREDIT_CODE_ALPHABET:
            continue
        if char in _FORBIDDEN_CREDIT_LETTERS:
            message = f"{field_label}第{index + 1}位“{char}”无效：统一社会信用代码不使用字母I、O、Z、S、V"
        else:
            message = f"{field_label}第{index + 1}位“{char}”无效：只能填写数字或大写字母（不含I、O、Z、S、V）"
        raise ValidationError(message, code="credit_code_format")
    expected = _uscc.calc_check_digit(code)
    if code[-1] != expected:
        raise ValidationError(
            f"{field_label}校验位错误：校验位应为{expected}，实际为{code[-1]}，请逐位核对",
            code="credit_code_checksum",
        )
    # stdnum checks only the 18th character; positions 9–17 are a 组织机构代码 with its own check.
    # Only the numbered authorities (1–9: 机构编制, 民政, 工商 …) took over GB 11714 codes; the letter
    # authorities (A, N, Y) number their 主体标识码 themselves, e.g. the ECO-02 village collective
    # N2110100MA00000006, so their 17th character is not a GB 11714 check.
    org_expected = organization_code_check_char(code[8:16])
    if code[0] in _ASCII_DIGITS and code[16] != org_expected:
        raise ValidationError(
            f"{field_label}第17位（组织机构代码校验码）错误：应为{org_expected}，实际为{code[16]}，请逐位核对",
            code="credit_code_organization_checksum",
        )

    warnings: list[str] = []
    division = _division_name(code[2:8])
    if not division:
        warnings.append(f"{field_label}的登记管理机关行政区划码{code[2:8]}未收录于行政区划代码表，请核对")
    return CreditCodeInfo(
        code=code,
        registration_authority=REGISTRATION_AUTHORITIES[code[0]],
        warnings=tuple(warnings),
        organization_type=_ORGANIZATION_TYPES.get(code[0], {}).get(code[1], ""),
        division=division,
    )


def validate_credit_code(value: object) -> None:
    """Django validator: raise ``ValidationError`` unless *value* is an acceptable credit code."""
    parse_credit_code(value)


# ---------------------------------------------------------------------------
# 手机号 (SEC-25)
# ---------------------------------------------------------------------------

MOBILE_PHONE_RE = re.compile(r"^1[3-9][0-9]{9}$")
MOBILE_PHONE_MESSAGE = "手机号格式不正确：请填写11位中国大陆手机号"


def normalize_mobile_phone(value: object) -> str:
    """NFKC-normalise, strip spaces and hyphens, drop a leading ``+86`` / ``0086`` / ``86`` country code."""
    phone = _WHITESPACE_RE.sub("", _nfkc(value)).replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    elif phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    return phone


def validate_mobile_phone(value: object) -> None:
    """Django validator for mainland mobile numbers (``^1[3-9]\\d{9}$`` after normalisation)."""
    if not MOBILE_PHONE_RE.fullmatch(normalize_mobile_phone(value)):
        raise ValidationError(MOBILE_PHONE_MESSAGE, code="mobile_phone_format")


# ---------------------------------------------------------------------------
# 文本输入 (SEC-29): one rule for every free-text field of a form, an API schema or a service
# ---------------------------------------------------------------------------

# C0 and C1 control characters, DEL, lone surrogates and the non-characters U+FFFE/U+FFFF: PostgreSQL
# refuses NUL, XML (xlsx, docx) refuses most of the others, and none of them is typed by a person.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Single-line fields also refuse tab and line breaks (a name or an address is one line).
_SINGLE_LINE_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")
CONTROL_CHARACTERS_MESSAGE = "不能包含控制字符（如NUL、换页符）"
SINGLE_LINE_MESSAGE = "不能包含控制字符或换行"


def text_problem(value: str, *, max_length: int | None = None, multiline: bool = False) -> str:
    """What is wrong with a free-text value, without the field's name ("" when nothing is).

    - no control characters (NUL and the rest of C0/C1, DEL, lone surrogates); tab and line
      breaks are allowed only in multi-line fields (descriptions, notes);
    - at most ``max_length`` characters (the model field's ``max_length``).
    """
    if (_CONTROL_RE if multiline else _SINGLE_LINE_CONTROL_RE).search(value):
        return CONTROL_CHARACTERS_MESSAGE if multiline else SINGLE_LINE_MESSAGE
    if max_length is not None and len(value) > max_length:
        return f"不能超过{max_length}个字"
    return ""


def validate_text(value: object, *, label: str, max_length: int | None = None, multiline: bool = False) -> str:
    """Raise ``ValidationError("<label>：…")`` unless *value* passes :func:`text_problem`; return it."""
    text = "" if value is None else str(value)
    problem = text_problem(text, max_length=max_length, multiline=multiline)
    if problem:
        raise ValidationError(f"{label}：{problem}", code="text_invalid")
    return text


def model_max_length(model, field_name: str) -> int | None:
    """The ``max_length`` of a model's text field: the one source of every length limit."""
    return model._meta.get_field(field_name).max_length
