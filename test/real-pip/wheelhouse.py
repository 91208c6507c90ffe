"""Builds a local wheelhouse for test/real-pip.test.ts, offline, with nothing but the system Python.

Usage: python3 wheelhouse.py OUTDIR < spec.json

spec.json:
  {"dummies": [{"name": "black", "version": "1.0.0", "scripts": ["black"]}, ...],
   "debian":  [{"name": "flit_core", "packages": ["flit_core"]}, ...],
   "newer":   [{"name": "pip", "packages": ["pip"]}, ...]}

* A dummy is a tiny pure-Python wheel: one package named after the distribution, whose main()
  prints a line and returns 0 (also run by `python -m <package>`), plus one console script per
  name in "scripts" (entry_points.txt).
* A "debian" wheel repackages a distribution installed by apt in /usr/lib/python3/dist-packages
  (its packages, minus tests and __pycache__, and its metadata from the .dist-info or .egg-info),
  so that pip can install the real code into a venv or a build environment without an index.
* A "newer" wheel stands in for the next release on PyPI of something apt installed, so that
  `pip install -U pip` must replace apt's copy as it would online: the code of Debian's own wheel in
  /usr/share/python-wheels (else of the installed distribution, as for "debian"), with the version
  given a `.post1` and no Requires-Dist (its dependencies are apt's, already there).

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


def debian_files(spec):
    """(version, files) of a distribution apt installed, as wheel contents."""
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
    return version, files


def from_debian(outdir, spec):
    version, files = debian_files(spec)
    return write_wheel(outdir, spec["name"], version, files)


def newer(outdir, spec):
    name = spec["name"]
    wheels = glob.glob(f"/usr/share/python-wheels/{escape(name)}-*.whl")
    if wheels:
        version = os.path.basename(wheels[0]).split("-")[1]
        with zipfile.ZipFile(wheels[0]) as z:
            files = [(i.filename, z.read(i)) for i in z.infolist() if not i.is_dir()]
    else:
        version, files = debian_files(spec)
    old, new = f"{escape(name)}-{version}.dist-info/", f"{escape(name)}-{version}.post1.dist-info/"
    out = []
    for path, data in files:
        if path.startswith(old) and path[len(old):] in ("RECORD", "WHEEL"):
            continue
        if path.startswith(old):
            path = new + path[len(old):]
        if path == new + "METADATA":
            lines = data.decode().split("\n")
            lines = [f"Version: {version}.post1" if l.startswith("Version:") else l for l in lines]
            data = "\n".join(l for l in lines if not l.startswith("Requires-Dist:")).encode()
        out.append((path, data))
    return write_wheel(outdir, name, f"{version}.post1", out)


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    spec = json.load(sys.stdin)
    for d in spec.get("dummies", []):
        print(dummy(outdir, d))
    for d in spec.get("debian", []):
        print(from_debian(outdir, d))
    for d in spec.get("newer", []):
        print(newer(outdir, d))


if __name__ == "__main__":
    main()
