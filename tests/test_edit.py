"""The edit plan, the planner and the one-pass renderer, checked on rendered files."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from creator_tools.analysis.engine import analyze
from creator_tools.analysis.spans import Span
from creator_tools.edit.plan import (
    EditPlan,
    Keyframe,
    OutputSpec,
    PlanError,
    Segment,
    load_plan,
)
from creator_tools.edit.planner import EditOptions, keep_segments, make_plan
from creator_tools.edit.render import render
from creator_tools.media.decode import iter_frames, read_audio
from creator_tools.media.probe import probe
from tests import mediagen
from tests.conftest import assert_one_clean_error, run_cli

SMALL = OutputSpec(width=360, height=640, preset="ultrafast", crf=28)


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))


def small(plan: EditPlan) -> EditPlan:
    plan.output = replace(SMALL, fps=plan.output.fps)
    return plan


def check_rendered(path: Path, plan: EditPlan) -> None:
    """Probe a render: codecs, size, fps, frame count and duration as the plan says."""
    info = probe(path)
    v, a = info.video, info.audio
    assert (v.codec, v.pix_fmt) == ("h264", "yuv420p")
    assert (v.width, v.height) == (plan.output.width, plan.output.height)
    assert v.rotation == 0 and not v.variable_fps
    assert v.fps == pytest.approx(float(plan.timebase) ** -1, rel=1e-3)
    frames = sum(s.end - s.start for s in plan.segments)
    assert v.frames == frames
    assert info.duration == pytest.approx(plan.duration, abs=1.5 * float(plan.timebase))
    assert (a.codec, a.sample_rate, a.channels) == ("aac", 48000, 2)
    assert path.stat().st_size > 1000


def test_keep_segments_never_cut_speech(speech_clip):
    a = analyze(speech_clip.path)
    keep = keep_segments(a, EditOptions(max_pause=0.5))
    for s in a.speech:
        assert any(k.start <= s.start and s.end <= k.end for k in keep), s
    assert keep[0].start == pytest.approx(speech_clip.speech[0][0] - 0.12, abs=0.06)
    assert keep[-1].end == pytest.approx(speech_clip.speech[-1][1] + 0.22, abs=0.06)
    assert len(keep) >= 3  # the 0.6-1.2 s pauses are shortened
    assert keep_segments(a, EditOptions(cut="none")) == [Span(0.0, a.duration)]
    quiet = analyze(mediagen.cut_clip().path)  # a tone, no speech: kept whole
    assert keep_segments(quiet, EditOptions()) == [Span(0.0, quiet.duration)]


def test_plan_round_trips_through_json(speech_clip, tmp_path):
    plan = make_plan(analyze(speech_clip.path))
    path = plan.save(tmp_path / "p.json")
    again = load_plan(path)
    assert again.to_dict() == plan.to_dict()
    assert again.to_json() == plan.to_json()


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("segments"), "plan.segments"),
        (lambda d: d.update(version=99), "plan.version"),
        (lambda d: d.update(timebase="zero"), "plan.timebase"),
        (lambda d: d["segments"][0].update(end=-1), "segments[0].end"),
        (lambda d: d["segments"][0].update(start="a"), "segments[0].start"),
        (lambda d: d["segments"].insert(1, dict(d["segments"][0])), "segments[1].start"),
        (lambda d: d["output"].update(width=1081), "output.width"),
        (lambda d: d["output"].update(crf=99), "output.crf"),
        (lambda d: d["reframe"].update(mode="spin"), "reframe.mode"),
        (lambda d: d["look"].update(strength=3), "look.strength"),
        (lambda d: d["audio"].update(target_lufs="loud"), "audio.target_lufs"),
        (lambda d: d.update(extra=1), "plan.extra"),
        (lambda d: d["sources"][0].update(path=""), "sources[0].path"),
    ],
)
def test_bad_plans_name_the_field(speech_clip, mutate, field):
    d = make_plan(analyze(speech_clip.path)).to_dict()
    mutate(d)
    with pytest.raises(PlanError, match=re.escape(field)):
        EditPlan.from_dict(d)


def test_render_cli_refuses_bad_plan_json(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "timebase": ')
    r = run_cli("render", str(bad), "-o", str(tmp_path / "o.mp4"))
    assert r.returncode == 3
    assert_one_clean_error(r.stderr, "not valid JSON")
    assert not (tmp_path / "o.mp4").exists()


def test_render_probes_right_and_hits_loudness_target(speech_clip, tmp_path):
    plan = small(make_plan(analyze(speech_clip.path)))
    out = tmp_path / "out.mp4"
    render(plan, out)
    check_rendered(out, plan)
    i, tp = mediagen.ebur128(out)
    assert i == pytest.approx(-14.0, abs=1.0)
    assert tp <= -1.0
    assert [p.name for p in tmp_path.iterdir()] == ["out.mp4"]  # no temp file left


def test_the_mix_with_a_ducked_music_bed_is_reproducible(speech_clip, tmp_path):
    """The same plan mixes to the same samples, the bed to its very end. sidechaincompress used
    to drop the frames it had not paired when one input ended, as thread timing fell: 3 of 8
    runs of this mix differed before the fix."""
    from creator_tools.edit.plan import Music
    from creator_tools.edit.render import build_commands
    from creator_tools.resources import asset_path

    bed = Music(file=str(asset_path("music", "pop-sunny-side.m4a")), fade_out=0.0)
    plan = make_plan(analyze(speech_clip.path), EditOptions(music=bed))
    digests = set()
    for k in range(8):
        parts = tmp_path / f"parts{k}"
        parts.mkdir()
        cmds = build_commands(plan, tmp_path / "out.mp4", workdir=tmp_path, parts=parts)
        assert cmds.mix is not None
        subprocess.run(cmds.mix, capture_output=True, check=True)
        digests.add(hashlib.sha256((parts / "mix.wav").read_bytes()).hexdigest())
    assert len(digests) == 1


def test_audio_and_video_stay_in_sync_through_cuts(tmp_path):
    src = mediagen.sync_clip()
    a = analyze(src)
    plan = small(make_plan(a, EditOptions(max_pause=0.5, look=EditOptions().look)))
    assert len(plan.segments) >= 3  # the long silences between events were cut
    out = tmp_path / "sync.mp4"
    render(plan, out)
    check_rendered(out, plan)
    luma = np.array([f.image.mean() for f in iter_frames(out, width=64)])
    fps = 1 / float(plan.timebase)
    flashes = np.flatnonzero((luma[1:] > 200) & (luma[:-1] < 200)) + 1
    y = read_audio(out, sample_rate=48000)
    env = np.convolve(np.abs(y), np.ones(96) / 96, mode="same")
    on = env > 0.1
    beeps = np.flatnonzero(on[1:] & ~on[:-1]) + 1
    assert len(flashes) == len(mediagen.SYNC_EVENTS) == len(beeps)
    for f, b in zip(flashes / fps, beeps / 48000, strict=True):
        assert abs(f - b) <= 1 / fps, (f, b)


def test_moving_subject_stays_inside_the_crop(tmp_path):
    src = mediagen.moving_subject_clip()
    plan = small(make_plan(analyze(src), EditOptions(reframe="crop")))
    assert plan.reframe.mode == "crop" and len(plan.reframe.keyframes) >= 2
    out = tmp_path / "crop.mp4"
    render(plan, out)
    check_rendered(out, plan)
    frames = list(iter_frames(out, width=180))
    for f in frames[15:-15:10]:  # the white square is in view all the way across
        assert (f.image > 200).mean() > 0.01, f.t


def test_hand_edited_plan_renders_what_it_says(speech_clip, tmp_path):
    plan = small(make_plan(analyze(speech_clip.path)))
    d = plan.to_dict()
    d["segments"] = [{"start": 15, "end": 45, "source": "main"},
                     {"start": 90, "end": 120, "source": "main"}]
    d["reframe"] = {"mode": "letterbox", "keyframes": [], "zoom": 1.0}
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(d))
    out = tmp_path / "hand.mp4"
    r = run_cli("render", str(edited), "-o", str(out), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["duration"] == pytest.approx(2.0)
    check_rendered(out, load_plan(edited))
    assert probe(out).video.frames == 60
    # letterbox: black bars above and below a 4:3 picture
    first = next(iter(iter_frames(out, width=90)))
    assert first.image[:10].mean() < 20 and first.image[70:90].mean() > 20


def test_moviepy_clip_matches_the_fast_render(speech_clip, tmp_path):
    from creator_tools.export.moviepy import to_moviepy

    plan = small(make_plan(analyze(speech_clip.path)))
    out = tmp_path / "fast.mp4"
    render(plan, out)
    clip = to_moviepy(plan)
    try:
        assert clip.size == [plan.output.width, plan.output.height] or tuple(clip.size) == (
            plan.output.width, plan.output.height)
        assert clip.duration == pytest.approx(probe(out).duration, abs=1.5 / clip.fps)
        assert round(clip.duration * clip.fps) == probe(out).video.frames
        assert clip.get_frame(1.0).shape == (plan.output.height, plan.output.width, 3)
    finally:
        clip.close()


def test_vertical_and_rotated_sources_are_not_cropped():
    a = analyze(mediagen.rotated_clip(90))
    plan = make_plan(a)
    assert plan.reframe.mode == "none"


def test_edit_cli_end_to_end(speech_clip, tmp_path):
    clip = tmp_path / "my draft.mp4"
    clip.write_bytes(speech_clip.path.read_bytes())
    before = hashlib.sha256(clip.read_bytes()).hexdigest()
    r = run_cli("edit", str(clip), "--json", "--music", "none", "--look", "none")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    out = tmp_path / "my draft.edited.mp4"
    assert res["output"] == str(out)
    assert res["removed_seconds"] > 1.0
    plan = load_plan(tmp_path / "my draft.edited.plan.json")
    assert plan.output.width == 1080 and plan.output.height == 1920
    check_rendered(out, plan)
    assert (tmp_path / "my draft.edited.caption.txt").read_text().strip() == res["caption"]
    assert hashlib.sha256(clip.read_bytes()).hexdigest() == before
    r = run_cli("edit", str(clip))
    assert r.returncode == 5 and "--force" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("edit", str(clip), "-o", str(clip), "--force")
    assert r.returncode == 3 and "input" in r.stderr
    assert hashlib.sha256(clip.read_bytes()).hexdigest() == before


def test_edit_refuses_audio_only_input(tmp_path):
    wav = mediagen.speech_clip(video=False).path
    r = run_cli("edit", str(wav), "-o", str(tmp_path / "x.mp4"), "--music", "none",
                "--look", "none")
    assert r.returncode == 3
    assert_one_clean_error(r.stderr, "no video stream")
    assert not (tmp_path / "x.mp4").exists()


def test_plan_segments_are_frame_exact(speech_clip):
    plan = make_plan(analyze(speech_clip.path))
    assert plan.timebase == pytest.approx(1 / 30)
    for seg in plan.segments:
        assert isinstance(seg.start, int) and isinstance(seg.end, int)
    assert plan.output_time(plan.segments[0].start) == 0.0
    assert plan.output_time(plan.segments[0].start - 1) is None
    assert isinstance(plan.segments[0], Segment)


def test_hdr_source_is_tone_mapped_to_sdr(tmp_path):
    hdr = mediagen.simple_clip(
        "hdr10", size="320x240", audio=False,
        vcodec=("libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
                "-color_primaries", "bt2020", "-color_trc", "smpte2084",
                "-colorspace", "bt2020nc", "-x265-params",
                "log-level=error:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc"))
    plan = small(make_plan(analyze(hdr)))
    assert plan.sources[0].hdr and plan.enhance.tonemap
    out = tmp_path / "sdr.mp4"
    render(plan, out)
    check_rendered(out, plan)
    v = probe(out).video
    assert (v.bit_depth, v.hdr) == (8, False)


def test_each_enhancement_is_switchable(tmp_path):
    shaky = mediagen.shaky_clip()
    a = analyze(shaky)
    assert make_plan(a).enhance.stabilize
    assert not make_plan(a, EditOptions(stabilize=False)).enhance.stabilize
    r = run_cli("plan", str(shaky), "--no-stabilize", "--music", "none", "--look", "none")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["enhance"]["stabilize"] is False
    r = run_cli("plan", str(shaky), "--music", "none", "--look", "none")
    assert json.loads(r.stdout)["enhance"]["stabilize"] is True
    # Stabilization renders, with the whole picture and with a crop window that pans across
    # it (deshake on a moving crop made ffmpeg 9.0.2 crash: it runs before the crop).
    for reframe in ("letterbox", "crop"):
        plan = small(make_plan(a, EditOptions(reframe=reframe)))
        assert plan.enhance.stabilize and plan.reframe.mode == reframe
        if reframe == "crop":
            end = plan.segments[-1].end
            plan.reframe = replace(plan.reframe, keyframes=[Keyframe(0, 0.3, 0.5),
                                                            Keyframe(end, 0.7, 0.5)])
        out = tmp_path / f"stable-{reframe}.mp4"
        render(plan, out)
        check_rendered(out, plan)


def test_hostile_file_names_edit_end_to_end(tmp_path):
    src = mediagen.simple_clip("plain", size="640x360", fps=25, duration=2.0)
    folder = tmp_path / "drafts: 'week 1' [final], 100%"
    folder.mkdir()
    clip = folder / "-my clip: \"take, 2\" [b] ü 50%.mp4"
    clip.write_bytes(src.read_bytes())
    r = run_cli("edit", str(clip), "--music", "none", "--look", "warm", "--json")
    assert r.returncode == 0, r.stderr
    out = Path(json.loads(r.stdout)["output"])
    assert out.name == "-my clip: \"take, 2\" [b] ü 50%.edited.mp4"
    info = probe(out)
    assert info.video.width == 1080 and info.duration == pytest.approx(2.0, abs=0.05)
    assert sorted(p.name for p in folder.iterdir()) == sorted([
        clip.name, out.name, "-my clip: \"take, 2\" [b] ü 50%.edited.plan.json",
        "-my clip: \"take, 2\" [b] ü 50%.edited.caption.txt"])


def test_layouts_and_steadying_zooms_render_as_planned(tmp_path):
    """A shot laid out whole between cropped ones, and a window whose zoom changes: each
    branch of the picture gets its own window, and the zoom reaches the crop after the
    switch (a sendcmd reaches only the first filter of its name)."""
    from fractions import Fraction

    from creator_tools.edit.plan import LayoutSwitch, Reframe, Source

    src = tmp_path / "ramp.mp4"  # brightness = x / 8: a column's value tells where it was
    mediagen.ffmpeg("-f", "lavfi", "-i", "color=black:s=1920x1080:r=30:d=3,format=gray,"
                    "geq=lum='X/8'", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-qp", "0",
                    str(src))
    plan = EditPlan(
        timebase=Fraction(1, 30), sources=[Source("main", str(src), 90, True, False)],
        segments=[Segment(0, 90)], output=replace(SMALL, fps="30"),
        reframe=Reframe(keyframes=[Keyframe(0, 0.5, 0.5), Keyframe(60, 0.5, 0.5, 1.5)],
                        layout=[LayoutSwitch(30, "fill"), LayoutSwitch(60, "crop")]))
    out = tmp_path / "out.mp4"
    render(plan, out)
    assert probe(out).video.frames == 90
    left = {f.index: float(f.image[320, 2]) for f in iter_frames(out, width=360,
                                                                 pix_fmt="gray")}
    assert left[10] == pytest.approx((960 - 608 / 2) / 8, abs=4)  # the 1:1 window
    assert left[45] < 20  # shown whole: the picture's left edge (over the blurred fill)
    assert left[80] == pytest.approx((960 - 406 / 2) / 8, abs=4)  # zoomed 1.5 after it
