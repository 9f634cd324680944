"""Imports of the casework ledgers: monthly monitoring records, public-welfare placements, workshops.

These ledgers hold hundreds or thousands of rows, so each row goes through the same service a
staff member's form uses (``record_monitoring``, ``place_on_welfare_post``, ``save_workshop`` …),
inside the batch's one transaction. Rows identical to what is stored are left alone.
"""

from django.core.exceptions import ValidationError

from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import parse_id_number
from jobcircle.people.enums import EmploymentStatus

from ..enums import NotEmployedReason, PlacementExitReason, ServiceSource, WorkLocation, WorkshopStatus
from ..ledgers import MONITORING, WELFARE_PLACEMENTS, WORKSHOPS
from ..models import MonitoringRecord, WelfarePlacement, WelfarePost, Workshop, WorkshopCheck
from ..monitoring import services as monitoring_services
from ..periods import month_start, parse_date, parse_month
from ..services import today
from ..welfare import services as welfare_services
from ..workshops import services as workshop_services
from .base import (
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


def _capture(errors: FieldErrors, func, *args, **kwargs):
    """Call a cleaning service; keep its per-field messages under their own fields."""
    try:
        return func(*args, **kwargs)
    except ValidationError as exc:
        for key, messages in (exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}).items():
            for message in messages:
                errors.add(key, message)
        return None


def _id_and_name(row, record, errors: FieldErrors):
    info = errors.capture("id_number", parse_id_number, record.get("id_number"))
    name = str(record.get("name") or "").strip()
    if not name:
        errors.add("name", "姓名：不能为空")
    return (info.number if info else None), name


def _resident(row, values, residents, errors: ImportErrors):
    resident = residents.get(values["id_hash"])
    if resident is None:
        errors.add(row, "身份证号", NOT_FOUND)
    elif resident.name != values["name"]:
        errors.add(row, "姓名", name_mismatch(resident))
        return None
    return resident


class MonitoringImporter(BaseImporter):
    ledger = MONITORING

    def clean(self, rows, errors: ImportErrors) -> list:
        cleaned = []
        for index, (row, record) in enumerate(rows, start=1):
            field_errors = FieldErrors()
            number, name = _id_and_name(row, record, field_errors)
            month = field_errors.capture("month", parse_month, record.get("month"), "监测月份")
            if month and month > month_start(today()):
                field_errors.add("month", "监测月份：不能晚于本月")
            data = {
                "employment_status": label_to_code(EmploymentStatus, record.get("employment_status")),
                "work_location": label_to_code(WorkLocation, record.get("work_location")),
                "employer_name": record.get("employer_name"),
                "months_worked": record.get("months_worked"),
                "monthly_income": record.get("monthly_income"),
                "not_employed_reason": label_to_code(NotEmployedReason, record.get("not_employed_reason")),
                "wants_work": record.get("wants_work"),
                "note": record.get("note"),
            }
            values = None
            if month:
                values = _capture(field_errors, monitoring_services.clean_monitoring_input, data, month=month)
            if field_errors.errors:
                errors.add_validation(row, ValidationError(field_errors.errors))
                continue
            cleaned.append(
                (row, {"id_hash": id_hash(number), "name": name, "month": month, "data": data, "values": values})
            )
            if index % 200 == 0:
                self.progress(index)
        return cleaned

    def apply(self, cleaned, errors: ImportErrors, *, write: bool) -> Counts:
        residents = residents_by_hash(self.scope, [v["id_hash"] for _, v in cleaned])
        existing = {
            (r.resident_id, r.month): r
            for r in MonitoringRecord.objects.filter(
                resident__in=residents.values(), month__in={v["month"] for _, v in cleaned}
            )
        }
        counts, seen = Counts(), {}
        # oldest month first, so each person's latest month decides their current status
        for row, values in sorted(cleaned, key=lambda item: (item[1]["month"], item[0])):
            resident = _resident(row, values, residents, errors)
            if resident is None:
                continue
            key = (resident.pk, values["month"])
            if key in seen:
                errors.add(row, "监测月份", f"与第{seen[key]}行是同一人同一月份")
                continue
            seen[key] = row
            current = existing.get(key)
            if not monitoring_services.record_differs(current, values["values"]):
                counts.unchanged += 1
                continue
            try:
                monitoring_services.record_monitoring(
                    resident, month=values["month"], by=self.by, data=values["data"], source=ServiceSource.IMPORT
                )
            except ValidationError as exc:
                errors.add_validation(row, exc)
                continue
            if current is None:
                counts.created += 1
            else:
                counts.updated += 1
            self.progress(counts.created + counts.updated + counts.unchanged)
        return counts


