"""就业服务站台账 import: a new county registers its stations in one go.

Every row passes ``areas.stations.clean_station_input`` — the rules of the station screens (name,
address, a community or township in the actor's area, the point in WGS-84/GCJ-02/BD-09). Rows are
upserted by (region, name) through ``areas.stations.save_station`` (audited per station): a second
import of the same data reports 0 created / 0 updated.
"""

from django.core.exceptions import ValidationError

from jobcircle.areas.enums import SourceCRS
from jobcircle.areas.models import ServiceStation
from jobcircle.areas.stations import STATION_FIELDS, clean_station_input, save_station

from ..ledgers import STATIONS
from .base import BaseImporter, Counts, ImportErrors, digits_text, label_to_code


class StationImporter(BaseImporter):
    ledger = STATIONS

    def clean(self, rows, errors: ImportErrors) -> list:
        cleaned = []
        for row, record in rows:
            data = {**record, "area_code": digits_text(record.get("area_code"))}
            if record.get("coord") not in (None, ""):
                data["coord"] = label_to_code(SourceCRS, record["coord"])
                if data["coord"] not in SourceCRS.values:
                    labels = "、".join(str(label) for label in SourceCRS.labels)
                    errors.add(row, "坐标系", f"坐标系取值无效：{record['coord']}（可选：{labels}）")
                    continue
            try:
                values = clean_station_input(data, scope=self.scope)
            except ValidationError as exc:
                errors.add_validation(row, _by_column(exc))
                continue
            cleaned.append((row, {"data": data, "values": values}))
        return cleaned

    def apply(self, cleaned, errors: ImportErrors, *, write: bool) -> Counts:
        counts, seen = Counts(), {}
        regions = {v["values"]["region"].pk for _, v in cleaned}
        existing = {(s.community_id, s.name): s for s in ServiceStation.objects.filter(community_id__in=regions)}
        for row, item in cleaned:
            values = item["values"]
            key = (values["region"].pk, values["name"])
            if key in seen:
                errors.add(row, "服务站名称", f"与第{seen[key]}行是同一社区的同名服务站")
                continue
            seen[key] = row
            station = existing.get(key)
            if station is not None and all(getattr(station, f) == values[f] for f in STATION_FIELDS):
                counts.unchanged += 1
                continue
            # Written even on a dry run: the batch's transaction is rolled back then (imports.BaseImporter).
            save_station(station, by=self.by, data=item["data"], scope=self.scope)
            counts.created += station is None
            counts.updated += station is not None
        return counts


def _by_column(exc: ValidationError) -> ValidationError:
    """The point's error belongs to the 纬度 column (the ledger has no 经纬度 column)."""
    errors = dict(exc.message_dict)
    if "location" in errors:
        errors["lat"] = errors.pop("location")
    return ValidationError(errors)
