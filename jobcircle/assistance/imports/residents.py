"""居民实名台账 import: the bulk path of resident registration.

Every row passes ``people.services.clean_resident_input`` — the very rules of registration (ID
checksum and date, mobile phone, community in the actor's area, choices, key groups) — with its
reference look-ups cached for the batch. Rows are then upserted by the ID blind index in bulk:
new residents created, changed ones updated, identical ones left alone (so a second import of the
same data reports 0 created / 0 updated). One audit event records the batch. A row that moves a
resident to another community moves their home point by the form's and the API's rule
(``people.services.home_point``: the new community's station, else its stand-in, named in the warnings).

Key groups are only ever added by a ledger (never taken away). The ledger file is their evidence:
each resident whose groups grow gets a KeyGroupChange row naming the batch, and one audit event
``people.resident.key_groups_changed`` counts them for the batch.
"""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from jobcircle.areas.stations import stand_in_warnings
from jobcircle.common import pii
from jobcircle.common.audit import log_action
from jobcircle.people.enums import Education, EmploymentStatus, KeyGroupChangeSource
from jobcircle.people.models import EmploymentStatusChange, KeyGroup, KeyGroupChange, Resident
from jobcircle.people.services import EVIDENCE_MAX_LENGTH, NOT_REGISTRABLE_HERE, clean_resident_input, home_point

from ..ledgers import RESIDENTS
from ..services import parse_yes_no
from .base import CHUNK, BaseImporter, Counts, ImportErrors, bulk_insert, digits_text, label_to_code

WRITE_BATCH = 1000
KEY_GROUP_SPLIT = re.compile(r"[、,，;；/\s]+")
UPDATABLE = ("name", "phone", "community", "education", "employment_status", "is_job_seeking")


