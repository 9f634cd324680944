"""Staff forms of the areas app: a service station (its point typed in any of the three datums)."""

from django import forms

from jobcircle.common.forms import TextRulesForm

from .enums import RegionLevel, SourceCRS
from .models import Region

DECIMAL = {"inputmode": "decimal"}


def area_choices(scope, levels=(RegionLevel.TOWNSHIP, RegionLevel.COMMUNITY)):
    """Regions inside the viewer's area, for filters (townships and communities)."""
    regions = Region.objects.current().in_area(scope.region).filter(level__in=levels).order_by("code")
    return [(r.code, ("　" if r.level == RegionLevel.COMMUNITY else "") + r.name) for r in regions]


def community_choices(scope=None):
    """Every current community (with or without a station: areas.stations places it); inside the scope when given."""
    regions = Region.objects.current().filter(level=RegionLevel.COMMUNITY)
    if scope is not None:
        regions = regions.in_area(scope.region)
    regions = regions.select_related("parent").order_by("code")
    return [(r.code, f"{r.parent.name if r.parent else ''} {r.name}") for r in regions]


class StationForm(TextRulesForm):
    name = forms.CharField(label="服务站名称", max_length=100)
    address = forms.CharField(label="地址", max_length=200)
    area_code = forms.ChoiceField(
        label="所属社区/村或乡镇/街道", help_text="设在乡镇（街道）的服务站也为其下没有服务站的社区服务"
    )
    coord = forms.ChoiceField(
        label="坐标系", choices=SourceCRS.choices, initial=SourceCRS.WGS84,
        help_text="GPS、天地图为 WGS-84；高德、腾讯、微信为 GCJ-02；百度为 BD-09",
    )  # fmt: skip
    lat = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, widget=forms.TextInput(attrs=DECIMAL))
    lng = forms.DecimalField(label="经度", max_digits=10, decimal_places=6, widget=forms.TextInput(attrs=DECIMAL))

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = area_choices(scope)

    @classmethod
    def initial_for(cls, station):
        """An existing station, its point shown as stored (WGS-84)."""
        return {"name": station.name, "address": station.address, "area_code": station.area_code,
                "coord": SourceCRS.WGS84, "lat": round(station.lat, 6), "lng": round(station.lng, 6)}  # fmt: skip
