"""The bundled, self-generated music (assets/music): files, tempo, loudness, loop seams."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from creator_tools.analysis.audio_features import audio_features
from creator_tools.analysis.rhythm import estimate_rhythm
from creator_tools.media.decode import read_audio
from creator_tools.media.ffmpeg import base_args, input_path_arg
from creator_tools.media.probe import probe
from creator_tools.resources import asset_path
from creator_tools.settings import NICHES
from tools.music import mastering, tracks
from tools.music.dsp import SR
from tools.music.render import render

MUSIC = asset_path("music")
MANIFEST = json.loads((MUSIC / "tracks.json").read_text(encoding="utf-8"))
TRACKS = MANIFEST["tracks"]
IDS = [t["id"] for t in TRACKS]


@cache
def _audio(track_id: str, sample_rate: int) -> np.ndarray:
    return read_audio(MUSIC / f"{track_id}.m4a", sample_rate=sample_rate).astype(np.float64)


def _ebur128(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) from ffmpeg's ebur128 summary."""
    cmd = [*base_args(), "-i", input_path_arg(path), "-af", "ebur128=peak=true:framelog=quiet",
           "-f", "null", "-"]
    log = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
    summary = log[log.rindex("Summary:"):]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary)[1])
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+) dBFS", summary)[1])
    return integrated, peak


def _seam(sr: int) -> int:
    return int(0.05 * sr)  # 50 ms


def _rms_db(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(x**2)) + 1e-12))


def test_manifest():
    assert len(TRACKS) >= 6
    bpms = [t["bpm"] for t in TRACKS]
    assert all(80 <= b <= 150 for b in bpms)
    assert min(bpms) <= 90 and max(bpms) >= 125  # slow to fast
    assert len({t["mood"] for t in TRACKS}) >= 3
    assert len(set(IDS)) == len(IDS)
    for t in TRACKS:
        assert t["artist"] == "creator-tools"
        assert t["license"].startswith("CC0-1.0")
        assert t["loopable"] is True
        assert 0.0 <= t["energy"] <= 1.0
        assert 30.0 <= t["duration"] <= 60.0
        assert t["niches"] and set(t["niches"]) <= set(NICHES)
        assert t["title"] and t["genre"]
        # A whole number of 4/4 bars.
        assert t["samples"] == round(t["bars"] * 240.0 / t["bpm"] * t["sample_rate"])
        assert t["duration"] == pytest.approx(t["samples"] / t["sample_rate"], abs=0.001)
    assert [t.id for t in tracks.TRACKS] == IDS
    sizes = sum((MUSIC / t["file"]).stat().st_size for t in TRACKS)
    assert sizes < 4.2e6
    readme = (MUSIC / "README.md").read_text(encoding="utf-8")
    assert "CC0" in readme and all(t["file"] in readme for t in TRACKS)


@pytest.mark.parametrize("track_id", IDS)
def test_file_probes_as_stated(track_id):
    entry = TRACKS[IDS.index(track_id)]
    info = probe(MUSIC / entry["file"])
    assert info.video is None
    assert info.audio is not None
    assert info.audio.codec == "aac"
    assert info.audio.channels == 2
    assert info.audio.sample_rate in (44100, 48000)
    assert info.duration == pytest.approx(entry["duration"], abs=0.1)


@pytest.mark.parametrize("track_id", IDS)
def test_measured_tempo_matches(track_id):
    entry = TRACKS[IDS.index(track_id)]
    f = audio_features(_audio(track_id, 16000).astype(np.float32), sr=16000)
    rhythm = estimate_rhythm(f.onset, frame_rate=f.frame_rate)
    assert rhythm.tempo_bpm is not None
    assert abs(rhythm.tempo_bpm - entry["bpm"]) <= 1.0, rhythm.tempo_bpm


@pytest.mark.parametrize("track_id", IDS)
def test_loudness_and_true_peak(track_id):
    integrated, peak = _ebur128(MUSIC / f"{track_id}.m4a")
    assert abs(integrated - mastering.TARGET_LUFS) <= 1.0, integrated
    assert peak <= -1.0, peak


@pytest.mark.parametrize("track_id", IDS)
def test_loop_seam(track_id):
    entry = TRACKS[IDS.index(track_id)]
    sr = entry["sample_rate"]
    y = _audio(track_id, sr)
    assert y.size == entry["samples"]  # not one sample of codec padding or priming
    seam = _seam(sr)
    tail, head = y[-seam:], y[:seam]

    # No fade-out or fade-in: both sides of the seam carry music at a similar level. (A downbeat
    # starts the loop, so its first 50 ms are louder than the 50 ms before it, as at every bar
    # line; a fade or a gap would differ by 20 dB or more.)
    assert _rms_db(tail) > -35 and _rms_db(head) > -35
    assert abs(_rms_db(tail) - _rms_db(head)) <= 12.0

    # The seam is an ordinary bar line: its two sides are as loud as the same spots elsewhere.
    bar = 240.0 / entry["bpm"] * sr
    lines = [round(k * bar) for k in range(1, entry["bars"])]
    ends = np.median([_rms_db(y[i - seam : i]) for i in lines])
    starts = np.median([_rms_db(y[i : i + seam]) for i in lines])
    assert _rms_db(tail) >= ends - 3.0
    assert abs(_rms_db(head) - starts) <= 3.0

    # No click: the step from the last sample to the first is like its neighbours' steps.
    steps = np.abs(np.diff(np.concatenate([tail, head])))
    jump = abs(y[0] - y[-1])
    assert jump <= 5 * np.median(steps) + 1e-4, (jump, np.median(steps))


def test_seam_check_catches_a_bad_splice():
    """The click criterion above does flag a loop that does not join up."""
    sr = TRACKS[0]["sample_rate"]
    y = _audio(IDS[0], sr)
    seam = _seam(sr)
    flagged = 0
    for offset in np.linspace(0.11, 0.89, 15):
        k = int(offset * y.size)
        spliced = np.concatenate([y[:k - 777], y[k:]])  # a cut that skips 777 samples
        a, b = spliced[: k - 777], spliced[k - 777 :]
        steps = np.abs(np.diff(np.concatenate([a[-seam:], b[:seam]])))
        flagged += abs(b[0] - a[-1]) > 5 * np.median(steps) + 1e-4
    assert flagged >= 10


def test_rendering_is_deterministic_and_loops():
    base = tracks.track(IDS[0])
    short = dataclasses.replace(base, bars=2)
    a = render(short)
    b = render(short)
    assert np.array_equal(a, b)
    assert a.shape == (round(2 * 240.0 / base.bpm * SR), 2)
    assert a.dtype == np.float32
    # The raw loop's seam step is like its other steps.
    steps = np.abs(np.diff(a[:, 0].astype(np.float64)))
    assert abs(float(a[0, 0]) - float(a[-1, 0])) <= 5 * np.median(steps) + 1e-4
    assert mastering.integrated_loudness(a) == pytest.approx(mastering.TARGET_LUFS, abs=0.1)
    assert mastering.true_peak_dbtp(a) <= mastering.CEILING_DBTP + 0.05
