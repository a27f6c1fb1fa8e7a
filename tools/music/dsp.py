"""DSP helpers: filters, circular (loop-wrapping) processing, panning, envelopes, oscillators,
Karplus-Strong strings and noise. Signals are float64 numpy arrays at :data:`SR`."""

from __future__ import annotations

import functools

import numpy as np

#: Sample rate of everything the music code renders, Hz.
SR = 44100

Stereo = np.ndarray  # float64, shape (n, 2)


@functools.cache
def _sos(kind: str, freq: float | tuple[float, float], order: int, sr: int) -> np.ndarray:
    from scipy.signal import butter

    return butter(order, freq, btype=kind, fs=sr, output="sos")


def filt(x: np.ndarray, kind: str, freq: float | tuple[float, float], order: int = 2,
         sr: int = SR) -> np.ndarray:
    """Butterworth filter (``lowpass``, ``highpass``, ``bandpass``) along axis 0."""
    from scipy.signal import sosfilt

    return sosfilt(_sos(kind, freq, order, sr), x, axis=0)


def circ_filt(x: np.ndarray, kind: str, freq: float | tuple[float, float], order: int = 2,
              sr: int = SR) -> np.ndarray:
    """:func:`filt` in the steady state of a looped signal (the tail wraps to the start)."""
    pad = min(x.shape[0], sr)
    y = filt(np.concatenate([x[-pad:], x]), kind, freq, order, sr)
    return y[pad:]


def circ_convolve(x: Stereo, ir: Stereo) -> Stereo:
    """Circular convolution of a looped stereo signal with a (shorter) stereo response."""
    from scipy.signal import oaconvolve

    n, m = x.shape[0], min(ir.shape[0], x.shape[0])
    xp = np.concatenate([x[-m:], x])
    return np.stack([oaconvolve(xp[:, c], ir[:m, c])[m : m + n] for c in range(2)], axis=1)


def pan_mono(mono: np.ndarray, pan: float) -> Stereo:
    """Constant-power pan, ``pan`` in -1 (left) .. 1 (right)."""
    a = (np.clip(pan, -1.0, 1.0) + 1.0) * np.pi / 4.0
    return np.stack([mono * np.cos(a), mono * np.sin(a)], axis=1) * np.sqrt(2.0)


def ramp(n: int, attack: int, release: int) -> np.ndarray:
    """Linear fade-in over ``attack`` samples and fade-out over the last ``release``."""
    env = np.ones(n)
    if attack > 0:
        env[: min(attack, n)] = np.linspace(0.0, 1.0, attack, endpoint=False)[: min(attack, n)]
    if release > 0:
        k = min(release, n)
        env[n - k :] *= np.linspace(1.0, 0.0, k)
    return env


def adsr(n_hold: int, *, sr: int = SR, attack: float = 0.005, decay: float = 0.2,
         sustain: float = 0.7, release: float = 0.1) -> np.ndarray:
    """Envelope of a note held ``n_hold`` samples, then released (length ``n_hold + release``)."""
    n_rel = max(1, int(release * sr))
    t = np.arange(n_hold + n_rel) / sr
    a = max(attack, 1e-4)
    env = np.where(t < a, t / a, sustain + (1.0 - sustain) * np.exp(-(t - a) / max(decay, 1e-4)))
    held = env[n_hold - 1] if n_hold > 0 else 0.0
    env[n_hold:] = held * np.linspace(1.0, 0.0, n_rel)
    return env


@functools.cache
def _wavetable(shape: str, harmonics: int, size: int = 2048) -> np.ndarray:
    phase = np.arange(size) / size
    k = np.arange(1, harmonics + 1)
    if shape == "saw":
        amp = 1.0 / k
    elif shape == "square":
        amp = np.where(k % 2 == 1, 1.0 / k, 0.0)
    elif shape == "triangle":
        amp = np.where(k % 2 == 1, (-1.0) ** ((k - 1) // 2) / k**2, 0.0)
    else:
        raise ValueError(shape)
    table = (amp[:, None] * np.sin(2 * np.pi * k[:, None] * phase[None, :])).sum(axis=0)
    table = np.append(table, table[0])  # guard point for interpolation
    return table / np.max(np.abs(table))


def osc(freq: float | np.ndarray, n: int, shape: str, *, sr: int = SR,
        phase: float = 0.0) -> np.ndarray:
    """Band-limited oscillator (``saw``, ``square``, ``triangle``, ``sine``), ``n`` samples."""
    f = np.broadcast_to(np.asarray(freq, dtype=np.float64), (n,))
    ph = phase + np.cumsum(f) / sr
    if shape == "sine":
        return np.sin(2 * np.pi * ph)
    harmonics = int(max(1, min(60, 0.45 * sr / max(float(f.max()), 1.0))))
    table = _wavetable(shape, harmonics)
    size = table.size - 1
    pos = (ph % 1.0) * size
    i = pos.astype(np.intp)
    frac = pos - i
    return table[i] * (1.0 - frac) + table[i + 1] * frac


@functools.lru_cache(maxsize=512)
def _pluck_cached(freq: float, n: int, brightness: float, decay: float, variant: int,
                  sr: int) -> np.ndarray:
    """Karplus-Strong string, vectorised one period at a time."""
    rng = np.random.default_rng(int(freq * 1000) * 31 + variant)
    period = sr / freq
    d = int(period)
    w = period - d  # fractional part: two-tap loop filter sets the exact pitch
    x = rng.uniform(-1.0, 1.0, d + 1)
    a = 0.2 + 0.75 * brightness  # one-pole low-pass of the pick noise
    for i in range(1, x.size):
        x[i] = a * x[i] + (1.0 - a) * x[i - 1]
    x -= x.mean()
    y = np.zeros(n + d + 1)
    y[: d + 1] = x
    pos = d + 1
    while pos < y.size:
        end = min(pos + d, y.size)
        m = end - pos
        back = y[pos - d - 1 : pos - d + m]  # y[i - d - 1] .. y[i - d]
        y[pos:end] = decay * ((1.0 - w) * back[1:] + w * back[:-1])
        pos = end
    out = y[:n]
    return out / (np.max(np.abs(out)) + 1e-12)


def karplus_strong(freq: float, n: int, *, brightness: float = 0.5, sustain_s: float = 2.0,
                   variant: int = 0, sr: int = SR) -> np.ndarray:
    # Loop gain for a -60 dB decay in sustain_s seconds.
    decay = float(10 ** (-3.0 / (sustain_s * freq)))
    return _pluck_cached(round(float(freq), 3), n, round(brightness, 2), round(decay, 6),
                         variant % 3, sr)


def white_noise(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` samples of unit-variance Gaussian noise."""
    return rng.standard_normal(n)
