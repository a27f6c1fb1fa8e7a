"""Speech spans, silent gaps and dead air from frame-level audio features.

The detector reads the per-frame speech-band level (300-3400 Hz: mains hum and rumble do not
reach it), the low-band level (< 250 Hz) and the spectral flatness of :class:`AudioFeatures`,
each smoothed by a 3-frame median (one-frame noise spikes go, steps stay). Every threshold is
relative to the clip itself, so a quiet speaker, a noisy room or a hum change nothing:

1. The noise floor is a low percentile of the speech-band level (room tone fills the pauses
   between words, so it is there even in busy speech; digital silence is left out). The speech
   level is a high percentile of the frames that stand clearly above that floor.
2. Two thresholds (hysteresis) sit between the two. A frame is *active* when its speech-band
   level is above the low threshold, or when its low band rises well above that band's own
   room tone (median + a multiple of its median absolute deviation, so a steady hum is
   ignored): vowels such as /i/ and /u/ put much of their energy below 300 Hz.
3. Gaps in the activity shorter than ``min_silence`` (pauses between words and phrases) are
   closed. Each resulting region is speech only when it holds enough frames that are both above
   the high (entry) threshold and voiced, i.e. spectrally peaky (low flatness). A breath, a
   click, a burst of broadband noise or a rumble therefore never starts speech.

Edges are the centres of the first and last active frames: the frame centred on a speech onset
sees half of it, enough to cross a threshold set near the noise floor. All work is vectorised
numpy (a 10-minute clip's 60000 frames take a few milliseconds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from creator_tools.analysis.audio_features import AudioFeatures
from creator_tools.analysis.spans import Span


@dataclass(frozen=True, slots=True)
class SpeechActivity:
    """Where a clip has speech, where it is silent, and how much dead air it starts and ends with.

    Attributes
    ----------
    speech
        Speech spans, seconds, sorted and non-overlapping. Pauses between words and phrases
        shorter than ``min_silence`` are part of the span.
    silences
        Silent gaps of at least ``min_silence`` seconds, sorted; this includes the leading and
        trailing dead air when it is that long (the whole clip when there is no speech).
    dead_air_start
        Seconds from the start of the clip to the first speech (0.0 when speech starts at once;
        the whole duration when there is no speech).
    dead_air_end
        Seconds from the end of the last speech to the end of the clip (0.0 when there is no
        speech: the dead air is then all counted in ``dead_air_start``).
    speech_level_db
        Typical (median) speech-band level of the active speech frames, dBFS; ``None`` when
        there is no speech.
    noise_floor_db
        Room-tone level in the speech band, dBFS (a low percentile of the frame levels).
    has_speech
        Whether any speech was found.
    """

    speech: list[Span]
    silences: list[Span]
    dead_air_start: float
    dead_air_end: float
    speech_level_db: float | None
    noise_floor_db: float
    has_speech: bool

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (times rounded to milliseconds, levels to 0.1 dB)."""
        return {
            "has_speech": self.has_speech,
            "speech": [s.to_dict() for s in self.speech],
            "silences": [s.to_dict() for s in self.silences],
            "dead_air_start": round(self.dead_air_start, 3),
            "dead_air_end": round(self.dead_air_end, 3),
            "speech_level_db": (None if self.speech_level_db is None
                                else round(self.speech_level_db, 1)),
            "noise_floor_db": round(self.noise_floor_db, 1),
        }


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) frame indices of the runs of True in ``mask``."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _fill(n: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Boolean mask of length ``n``, True on the (disjoint) runs ``[starts, ends)``."""
    delta = np.zeros(n + 1, dtype=np.int32)
    delta[starts] += 1
    delta[ends] -= 1
    return np.cumsum(delta[:n]) > 0


def _median3(x: np.ndarray) -> np.ndarray:
    """Running median over 3 frames (edges repeat), vectorised."""
    if x.size < 3:
        return x
    a = np.concatenate((x[:1], x[:-1]))
    c = np.concatenate((x[1:], x[-1:]))
    return np.maximum(np.minimum(a, x), np.minimum(np.maximum(a, x), c))


def _no_speech(end: float, noise_floor_db: float, min_silence: float) -> SpeechActivity:
    silences = [Span(0.0, end)] if end > 0 and end >= min_silence - 1e-9 else []
    return SpeechActivity(speech=[], silences=silences, dead_air_start=end, dead_air_end=0.0,
                          speech_level_db=None, noise_floor_db=noise_floor_db,
                          has_speech=False)


