"""居民实名台账 import: reads the ledger into resident input and hands it to people's bulk writer.

The file's format is this module's: headers, Chinese labels of the choices (文化程度, 就业状态),
是/否, key groups by name separated by 、. Everything about the record is people's
(``people.bulk.ResidentUpsert``, issue 21: one writer per record): each row passes the registration's
rules (the field table, ``clean_resident_input``), rows are upserted by the ID blind index (new
created, changed updated, identical left alone, so a second import of the same data reports 0
created / 0 updated), a change of community moves the home point by the form's and the API's rule
(``people.services.home_point``), and key groups are only ever added, with the ledger file as their
evidence (one KeyGroupChange per resident naming the batch, one audit event for the batch).
"""

import re

from django.core.exceptions import ValidationError

from jobcircle.people.bulk import ResidentUpsert
from jobcircle.people.enums import Education, EmploymentStatus
from jobcircle.people.models import KeyGroup

from ..ledgers import RESIDENTS
from ..services import parse_yes_no
from .base import BaseImporter, Counts, ImportErrors, digits_text, label_to_code

KEY_GROUP_SPLIT = re.compile(r"[、,，;；/\s]+")


class ResidentImporter(BaseImporter):
    ledger = RESIDENTS

    @property
    def upsert(self) -> ResidentUpsert:
        """People's bulk writer, one per import: its look-ups, cached while cleaning, serve the apply."""
        if not hasattr(self, "_upsert"):
            self._upsert = ResidentUpsert(by=self.by, scope=self.scope, progress=self.progress)
        return self._upsert

    def clean(self, rows, errors: ImportErrors) -> list:
        group_codes = {}
        for group in KeyGroup.objects.filter(is_active=True):
            group_codes[group.name] = group.code
            group_codes[group.code] = group.code
        cleaned = []
        for index, (row, record) in enumerate(rows, start=1):
            errors_before = errors.total
            data = self._data(row, record, group_codes, errors)
            try:
                values = self.upsert.clean(data)
            except ValidationError as exc:
                errors.add_validation(row, exc)
                continue
            if errors.total > errors_before:  # a cell the ledger itself refused (e.g. an unknown label)
                continue
            cleaned.append((row, values))
            if index % 500 == 0:
                self.progress(index)
        self.warnings = self.upsert.warnings(v for _, v in cleaned)
        return cleaned

    def _data(self, row, record, group_codes, errors) -> dict:
        """The row as resident input (people.services.RESIDENT_FIELDS); a blank optional cell is left out."""
        data = {
            "name": record.get("name"),
            "id_number": record.get("id_number"),
            "community_code": digits_text(record.get("community_code")),
        }
        if record.get("phone") is not None:
            data["phone"] = digits_text(record["phone"])
        if record.get("education") is not None:
            data["education"] = label_to_code(Education, record["education"])
            if not isinstance(data["education"], int):
                labels = "、".join(Education.labels)
                errors.add(row, "文化程度", f"文化程度取值无效：{record['education']}（可选：{labels}）")
                data.pop("education")
        if record.get("employment_status") is not None:
            data["employment_status"] = label_to_code(EmploymentStatus, record["employment_status"])
            if data["employment_status"] not in EmploymentStatus.values:
                labels = "、".join(EmploymentStatus.labels)
                errors.add(row, "就业状态", f"就业状态取值无效：{record['employment_status']}（可选：{labels}）")
                data.pop("employment_status")
        if record.get("is_job_seeking") is not None:
            try:
                data["is_job_seeking"] = parse_yes_no(record["is_job_seeking"], "是否求职")
            except ValidationError as exc:
                errors.add(row, "是否求职", exc.messages[0])
        if record.get("key_groups"):
            names = [n for n in KEY_GROUP_SPLIT.split(str(record["key_groups"])) if n]
            data["key_groups"] = [group_codes.get(n, n) for n in names]
        return data

    def apply(self, cleaned, errors: ImportErrors, *, write: bool) -> Counts:
        def report(row, field, message):
            errors.add(row, self.ledger.header_for(field), message)

        evidence = f"居民实名台账导入：{self.batch.original_name}" if self.batch is not None else ""
        counts = self.upsert.apply(cleaned, report, write=write and not errors, import_batch=self.batch,
                                   evidence=evidence)  # fmt: skip
        return Counts(created=counts.created, updated=counts.updated, unchanged=counts.unchanged)
