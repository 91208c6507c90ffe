"""Builds a local wheelhouse for test/real-pip.test.ts, offline, with nothing but the system Python.

Usage: python3 wheelhouse.py OUTDIR < spec.json

spec.json:
  {"dummies": [{"name": "black", "version": "1.0.0", "scripts": ["black"]}, ...],
   "debian":  [{"name": "flit_core", "packages": ["flit_core"]}, ...]}

* A dummy is a tiny pure-Python wheel: one package named after the distribution, whose main()
  prints a line and returns 0 (also run by `python -m <package>`), plus one console script per
  name in "scripts" (entry_points.txt).
* A "debian" wheel repackages a distribution installed by apt in /usr/lib/python3/dist-packages
  (its packages, minus tests and __pycache__, and its metadata from the .dist-info or .egg-info),
  so that pip can install the real code into a venv or a build environment without an index.

Prints one wheel file name per line.
"""

import base64
import glob
import hashlib
import json
import os
import re
import sys
import zipfile

DIST_PACKAGES = "/usr/lib/python3/dist-packages"
WHEEL_META = "Wheel-Version: 1.0\nGenerator: ci-lint-real-pip\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def escape(name):
    return re.sub(r"[-_.]+", "_", name)


def record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def write_wheel(outdir, name, version, files):
    """files: list of (archive path, bytes), without the .dist-info/WHEEL and RECORD."""
    dist_info = f"{escape(name)}-{version}.dist-info"
    files = list(files) + [(f"{dist_info}/WHEEL", WHEEL_META.encode())]
    record = [record_line(p, d) for p, d in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    filename = f"{escape(name)}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(outdir, filename), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files:
            z.writestr(zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return filename


def dummy(outdir, spec):
    name, version = spec["name"], spec["version"]
    module = escape(name).lower()
    dist_info = f"{escape(name)}-{version}.dist-info"
    source = (
        f'"""{name}: a stand-in made by ci-lint\'s real-pip test."""\n\n'
        f'__version__ = "{version}"\n\n\n'
        "def main():\n"
        f'    print("{name} {version} (ci-lint real-pip stand-in)")\n'
        "    return 0\n"
    )
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: stand-in for {name}\n"
    main = "import sys\n\nfrom . import main\n\nsys.exit(main())\n"
    files = [
        (f"{module}/__init__.py", source.encode()),
        (f"{module}/__main__.py", main.encode()),
        (f"{dist_info}/METADATA", metadata.encode()),
    ]
    scripts = spec.get("scripts", [])
    if scripts:
        eps = "[console_scripts]\n" + "".join(f"{s} = {module}:main\n" for s in scripts)
        files.append((f"{dist_info}/entry_points.txt", eps.encode()))
    return write_wheel(outdir, name, version, files)


def from_debian(outdir, spec):
    name = spec["name"]
    metas = glob.glob(os.path.join(DIST_PACKAGES, f"{name}-*.dist-info")) + glob.glob(
        os.path.join(DIST_PACKAGES, f"{name}-*.egg-info")
    )
    if not metas:
        raise SystemExit(f"{name} is not installed in {DIST_PACKAGES}")
    meta = metas[0]
    version = re.match(rf"{re.escape(name)}-(.+)\.(dist|egg)-info$", os.path.basename(meta)).group(1)
    dist_info = f"{escape(name)}-{version}.dist-info"
    files = []
    for package in spec["packages"]:
        root = os.path.join(DIST_PACKAGES, package)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in ("tests", "__pycache__"))
            for f in sorted(filenames):
                full = os.path.join(dirpath, f)
                with open(full, "rb") as fh:
                    files.append((os.path.relpath(full, DIST_PACKAGES), fh.read()))
    if meta.endswith(".dist-info"):
        metadata_file = os.path.join(meta, "METADATA")
    else:
        metadata_file = os.path.join(meta, "PKG-INFO")
    with open(metadata_file, "rb") as fh:
        files.append((f"{dist_info}/METADATA", fh.read()))
    entry_points = os.path.join(meta, "entry_points.txt")
    if os.path.exists(entry_points):
        with open(entry_points, "rb") as fh:
            files.append((f"{dist_info}/entry_points.txt", fh.read()))
    return write_wheel(outdir, name, version, files)


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    spec = json.load(sys.stdin)
    for d in spec.get("dummies", []):
        print(dummy(outdir, d))
    for d in spec.get("debian", []):
        print(from_debian(outdir, d))


if __name__ == "__main__":
    main()
