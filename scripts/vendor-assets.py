#!/usr/bin/env python3
"""Copy the front-end libraries installed by `npm ci` into jobcircle/static/vendor/ (ECO-06).

The application serves these files itself: county intranets have no internet, so no CDN.
A manifest (vendor/MANIFEST.json) records each package's version and the SHA-256 of every
copied file; tests/web/test_assets.py checks the hashes against the files.
"""

import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "jobcircle" / "static" / "vendor"

# package → [(source inside the package, destination inside vendor/)]
FILES = {
    "htmx.org": [("dist/htmx.min.js", "htmx/htmx.min.js"), ("LICENSE", "htmx/LICENSE")],
    "echarts": [("dist/echarts.min.js", "echarts/echarts.min.js"), ("LICENSE", "echarts/LICENSE")],
    "leaflet": [
        ("dist/leaflet.js", "leaflet/leaflet.js"),
        ("dist/leaflet.css", "leaflet/leaflet.css"),
        ("dist/images/layers.png", "leaflet/images/layers.png"),
        ("dist/images/layers-2x.png", "leaflet/images/layers-2x.png"),
        ("dist/images/marker-icon.png", "leaflet/images/marker-icon.png"),
        ("dist/images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
        ("dist/images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
        ("LICENSE", "leaflet/LICENSE"),
    ],
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    manifest = {"generated_by": "scripts/vendor-assets.py", "packages": {}, "files": {}}
    for package, pairs in FILES.items():
        source_root = NODE_MODULES / package
        installed = json.loads((source_root / "package.json").read_text(encoding="utf-8"))["version"]
        entry = lock["packages"][f"node_modules/{package}"]
        if installed != entry["version"]:
            print(
                f"{package}: installed {installed}, package-lock.json pins {entry['version']}: run npm ci",
                file=sys.stderr,
            )
            return 1
        manifest["packages"][package] = {"version": entry["version"], "integrity": entry.get("integrity", "")}
        for source, destination in pairs:
            target = VENDOR / destination
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source_root / source, target)
            manifest["files"][destination] = sha256(target)
    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"vendored {len(manifest['files'])} files into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
