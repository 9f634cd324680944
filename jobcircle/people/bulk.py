"""Writing many residents at once: the bulk form of ``register_resident`` / ``update_resident``.

The 居民实名台账 import (assistance.imports.residents) reads a file into input dicts and hands them
here; it builds no resident itself (issue 21: one writer per record). Every rule is the one the staff
form and the API obey, called, never re-derived:

- the field table: ``accounts.permissions.check_writable_fields`` (WRITABLE_FIELDS) for each row;
- the values: ``people.services.clean_resident_input`` (validators, the community inside the actor's
  area, choices, key groups), its reference look-ups cached for the batch (``memo``);
- the home point: ``people.services.home_point`` — a change of community moves it to the new
  community's station (else its stand-in), unless the person's own point was given;
- the record's columns: ``people.services.apply_resident_input`` (the encrypt / blind-index / mask triple of
  ``common.pii.PIIField``, community and area code, the location);
- 已就业 ends the job search unless the row says otherwise: ``people.services.ends_job_search``;
- uniqueness: the ID number and the phone are unique county-wide; a number held outside the actor's
  area gets ``NOT_REGISTRABLE_HERE`` (no field, no hint of where), as in registration.

What is bulk-only, and why:

- key groups are only ever added by a ledger (never taken away); the ledger file is the evidence, so
  each resident whose groups grow gets one ``KeyGroupChange`` naming the import batch, and one audit
  event ``people.resident.key_groups_changed`` counts them for the batch (not one event per row);
- rows are planned against the database first (existing records and phone holders fetched in chunks),
  then written in bulk: new residents inserted, changed ones updated, identical ones left alone — so a
  second run of the same rows changes nothing (0 created / 0 updated);
- all-or-nothing is the caller's transaction: nothing is written while any row has an error.
"""

from dataclasses import dataclass

from django.utils import timezone

from jobcircle.accounts.permissions import RESIDENT as RESIDENT_RECORD
from jobcircle.accounts.permissions import check_writable_fields
from jobcircle.areas.stations import stand_in_warnings
from jobcircle.common import pii
from jobcircle.common.audit import log_action
from jobcircle.common.bulk import bulk_insert_objects

from .enums import EmploymentStatus, KeyGroupChangeSource
from .models import EmploymentStatusChange, KeyGroupChange, Resident
from .services import (
    EVIDENCE_MAX_LENGTH,
    NOT_REGISTRABLE_HERE,
    apply_resident_input,
    clean_resident_input,
    ends_job_search,
    home_point,
)

