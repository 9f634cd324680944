"""ECO-05: with JOBCIRCLE_MAP pointing at a stub tile server on loopback, the dashboard and the H5 job page
load both configured layers' tiles, with the deployment key, under a CSP whose img-src allows exactly that
host; a tile host missing from img-src is refused by the browser. No request leaves the machine."""

import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from config.settings.base import _tile_hosts
from tests.browser.helpers import BROWSER_TEST, login_as

pytestmark = BROWSER_TEST

KEY = "stub-tianditu-key"
ATTRIBUTION = "© 国家地理信息公共服务平台 天地图 审图号：GS(2024)0000号"
WMTS = (
    "/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w"
    "&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)
TIANDITU = "https://t{s}.tianditu.gov.cn" + WMTS


def solid_png(size=256, rgb=(0xE8, 0xF0, 0xE0)):
    """A size×size PNG of one colour (8-bit RGB), built by hand: no image library needed."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = (b"\x00" + bytes(rgb) * size) * size  # filter byte 0 before each row
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class StubTiles(BaseHTTPRequestHandler):
    png = solid_png()

    def do_GET(self):
        self.server.paths.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.png)))
        self.end_headers()
        self.wfile.write(self.png)

    def log_message(self, format, *args):  # quiet test output
        pass


@pytest.fixture
def tile_server():
    """A tile server on a free loopback port answering every GET with a PNG; ``.paths`` lists what was asked."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubTiles)
    server.paths = []
    server.origin = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def allowed_origins(tile_server):
    return [tile_server.origin]  # the stub only: every other request is still blocked (conftest.page)


def configure_map(settings, tile_url, csp_tile_url):
    """JOBCIRCLE_MAP with ``tile_url``, and the CSP that base.py would compute for ``csp_tile_url``.

    CONTENT_SECURITY_POLICY is built once when the settings are imported; django-csp 4 reads it again on
    every response (csp.utils.build_policy), so overriding the setting reaches the live server's thread.
    """
    old, policy = settings.JOBCIRCLE_MAP, settings.CONTENT_SECURITY_POLICY
    settings.JOBCIRCLE_MAP = {"TILE_URL": tile_url, "LAYERS": ["vec", "cva"], "KEY": KEY, "SUBDOMAINS": "01234567",
                              "ATTRIBUTION": ATTRIBUTION}  # fmt: skip
    # Swap the tile hosts base.py put into img-src (none unless JOBCIRCLE_MAP_TILE_URL is set) for the new ones.
    old_hosts = _tile_hosts(old["TILE_URL"], old["SUBDOMAINS"])
    img_src = [s for s in policy["DIRECTIVES"]["img-src"] if s not in old_hosts]
    img_src += _tile_hosts(csp_tile_url, settings.JOBCIRCLE_MAP["SUBDOMAINS"])
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": {**policy["DIRECTIVES"], "img-src": img_src}}


def open_map(page, live_server, user, path):
    login_as(page, live_server.url, user)
    response = page.goto(live_server.url + path)
    if page.locator("[data-jc-map-load]").count():  # the H5 job page loads its map on demand (issue 17)
        page.locator("[data-jc-map-load]").click()
    page.locator("[data-jc-map-ready]").wait_for(state="attached")
    # Leaflet has added every tile of the first view by now; wait until each has loaded or failed.
    tiles = page.wait_for_function(
        """() => { const tiles = Array.from(document.querySelectorAll(".map img.leaflet-tile"));
                   return tiles.length > 0 && tiles.every((t) => t.complete)
                       && tiles.map((t) => [t.getAttribute("src"), t.naturalWidth]); }"""
    ).json_value()  # [src, naturalWidth] of each tile; naturalWidth 0 means it did not load
    img_src = next(d for d in response.headers["content-security-policy"].split(";") if d.strip().startswith("img-src"))
    return tiles, img_src.split()[1:]


@pytest.mark.parametrize("user", ["county_admin", "resident_user"])  # 工作台概况, 社区快聘 job page
def test_tiles_from_the_configured_host_load_with_the_key_and_the_attribution_shows(
    page, live_server, settings, tile_server, county_admin, resident_user, jobs_around, user
):
    path = "/backoffice/" if user == "county_admin" else f"/m/jobs/{jobs_around[0].pk}/"
    configure_map(settings, tile_server.origin + WMTS, tile_server.origin + WMTS)

    tiles, img_src = open_map(page, live_server, user, path)

    assert img_src == ["'self'", "data:", tile_server.origin]  # exactly the configured tile host
    assert tiles and all(src.startswith(tile_server.origin + "/") and width > 0 for src, width in tiles), tiles
    asked = [urlsplit(p) for p in tile_server.paths]
    for layer in ["vec", "cva"]:
        queries = [parse_qs(p.query) for p in asked if p.path == f"/{layer}_w/wmts"]
        assert queries, f"没有请求 {layer} 图层"
        assert all(q.get("tk") == [KEY] and q.get("LAYER") == [layer] for q in queries), queries
        assert any(src.startswith(f"{tile_server.origin}/{layer}_w/") for src, _ in tiles)
    attribution = page.locator(".map .leaflet-control-attribution")
    expect(attribution).to_be_visible()
    expect(attribution).to_have_text(ATTRIBUTION)  # once, though both layers carry it
    assert page.jc_console == [] and page.jc_external == []


def test_a_tile_host_missing_from_img_src_is_refused_by_the_browser(
    page, live_server, settings, tile_server, county_admin
):
    configure_map(settings, tile_server.origin + WMTS, TIANDITU)  # CSP allows only t0–t7.tianditu.gov.cn

    def refused(text):  # Chromium's wording changes ("Refused to load…", "Loading the image … violates…")
        return f"'{tile_server.origin}/" in text and "Content Security Policy" in text and "img-src" in text

    with page.expect_console_message(lambda message: refused(message.text)):
        tiles, img_src = open_map(page, live_server, "county_admin", "/backoffice/")

    assert tile_server.origin not in img_src and "https://t0.tianditu.gov.cn" in img_src
    assert tiles and all(width == 0 for _, width in tiles)
    assert tile_server.paths == []  # the browser never asked: refused before any request
    assert page.jc_console and all(refused(message) for message in page.jc_console)  # one per tile, nothing else
    assert page.jc_external == []
