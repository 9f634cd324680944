"""家庭户台账 import through the assistance import gate (upload → check → confirm, all-or-nothing).

One row per member: the household's number, community, address and income flag, then the member's ID
number, name, relation to the head and the day they joined. Households are upserted by number and
members go through ``households.services.add_member`` (the one writer), inside the batch's one
transaction, so a preview runs exactly the rules the import runs. A second import of the same data
changes nothing (every row unchanged).
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from jobcircle.areas.services import community_for_write
from jobcircle.assistance.enums import ImportKind
from jobcircle.assistance.imports.base import (
    NOT_FOUND,
    BaseImporter,
    Counts,
    ImportErrors,
    digits_text,
    id_hash,
    label_to_code,
    name_mismatch,
    residents_by_hash,
)
from jobcircle.assistance.imports.runner import register_ledger
from jobcircle.assistance.ledgers import YES_NO, Field, Ledger, _labels
from jobcircle.assistance.periods import parse_date
from jobcircle.assistance.services import parse_yes_no
from jobcircle.common.errors import FieldErrors
from jobcircle.common.exports import DATE
from jobcircle.common.validators import parse_id_number

from . import services
from .enums import Relation
from .models import Household, HouseholdMembership

HOUSEHOLDS = Ledger(
    ImportKind.HOUSEHOLDS,
    "家庭户台账",
    (
        Field("number", "户编号", required=True, width=16),
        Field("community_code", "社区代码", required=True, width=16, aliases=("社区/村代码", "所属社区代码")),
        Field("address", "家庭住址", width=30, aliases=("住址",)),
        Field("has_business_income", "有经营性或财产性收入", choices=YES_NO, width=12),
        Field("id_number", "身份证号", required=True, width=22, identity=True, aliases=("公民身份号码", "身份证号码")),
        Field("name", "姓名", required=True, width=10),
        Field("relation", "与户主关系", required=True, choices=_labels(Relation), width=12),
        Field("joined_on", "入户日期", kind=DATE, width=12, hint="不填为导入当天"),
    ),
    notes=(
        "每位家庭成员一行；同一户的各行户编号、社区代码相同，户主一行“与户主关系”填“户主”。",
        "成员须已在系统中登记（可先导入居民实名台账）；姓名须与登记的一致。",
        "一个人同一时间只属于一户：已在别的户的居民会从原户迁出（离户日期为本次入户日期）。",
        "按户编号识别：已有的户会被更新；重复导入不会重复登记。",
    ),
)


def register_household_ledger():
    """Add the 家庭户台账 to the import gate (called once from HouseholdsConfig.ready)."""
    register_ledger(HOUSEHOLDS, HouseholdImporter)


class HouseholdImporter(BaseImporter):
    ledger = HOUSEHOLDS

    def clean(self, rows, errors: ImportErrors) -> list:
        cleaned, first_row_of = [], {}
        for row, record in rows:
            field_errors = FieldErrors()
            info = field_errors.capture("id_number", parse_id_number, record.get("id_number"))
            name = str(record.get("name") or "").strip()
            if not name:
                field_errors.add("name", "姓名：不能为空")
            number = str(digits_text(record.get("number")) or "").strip()
            if not number or len(number) > 32:
                field_errors.add("number", "户编号：不能为空，且不超过32个字")
            relation = label_to_code(Relation, record.get("relation"))
            if relation not in Relation.values:
                labels = "、".join(Relation.labels)
                field_errors.add("relation", f"与户主关系取值无效：{record.get('relation')}（可选：{labels}）")
            joined = timezone.localdate()
            if record.get("joined_on") is not None:
                joined = field_errors.capture("joined_on", parse_date, record["joined_on"], "入户日期")
            income = field_errors.capture(
                "has_business_income", parse_yes_no, record.get("has_business_income"), "有经营性或财产性收入"
            )
            if field_errors.errors:
                errors.add_validation(row, ValidationError(field_errors.errors))
                continue
            if info.number in first_row_of:
                errors.add(row, "身份证号", f"与第{first_row_of[info.number]}行是同一人（一人只能在一户）")
                continue
            first_row_of[info.number] = row
            household = {
                "number": number, "community_code": digits_text(record.get("community_code")),
                "address": record.get("address"), "has_business_income": income,
            }  # fmt: skip
            cleaned.append((row, {"id_hash": id_hash(info.number), "name": name, "relation": relation,
                                  "joined_on": joined, "household": household}))  # fmt: skip
        self._check_households(cleaned, errors)
        return cleaned

    def _check_households(self, cleaned, errors):
        """The rows of one household agree on its community and have at most one head (a new one: exactly one)."""
        existing = set(
            Household.objects.filter(number__in={v["household"]["number"] for _, v in cleaned}).values_list(
                "number", flat=True
            )
        )
        by_number: dict[str, list] = {}
        for row, values in cleaned:
            by_number.setdefault(values["household"]["number"], []).append((row, values))
        for number, members in by_number.items():
            first_row, first = members[0]
            for row, values in members[1:]:
                if values["household"]["community_code"] != first["household"]["community_code"]:
                    errors.add(row, "社区代码", f"与同一户第{first_row}行的社区代码不一致")
            heads = [row for row, values in members if values["relation"] == Relation.HEAD]
            if len(heads) > 1:
                errors.add(heads[1], "与户主关系", f"同一户只能有一位户主（第{heads[0]}行已是户主）")
            if not heads and number not in existing:
                errors.add(first_row, "与户主关系", f"新登记的户{number}须有一行“与户主关系”为“户主”")

    def apply(self, cleaned, errors: ImportErrors, *, write: bool) -> Counts:
        residents = residents_by_hash(self.scope, [v["id_hash"] for _, v in cleaned])
        counts, households = Counts(), {}
        # Heads last: a head replaced in the same file first takes their new relation.
        ordered = sorted(cleaned, key=lambda item: (item[1]["relation"] == Relation.HEAD, item[0]))
        for done, (row, values) in enumerate(ordered, start=1):
            resident = residents.get(values["id_hash"])
            if resident is None:
                errors.add(row, "身份证号", NOT_FOUND)
                continue
            if resident.name != values["name"]:
                errors.add(row, "姓名", name_mismatch(resident))
                continue
            try:
                household, changed = self._household(values["household"], households)
                outcome = self._member(household, resident, values, changed)
            except ValidationError as exc:
                errors.add_validation(row, exc, default_key="number")
                continue
            setattr(counts, outcome, getattr(counts, outcome) + 1)
            if done % 500 == 0:
                self.progress(done)
        return counts

    def _household(self, data, households) -> tuple[Household, bool]:
        """The household of a row, created or updated once per file (``changed``: created or updated now)."""
        number = data["number"]
        if number in households:
            return households[number]
        household = Household.objects.filter(number=number).first()
        given = {"address": data["address"] or "", "has_business_income": data["has_business_income"]}
        given = {k: v for k, v in given.items() if v not in (None, "")}
        if household is None:
            result = (services.register_household(by=self.by, scope=self.scope,
                                                  data={"number": number, "community_code": data["community_code"],
                                                        **given}), True)  # fmt: skip
        elif not self.scope.covers(household.area_code):
            raise ValidationError({"number": ["户编号已被您管辖范围以外的家庭户使用"]})
        else:
            community = community_for_write(self.scope, data["community_code"])
            changes = {k: v for k, v in given.items() if getattr(household, k) != v}
            if community.pk != household.community_id:
                changes["community_code"] = community.code
            if changes:
                household = services.update_household(household, by=self.by, scope=self.scope, data=changes)
            result = (household, bool(changes))
        households[number] = result
        return result

    def _member(self, household, resident, values, household_changed) -> str:
        current = HouseholdMembership.objects.current().filter(resident=resident).first()
        if current is not None and current.household_id == household.pk and current.relation == values["relation"]:
            return "updated" if household_changed else "unchanged"
        services.add_member(household, resident, values["relation"], by=self.by, scope=self.scope,
                            on=values["joined_on"])  # fmt: skip
        return "created" if current is None else "updated"
