"""Tempo (BPM) and beat times from an onset-strength envelope, numpy only.

Three steps, all over the frame-level onset strength of :mod:`.audio_features`:

1. **Period.** The envelope, minus its 1 s running mean and lightly smoothed, is
   autocorrelated (FFT, unbiased, normalised so lag 0 reads 1). Each candidate beat period
   ``P`` between ``60/max_bpm`` and ``60/min_bpm`` seconds is scored by a harmonic comb, the
   mean autocorrelation at ``P, 2P, 3P, 4P``, weighted by a mild log-normal prior around
   120 BPM that settles ambiguous music. The choice then steps down to ``P/2`` or ``P/3`` when
   that sub-period pulses about as strongly as ``P`` and is itself a fundamental (nothing at
   its own half or third): ``P`` was a multiple of the true period, an octave error.
2. **Beats.** A dynamic-programming beat tracker (Ellis 2007): every frame's best predecessor
   lies ``P/2 .. 2P`` earlier, with a log-squared penalty for deviating from ``P``. Since every
   predecessor is at least ``P/2`` frames back, a whole block of ``P/2`` frames is solved at once
   (vectorised), so the cost is ``O(n * P)`` numpy work in ``2n / P`` Python steps.
3. **Tempo.** A least-squares line through the beat times against their beat index (a skipped
   beat counts as two) gives the tempo to a small fraction of a frame, far finer than the
   frame grid itself (at 100 frames/s, 160 BPM lies between periods of 37 and 38 frames).

The pulse clarity (autocorrelation at the chosen period, 0..1) is the confidence; below
``min_confidence`` the audio is taken to have no rhythm (speech, silence, noise).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_N_HARMONICS = 4
_PRIOR_BPM = 120.0
_PRIOR_OCTAVES = 1.0  # standard deviation of the log2-tempo prior
_OCTAVE_RATIO = 0.85  # P/m replaces P when its pulse is at least this fraction of P's ...
_FUNDAMENTAL_RATIO = 0.5  # ... and its own half and third pulse below this fraction of it
_TIGHTNESS = 100.0  # Ellis' transition weight: cost = -tightness * log(lag / P) ** 2
_DETREND_S = 1.0  # running-mean window removed from the envelope, seconds
_SMOOTH_S = 0.01  # Gaussian smoothing of the envelope before autocorrelation, seconds (sigma)
_MIN_SUB_LAG_S = 0.05  # shorter sub-periods are not checked (the envelope overlaps itself)


@dataclass(frozen=True, slots=True)
class Rhythm:
    """Tempo and beats of a clip.

    Attributes
    ----------
    tempo_bpm
        Tempo in beats per minute; ``None`` when the audio has no rhythmic content (speech
        only, silence, noise).
    beats
        Beat times in seconds, shape ``(n_beats,)``, increasing; empty when ``tempo_bpm`` is
        ``None``.
    confidence
        Pulse clarity, 0..1: the normalised autocorrelation of the onset envelope at the beat
        period (about 1 for a click track, 0.3-0.8 for music, 0.2 or less for speech and noise).
    """

    tempo_bpm: float | None
    beats: np.ndarray
    confidence: float


def _no_rhythm(confidence: float = 0.0) -> Rhythm:
    return Rhythm(None, np.zeros(0, dtype=np.float64), float(np.clip(confidence, 0.0, 1.0)))


def _running_mean(x: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average of ``x`` over ``width`` frames (shorter at the edges)."""
    half = max(width // 2, 1)
    c = np.concatenate([[0.0], np.cumsum(x)])
    idx = np.arange(x.size)
    lo = np.maximum(idx - half, 0)
    hi = np.minimum(idx + half + 1, x.size)
    return (c[hi] - c[lo]) / (hi - lo)


def _gaussian(sigma: float, half: int) -> np.ndarray:
    t = np.arange(-half, half + 1, dtype=np.float64)
    return np.exp(-0.5 * (t / max(sigma, 1e-6)) ** 2)


def _autocorrelation(x: np.ndarray, max_lag: int) -> np.ndarray:
    """Unbiased autocorrelation of ``x`` for lags ``0..max_lag``, normalised to 1 at lag 0."""
    n = x.size
    n_fft = 1 << int(np.ceil(np.log2(n + max_lag + 1)))
    spec = np.fft.rfft(x, n_fft)
    ac = np.fft.irfft(spec.real**2 + spec.imag**2, n_fft)[: max_lag + 1]
    ac = ac * (n / (n - np.arange(max_lag + 1)))
    return ac / ac[0] if ac[0] > 0 else np.zeros_like(ac)


def _peak_values(ac: np.ndarray) -> np.ndarray:
    """``ac`` with each lag raised to its larger neighbour, clipped to ``>= 0``.

    A beat period between two lags (160 BPM is 37.5 frames at 100 frames/s) splits its peak
    over both; the neighbour maximum reads the peak from either side.
    """
    peak = ac.copy()
    peak[1:] = np.maximum(peak[1:], ac[:-1])
    peak[:-1] = np.maximum(peak[:-1], ac[1:])
    return np.clip(peak, 0.0, None)


def _pick_period(ac: np.ndarray, lag_min: float, lag_max: float,
                 frame_rate: float) -> tuple[float, float]:
    """Best beat period in frames (fractional) and its pulse clarity, from the autocorrelation.

    ``ac`` has shape ``(max_lag + 1,)``; harmonics beyond ``max_lag`` are left out of the comb.
    """
    peak = _peak_values(ac)
    lags = np.arange(ac.size, dtype=np.float64)
    max_lag = ac.size - 1

    def at(lag: np.ndarray | float) -> np.ndarray:
        return np.interp(lag, lags, peak)

    step = 0.1  # candidate grid, frames
    period = np.arange(lag_min, lag_max + step / 2, step)
    k = np.arange(1, _N_HARMONICS + 1, dtype=np.float64)
    multiples = period[:, None] * k[None, :]
    valid = multiples <= max_lag
    comb = np.where(valid, at(multiples), 0.0).sum(axis=1) / np.maximum(valid.sum(axis=1), 1)
    bpm = 60.0 * frame_rate / period
    prior = np.exp(-0.5 * (np.log2(bpm / _PRIOR_BPM) / _PRIOR_OCTAVES) ** 2)
    best = float(period[int(np.argmax(prior * comb))])

    # Octave correction. The comb cannot tell a period from its double when every multiple of
    # the shorter one is a peak (a click track: the prior then decides, wrongly above ~170 BPM).
    # Step down to P/2 or P/3 while that sub-period pulses about as strongly as P and is itself
    # a fundamental (nothing at its own half or third); in music on a steady subdivision grid
    # the sub-period fails that test and the prior keeps its choice.
    min_sub = _MIN_SUB_LAG_S * frame_rate

    def sub_pulse(p: float) -> float:
        qs = [p / m for m in (2.0, 3.0) if p / m >= min_sub]
        return max((float(at(q)) for q in qs), default=0.0)

    moved = True
    while moved:
        moved = False
        for m in (2.0, 3.0):
            t = best / m
            if t >= lag_min - 1e-9 and float(at(t)) >= _OCTAVE_RATIO * float(at(best)) \
                    and sub_pulse(t) < _FUNDAMENTAL_RATIO * float(at(t)):
                best, moved = t, True
                break
    return best, float(at(best))


def _track_beats(onset: np.ndarray, period: float) -> np.ndarray:
    """Beat frames (int, increasing) by dynamic programming at a beat period in frames."""
    n = onset.size
    std = float(onset.std())
    x = onset / std if std > 0 else onset
    half = round(period)
    local = np.convolve(x, _gaussian(period / 32.0, half), mode="same")

    lag_lo = max(1, round(period / 2))
    lag_hi = max(lag_lo, round(2 * period))
    lags = np.arange(lag_lo, lag_hi + 1)
    cost = -_TIGHTNESS * np.log(lags / period) ** 2
    cum = local.copy()
    back = np.full(n, -1, dtype=np.int64)
    # Every predecessor lies at least lag_lo frames back, so a block of lag_lo frames only reads
    # cumulative scores that are already final.
    for t0 in range(lag_lo, n, lag_lo):
        t = np.arange(t0, min(t0 + lag_lo, n))
        prev = t[:, None] - lags[None, :]
        cand = np.where(prev >= 0, cum[np.maximum(prev, 0)] + cost, -np.inf)
        j = np.argmax(cand, axis=1)
        best = cand[np.arange(t.size), j]
        chain = best > 0  # never extend a chain whose score would drop below a fresh start
        cum[t[chain]] += best[chain]
        back[t[chain]] = prev[chain, j[chain]]

    # Last beat: the last local maximum of the cumulative score that is not a weak tail.
    interior = (cum[1:-1] > cum[:-2]) & (cum[1:-1] >= cum[2:])
    maxima = np.flatnonzero(interior) + 1
    if maxima.size == 0:
        return np.zeros(0, dtype=np.int64)
    strong = maxima[cum[maxima] >= 0.5 * np.median(cum[maxima])]
    beats = [int(strong[-1])]
    while back[beats[-1]] >= 0:
        beats.append(int(back[beats[-1]]))
    out = np.asarray(beats[::-1], dtype=np.int64)

    # Trim weak beats at either end (lead-in before the music, fade-out after it).
    w = local[out]
    thr = 0.5 * float(np.sqrt(np.mean(w**2)))
    keep = np.flatnonzero(w >= thr)
    if keep.size == 0:
        return np.zeros(0, dtype=np.int64)
    return out[keep[0] : keep[-1] + 1]


def _fit_period(beats: np.ndarray, period: float) -> float | None:
    """Least-squares beat period (frames) from beat frames, or ``None`` with too few beats.

    Beat indices advance by the rounded number of periods between consecutive beats, so a beat
    the tracker skipped does not bend the line.
    """
    if beats.size < 4:
        return None
    steps = np.maximum(np.rint(np.diff(beats) / period), 1)
    idx = np.concatenate([[0.0], np.cumsum(steps)])
    slope = float(np.polyfit(idx, beats.astype(np.float64), 1)[0])
    if not 0.9 * period <= slope <= 1.1 * period:
        return None
    return slope


def estimate_rhythm(
    onset: np.ndarray,
    *,
    frame_rate: float,
    min_bpm: float = 60.0,
    max_bpm: float = 200.0,
    min_confidence: float = 0.3,
) -> Rhythm:
    """Estimate the tempo and the beat times of a clip from its onset-strength envelope.

    Parameters
    ----------
    onset
        Onset strength per frame, shape ``(n_frames,)``, ``>= 0`` (``AudioFeatures.onset``);
        frame ``k`` is centred at ``k / frame_rate`` seconds.
    frame_rate
        Frames per second of ``onset`` (100.0 for :func:`audio_features`).
    min_bpm, max_bpm
        Tempo search range, beats per minute (``0 < min_bpm < max_bpm``).
    min_confidence
        Pulse clarity (0..1) below which the audio is reported as having no rhythm. Click tracks
        score about 1, music 0.3-0.8, speech and noise 0.2 or less.

    Returns
    -------
    Rhythm
        ``tempo_bpm`` in BPM (``None`` without rhythm), ``beats`` in seconds, shape
        ``(n_beats,)`` (empty without rhythm), and ``confidence`` in 0..1.

    Raises
    ------
    ValueError
        When ``onset`` is not one-dimensional, or ``frame_rate`` or the BPM range is invalid.
    """
    x = np.asarray(onset, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"onset must be one-dimensional, got shape {x.shape}")
    if not (np.isfinite(frame_rate) and frame_rate > 0):
        raise ValueError(f"frame_rate must be positive, got {frame_rate}")
    if not (0 < min_bpm < max_bpm and np.isfinite(max_bpm)):
        raise ValueError(f"need 0 < min_bpm < max_bpm, got {min_bpm}, {max_bpm}")
    x = np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)

    lag_min = 60.0 * frame_rate / max_bpm
    lag_max = 60.0 * frame_rate / min_bpm
    n = x.size
    # At least two of the slowest beats, and a period of at least two frames.
    if n < 2 * lag_max + 2 or lag_min < 2:
        return _no_rhythm()

    detrended = x - _running_mean(x, max(round(_DETREND_S * frame_rate), 3))
    sigma = _SMOOTH_S * frame_rate
    half = max(round(3 * sigma), 1)
    kernel = _gaussian(sigma, half)
    smooth = np.convolve(detrended, kernel / kernel.sum(), mode="same")
    if not np.any(smooth):  # silence, or a constant envelope
        return _no_rhythm()

    max_lag = min(int(np.ceil(_N_HARMONICS * lag_max)) + 1, n // 2)
    ac = _autocorrelation(smooth, max_lag)
    if not np.all(np.isfinite(ac)):
        return _no_rhythm()
    period, clarity = _pick_period(ac, lag_min, lag_max, frame_rate)
    if clarity < min_confidence:
        return _no_rhythm(clarity)

    beats = _track_beats(x, period)
    if beats.size < 2:
        return _no_rhythm(clarity)
    fitted = _fit_period(beats, period)
    bpm = 60.0 * frame_rate / (fitted if fitted is not None else period)
    return Rhythm(float(bpm), beats.astype(np.float64) / frame_rate,
                  float(np.clip(clarity, 0.0, 1.0)))