CHUNK = 900  # ids per IN query: below SQLite's limit on query parameters
WRITE_BATCH = 1000
# The input names that identify a row; every other name present is a value the row gives.
IDENTITY = ("name", "id_number", "community_code")
# What a row may change on an existing record (blank optional cells never change anything).
OPTIONAL = ("education", "employment_status", "is_job_seeking")


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ResidentUpsert:
    """Register or update many residents by ID number, with the rules of the form (see the module).

    ``clean`` checks one input dict (raising ValidationError, or PermissionDenied for a field the actor
    may not write); ``apply`` plans the cleaned rows against the database and, with ``write``, writes
    them. ``report(row, field, message)`` receives each refusal of a row (``field`` an input name, or ""
    for no field). New rows are inserted with ``common.bulk.bulk_insert_objects``.
    """

    def __init__(self, *, by, scope, progress=None):
        self.by, self.scope = by, scope
        self.memo = {}  # reference look-ups of the batch, kept for apply (a moved resident's home point)
        self.progress = progress or (lambda done, message=None: None)

    @property
    def actor(self):
        return self.by if getattr(self.by, "pk", None) else None

    def clean(self, data: dict) -> dict:
        """One row's cleaned values: the registration's rules, plus the blind indexes to plan with."""
        if getattr(self.by, "is_authenticated", False):
            check_writable_fields(self.by, RESIDENT_RECORD, data)
        values = clean_resident_input(data, scope=self.scope, memo=self.memo, ledger=True)
        values.pop("warnings", None)  # stand-ins are named once per batch (``warnings``)
        values["given"] = {key for key in data if key not in IDENTITY}
        values["id_hash"] = pii.blind_index("id_number", values["id_number"])
        values["phone_hash"] = pii.blind_index("phone", values["phone"]) if values.get("phone") else None
        return values

    @staticmethod
    def warnings(cleaned) -> list[str]:
        """Rows of a community without its own station are placed by areas.stations: one warning each."""
        return stand_in_warnings(sorted({v["community"] for v in cleaned}, key=lambda c: c.code))

    # --- plan against the database, then write in bulk -------------------------------------------

    def apply(self, rows, report, *, write: bool, import_batch=None, evidence="") -> UpsertCounts:
        """Plan ``rows`` ([(row number, cleaned values)]) and, with ``write`` and no refusal, write them.

        - the same ID number or phone twice in the rows → the later row refused;
        - a number held outside the actor's area → ``NOT_REGISTRABLE_HERE``; a phone another resident of
          the area holds → refused on ``phone``;
        - ``evidence`` (and ``import_batch``) go on the KeyGroupChange rows of residents whose groups grow.
        """
        refused = False

        def refuse(row, field, message):
            nonlocal refused
            refused = True
            report(row, field, message)

        rows = self._drop_duplicates(rows, refuse)
        existing = self._existing({v["id_hash"] for _, v in rows})
        phone_owner = self._phone_owners({v["phone_hash"] for _, v in rows if v["phone_hash"]})
        groups_of = self._key_groups_of([r["id"] for r in existing.values()])
        creates, updates, counts = [], [], UpsertCounts()
        for row, values in rows:
            current = existing.get(values["id_hash"])
            owner_id, owner_area = phone_owner.get(values["phone_hash"], (None, None))
            if current is not None and owner_id == current["id"]:
                owner_id = None  # the row's own resident keeps their number
            # Issue 22 item 11: a number held outside the actor's area gets the registration's neutral
            # message, on no field, whichever number matched; inside the area a taken phone says so.
            if (current is not None and not self.scope.covers(current["area_code"])) or (
                owner_id is not None and not self.scope.covers(owner_area)
            ):
                refuse(row, "", NOT_REGISTRABLE_HERE)
                continue
            if owner_id is not None:
                refuse(row, "phone", "手机号：该号码已被其他居民登记")
                continue
            if current is None:
                creates.append(values)
                counts.created += 1
            elif self._changes(current, values, groups_of.get(current["id"], set())):
                updates.append((current, values))
                counts.updated += 1
            else:
                counts.unchanged += 1
        if write and not refused:
            self.batch, self.evidence = import_batch, evidence[:EVIDENCE_MAX_LENGTH]
            changes = self._create(creates) + self._update(updates, groups_of)
            if changes:
                log_action("people.resident.key_groups_changed", by=self.by, obj=import_batch,
                           changed_fields=["key_groups"],
                           data={"source": KeyGroupChangeSource.IMPORT, "residents": changes})  # fmt: skip
        return counts

    @staticmethod
    def _drop_duplicates(rows, refuse):
        first_id, first_phone, kept = {}, {}, []
        for row, values in rows:
            earlier = first_id.setdefault(values["id_hash"], row)
            if earlier != row:
                refuse(row, "id_number", f"与第{earlier}行的身份证号重复")
                continue
            if values["phone_hash"]:
                earlier = first_phone.setdefault(values["phone_hash"], row)
                if earlier != row:
                    refuse(row, "phone", f"与第{earlier}行的手机号重复")
                    continue
            kept.append((row, values))
        return kept

    @staticmethod
    def _existing(hashes):
        fields = ("id", "id_number_hash", "area_code", "name", "phone_hash", "community_id", *OPTIONAL)
        found, hashes = {}, list(hashes)
        for start in range(0, len(hashes), CHUNK):
            for row in Resident.objects.filter(id_number_hash__in=hashes[start : start + CHUNK]).values(*fields):
                found[row["id_number_hash"]] = row
        return found

    @staticmethod
    def _phone_owners(hashes):
        """{phone blind index: (resident id, area code)} of the residents already holding the phones."""
        owners, hashes = {}, list(hashes)
        for start in range(0, len(hashes), CHUNK):
            chunk = hashes[start : start + CHUNK]
            for phone_hash, owner_id, area_code in Resident.objects.filter(phone_hash__in=chunk).values_list(
                "phone_hash", "id", "area_code"
            ):
                owners[phone_hash] = (owner_id, area_code)
        return owners

    @staticmethod
    def _key_groups_of(resident_ids):
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
        for field in OPTIONAL:
            if field in given and values.get(field) is not None and current[field] != values[field]:
                return True
        return "key_groups" in given and not {g.pk for g in values["key_groups"]} <= groups

    def _key_group_change(self, resident_id, groups):
        """The log row of key groups a row adds: the batch's evidence (the ledger file) names them."""
        return KeyGroupChange(
            resident_id=resident_id, added=sorted(g.code for g in groups), removed=[], evidence=self.evidence,
            source=KeyGroupChangeSource.IMPORT, import_batch=self.batch, changed_by=self.by,
        )  # fmt: skip

    def _status_change(self, resident, today):
        return EmploymentStatusChange(
            resident_id=resident.pk, status=resident.employment_status, changed_on=today, note="台账导入",
            recorded_by=self.actor,
        )  # fmt: skip

    # --- writing ------------------------------------------------------------------------------

    def _create(self, creates) -> int:
        """Insert the new residents; returns how many got key groups (each logged)."""
        today = timezone.localdate()
        changed = 0
        through = Resident.key_groups.through
        for start in range(0, len(creates), WRITE_BATCH):
            batch = creates[start : start + WRITE_BATCH]
            residents = []
            for values in batch:
                resident = Resident(employment_status=EmploymentStatus.UNEMPLOYED)  # as register_resident
                apply_resident_input(resident, values)
                residents.append(resident)
            bulk_insert_objects(Resident, residents, set_pks=True)
            pairs = list(zip(residents, batch, strict=True))
            bulk_insert_objects(through, [through(resident_id=r.pk, keygroup_id=g.pk)
                                          for r, v in pairs for g in v.get("key_groups", [])])  # fmt: skip
            bulk_insert_objects(EmploymentStatusChange, [self._status_change(r, today) for r in residents])
            key_group_changes = [self._key_group_change(r.pk, v["key_groups"]) for r, v in pairs if v.get("key_groups")]
            bulk_insert_objects(KeyGroupChange, key_group_changes)
            changed += len(key_group_changes)
            self.progress(start + len(batch), "正在写入新登记的居民…")
        return changed

    def _update(self, updates, groups_of) -> int:
        """Update the changed residents; returns how many got new key groups (each logged)."""
        today = timezone.localdate()
        changed_groups = 0
        fields = ["name", *Resident.set_phone.columns, "community", "area_code", "lat", "lng", "source_crs",
                  "h3_r5", "h3_r7", *OPTIONAL, "updated_at"]  # fmt: skip
        through = Resident.key_groups.through
        for start in range(0, len(updates), WRITE_BATCH):
            batch = updates[start : start + WRITE_BATCH]
            objects = Resident.objects.in_bulk([current["id"] for current, _ in batch])
            changed, history, links, key_group_changes = [], [], [], []
            now = timezone.now()
            for current, values in batch:
                resident = objects[current["id"]]
                old_status = resident.employment_status
                apply_resident_input(resident, self._update_values(resident, values))
                if resident.employment_status != old_status:
                    said = values.get("is_job_seeking") if "is_job_seeking" in values["given"] else None
                    ends_job_search(resident, said_seeking=said)
                    history.append(self._status_change(resident, today))
                resident.updated_at = now
                changed.append(resident)
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

    def _update_values(self, resident, values) -> dict:
        """What a row changes on an existing record, in the form of clean_resident_input's output.

        The identity (ID number, birth date, sex) stays; name and community are always given; the phone
        and the optional cells only when the row fills them; the home point by ``home_point`` (the ledger
        has no coordinate columns, so a change of community moves it).
        """
        given = values["given"]
        out = {"name": values["name"], "community": values["community"]}
        point, _ = home_point({}, values["community"], current=resident.community_id, memo=self.memo)
        if point:
            out["location"] = point
        if "phone" in given and resident.phone_hash != values["phone_hash"]:
            out["phone"] = values.get("phone") or ""
        out.update({field: values[field] for field in OPTIONAL if field in given and values.get(field) is not None})
        return out
