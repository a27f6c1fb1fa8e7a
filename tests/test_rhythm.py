"""Tempo and beat tracking (:mod:`creator_tools.analysis.rhythm`) on clicks, speech and music."""

from __future__ import annotations

import subprocess
import sys
import time
from functools import cache

import numpy as np
import pytest

from creator_tools.analysis.audio_features import AudioFeatures, audio_features
from creator_tools.analysis.rhythm import Rhythm, estimate_rhythm
from creator_tools.media.decode import read_audio
from tests import mediagen

CLICK_BPMS = (80, 100, 120, 140, 160)
CLICK_DURATION = 20.0
CLICK_OFFSET = 0.25
DEFAULT_MIN_CONFIDENCE = 0.3  # estimate_rhythm's default


@cache
def _click_features(bpm: float) -> AudioFeatures:
    path = mediagen.click_clip(bpm, duration=CLICK_DURATION, offset=CLICK_OFFSET)
    return audio_features(read_audio(path, sample_rate=16000), sr=16000)


def _rhythm_of(path) -> Rhythm:
    f = audio_features(read_audio(path, sample_rate=16000), sr=16000)
    return estimate_rhythm(f.onset, frame_rate=f.frame_rate)


def _nearest(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance from each element of ``a`` to the nearest element of ``b`` (both non-empty)."""
    return np.min(np.abs(a[:, None] - b[None, :]), axis=1)


@pytest.mark.parametrize("bpm", CLICK_BPMS)
def test_click_track_tempo_and_beats(bpm):
    f = _click_features(bpm)
    r = estimate_rhythm(f.onset, frame_rate=f.frame_rate)
    assert r.tempo_bpm is not None
    assert abs(r.tempo_bpm - bpm) <= 1.0, r.tempo_bpm  # an octave error is off by 40+ BPM
    assert r.confidence >= 0.8

    clicks = CLICK_OFFSET + np.arange(200) * 60.0 / bpm
    clicks = clicks[clicks < CLICK_DURATION]
    inner = clicks[clicks <= CLICK_DURATION - 0.1]  # a click in the last 100 ms may be cut short
    assert r.beats.ndim == 1
    assert np.all(np.diff(r.beats) > 0)
    assert inner.size <= r.beats.size <= clicks.size
    # Every click has a beat within 30 ms, and every beat is within 30 ms of a click.
    assert np.max(_nearest(inner, r.beats)) <= 0.030
    assert np.max(_nearest(r.beats, clicks)) <= 0.030


def test_speech_has_no_tempo(speech_clip):
    r = _rhythm_of(speech_clip.path)
    assert r.tempo_bpm is None
    assert r.beats.shape == (0,)
    assert 0.0 <= r.confidence < DEFAULT_MIN_CONFIDENCE


def test_silence_and_faint_noise_have_no_tempo():
    silent = estimate_rhythm(np.zeros(3000, dtype=np.float32), frame_rate=100.0)
    assert silent.tempo_bpm is None
    assert silent.beats.shape == (0,)
    assert silent.confidence == 0.0

    sr = 16000
    rng = np.random.default_rng(1)
    for y in (np.zeros(10 * sr, dtype=np.float32),
              (1e-3 * rng.standard_normal(10 * sr)).astype(np.float32)):
        f = audio_features(y, sr=sr)
        r = estimate_rhythm(f.onset, frame_rate=f.frame_rate)
        assert r.tempo_bpm is None
        assert r.beats.size == 0


def _impulse_train(period: float, n: int, *, jitter: int,
                   seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Onset envelope of impulses every ``period`` frames (+- ``jitter``) over a noise floor."""
    rng = np.random.default_rng(seed)
    pos = np.round(10 + np.arange(0, n, period)).astype(int)
    pos = pos + rng.integers(-jitter, jitter + 1, pos.size)
    pos = pos[(pos >= 0) & (pos < n)]
    env = 0.1 * rng.random(n)
    env[pos] += 1.0 + 0.3 * rng.random(pos.size)
    return env, pos


@pytest.mark.parametrize("period", [47.0, 37.5, 31.0, 96.0])
def test_synthetic_impulses_with_jitter(period):
    env, pos = _impulse_train(period, 3000, jitter=1, seed=int(period))
    r = estimate_rhythm(env, frame_rate=100.0)
    true_bpm = 6000.0 / period
    assert r.tempo_bpm is not None
    # The line fit through the beats resolves the tempo far below the frame grid (at 100
    # frames/s, periods of 37 and 38 frames are 162.2 and 157.9 BPM).
    assert abs(r.tempo_bpm - true_bpm) <= 0.2, (r.tempo_bpm, true_bpm)
    assert r.confidence >= DEFAULT_MIN_CONFIDENCE
    # Beats sit on the jittered impulses (within 2 frames) and none is missed or invented.
    assert r.beats.size == pytest.approx(pos.size, abs=1)
    assert np.max(_nearest(r.beats * 100.0, pos.astype(float))) <= 2.0


def test_beats_follow_impulses_not_an_octave():
    # Every other impulse accented: the pulse is still the full impulse rate (not half of it).
    env, pos = _impulse_train(50.0, 3000, jitter=0, seed=3)
    env[pos[::2]] += 1.0
    r = estimate_rhythm(env, frame_rate=100.0)
    assert r.tempo_bpm is not None
    assert abs(r.tempo_bpm - 120.0) <= 1.0
    assert r.beats.size == pytest.approx(pos.size, abs=1)


def test_short_or_invalid_input():
    assert estimate_rhythm(np.ones(150), frame_rate=100.0).tempo_bpm is None  # < 2 slow beats
    assert estimate_rhythm(np.zeros(0), frame_rate=100.0).tempo_bpm is None
    with pytest.raises(ValueError):
        estimate_rhythm(np.zeros((10, 2)), frame_rate=100.0)
    with pytest.raises(ValueError):
        estimate_rhythm(np.zeros(1000), frame_rate=0.0)
    with pytest.raises(ValueError):
        estimate_rhythm(np.zeros(1000), frame_rate=100.0, min_bpm=150.0, max_bpm=100.0)


def test_min_confidence_gates_the_result():
    f = _click_features(120)
    r = estimate_rhythm(f.onset, frame_rate=f.frame_rate, min_confidence=1.01)
    assert r.tempo_bpm is None
    assert r.beats.size == 0
    assert r.confidence > 0.8  # the clarity is still reported


def test_fast_on_long_envelopes():
    env60, _ = _impulse_train(43.0, 6000, jitter=1, seed=5)
    env600, _ = _impulse_train(97.0, 60000, jitter=1, seed=6)

    def best_of(env: np.ndarray, runs: int) -> float:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            r = estimate_rhythm(env, frame_rate=100.0)
            times.append(time.perf_counter() - t0)
            assert r.tempo_bpm is not None
        return min(times)

    assert best_of(env60, 5) < 0.05
    assert best_of(env600, 3) < 0.5


def test_does_not_import_librosa_or_numba():
    code = ("import sys, creator_tools.analysis.rhythm; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('librosa', 'numba')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.shared_media
@pytest.mark.parametrize("name", ["hr3-desert.ogg", "hr-domina-hunting.ogg"])
def test_real_music_has_a_tempo(shared_media, name):
    r = _rhythm_of(shared_media / "music" / name)
    assert r.tempo_bpm is not None
    assert 60.0 <= r.tempo_bpm <= 200.0
    assert r.confidence >= DEFAULT_MIN_CONFIDENCE
    # About one beat per period across the ~70 s track, on the beat grid of the tempo.
    duration = 70.0
    assert r.beats.size >= 0.8 * duration * r.tempo_bpm / 60.0
    steps = np.diff(r.beats) * r.tempo_bpm / 60.0
    assert np.median(steps) == pytest.approx(1.0, abs=0.05)
