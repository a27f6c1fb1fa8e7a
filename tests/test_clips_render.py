"""``creator clips --render``, ``--export`` and ``creator batch --clips``: the clips cut through
the edit pipeline, from their own range of the source; and the renderer's seek."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from tests import mediagen
from tests.conftest import default_sigint, run_cli
from tests.talkgen import talk_clip
from tools.talk import Talk

#: Flags that keep the renders quick: what is tested is the cutting, not the grading.
QUICK = ("--look", "none", "--music", "none", "--aspect", "1:1")


@pytest.fixture(scope="module")
def talk() -> Talk:
    return talk_clip()


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    """A cache kept between runs (results are keyed by the input and the settings)."""
    folder = mediagen.CACHE / "clips-cache"
    folder.mkdir(parents=True, exist_ok=True)
    return {"CREATOR_CACHE_DIR": str(folder)}


def _gray(path: Path, n: int, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    cmd = [*mediagen.base_args(), "-loglevel", "error", "-i", str(path), "-frames:v", str(n),
           "-vf", f"scale={w}:{h}", "-f", "rawvideo", "-pix_fmt", "gray", "-"]
    raw = subprocess.run(cmd, capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, h, w).astype(np.float64)


def _mono(path: Path, rate: int = 8000) -> np.ndarray:
    cmd = [*mediagen.base_args(), "-loglevel", "error", "-i", str(path), "-ac", "1", "-ar",
           str(rate), "-f", "f32le", "-"]
    return np.frombuffer(subprocess.run(cmd, capture_output=True, check=True).stdout, "<f4")


def test_a_plan_moves_along_its_source_and_keeps_a_stretch():
    """Every tick of a plan moves together; a stretch keeps its segments, the keyframes that
    frame it (one either side) and its words."""
    from creator_tools.edit.plan import (
        Captions,
        CaptionWord,
        EditPlan,
        Keyframe,
        Reframe,
        Segment,
        Source,
    )
    from creator_tools.edit.timeshift import seek_point, shifted, within

    plan = EditPlan(timebase=Fraction(1, 30), sources=[Source("main", "x.mp4", 900, True, True)],
                    segments=[Segment(30, 120), Segment(150, 300)],
                    reframe=Reframe(keyframes=[Keyframe(t, 0.5, 0.5) for t in (0, 60, 200, 400)]),
                    captions=Captions(words=[CaptionWord(40, 50, "a"), CaptionWord(250, 260, "b")]))
    moved = shifted(plan, 600, source_duration=5000)
    assert [(s.start, s.end) for s in moved.segments] == [(630, 720), (750, 900)]
    assert [k.t for k in moved.reframe.keyframes] == [600, 660, 800, 1000]
    assert [(w.start, w.end) for w in moved.captions.words] == [(640, 650), (850, 860)]
    assert moved.source("main").duration == 5000
    assert shifted(moved, -600).segments == plan.segments
    back, ticks = seek_point(moved)
    assert ticks == 630 and back.segments[0].start == 0
    kept = within(plan, 100, 220)
    assert [(s.start, s.end) for s in kept.segments] == [(100, 120), (150, 220)]
    assert [k.t for k in kept.reframe.keyframes] == [60, 200, 400]
    assert kept.captions.words == []
    assert seek_point(plan) == (plan, 0)  # its first frame is 1 s in: decoded, not sought


def test_render_opens_the_source_at_its_first_segment(tmp_path):
    """A plan that keeps 11.0-13.0 s of a 20 s clip renders frame 330 as its first frame and
    the tone that starts at 12.0 s at 1.0 s, from a command that seeks instead of decoding
    from the start."""
    from creator_tools.edit.plan import EditPlan, Enhance, OutputSpec, Reframe, Segment, Source
    from creator_tools.edit.render import build_commands

    src = tmp_path / "src.mp4"
    mediagen.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=20", "-f", "lavfi", "-i",
                    "aevalsrc='0.5*sin(2*PI*1000*t)*gte(t,12)':s=48000:d=20",
                    "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-c:a", "aac",
                    str(src))
    plan = EditPlan(timebase=Fraction(1, 30), sources=[Source("main", str(src), 600, True, True)],
                    segments=[Segment(330, 390)],
                    output=OutputSpec(width=320, height=240, preset="ultrafast"),
                    reframe=Reframe(mode="none"), enhance=Enhance())
    cmds = build_commands(plan, tmp_path / "x.mp4", workdir=tmp_path, parts=tmp_path)
    at = cmds.video.index("-ss")
    assert float(cmds.video[at + 1]) == pytest.approx(11.0 - 0.25 / 30, abs=1e-5)
    assert cmds.video[at + 2] == "-i"
    assert cmds.mix is not None and float(cmds.mix[cmds.mix.index("-ss") + 1]) == 11.0
    plan_file = tmp_path / "p.json"
    plan.save(plan_file)
    out = tmp_path / "out.mp4"
    r = run_cli("render", str(plan_file), "-o", str(out))
    assert r.returncode == 0, r.stderr
    rendered = _gray(out, 60, (160, 120))
    source = _gray(src, 400, (160, 120))
    assert len(rendered) == 60
    for k in (0, 30, 59):
        d = [np.mean((rendered[k] - source[j]) ** 2) for j in range(300, 400)]
        assert 300 + int(np.argmin(d)) == 330 + k
    sound = np.abs(_mono(out))
    onset = np.flatnonzero(sound > 0.3 * sound.max())[0] / 8000
    assert onset == pytest.approx(1.0, abs=0.02)


@pytest.fixture(scope="module")
def rendered(talk: Talk, env: dict[str, str], tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("clips-out")
    r = run_cli("clips", str(talk.path), "--render", "--count", "2", "--max", "25", "-o",
                str(out), "--json", *QUICK, env=env)
    assert r.returncode == 0, r.stderr
    return out, json.loads(r.stdout), r.stderr


def test_render_writes_each_clip_with_its_sidecars(talk, rendered):
    from creator_tools.edit.plan import load_plan
    from creator_tools.media.probe import probe

    out, data, stderr = rendered
    stem = talk.path.stem
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{stem}.clip{k:02d}.{ext}" for k in (1, 2)
                           for ext in ("mp4", "plan.json", "caption.txt", "srt"))
    for clip in data["clips"]:
        video = out / f"{stem}.clip{clip['rank']:02d}.mp4"
        assert str(video) in stderr
        plan = load_plan(video.with_name(video.stem + ".plan.json"))
        # Its segments lie in the clip's range of the long source, within the pauses around.
        first, last = plan.segments[0], plan.segments[-1]
        assert plan.seconds(first.start) >= clip["start"] - 0.5
        assert plan.seconds(last.end) <= clip["end"] + 0.5
        assert plan.seconds(first.start) <= clip["start"] + 0.05
        assert plan.seconds(last.end) >= clip["end"] - 0.05
        assert plan.source("main").path == str(talk.path.resolve())
        info = probe(video)
        assert (info.video.display_width, info.video.display_height) == (1080, 1080)
        assert info.duration == pytest.approx(plan.duration, abs=0.1)
        caption = video.with_name(video.stem + ".caption.txt").read_text()
        assert caption.startswith(clip["title"])
        # The burned-in words are the clip's own, from its first to its last.
        words = [w.text for w in plan.captions.words]
        said = clip["transcript"].split()
        assert words[:3] == said[:3] and words[-2:] == said[-2:]
        srt = video.with_suffix(".srt").read_text()
        assert said[0] in srt.split("\n")[2]


def test_rendered_clip_starts_on_its_first_word(talk, rendered):
    """The sound of a clip starts within a few tenths of a second: no dead air, no word cut."""
    out = rendered[0]
    video = out / f"{talk.path.stem}.clip01.mp4"
    sound = np.abs(_mono(video))
    env = np.array([sound[i: i + 400].max() for i in range(0, sound.size - 400, 400)])
    loud = np.flatnonzero(env > 0.1 * env.max())
    assert 0.05 <= loud[0] * 0.05 <= 0.4
    assert (env.size - loud[-1]) * 0.05 <= 0.5


def test_export_writes_every_clip_as_one_timeline(talk, env, tmp_path):
    import opentimelineio as otio

    r = run_cli("clips", str(talk.path), "--export", "otio", "-o", str(tmp_path), "--json",
                env=env)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    timeline = otio.adapters.read_from_file(str(tmp_path / f"{talk.path.stem}.clips.otio"))
    clips = list(timeline.video_tracks()[0].find_clips())
    assert len(clips) == len(data["clips"]) == 5
    for c, want in zip(clips, data["clips"], strict=True):  # best first
        rng = c.source_range
        assert rng.start_time.to_seconds() == pytest.approx(want["start"], abs=0.04)
        assert rng.end_time_exclusive().to_seconds() == pytest.approx(want["end"], abs=0.04)
    r = run_cli("clips", str(talk.path), "--export", "otio", "-o", str(tmp_path), env=env)
    assert r.returncode == 5  # it exists: --force replaces it


def test_interrupted_render_leaves_only_finished_clips(talk, env, tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "creator_tools", "clips", str(talk.path), "--render",
           "--count", "3", "--max", "20", "-o", str(out), *QUICK]
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint)
    stem = talk.path.stem
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        done = (out / f"{stem}.clip01.caption.txt").exists()
        busy = any(p.name.startswith(f".{stem}.clip02") for p in out.glob(".*")) \
            if out.exists() else False
        if done and busy:
            break
        time.sleep(0.1)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    left = sorted(p.name for p in out.iterdir())
    assert left == sorted(f"{stem}.clip01.{ext}" for ext in ("mp4", "plan.json",
                                                             "caption.txt", "srt"))


def test_batch_cuts_the_clips_of_each_recording_and_carries_on(talk, env, tmp_path):
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "talk.mp4").symlink_to(talk.path)  # same file: its cached analysis is used
    out = tmp_path / "out"
    args = ["batch", str(folder), "--clips", "--count", "1", "--max", "20", "-o", str(out),
            "--json", *QUICK]
    r = run_cli(*args, env=env)
    assert r.returncode == 0, r.stderr
    record = json.loads(r.stdout)
    assert record["status"] == "ok"
    assert record["output"] == str(out / "talk.clip01.mp4")
    assert (out / "talk.clip01.mp4").is_file() and (out / "talk.clip01.plan.json").is_file()
    assert record["duration_before"] == pytest.approx(talk.duration, abs=0.05)
    assert 15 <= record["duration_after"] <= 20
    again = run_cli(*args, env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["status"] == "skipped"


def test_review_writes_the_clips_file_and_its_page(talk, env, tmp_path):
    r = run_cli("clips", str(talk.path), "--review", "--count", "3", "-o", str(tmp_path),
                "--json", env=env)
    assert r.returncode == 0, r.stderr
    shown = json.loads(r.stdout)
    saved = json.loads((tmp_path / f"{talk.path.stem}.clips.json").read_text())
    assert saved == {**shown, "source": str(talk.path.resolve())}
    page = tmp_path / f"{talk.path.stem}.clips.review.html"
    assert page.stat().st_size > 1000 and str(page) in r.stderr
