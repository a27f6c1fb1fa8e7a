"""Synthetic signals with known ground truth: speech-like babble, room tone, click tracks.

Used by the test fixtures, the benchmark clip and the bundled example, so that every detector
can be checked against exact, known times without shipping third-party recordings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Vowel formants (F1, F2, F3) in Hz, roughly those of an adult speaker.
_VOWELS = ((730, 1090, 2440), (270, 2290, 3010), (530, 1840, 2480), (570, 840, 2410),
           (300, 870, 2240), (660, 1720, 2410))


def _resonate(x: np.ndarray, freq: float, bw: float, sr: int) -> np.ndarray:
    """Two-pole resonator (a formant filter) applied to ``x``."""
    from scipy.signal import lfilter

    r = np.exp(-np.pi * bw / sr)
    theta = 2 * np.pi * freq / sr
    a = [1.0, -2 * r * np.cos(theta), r * r]
    return lfilter([1.0 - r], a, x)


def _word(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """One voiced 'word' of ``n`` samples: glottal pulses through formants, with an envelope."""
    t = np.arange(n) / sr
    wobble = np.sin(2 * np.pi * rng.uniform(1, 3) * t + rng.uniform(0, 6))
    f0 = rng.uniform(105, 175) * (1 + 0.12 * wobble)
    phase = np.cumsum(f0) / sr
    source = (np.mod(phase, 1.0) < 0.35).astype(np.float64) - 0.35  # pulse train, zero mean
    source += 0.02 * rng.standard_normal(n)
    f1, f2, f3 = _VOWELS[rng.integers(len(_VOWELS))]
    y = _resonate(source, f1, 90, sr) + 0.6 * _resonate(source, f2, 110, sr)
    y += 0.3 * _resonate(source, f3, 150, sr)
    # A fricative-like noise burst at the start of some words.
    if rng.random() < 0.4:
        m = min(n // 3, int(0.06 * sr))
        burst = rng.standard_normal(m) * np.hanning(2 * m)[m:] * 0.15
        y[:m] += np.diff(np.concatenate(([0.0], burst)))  # high-passed
    # Syllable envelope: quick attack, a dip per syllable, quick release.
    syllables = max(1, round(n / sr / 0.2))
    env = 0.55 + 0.45 * np.abs(np.sin(np.pi * syllables * t / max(t[-1], 1e-9)))
    ramp = min(n // 4, int(0.015 * sr))
    env[:ramp] *= np.linspace(0, 1, ramp)
    env[n - ramp:] *= np.linspace(1, 0, ramp)
    y *= env
    return y / (np.max(np.abs(y)) + 1e-12)


def speech_like(
    duration: float,
    spans: Sequence[tuple[float, float]],
    *,
    sr: int = 16000,
    level_db: float = -18.0,
    seed: int = 0,
) -> np.ndarray:
    """Speech-like babble that fills exactly the given ``spans`` (seconds) and is silent elsewhere.

    Inside a span, words of 0.15-0.45 s alternate with gaps of 20-110 ms, as in running speech;
    the first word starts at the span's start and the last ends at its end.

    Returns
    -------
    np.ndarray
        float32, shape ``(round(duration * sr),)``, peak level about ``level_db`` dBFS + 6 dB.
    """
    rng = np.random.default_rng(seed)
    out = np.zeros(round(duration * sr), dtype=np.float64)
    gain = 10 ** (level_db / 20) * 2.0
    for start, end in spans:
        a, b = round(start * sr), round(end * sr)
        pos = a
        while pos < b:
            n = int(rng.uniform(0.15, 0.45) * sr)
            if b - (pos + n) < int(0.2 * sr):  # last word ends exactly at the span's end
                n = b - pos
            out[pos : pos + n] += _word(rng, n, sr) * gain * rng.uniform(0.7, 1.0)
            pos += n
            if pos < b:
                pos += int(rng.uniform(0.02, 0.11) * sr)
    return out.astype(np.float32)


def room_tone(
    duration: float,
    *,
    sr: int = 16000,
    noise_db: float = -60.0,
    hum_db: float | None = -52.0,
    hum_hz: float = 50.0,
    seed: int = 1,
) -> np.ndarray:
    """Room tone: pink-ish noise at ``noise_db`` dBFS RMS plus mains hum at ``hum_db`` dBFS peak."""
    rng = np.random.default_rng(seed)
    n = round(duration * sr)
    white = rng.standard_normal(n)
    pink = np.cumsum(white)
    pink -= np.convolve(pink, np.ones(256) / 256, mode="same")  # keep it from drifting
    pink /= np.sqrt(np.mean(pink**2)) + 1e-12
    y = pink * 10 ** (noise_db / 20)
    if hum_db is not None:
        t = np.arange(n) / sr
        hum = np.sin(2 * np.pi * hum_hz * t) + 0.3 * np.sin(6 * np.pi * hum_hz * t)
        y += 10 ** (hum_db / 20) * hum
    return y.astype(np.float32)


def click_track(
    bpm: float, duration: float, *, sr: int = 22050, freq: float = 1500.0
) -> np.ndarray:
    """Decaying sine clicks on every beat at ``bpm``, starting at t = 0. float32, shape ``(n,)``."""
    n = round(duration * sr)
    t = np.arange(n) / sr
    since = np.mod(t, 60.0 / bpm)
    return (0.8 * np.sin(2 * np.pi * freq * t) * np.exp(-60.0 * since)).astype(np.float32)
