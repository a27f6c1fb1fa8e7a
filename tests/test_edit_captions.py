"""Captions in the edit: words timed through the cuts, burned inside the safe zone, filler cuts,
the edited-timeline SRT."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from creator_tools.analysis.engine import analyze
from creator_tools.captions.ass import safe_zone
from creator_tools.captions.transcript import Word
from creator_tools.edit.plan import (
    Captions,
    CaptionWord,
    EditPlan,
    Look,
    OutputSpec,
    Segment,
    Source,
    load_plan,
)
from creator_tools.edit.planner import EditOptions, keep_segments, make_plan
from creator_tools.edit.render import render
from creator_tools.edit.sidecars import edited_srt
from creator_tools.media.ffmpeg import base_args, input_path_arg
from creator_tools.media.probe import probe
from tests import mediagen
from tests.conftest import run_cli

W, H = 360, 640


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))


def _plan(words: list[CaptionWord], segments: list[Segment]) -> EditPlan:
    return EditPlan(timebase=Fraction(1, 30), sources=[Source("main", "x.mp4", 300, True, True)],
                    segments=segments, captions=Captions(burn=True, words=words))


def test_words_are_timed_through_the_cuts():
    words = [CaptionWord(5, 10, "kept"), CaptionWord(40, 50, "cut"),
             CaptionWord(25, 65, "mostly-cut"), CaptionWord(58, 70, "edge"),
             CaptionWord(70, 80, "later")]
    plan = _plan(words, [Segment(0, 30), Segment(60, 90)])
    assert plan.output_words() == [
        (pytest.approx(5 / 30), pytest.approx(10 / 30), "kept"),
        (pytest.approx(30 / 30), pytest.approx(40 / 30), "edge"),  # 60..70 of its 58..70
        (pytest.approx(40 / 30), pytest.approx(50 / 30), "later"),
    ]
    srt = edited_srt(plan)
    stamps = re.findall(r"(\d\d):(\d\d):(\d\d),(\d\d\d) --> ", srt)
    starts = [int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in stamps]
    assert starts[0] == pytest.approx(5 / 30, abs=0.001)
    assert "cut" not in srt.replace("mostly", "").split() and "later" in srt


def test_plan_with_words_round_trips_and_rejects_bad_words(tmp_path):
    plan = _plan([CaptionWord(5, 10, "hi,"), CaptionWord(12, 20, "you")], [Segment(0, 90)])
    path = tmp_path / "p.json"
    plan.save(path)
    again = load_plan(path)
    assert again.captions == plan.captions
    data = json.loads(path.read_text())
    data["captions"]["words"][1]["start"] = 2
    (tmp_path / "bad.json").write_text(json.dumps(data))
    r = run_cli("render", str(tmp_path / "bad.json"), "-o", str(tmp_path / "o.mp4"))
    assert r.returncode == 3 and "captions.words[1].start" in r.stderr


def test_fillers_are_cut_at_word_boundaries(speech_clip):
    a = analyze(speech_clip.path)
    words = (Word(1.0, 1.4, "So"), Word(1.5, 1.9, "um,"), Word(2.0, 2.5, "yes"),
             Word(3.3, 3.6, "the"), Word(3.7, 4.0, "the"), Word(4.1, 4.6, "end."))
    keep = keep_segments(a, EditOptions(cut="fillers", words=words))
    plain = keep_segments(a, EditOptions(cut="silence", words=words))

    def kept(t0: float, t1: float, spans) -> bool:
        return any(s.start <= t0 and t1 <= s.end for s in spans)

    for w in (words[0], words[2], words[4], words[5]):  # the words that stay stay whole
        assert kept(w.start, w.end, keep), w
    for lo, hi in ((1.45, 1.85), (3.3, 3.6)):  # the filler and the first of a repeat go
        assert not any(s.start < hi and lo < s.end for s in keep)
        assert kept(lo, hi, plain)  # and only because of --cut fillers


def flat_clip() -> Path:
    """4 s of flat grey 640x360 picture (captions are easy to see on it) with a quiet tone."""

    def build(out: Path) -> None:
        mediagen.ffmpeg("-f", "lavfi", "-i", "color=c=0x505050:s=640x360:r=30:d=4",
                        "-f", "lavfi", "-i", "sine=f=330:d=4:sample_rate=48000",
                        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(out))

    return mediagen._cached("flat", "mp4", {"v": 1}, build)


def _frame(path: Path, t: float) -> np.ndarray:
    raw = subprocess.run([*base_args(), "-ss", f"{t:.3f}", "-i", input_path_arg(path),
                          "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(H, W, 3).astype(int)


def test_burned_captions_show_at_word_times_inside_the_safe_zone(tmp_path):
    clip = flat_clip()
    a = analyze(clip)
    plan = make_plan(a, EditOptions(cut="none", music=None, look=Look(), enhance=False,
                                    voice_cleanup=False, reframe="letterbox"))
    tb = plan.timebase
    plan.output = replace(OutputSpec(width=W, height=H, preset="ultrafast", crf=18),
                          fps=plan.output.fps)
    words = [("WIDE", 0.5, 1.2), ("WORDS", 1.2, 2.0), ("HERE", 2.0, 2.6)]
    plan.captions = Captions(burn=True, words=[
        CaptionWord(int(Fraction(s) / tb), int(Fraction(e) / tb), t) for t, s, e in words])
    out = render(plan, tmp_path / "captioned.mp4").output
    info = probe(out)
    assert (info.video.width, info.video.height, info.video.codec) == (W, H, "h264")
    assert info.duration == pytest.approx(a.duration, abs=0.05)

    blank = _frame(out, 3.5)  # after the last word: no caption
    zone = safe_zone("tiktok", W, H)
    for t in (0.8, 1.6, 2.3):
        f = _frame(out, t)
        ink = np.abs(f - blank).max(axis=2) > 60
        ys, xs = np.nonzero(ink)
        assert ink.sum() > 150, t  # the words are drawn
        assert ys.min() >= zone.top and ys.max() < H - zone.bottom, t
        assert xs.min() >= zone.left and xs.max() < W - zone.right, t
        yellow = (f[..., 0] > 180) & (f[..., 1] > 160) & (f[..., 2] < 90)
        assert (yellow & ink).sum() > 20, t  # the spoken word is highlighted
    late = np.abs(_frame(out, 3.2) - blank).max(axis=2) > 60
    assert late.sum() < 20  # nothing shows once the words are over


def test_export_srt_needs_captions(speech_clip, tmp_path):
    r = run_cli("edit", str(speech_clip.path), "-o", str(tmp_path / "o.mp4"), "--no-captions",
                "--export", "srt")
    assert r.returncode == 2 and "captions" in r.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.shared_media
def test_edit_with_captions_on_real_speech(tmp_path):
    pytest.importorskip("faster_whisper")
    wav = mediagen.SHARED_MEDIA / "speech" / "pyannote_sample.wav"
    if not wav.exists():
        pytest.skip("../shared/media is not here")
    clip = tmp_path / "talk.mp4"
    mediagen.ffmpeg("-f", "lavfi", "-i", "color=c=0x303848:s=640x360:r=30", "-i", str(wav),
                    "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                    str(clip))
    r = run_cli("edit", str(clip), "--json", "--music", "none", "--look", "none",
                "--cut", "fillers", "--export", "otio")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    out, srt = Path(rec["output"]), Path(rec["srt"])
    assert [Path(p).suffix for p in rec["exports"]] == [".otio"]
    info = probe(out)
    assert (info.video.width, info.video.height) == (1080, 1920)
    assert info.duration == pytest.approx(rec["duration"], abs=0.05)
    assert rec["removed_seconds"] > 5.0  # the 6.7 s of dead air before the first word
    plan = load_plan(Path(rec["plan"]))
    words = plan.output_words()
    assert len(words) > 60 and plan.captions.burn
    assert words[0][0] < 0.5  # the first word now opens the video
    cues = re.findall(r"(\d\d):(\d\d):(\d\d),(\d\d\d) --> (\d\d):(\d\d):(\d\d),(\d\d\d)\n(.+)",
                      srt.read_text())
    assert len(cues) > 5
    starts = {round(a, 3) for a, _, _ in words}
    for c in cues:
        start = int(c[0]) * 3600 + int(c[1]) * 60 + int(c[2]) + int(c[3]) / 1000
        assert round(start, 3) in starts  # every cue starts on a word of the edited timeline
        assert start <= plan.duration


def test_cuts_snap_to_the_music_beats_without_cutting_speech(speech_clip):
    from creator_tools.pipeline.choices import resolve_music

    a = analyze(speech_clip.path)
    music = resolve_music("pop-sunny-side", a)
    assert music.bpm  # bundled tracks start on a downbeat: their grid is known
    period = 60.0 / music.bpm
    opts = EditOptions(music=music, max_pause=0.4)
    plain = make_plan(a, opts)
    snapped = make_plan(a, replace(opts, snap_beats=True))
    assert len(snapped.segments) == len(plain.segments) >= 3
    tb = float(snapped.timebase)
    segs, acc, on_beat = snapped.segments, 0, 0
    for i, (seg, old) in enumerate(zip(segs[:-1], plain.segments[:-1], strict=True)):
        assert seg.start == old.start and seg.end >= old.end  # only ever lengthened
        acc += seg.end - seg.start
        phase = (acc * tb) % period
        if min(phase, period - phase) <= tb / 2 + 1e-9:
            on_beat += seg.end > old.end  # moved onto the beat
        else:  # left alone only when the next beat lies beyond the removed stretch
            assert seg.end == old.end and (period - phase) / tb > segs[i + 1].start - seg.end
    assert on_beat >= 1
    for s0, s1 in speech_clip.speech:  # every word is still kept
        assert any(seg.start * tb <= s0 + 0.01 and s1 - 0.01 <= seg.end * tb
                   for seg in snapped.segments), (s0, s1)
