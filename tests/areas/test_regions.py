import pytest
from django.core.management import CommandError, call_command

from jobcircle.areas.codes import level_of, pad_code, split_code
from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.models import Region


def test_a_12_digit_code_splits_into_its_ancestors():
    assert split_code("110101001001") == ["110000", "110100", "110101", "110101001", "110101001001"]


def test_six_digit_codes_pad_to_twelve():
    assert pad_code("110101") == "110101000000"
    assert level_of("110101000000") == RegionLevel.COUNTY


@pytest.mark.django_db
def test_real_county_codes_are_loaded_with_their_history():
    yanqing_county = Region.objects.get(code="110229000000")
    yanqing_district = Region.objects.get(code="110119000000")
    assert (yanqing_county.name, yanqing_county.valid_to.year) == ("延庆县", 2015)
    assert (yanqing_district.name, yanqing_district.valid_to) == ("延庆区", None)
    assert yanqing_district.parent.code == "110100000000"
    assert Region.objects.get(code="110000000000").level == RegionLevel.PROVINCE


@pytest.mark.django_db
def test_village_codes_import_per_county(tmp_path):
    csv_file = tmp_path / "villages.csv"
    csv_file.write_text("code,name\n110101001000,东华门街道\n110101001001,多福巷社区\n", encoding="utf-8")
    call_command("import_regions", str(csv_file), source="测试")
    village = Region.objects.get(code="110101001001")
    assert village.level == RegionLevel.COMMUNITY
    assert village.parent.parent.code == "110101000000"
    call_command("import_regions", str(csv_file))  # idempotent
    assert Region.objects.filter(code__startswith="110101001").count() == 2


@pytest.mark.django_db
def test_a_bad_row_imports_nothing(tmp_path):
    csv_file = tmp_path / "villages.csv"
    csv_file.write_text("code,name\n110101001000,东华门街道\n11010100100,少一位\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第3行"):
        call_command("import_regions", str(csv_file))
    assert not Region.objects.filter(code="110101001000").exists()


@pytest.mark.django_db
def test_villages_may_come_with_a_centre_point_in_any_datum(tmp_path):
    from jobcircle.areas.geo.convert import to_wgs84

    csv_file = tmp_path / "villages.csv"
    csv_file.write_text(
        "code,name,lat,lng,coord\n110101001000,东华门街道,,,\n110101001001,多福巷社区,39.91,116.40,gcj02\n",
        encoding="utf-8",
    )
    call_command("import_regions", str(csv_file))
    village = Region.objects.get(code="110101001001")
    wgs_lng, wgs_lat = to_wgs84(116.40, 39.91, "gcj02")
    assert (village.centroid_lat, village.centroid_lng) == pytest.approx((wgs_lat, wgs_lng))
    assert Region.objects.get(code="110101001000").centroid_lat is None
    csv_file.write_text("code,name,lat,lng\n110101001002,新社区,48.85,2.35\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第2行 lat/lng"):
        call_command("import_regions", str(csv_file))