class ResidentImporter(BaseImporter):
    ledger = RESIDENTS

    def clean(self, rows, errors: ImportErrors) -> list:
        self._memo = memo = {}  # kept for apply: a moved resident's home point uses the same look-ups
        group_codes = {}
        for group in KeyGroup.objects.filter(is_active=True):
            group_codes[group.name] = group.code
            group_codes[group.code] = group.code
        cleaned = []
        for index, (row, record) in enumerate(rows, start=1):
            errors_before = errors.total
            data, given = self._data(row, record, group_codes, errors)
            try:
                values = clean_resident_input(data, scope=self.scope, memo=memo, ledger=True)
            except ValidationError as exc:
                errors.add_validation(row, exc)
                continue
            if errors.total > errors_before:  # a cell the ledger itself refused (e.g. an unknown label)
                continue
            values.pop("warnings", None)
            values["given"] = given
            values["id_hash"] = pii.blind_index("id_number", values["id_number"])
            values["phone_hash"] = pii.blind_index("phone", values["phone"]) if values.get("phone") else None
            cleaned.append((row, values))
            if index % 500 == 0:
                self.progress(index)
        # Rows of a community without its own station are placed by areas.stations, with a warning.
        self.warnings = stand_in_warnings(sorted({v["community"] for _, v in cleaned}, key=lambda c: c.code))
        return cleaned

    def _data(self, row, record, group_codes, errors):
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
        given = {k for k in data if k not in ("name", "id_number", "community_code")}
        return data, given

    # --- apply: plan against the database, then write in bulk -------------------------------------

    def apply(self, cleaned, errors: ImportErrors, *, write: bool) -> Counts:
        cleaned = self._drop_duplicates_in_file(cleaned, errors)
        existing = self._existing({v["id_hash"] for _, v in cleaned})
        phone_owner = self._phone_owners({v["phone_hash"] for _, v in cleaned if v["phone_hash"]})
        groups_of = self._key_groups_of([r["id"] for r in existing.values()])
        creates, updates, counts = [], [], Counts()
        for row, values in cleaned:
            current = existing.get(values["id_hash"])
            owner_id, owner_area = phone_owner.get(values["phone_hash"], (None, None))
            if current is not None and owner_id == current["id"]:
                owner_id = None  # the row's own resident keeps their number
            # Issue 22 item 11: a number held outside the importer's area gets the registration's neutral
            # message, on no column, whichever number matched; inside the area a taken phone says so.
            if (current is not None and not self.scope.covers(current["area_code"])) or (
                owner_id is not None and not self.scope.covers(owner_area)
            ):
                errors.add(row, "", NOT_REGISTRABLE_HERE)
                continue
            if owner_id is not None:
                errors.add(row, "手机号", "手机号：该号码已被其他居民登记")
                continue
            if current is None:
                creates.append(values)
                counts.created += 1
            elif self._changes(current, values, groups_of.get(current["id"], set())):
                updates.append((current, values))
                counts.updated += 1
            else:
                counts.unchanged += 1
        if write and not errors:
            changes = self._create(creates) + self._update(updates, groups_of)
            if changes:
                log_action("people.resident.key_groups_changed", by=self.by, obj=self.batch,
                           changed_fields=["key_groups"],
                           data={"source": KeyGroupChangeSource.IMPORT, "residents": changes})  # fmt: skip
        return counts

    def _key_group_change(self, resident_id, groups):
        """The log row of key groups a ledger row adds: the ledger file (this batch) is the evidence."""
        evidence = f"居民实名台账导入：{self.batch.original_name}"[:EVIDENCE_MAX_LENGTH]
        return KeyGroupChange(
            resident_id=resident_id, added=sorted(g.code for g in groups), removed=[], evidence=evidence,
            source=KeyGroupChangeSource.IMPORT, import_batch=self.batch, changed_by=self.by,
        )  # fmt: skip

    def _drop_duplicates_in_file(self, cleaned, errors):
        first_id, first_phone, kept = {}, {}, []
        for row, values in cleaned:
            earlier = first_id.setdefault(values["id_hash"], row)
            if earlier != row:
                errors.add(row, "身份证号", f"与第{earlier}行的身份证号重复")
                continue
            if values["phone_hash"]:
                earlier = first_phone.setdefault(values["phone_hash"], row)
                if earlier != row:
                    errors.add(row, "手机号", f"与第{earlier}行的手机号重复")
                    continue
            kept.append((row, values))
        return kept

    def _existing(self, hashes):
        fields = ("id", "id_number_hash", "area_code", "name", "phone_hash", "community_id", "education",
                  "employment_status", "is_job_seeking")  # fmt: skip
        found, hashes = {}, list(hashes)
        for start in range(0, len(hashes), CHUNK):
            for row in Resident.objects.filter(id_number_hash__in=hashes[start : start + CHUNK]).values(*fields):
                found[row["id_number_hash"]] = row
        return found

    def _phone_owners(self, hashes):
        """{phone blind index: (resident id, area code)} of the residents already holding the phones."""
        owners, hashes = {}, list(hashes)
        for start in range(0, len(hashes), CHUNK):
            chunk = hashes[start : start + CHUNK]
            for phone_hash, owner_id, area_code in Resident.objects.filter(phone_hash__in=chunk).values_list(
                "phone_hash", "id", "area_code"
            ):
                owners[phone_hash] = (owner_id, area_code)
        return owners

    def _key_groups_of(self, resident_ids):
        through = Resident.key_groups.through
        groups: dict[int, set[int]] = {}
        for start in range(0, len(resident_ids), CHUNK):
            chunk = resident_ids[start : start + CHUNK]
            for resident_id, group_id in through.objects.filter(resident_id__in=chunk).values_list(
                "resident_id", "keygroup_id"
            ):
                groups.setdefault(resident_id, set()).add(group_id)
        return groups

    @staticmethod
    def _changes(current, values, groups) -> bool:
        """Whether applying the row would change anything (blank optional cells never do)."""
        given = values["given"]
        if current["name"] != values["name"] or current["community_id"] != values["community"].pk:
            return True
        if "phone" in given and current["phone_hash"] != values["phone_hash"]:
            return True
        for field in ("education", "employment_status", "is_job_seeking"):
            if field in given and values.get(field) is not None and current[field] != values[field]:
                return True
        return "key_groups" in given and not {g.pk for g in values["key_groups"]} <= groups

    # --- writing ------------------------------------------------------------------------------

    def _create(self, creates) -> int:
        """Insert the new residents; returns how many got key groups (each logged)."""
        today = timezone.localdate()
        changed = 0
        for start in range(0, len(creates), WRITE_BATCH):
            batch = creates[start : start + WRITE_BATCH]
            residents = []
            for values in batch:
                resident = Resident(
                    name=values["name"],
                    id_type=values["id_type"],
                    birth_date=values["birth_date"],
                    gender=values["gender"],
                    community=values["community"],
                    area_code=values["community"].code,
                    education=values.get("education") or Education.NONE,
                    employment_status=values.get("employment_status") or EmploymentStatus.UNEMPLOYED,
                    is_job_seeking=bool(values.get("is_job_seeking")),
                )
                resident.set_id_number(values["id_number"])
                resident.set_phone(values.get("phone") or "")
                resident.set_location(*values["location"])
                residents.append(resident)
            bulk_insert(Resident, residents, set_pks=True)
            through = Resident.key_groups.through
            bulk_insert(
                through,
                [
                    through(resident_id=r.pk, keygroup_id=g.pk)
                    for r, v in zip(residents, batch, strict=True)
                    for g in v.get("key_groups", [])
                ],
            )
            bulk_insert(
                EmploymentStatusChange,
                [
                    EmploymentStatusChange(
                        resident_id=r.pk, status=r.employment_status, changed_on=today, note="台账导入",
                        recorded_by=self._actor,
                    )
                    for r in residents
                ]
            )  # fmt: skip
            key_group_changes = [
                self._key_group_change(r.pk, v["key_groups"])
                for r, v in zip(residents, batch, strict=True)
                if v.get("key_groups")
            ]
            bulk_insert(KeyGroupChange, key_group_changes)
            changed += len(key_group_changes)
            self.progress(start + len(batch), "正在写入新登记的居民…")
        return changed

    @property
    def _actor(self):
        return self.by if getattr(self.by, "pk", None) else None

    def _update(self, updates, groups_of) -> int:
        """Update the changed residents; returns how many got new key groups (each logged)."""
        today = timezone.localdate()
        changed_groups = 0
        fields = ["name", "phone_encrypted", "phone_hash", "phone_masked", "community", "area_code", "lat", "lng",
                  "source_crs", "h3_r5", "h3_r7", "education", "employment_status", "is_job_seeking",
                  "updated_at"]  # fmt: skip
        through = Resident.key_groups.through
        for start in range(0, len(updates), WRITE_BATCH):
            batch = updates[start : start + WRITE_BATCH]
            objects = Resident.objects.in_bulk([current["id"] for current, _ in batch])
            changed, history, links, key_group_changes = [], [], [], []
            now = timezone.now()
            for current, values in batch:
                resident = objects[current["id"]]
                given = values["given"]
                old_status = resident.employment_status
                resident.name = values["name"]
                if "phone" in given and resident.phone_hash != values["phone_hash"]:
                    resident.set_phone(values.get("phone") or "")
                # the one home-point rule (people.services.home_point); the ledger has no coordinate columns
                point, _ = home_point({}, values["community"], current=resident.community_id, memo=self._memo)
                if point:
                    resident.set_location(*point)
                if resident.community_id != values["community"].pk:
                    resident.community, resident.area_code = values["community"], values["community"].code
                for field in ("education", "employment_status", "is_job_seeking"):
                    if field in given and values.get(field) is not None:
                        setattr(resident, field, values[field])
                resident.updated_at = now
                changed.append(resident)
                if resident.employment_status != old_status:
                    history.append(
                        EmploymentStatusChange(
                            resident_id=resident.pk, status=resident.employment_status, changed_on=today,
                            note="台账导入", recorded_by=self._actor,
                        )
                    )  # fmt: skip
                have = groups_of.get(resident.pk, set())
                new_groups = [g for g in values.get("key_groups", []) if g.pk not in have]
                links += [through(resident_id=resident.pk, keygroup_id=g.pk) for g in new_groups]
                if new_groups:
                    key_group_changes.append(self._key_group_change(resident.pk, new_groups))
            Resident.objects.bulk_update(changed, fields)
            EmploymentStatusChange.objects.bulk_create(history)
            through.objects.bulk_create(links, ignore_conflicts=True)
            KeyGroupChange.objects.bulk_create(key_group_changes)
            changed_groups += len(key_group_changes)
            self.progress(start + len(batch), "正在更新已登记的居民…")
        return changed_groups