def detect_speech(
    features: AudioFeatures,
    *,
    min_silence: float = 0.4,
    min_speech: float = 0.12,
    noise_percentile: float = 5.0,
    speech_percentile: float = 90.0,
    min_snr_db: float = 12.0,
    entry_below_speech_db: float = 20.0,
    voiced_flatness: float = 0.1,
    min_voiced: float = 0.03,
    low_band_margin_db: float = 6.0,
    low_band_mads: float = 5.0,
    min_level_db: float = -80.0,
    digital_silence_db: float = -100.0,
) -> SpeechActivity:
    """Find speech spans, silent gaps and leading/trailing dead air in a clip.

    Parameters
    ----------
    features
        Frame-level features of the clip's audio (:func:`audio_features`).
    min_silence
        Shortest gap reported as a silence, seconds; shorter pauses are part of the speech.
    min_speech
        Shortest speech span kept, seconds.
    noise_percentile
        Percentile (0-100) of the speech-band level taken as the noise floor.
    speech_percentile
        Percentile (0-100) of the levels of the frames at least ``min_snr_db`` above the noise
        floor taken as the reference (loud) speech level.
    min_snr_db
        Speech must rise at least this far above the noise floor, dB.
    entry_below_speech_db
        A speech span must reach within this many dB of the reference speech level (and at
        least half-way from the noise floor to it) in voiced frames, dB.
    voiced_flatness
        Frames with spectral flatness below this (0 tonal .. 1 noise) count as voiced.
    min_voiced
        A speech span needs at least this much voiced time above the entry level, seconds.
    low_band_margin_db
        Least rise of the low band (< 250 Hz) above its room tone that makes a frame active, dB.
    low_band_mads
        The low-band rise must also exceed this many median absolute deviations of the low
        band's room tone (a fluctuating rumble needs a larger rise than a steady hum).
    min_level_db
        A reference speech level below this, dBFS, is no speech (nothing audible).
    digital_silence_db
        Frames below this speech-band level, dBFS, are digital silence: dead air, and left out
        of the noise-floor estimate.

    Returns
    -------
    SpeechActivity
        Speech spans, silences and dead air in seconds; levels in dBFS. The clip's end is the
        centre of its last frame, ``(n_frames - 1) / frame_rate``: the decoded duration to
        within one hop.
    """
    fr = float(features.frame_rate)
    n = features.n_frames
    end = max(n - 1, 0) / fr
    raw = np.asarray(features.speech_db, dtype=np.float64)
    real = raw > digital_silence_db
    if not np.any(real):
        return _no_speech(end, float(np.max(raw)) if n else float("-inf"), min_silence)
    level = _median3(raw)
    noise = float(np.percentile(level[real], noise_percentile))
    loud = level[level > noise + min_snr_db]
    if loud.size < max(1, round(min_speech * fr)):
        return _no_speech(end, noise, min_silence)
    ref = float(np.percentile(loud, speech_percentile))
    if ref < min_level_db:
        return _no_speech(end, noise, min_silence)
    span_db = ref - noise
    low = noise + min(max(0.2 * span_db, 6.0), 10.0)
    high = max(ref - entry_below_speech_db, noise + 0.5 * span_db)

    # Active frames: speech band above the low threshold, or low band well above its room tone.
    active = level > low
    low_band = _median3(np.asarray(features.low_db, dtype=np.float64))
    quiet = low_band[~active & real & (low_band > digital_silence_db)]
    if quiet.size:
        floor = float(np.median(quiet))
        mad = float(np.median(np.abs(quiet - floor)))
        active |= low_band > floor + max(low_band_margin_db, low_band_mads * mad)

    # Close the gaps shorter than min_silence. A gap of g inactive frames measures (g + 1) / fr
    # between the centres of the active frames around it.
    g_start, g_end = _runs(~active)
    min_gap = math.ceil(min_silence * fr - 1e-6)
    short = (g_start > 0) & (g_end < n) & (g_end - g_start + 1 < min_gap)
    active |= _fill(n, g_start[short], g_end[short])

    # Keep the regions that reach the entry level in voiced frames and last long enough.
    r_start, r_end = _runs(active)
    voiced = (level > high) & (_median3(np.asarray(features.flatness, np.float64))
                               < voiced_flatness)
    counts = np.concatenate(([0], np.cumsum(voiced)))
    n_voiced = counts[r_end] - counts[r_start]
    starts = r_start / fr
    ends = np.where(r_end >= n, end, (r_end - 1) / fr)
    keep = (n_voiced >= max(1, round(min_voiced * fr))) & (ends - starts >= min_speech - 1e-9)
    if not np.any(keep):
        return _no_speech(end, noise, min_silence)
    r_start, r_end = r_start[keep], r_end[keep]
    speech = [Span(float(a), float(b)) for a, b in zip(starts[keep], ends[keep], strict=True)]

    bounds = [0.0, *(t for s in speech for t in (s.start, s.end)), end]
    silences = [Span(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True)
                if b - a >= min_silence - 1e-9]
    in_speech = _fill(n, r_start, r_end) & (level > low)
    return SpeechActivity(
        speech=speech,
        silences=silences,
        dead_air_start=speech[0].start,
        dead_air_end=end - speech[-1].end,
        speech_level_db=float(np.median(level[in_speech])) if np.any(in_speech) else ref,
        noise_floor_db=noise,
        has_speech=True,
    )
