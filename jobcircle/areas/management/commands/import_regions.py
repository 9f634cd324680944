import csv

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jobcircle.areas.codes import CODE_RE, level_of, parent_code
from jobcircle.areas.models import Region
from jobcircle.areas.region_data import load_regions
from jobcircle.areas.services import resolve_location


class Command(BaseCommand):
    help = (
        "导入某区县的乡镇/街道与社区/村代码（CSV：code,name，12位统计用区划代码；可选 lat,lng,coord："
        "中心点坐标，坐标系 wgs84/gcj02/bd09，没有服务站的社区用它定位），全部成功才写入"
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_path")
        parser.add_argument("--source", default="", help="数据来源说明，如“国家统计局2023年统计用区划代码”")

    @transaction.atomic
    def handle(self, *args, csv_path, source, **options):
        with open(csv_path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        errors, parsed, known = [], [], set(Region.objects.values_list("code", flat=True))
        for number, row in enumerate(rows, start=2):
            code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
            if not CODE_RE.match(code):
                errors.append(f"第{number}行 code：应为12位数字，收到“{code}”")
                continue
            if not name:
                errors.append(f"第{number}行 name：名称不能为空")
            parsed.append({"code": code, "name": name, "level": int(level_of(code)), "parent_code": parent_code(code),
                           "source": source or csv_path, **_centroid(row, number, errors)})  # fmt: skip
            known.add(code)
        for row in parsed:
            if row["parent_code"] not in known:
                errors.append(f"代码 {row['code']}：上级区划 {row['parent_code']} 不存在，请先导入上级")
        if errors:
            raise CommandError("导入失败，未写入任何数据：\n" + "\n".join(errors))
        created, updated = load_regions(Region, sorted(parsed, key=lambda r: (r["level"], r["code"])))
        self.stdout.write(f"新增 {created} 个，更新 {updated} 个区划")


def _centroid(row, number, errors) -> dict:
    """The optional centre point of a row (lat, lng, coord columns), stored in WGS-84."""
    lat, lng = (row.get("lat") or "").strip(), (row.get("lng") or "").strip()
    if not lat and not lng:
        return {}
    try:
        wgs_lat, wgs_lng, _crs = resolve_location(lat, lng, (row.get("coord") or "wgs84").strip())
    except ValidationError as exc:
        errors.append(f"第{number}行 lat/lng：{'；'.join(exc.messages)}")
        return {}
    return {"centroid_lat": wgs_lat, "centroid_lng": wgs_lng}
