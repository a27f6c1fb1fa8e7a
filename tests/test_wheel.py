"""The install users get: a built wheel, in a fresh venv outside the source tree, edits the demo
with its bundled look, music bed, font and trend index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from creator_tools.media.probe import probe

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    return next(out.glob("creator_tools-*.whl"))


def test_the_wheel_holds_the_package_data_and_no_build_tools(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for need in ("creator_tools/assets/luts/warm.cube", "creator_tools/assets/luts/looks.json",
                 "creator_tools/assets/music/tracks.json",
                 "creator_tools/assets/music/lofi-late-night.m4a",
                 "creator_tools/assets/fonts/DejaVuSans-Bold.ttf",
                 "creator_tools/assets/trends/hashtags.csv",
                 "creator_tools/assets/trends/sounds.csv"):
        assert need in names, need
    top = {n.split("/")[0] for n in names}
    assert top <= {"creator_tools", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}"
                   ".dist-info"}, top
    assert not [n for n in names if "make_assets" in n or "generate" in n]


def test_an_installed_wheel_edits_the_demo(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = Path(subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                "['purelib'])"], capture_output=True, text=True,
                               check=True).stdout.strip())
    # The dependencies come from this environment's site-packages (a plain path entry, so its
    # editable hook of the checkout is not run): the wheel itself is what is tested.
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([py, "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True,
                   capture_output=True)

    work = tmp_path / "work"
    work.mkdir()
    shutil.copyfile(ROOT / "examples" / "demo.mp4", work / "demo.mp4")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CREATOR_"))}
    env |= {"CREATOR_CACHE_DIR": str(tmp_path / "cache"), "CREATOR_CONFIG": str(tmp_path / "c"),
            "CREATOR_INDEX": str(tmp_path / "index.sqlite"), "HOME": str(tmp_path)}
    where = subprocess.run([py, "-c", "import creator_tools; print(creator_tools.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout
    r = subprocess.run([venv / "bin" / "creator", "--quiet", "edit", "demo.mp4", "--json"],
                       cwd=work, env=env, capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    plan = json.loads((work / "demo.edited.plan.json").read_text())
    for bundled in (plan["look"]["lut"], plan["audio"]["music"]["file"]):
        assert Path(bundled).is_file() and Path(bundled).is_relative_to(site), bundled
    assert plan["captions"]["burn"] is True
    assert result["caption"].count("#") >= 3
    info = probe(work / "demo.edited.mp4")
    assert (info.video.display_width, info.video.display_height) == (1080, 1920)
    assert info.audio is not None and info.duration == pytest.approx(result["duration"], abs=0.1)
