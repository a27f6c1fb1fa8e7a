"""A plan can make the renderer read the media files it names and write the output, nothing else.

Nothing in a plan is executed: ffmpeg runs from an argument list (no shell), every name in the
plan reaches it only as a ``file:`` input, and the filtergraph holds no name at all (the LUT is
read by the library and handed over as a copy in a private work folder).
``tests/test_properties.py`` checks the command for generated hostile names; this test renders.
"""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from creator_tools.edit.plan import (
    AudioPlan,
    Captions,
    EditPlan,
    Look,
    Music,
    OutputSpec,
    Segment,
    Source,
    load_plan,
)
from creator_tools.edit.render import render
from creator_tools.media.probe import probe
from creator_tools.resources import asset_path
from tests import mediagen

ROOT = Path(__file__).resolve().parent.parent
EVIL = "$(touch pwned) `touch pwned`;rm -rf x"


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))


def test_hostile_names_render_only_the_output(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = tmp_path / f"in {EVIL}"
    (inputs / "etc").mkdir(parents=True)
    clip = inputs / f"-y [in],[0:v] a:b 'q' \"w\" {EVIL}\n-i.mp4"
    shutil.copyfile(mediagen.simple_clip("plain", size="640x360", fps=25, duration=2.0), clip)
    lut = inputs / f"lut3d=file=x.cube:interp=nearest,[out];{EVIL} ' %.cube"
    shutil.copyfile(asset_path("luts", "teal-orange.cube"), lut)  # a 3D LUT: read by lut3d
    music = inputs / "etc" / "passwd"  # an /etc/passwd-like name, in the plan's own folder
    shutil.copyfile(asset_path("music", "lofi-late-night.m4a"), music)
    plan = EditPlan(
        timebase=Fraction(1, 25),
        sources=[Source("main", str(clip), 50, has_video=True, has_audio=True)],
        segments=[Segment(0, 20), Segment(30, 50)],
        output=OutputSpec(width=360, height=640, fps="25", preset="ultrafast", crf=30,
                          platform=f"-f null {EVIL}"),
        look=Look(name=f"[in] {EVIL}", lut=str(lut), strength=0.8),
        audio=AudioPlan(music=Music(str(music), id=f"-y {EVIL}\n")),
        captions=Captions(text=f"{EVIL}\n-y", hashtags=[f"#{EVIL}"]),
        notes=[EVIL, "-i /etc/passwd"],
    )
    plan_file = plan.save(inputs / "plan.json")
    plan = load_plan(plan_file)  # as a user's plan file: through the loader
    out_dir = tmp_path / f"out {EVIL}"
    out_dir.mkdir()
    output = out_dir / f"-y out [x],y:z 'q' {EVIL}.mp4"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "x").write_text("still here")
    monkeypatch.chdir(cwd)
    before = _tree(inputs)

    calls: list[tuple[Any, dict[str, Any]]] = []
    real_popen = subprocess.Popen

    def spy(args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        return real_popen(args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)
    result = render(plan, output)

    assert result.output == output
    # The picture's encode, the sound's mix and master, the final stream copy (and the
    # ffmpeg version check when this process had not made it yet).
    calls = [c for c in calls if c[0][-1] != "-version"]
    assert len(calls) >= 4
    inputs_read = set()
    for cmd, kwargs in calls:
        assert isinstance(cmd, list) and all(isinstance(a, str) for a in cmd)
        assert not kwargs.get("shell") and not kwargs.get("executable")
        # Every file written is a temporary one beside the output.
        assert cmd[-1].startswith(f"file:{out_dir}{'/'}.")
        inputs_read.update(cmd[i + 1] for i, a in enumerate(cmd) if a == "-i")
    beside = f"file:{out_dir}{'/'}."
    assert {i for i in inputs_read if not i.startswith(beside)} == {f"file:{clip}",
                                                                     f"file:{music}"}
    # Only the output appeared; the inputs and the working folder are as they were.
    assert sorted(p.name for p in out_dir.iterdir()) == [output.name]
    assert _tree(inputs) == before
    assert sorted(p.name for p in cwd.iterdir()) == ["x"]
    assert not list(tmp_path.rglob("pwned"))
    info = probe(output)
    assert (info.video.width, info.video.height) == (360, 640)
    assert info.video.frames == 40
    assert info.audio is not None and info.duration == pytest.approx(1.6, abs=0.05)
