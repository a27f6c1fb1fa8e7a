"""Loudness (ITU-R BS.1770 / EBU R128), true peak, limiting and mastering of a looped mix.

:func:`master` high-passes at 30 Hz, then applies gain and a look-ahead true-peak limiter,
iterated until the integrated loudness is :data:`TARGET_LUFS` with true peak at most
:data:`CEILING_DBTP`.
"""

from __future__ import annotations

import functools

import numpy as np

from tools.music.dsp import SR, Stereo, circ_filt

TARGET_LUFS = -14.0
#: Limiter ceiling before encoding; AAC adds a few tenths of a dB of overshoot on top.
CEILING_DBTP = -2.0


@functools.cache
def _k_weighting(sr: int) -> np.ndarray:
    """ITU-R BS.1770 K-weighting (high shelf + high-pass) as second-order sections at ``sr``."""
    # High shelf: +4 dB above about 1.7 kHz.
    g, q, fc = 3.999843853973347, 0.7071752369554196, 1681.974450955533
    a = 10 ** (g / 40.0)
    w0 = 2 * np.pi * fc / sr
    alpha = np.sin(w0) / (2 * q)
    cw = np.cos(w0)
    shelf = [a * ((a + 1) + (a - 1) * cw + 2 * np.sqrt(a) * alpha),
             -2 * a * ((a - 1) + (a + 1) * cw),
             a * ((a + 1) + (a - 1) * cw - 2 * np.sqrt(a) * alpha),
             (a + 1) - (a - 1) * cw + 2 * np.sqrt(a) * alpha,
             2 * ((a - 1) - (a + 1) * cw),
             (a + 1) - (a - 1) * cw - 2 * np.sqrt(a) * alpha]
    # High-pass at about 38 Hz.
    q, fc = 0.5003270373238773, 38.13547087602444
    w0 = 2 * np.pi * fc / sr
    alpha = np.sin(w0) / (2 * q)
    cw = np.cos(w0)
    hp = [(1 + cw) / 2, -(1 + cw), (1 + cw) / 2, 1 + alpha, -2 * cw, 1 - alpha]
    sos = np.array([shelf, hp])
    return np.concatenate([sos[:, :3] / sos[:, 3:4], sos[:, 3:] / sos[:, 3:4]], axis=1)


def integrated_loudness(y: np.ndarray, sr: int = SR) -> float:
    """Integrated loudness (LUFS, ITU-R BS.1770-4 gating) of a mono or stereo signal.

    Returns ``-inf`` for silence.
    """
    from scipy.signal import sosfilt

    x = np.asarray(y, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    z = sosfilt(_k_weighting(sr), x, axis=0) ** 2
    block, hop = round(0.4 * sr), round(0.1 * sr)
    if z.shape[0] < block:
        return float("-inf")
    c = np.concatenate([np.zeros((1, z.shape[1])), np.cumsum(z, axis=0)])
    starts = np.arange(0, z.shape[0] - block + 1, hop)
    power = ((c[starts + block] - c[starts]) / block).sum(axis=1)
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(power)
    gated = power[loud > -70.0]
    if gated.size == 0:
        return float("-inf")
    rel = -0.691 + 10 * np.log10(gated.mean()) - 10.0
    final = power[(loud > -70.0) & (loud > rel)]
    return float(-0.691 + 10 * np.log10(final.mean()))


def _oversampled_peaks(y: Stereo, factor: int = 4) -> np.ndarray:
    """Per-sample maximum of ``|y|`` over channels and ``factor``x oversampling (circular)."""
    from scipy.signal import resample_poly

    pad = 64
    n = y.shape[0]
    yp = np.concatenate([y[-pad:], y, y[:pad]])
    up = resample_poly(yp, factor, 1, axis=0)[factor * pad : factor * (pad + n)]
    return np.abs(up).reshape(n, factor, -1).max(axis=(1, 2))


def true_peak_dbtp(y: np.ndarray) -> float:
    """True peak (dBTP, 4x oversampled) of a looped mono or stereo signal."""
    x = np.asarray(y, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    peak = float(_oversampled_peaks(x).max())
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def _limit(y: Stereo, ceiling_db: float, *, sr: int = SR, window: float = 0.008) -> Stereo:
    """Look-ahead limiter on a looped signal: no (oversampled) peak above ``ceiling_db``.

    The gain is the running minimum of the gain each sample needs, over ``2 * window``, then
    averaged over ``window``: smooth, and still at most the needed gain at every peak.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    ceiling = 10 ** (ceiling_db / 20)
    need = np.minimum(1.0, ceiling / np.maximum(_oversampled_peaks(y), 1e-12))
    w = max(2, round(window * sr) // 2 * 2)
    g = minimum_filter1d(need, 2 * w + 1, mode="wrap")
    g = uniform_filter1d(g, w + 1, mode="wrap")
    return y * g[:, None]


def master(mix: Stereo, *, target_lufs: float = TARGET_LUFS, ceiling_db: float = CEILING_DBTP,
           sr: int = SR) -> Stereo:
    """High-pass (30 Hz), then gain and limiting until ``target_lufs`` with peaks under
    ``ceiling_db``."""
    x = circ_filt(mix, "highpass", 30.0, order=2, sr=sr)
    gain = 10 ** ((target_lufs - integrated_loudness(x, sr)) / 20)
    y = x * gain
    for _ in range(12):
        y = _limit(x * gain, ceiling_db, sr=sr)
        err = target_lufs - integrated_loudness(y, sr)
        if abs(err) < 0.02:
            break
        gain *= 10 ** (err / 20)
    return y
