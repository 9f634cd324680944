"""培训花名册 import through the assistance import gate (upload → check → confirm, all-or-nothing).

One row per trainee: the programme's number (shown on its page), the trainee's ID number and name. Every row goes
through ``services.enrol`` (source 花名册导入), so a row is refused by exactly the eligibility rules the H5 and the
staff screen apply, naming the row and the column. A person already in the programme is unchanged, so importing the
same roster again (or a longer one) changes nothing for them. ADR docs/decisions/training.md.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from jobcircle.assistance.enums import ImportKind
from jobcircle.assistance.imports.base import (
    NOT_FOUND,
    BaseImporter,
    Counts,
    ImportErrors,
    digits_text,
    id_hash,
    name_mismatch,
    residents_by_hash,
)
from jobcircle.assistance.imports.runner import register_ledger
from jobcircle.assistance.ledgers import Field, Ledger
from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import parse_id_number

from . import services
from .enums import ACTIVE_ENROLMENT, EnrolmentSource
from .models import Enrolment, Programme

PROGRAMME_HEADER = "培训项目编号"

ROSTER = Ledger(
    ImportKind.TRAINING_ROSTER,
    "培训花名册",
    (
        Field("programme", PROGRAMME_HEADER, required=True, width=14, aliases=("项目编号", "班级编号")),
        Field("id_number", "身份证号", required=True, width=22, identity=True, aliases=("公民身份号码", "身份证号码")),
        Field("name", "姓名", required=True, width=10),
    ),
    notes=(
        "每位学员一行；培训项目编号见培训项目页面（须为您辖区内正在招生的项目）。",
        "学员须已在系统中登记（可先导入居民实名台账）；姓名须与登记的一致。",
        "每行按报名条件逐一核对（年龄、面向群体、名额、时间重叠、同等级补贴性培训每年一次），不符合的行会列出原因。",
        "已在该项目中的学员不会重复报名；重复导入不会产生重复数据。",
    ),
)


def register_roster_ledger():
    """Add the 培训花名册 to the import gate (called once from TrainingConfig.ready)."""
    register_ledger(ROSTER, RosterImporter)


class RosterImporter(BaseImporter):
    ledger = ROSTER

    def clean(self, rows, errors: ImportErrors) -> list:
        """Each row's programme number, ID number and name are well formed; one person once per programme."""
        cleaned, first_row_of = [], {}
        for row, record in rows:
            field_errors = FieldErrors()
            info = field_errors.capture("id_number", parse_id_number, record.get("id_number"))
            name = str(record.get("name") or "").strip()
            if not name:
                field_errors.add("name", "姓名：不能为空")
            number = str(digits_text(record.get("programme")) or "")
            if not number.isdigit() or len(number) > 12:
                field_errors.add("programme", f"{PROGRAMME_HEADER}：应为培训项目页面上的数字编号")
            if field_errors.errors:
                errors.add_validation(row, ValidationError(field_errors.errors))
                continue
            key = (int(number), info.number)
            if key in first_row_of:
                errors.add(row, "身份证号", f"与第{first_row_of[key]}行是同一人、同一培训项目")
                continue
            first_row_of[key] = row
            cleaned.append((row, {"programme": int(number), "id_hash": id_hash(info.number), "name": name}))
        return cleaned

    def apply(self, cleaned, errors: ImportErrors, *, write: bool) -> Counts:
        """Enrol each row's person through ``services.enrol``; already in the programme: unchanged.

        - the programme lies in the importer's area, they have the casework permission there, and it is 招生;
        - the person is found in the importer's area by ID number and the name agrees;
        - every eligibility rule holds for the row (a refusal names each failing rule under 身份证号).
        """
        residents = residents_by_hash(self.scope, [v["id_hash"] for _, v in cleaned])
        counts, programmes = Counts(), {}
        for done, (row, values) in enumerate(cleaned, start=1):
            programme = self._programme(values["programme"], programmes)
            if programme is None:
                errors.add(row, PROGRAMME_HEADER, "未找到该培训项目（或不在您的管辖范围内，或您无权办理培训报名）")
                continue
            resident = residents.get(values["id_hash"])
            if resident is None:
                errors.add(row, "身份证号", NOT_FOUND)
                continue
            if resident.name != values["name"]:
                errors.add(row, "姓名", name_mismatch(resident))
                continue
            if Enrolment.objects.filter(programme=programme, resident=resident, status__in=ACTIVE_ENROLMENT).exists():
                counts.unchanged += 1
                continue
            try:
                services.enrol(programme, resident, by=self.by, scope=self.scope, source=EnrolmentSource.IMPORT)
            except ValidationError as exc:
                errors.add_validation(row, exc, default_key="id_number")
                continue
            except PermissionDenied as exc:
                errors.add(row, "身份证号", str(exc))
                continue
            counts.created += 1
            if done % 500 == 0:
                self.progress(done)
        return counts

    def _programme(self, pk, programmes):
        if pk not in programmes:
            programme = Programme.objects.in_scope(self.scope).filter(pk=pk).first()
            if programme is not None and not services.area_staff(programme, self.by, self.scope):
                programme = None
            programmes[pk] = programme
        return programmes[pk]
