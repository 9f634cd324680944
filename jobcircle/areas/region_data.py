"""Region rows from the division codes python-stdnum ships (cn/loc.dat).

That file is compiled from Wikipedia's 中华人民共和国行政区划代码 pages
(CC BY-SA 4.0) and lists province, prefecture and county codes with the years
they were valid, e.g. ``0229 county="[1982-2015]延庆县"``. Township and village
codes are not in it; counties import theirs with ``manage.py import_regions``.
"""

import datetime
import re
from pathlib import Path

import stdnum

from .codes import level_of, pad_code, parent_code

SOURCE = "python-stdnum cn/loc.dat（维基百科“中华人民共和国行政区划代码”，CC BY-SA 4.0）"
NAME_RE = re.compile(r"^\[(?P<start>\d{4})?-(?P<end>\d{4})?\](?P<name>.+)$")


def _parse_name(raw):
    match = NAME_RE.match(raw)
    if not match:
        return raw, None, None
    start = datetime.date(int(match["start"]), 1, 1) if match["start"] else None
    end = datetime.date(int(match["end"]), 12, 31) if match["end"] else None
    return match["name"], start, end


def stdnum_region_rows():
    """Dicts of code (12 digits), name, level, parent_code, valid_from, valid_to — parents first."""
    path = Path(stdnum.__file__).parent / "cn" / "loc.dat"
    rows, province = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, attrs = line.strip().partition(" ")
        value = attrs.split("=", 1)[1].strip().strip('"')
        if not line.startswith(" "):
            province = key
            code6 = province + "0000"
        else:
            code6 = province + key
        name, start, end = _parse_name(value)
        if key == "0000":  # the province's own "0000" line repeats the province row
            continue
        rows.append({"code": pad_code(code6), "name": name, "valid_from": start, "valid_to": end})
    known = {row["code"] for row in rows}
    for row in rows:
        row["level"] = int(level_of(row["code"]))
        parent = parent_code(row["code"])
        # Some counties sit directly under a province (直辖县级) with no prefecture row.
        while parent is not None and parent not in known:
            parent = parent_code(parent)
        row["parent_code"] = parent
    rows.sort(key=lambda r: (r["level"], r["code"]))
    return rows


def load_regions(region_model, rows, source=SOURCE):
    """Upsert rows (sorted parents first) into ``region_model``; returns (created, updated)."""
    existing = {r.code: r for r in region_model.objects.all()}
    created = updated = 0
    for level in sorted({row["level"] for row in rows}):
        new = []
        for row in (r for r in rows if r["level"] == level):
            values = {
                "name": row["name"], "level": row["level"],
                "parent_id": existing[row["parent_code"]].pk if row["parent_code"] else None,
                "valid_from": row.get("valid_from"), "valid_to": row.get("valid_to"),
                "source": row.get("source", source),
            }  # fmt: skip
            for key in ("centroid_lat", "centroid_lng"):  # only when the file gives a centre point
                if key in row:
                    values[key] = row[key]
            region = existing.get(row["code"])
            if region is None:
                new.append(region_model(code=row["code"], **values))
            elif any(getattr(region, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(region, k, v)
                region.save()
                updated += 1
        region_model.objects.bulk_create(new, batch_size=1000)
        created += len(new)
        if new:  # re-read to learn the new primary keys (children refer to them)
            existing.update({r.code: r for r in region_model.objects.filter(code__in=[n.code for n in new])})
    return created, updated
