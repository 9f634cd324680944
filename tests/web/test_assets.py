"""ECO-06/07: front-end libraries are vendored with a manifest; nothing loads from another host;
public pages draw no administrative boundaries."""

import hashlib
import json
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "jobcircle" / "static" / "vendor"
OUR_JS = ROOT / "jobcircle" / "static" / "js"
TEMPLATES = ROOT / "jobcircle" / "templates"
# A script, stylesheet, import or font fetched from a URL (namespaces such as xmlns="http://www.w3.org/…" are fine).
REMOTE_LOAD = re.compile(
    r"""(<script[^>]+src|<link[^>]+href|@import|url\()\s*=?\s*["']?https?://"""
    r"""|\.src\s*=\s*["']https?://|importScripts\(\s*["']https?://|["']https?://[^"']+\.(woff2?|ttf|otf|eot)["']""",
    re.I,
)


def test_the_manifest_pins_the_locked_versions_and_its_hashes_match_the_files():
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for package, entry in manifest["packages"].items():
        assert entry["version"] == lock["packages"][f"node_modules/{package}"]["version"]
    assert manifest["packages"]["echarts"]["version"].startswith("6.")
    assert manifest["packages"]["leaflet"]["version"].startswith("1.9.")
    for relative, digest in manifest["files"].items():
        assert hashlib.sha256((VENDOR / relative).read_bytes()).hexdigest() == digest, relative


def test_templates_our_js_and_the_vendored_files_load_nothing_from_other_hosts():
    files = [*TEMPLATES.rglob("*.html"), *OUR_JS.rglob("*.js"), *VENDOR.rglob("*.js"), *VENDOR.rglob("*.css")]
    offenders = [str(p.relative_to(ROOT)) for p in files if REMOTE_LOAD.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_remote_load_check_would_catch_a_cdn():
    cdn, unpkg = "cdn" + ".example.com", "unpkg" + ".com"  # split so repository-wide CDN greps stay clean
    assert REMOTE_LOAD.search(f'<script src="https://{cdn}/echarts.min.js"></script>')
    assert REMOTE_LOAD.search(f'<link rel="stylesheet" href="http://{unpkg}/leaflet.css">')
    assert REMOTE_LOAD.search("src: url(https://fonts.example.com/x.woff2)")
    assert not REMOTE_LOAD.search('createElementNS("http://www.w3.org/2000/svg", "svg")')


def test_no_inline_scripts_styles_or_handlers_in_templates():
    """CSP (SEC-27): JavaScript only from static files; data through json_script or data-jc-* attributes."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=\s*[\"']", re.I)
    offenders = [str(p.relative_to(ROOT)) for p in TEMPLATES.rglob("*.html") if inline.search(p.read_text("utf-8"))]
    assert offenders == []


def test_public_pages_draw_no_administrative_boundaries():
    """ECO-07: nothing registers a boundary map and no boundary GeoJSON is configured by default."""
    sources = [*TEMPLATES.rglob("*.html"), *OUR_JS.rglob("*.js")]
    assert not [p for p in sources if "registerMap" in p.read_text(encoding="utf-8")]
    assert not any("GEOJSON" in key.upper() for key in settings.JOBCIRCLE_MAP)
    assert not any("GEOJSON" in name for name in dir(settings))


def test_the_map_template_fills_layer_and_key_from_settings_only(settings):
    from jobcircle.areas.maps import map_config

    settings.JOBCIRCLE_MAP = {
        "TILE_URL": "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?LAYER={layer}&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
        "&tk={key}",
        "LAYERS": ["vec", "cva"], "KEY": "deployment-key", "SUBDOMAINS": "01234567",
        "ATTRIBUTION": "审图号：GS(2024)0000号",
    }  # fmt: skip
    config = map_config()
    assert [layer["url"] for layer in config["layers"]] == [
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?LAYER=vec&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=deployment-key",
        "https://t{s}.tianditu.gov.cn/cva_w/wmts?LAYER=cva&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=deployment-key",
    ]
    assert config["attribution"] == "审图号：GS(2024)0000号"
    keyless = [p for p in [*TEMPLATES.rglob("*.html"), *OUR_JS.rglob("*.js")] if "tianditu" in p.read_text("utf-8")]
    assert keyless == []  # no tile host or key hard-coded in templates or JS


def test_without_a_tile_url_the_map_has_no_layers(settings):
    from jobcircle.areas.maps import map_config

    settings.JOBCIRCLE_MAP = {**settings.JOBCIRCLE_MAP, "TILE_URL": ""}
    assert map_config()["layers"] == []
