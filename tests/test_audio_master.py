"""The sound's master: a gain measured on the finished mix, a limiter only where peaks need it."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from creator_tools.analysis.engine import analyze
from creator_tools.edit.audio_mix import (
    INTER_SAMPLE_MARGIN_DB,
    Master,
    ceiling_dbtp,
    correct_master,
    plan_master,
)
from creator_tools.edit.plan import AudioPlan, EditPlan, Music, OutputSpec, Segment, Source
from creator_tools.edit.planner import make_plan
from creator_tools.edit.render import render
from creator_tools.errors import ProcessingError
from creator_tools.media.decode import read_audio
from creator_tools.media.loudness import Loudness, parse_ebur128_summary
from creator_tools.media.probe import probe
from tests import mediagen

SMALL = OutputSpec(width=360, height=640, preset="ultrafast", crf=28)


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))


def _plan(target: float = -14.0, true_peak: float = -1.0) -> EditPlan:
    return EditPlan(timebase=Fraction(1, 25), sources=[Source("main", "x.mp4", 50, True, True)],
                    segments=[Segment(0, 50)],
                    audio=AudioPlan(target_lufs=target, true_peak_db=true_peak))


def test_a_mix_with_headroom_gets_a_plain_gain():
    m = plan_master(_plan(), Loudness(-17.3, -9.0, 4.0))
    assert m == Master(pytest.approx(3.3), None)
    # A linear gain lands where it was computed to: nothing to correct afterwards.
    assert correct_master(_plan(), m, Loudness(-14.0, -5.7, 4.0)) is None


def test_peaks_that_the_gain_would_lift_over_the_ceiling_get_the_limiter():
    plan = _plan(true_peak=-1.0)
    m = plan_master(plan, Loudness(-17.0, -3.0, 4.0))  # -3 + 3 = 0 dBTP > -1.5
    assert m.gain_db == pytest.approx(3.0)
    assert m.limit_db == pytest.approx(ceiling_dbtp(plan) - INTER_SAMPLE_MARGIN_DB)
    assert ceiling_dbtp(plan) == pytest.approx(-1.5)
    assert "alimiter=limit=0.794" in m.filters(measure=True)  # -2 dB as a linear ceiling
    assert "latency=true" in m.filters(measure=True)  # no delay against the picture
    assert "alimiter" not in Master(3.0).filters(measure=False)


@pytest.mark.parametrize("mix", [Loudness(-70.0, None, None), Loudness(None, None, None)])
def test_silence_gets_no_gain(mix):
    assert plan_master(_plan(), mix) == Master(0.0, None)


def test_a_clip_too_short_to_gate_is_still_kept_under_the_ceiling():
    # Under 0.4 s ebur128 reports -70 LUFS whatever the level: no gain, but the peak counts.
    assert plan_master(_plan(), Loudness(-70.0, 0.0, None)).limit_db == pytest.approx(-2.0)


def test_a_limited_master_that_missed_is_corrected():
    plan = _plan()
    m = Master(6.0, -2.0)
    # Limiting took 0.8 LU: more gain. Peaks between samples passed: a lower ceiling.
    fixed = correct_master(plan, m, Loudness(-14.8, -1.2, 3.0))
    assert fixed is not None
    assert fixed.gain_db == pytest.approx(6.8)
    assert fixed.limit_db == pytest.approx(-2.0 - 0.3 - 0.1)
    # Close enough, peaks under the ceiling: kept.
    assert correct_master(plan, m, Loudness(-14.3, -1.6, 3.0)) is None


def test_ebur128_summary_is_parsed():
    log = """[Parsed_ebur128_0 @ 0x5599] [info] Summary:

  Integrated loudness:
    I:         -15.3 LUFS
    Threshold: -25.3 LUFS

  Loudness range:
    LRA:         1.2 LU
    Threshold: -35.3 LUFS
    LRA low:   -15.9 LUFS
    LRA high:  -14.7 LUFS

  True peak:
    Peak:       -5.4 dBFS""".splitlines()
    assert parse_ebur128_summary(log) == Loudness(-15.3, -5.4, 1.2)
    assert parse_ebur128_summary(["    I:         -inf LUFS"]) == Loudness(None, None, None)


def _peaky_clip(tmp_path: Path) -> Path:
    """4 s of picture with sharp loud clicks over a quiet hum: the peaks sit some 25 dB above
    the loudness, so bringing it to -14 LUFS needs the limiter, which takes loudness away."""
    out = tmp_path / "peaky.mp4"
    clicks = "0.95*sin(2*PI*2000*t)*exp(-400*mod(t,0.25))+0.01*sin(2*PI*220*t)"
    mediagen.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=4",
                    "-f", "lavfi", "-i", f"aevalsrc='{clicks}':s=48000:d=4",
                    "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "192k",
                    "-shortest", str(out))
    return out


def test_a_peaky_mix_is_limited_and_still_lands_on_the_target(tmp_path):
    clip = _peaky_clip(tmp_path)
    plan = make_plan(analyze(clip))
    plan.output = replace(SMALL, fps=plan.output.fps)
    plan.audio = replace(plan.audio, music=None)
    out = tmp_path / "out.mp4"
    result = render(plan, out)
    assert result.master is not None and result.master.limit_db is not None
    info = probe(out)
    assert info.audio is not None and info.audio.codec == "aac"
    assert info.duration == pytest.approx(plan.duration, abs=0.05)
    i, tp = mediagen.ebur128(out)
    assert i == pytest.approx(plan.audio.target_lufs, abs=1.0)
    assert tp <= plan.audio.true_peak_db
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4", "peaky.mp4"]


def _plan_for(clip: Path, segments: list[tuple[int, int]], **audio) -> EditPlan:
    return EditPlan(timebase=Fraction(1, 25),
                    sources=[Source("main", str(clip), 100, True, True)],
                    segments=[Segment(a, b) for a, b in segments],
                    output=SMALL, audio=AudioPlan(**audio))


def test_audio_that_starts_late_is_padded_so_later_cuts_stay_in_sync(tmp_path):
    """A source whose sound starts 1.5 s into its 4 s picture: the first cut (0-1 s) has no
    sound at all and must still last as long as its picture (silence), or the second cut's
    sound would play a second early."""
    clip = tmp_path / "late-audio.mp4"
    mediagen.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=4",
                    "-itsoffset", "1.5", "-f", "lavfi", "-i", "sine=f=440:d=2.5:sample_rate=48000",
                    "-map", "0:v", "-map", "1:a",
                    "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(clip))
    plan = _plan_for(clip, [(0, 25), (50, 100)], measured_lufs=-20.0)
    out = tmp_path / "out.mp4"
    render(plan, out)
    info = probe(out)
    assert info.video.frames == 75
    assert info.audio is not None and info.duration == pytest.approx(3.0, abs=0.05)
    y = read_audio(out, sample_rate=8000)
    assert len(y) / 8000 == pytest.approx(3.0, abs=0.05)
    rms = [float(np.sqrt(np.mean(y[int(a * 8000):int(b * 8000)] ** 2)))
           for a, b in ((0.1, 0.9), (1.1, 2.9))]
    assert rms[0] < 1e-3 and rms[1] > 0.05  # silence for the first cut, then the tone


def test_a_sound_failure_is_reported_as_the_cause_and_leaves_nothing(tmp_path):
    """Music that cannot be decoded fails the sound's mix: that is the error, the picture's
    encode is stopped at once, and nothing is left beside the output."""
    clip = mediagen.simple_clip("plain", size="640x360", fps=25, duration=4.0)
    bad = tmp_path / "music.m4a"
    bad.write_bytes(b"\x00\x00\x00\x18ftypM4A " + b"\xff" * 5000)
    plan = _plan_for(clip, [(0, 100)], measured_lufs=-20.0, music=Music(str(bad)))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(ProcessingError) as info:
        render(plan, out_dir / "x.mp4")
    assert "ffmpeg failed" in info.value.message
    assert "Exiting normally" not in info.value.message
    assert list(out_dir.iterdir()) == []