class WelfarePlacementImporter(BaseImporter):
    ledger = WELFARE_PLACEMENTS

    def clean(self, rows, errors: ImportErrors) -> list:
        cleaned = []
        for row, record in rows:
            field_errors = FieldErrors()
            number, name = _id_and_name(row, record, field_errors)
            code = str(record.get("post_code") or "").strip().upper()
            if not code:
                field_errors.add("post_code", "岗位编号：不能为空")
            started = field_errors.capture("started_on", parse_date, record.get("started_on"), "上岗日期")
            planned = None
            if record.get("planned_end_on") is not None:
                planned = field_errors.capture("planned_end_on", parse_date, record["planned_end_on"], "协议期满日期")
            exited = None
            if record.get("exited_on") is not None:
                exited = field_errors.capture("exited_on", parse_date, record["exited_on"], "离岗日期")
            reason = label_to_code(PlacementExitReason, record.get("exit_reason"))
            if reason and reason not in PlacementExitReason.values:
                labels = "、".join(PlacementExitReason.labels)
                field_errors.add("exit_reason", f"离岗原因取值无效：{reason}（可选：{labels}）")
            if bool(exited) != bool(reason) and not field_errors.errors.get("exited_on"):
                field_errors.add("exit_reason" if exited else "exited_on", "离岗日期与离岗原因应同时填写")
            if field_errors.errors:
                errors.add_validation(row, ValidationError(field_errors.errors))
                continue
            cleaned.append(
                (row, {"id_hash": id_hash(number), "name": name, "post_code": code, "started_on": started,
                       "planned_end_on": planned, "exited_on": exited, "exit_reason": reason})
            )  # fmt: skip
        return cleaned

    def apply(self, cleaned, errors: ImportErrors, *, write: bool) -> Counts:
        residents = residents_by_hash(self.scope, [v["id_hash"] for _, v in cleaned])
        posts = {
            p.code: p
            for p in WelfarePost.objects.in_scope(self.scope).filter(code__in={v["post_code"] for _, v in cleaned})
        }
        counts, seen = Counts(), {}
        for row, values in sorted(cleaned, key=lambda item: (item[1]["started_on"], item[0])):
            resident = _resident(row, values, residents, errors)
            post = posts.get(values["post_code"])
            if post is None:
                errors.add(row, "岗位编号", "岗位编号不存在（或不在您的管辖范围内）")
            if resident is None or post is None:
                continue
            key = (resident.pk, post.pk, values["started_on"])
            if key in seen:
                errors.add(row, "上岗日期", f"与第{seen[key]}行是同一人同一岗位同一上岗日期")
                continue
            seen[key] = row
            try:
                outcome = self._upsert(resident, post, values)
            except ValidationError as exc:
                errors.add_validation(row, exc, default_key="id_number")
                continue
            setattr(counts, outcome, getattr(counts, outcome) + 1)
        return counts

    def _upsert(self, resident, post, values) -> str:
        placement = WelfarePlacement.objects.filter(
            resident=resident, post=post, started_on=values["started_on"]
        ).first()
        if placement is None:
            placement = welfare_services.place_on_welfare_post(
                post, resident, by=self.by, started_on=values["started_on"], planned_end_on=values["planned_end_on"]
            )
            if values["exited_on"]:
                welfare_services.exit_welfare_post(
                    placement, by=self.by, exited_on=values["exited_on"], reason=values["exit_reason"]
                )
            return "created"
        if placement.exited_on == values["exited_on"] and (placement.exit_reason or None) == values["exit_reason"]:
            return "unchanged"
        if placement.exited_on is None and values["exited_on"]:
            welfare_services.exit_welfare_post(
                placement, by=self.by, exited_on=values["exited_on"], reason=values["exit_reason"]
            )
            return "updated"
        raise ValidationError({"exited_on": ["离岗信息与系统中已登记的不一致，请在系统中核对后修改"]})


class WorkshopImporter(BaseImporter):
    ledger = WORKSHOPS

    def clean(self, rows, errors: ImportErrors) -> list:
        cleaned = []
        for row, record in rows:
            field_errors = FieldErrors()
            data = {**record, "community_code": digits_text(record.get("community_code"))}
            registry = _capture(field_errors, workshop_services.clean_workshop_input, data, scope=self.scope)
            check = None
            if record.get("month") is not None:
                data["status"] = label_to_code(WorkshopStatus, record.get("status"))
                check = _capture(field_errors, workshop_services.clean_workshop_check_input, data)
            else:
                for key in ("status", "workers", "poverty_workers", "monitored_workers", "subsidy_granted"):
                    if record.get(key) not in (None, ""):
                        field_errors.add("month", "检查月份：填写运行状态或人数时必填")
                        break
            if field_errors.errors:
                errors.add_validation(row, ValidationError(field_errors.errors))
                continue
            cleaned.append((row, {"data": data, "registry": registry, "check": check}))
        return cleaned

    def apply(self, cleaned, errors: ImportErrors, *, write: bool) -> Counts:
        codes = {v["registry"]["code"] for _, v in cleaned}
        shops = {w.code: w for w in Workshop.objects.filter(code__in=codes)}
        counts, seen = Counts(), {}
        for row, values in cleaned:
            registry, check = values["registry"], values["check"]
            key = (registry["code"], check["month"] if check else None)
            if key in seen:
                errors.add(row, "车间编号", f"与第{seen[key]}行是同一车间{'同一检查月份' if check else ''}")
                continue
            seen[key] = row
            try:
                outcome = self._upsert(shops, values)
            except ValidationError as exc:
                errors.add_validation(row, exc, default_key="code")
                continue
            setattr(counts, outcome, getattr(counts, outcome) + 1)
        return counts

    def _upsert(self, shops, values) -> str:
        registry, check = values["registry"], values["check"]
        shop = shops.get(registry["code"])
        created = updated = False
        if shop is None or self._registry_differs(shop, registry):
            shop, created = workshop_services.save_workshop(by=self.by, data=values["data"], scope=self.scope)
            shops[shop.code] = shop
            updated = not created
        if check is not None:
            existing = WorkshopCheck.objects.filter(workshop=shop, month=check["month"]).first()
            if existing is None or any(getattr(existing, f) != check[f] for f in workshop_services.CHECK_FIELDS):
                _, check_created = workshop_services.record_workshop_check(shop, by=self.by, data=values["data"])
                created, updated = created or check_created, updated or not check_created
        return "created" if created else "updated" if updated else "unchanged"

    @staticmethod
    def _registry_differs(shop, registry) -> bool:
        return shop.community_id != registry["community"].pk or any(
            getattr(shop, f) != registry[f] for f in workshop_services.WORKSHOP_FIELDS
        )
