"""Frame-level audio features computed block by block (constant memory).

One short-time Fourier transform (32 ms Hann window, 10 ms hop at 16 kHz) feeds every audio
detector: speech/silence uses the band energies and spectral flatness, rhythm uses the onset
strength (spectral flux over mel-like bands), clipping uses the per-hop sample peak.
Frame ``k`` is centred on ``t = k * hop / sr`` (like ``librosa.stft(center=True)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class AudioFeatures:
    """Per-frame audio features; every array has shape ``(n_frames,)``.

    Attributes
    ----------
    frame_rate
        Frames per second (``sr / hop``), 100.0 by default.
    rms_db
        Broadband level, dBFS (RMS of the windowed frame).
    speech_db
        Level in the 300-3400 Hz speech band, dBFS.
    low_db
        Level below 250 Hz (mains hum, rumble), dBFS.
    flatness
        Spectral flatness in 300-4000 Hz, 0 (tonal/voiced) .. 1 (white noise).
    onset
        Onset strength: half-wave rectified log-band spectral flux (>= 0).
    peak
        Largest absolute sample value within the hop.
    """

    frame_rate: float
    rms_db: np.ndarray
    speech_db: np.ndarray
    low_db: np.ndarray
    flatness: np.ndarray
    onset: np.ndarray
    peak: np.ndarray

    @property
    def n_frames(self) -> int:
        return int(self.rms_db.size)

    @property
    def duration(self) -> float:
        return self.n_frames / self.frame_rate

    def times(self) -> np.ndarray:
        """Centre time of each frame, seconds."""
        return np.arange(self.n_frames) / self.frame_rate


def _band_filters(n_fft: int, sr: int, n_bands: int = 40, fmin: float = 60.0) -> np.ndarray:
    """Triangular filters on a log-frequency (mel-like) axis, shape ``(n_bands, n_fft//2+1)``."""
    freqs = np.linspace(0, sr / 2, n_fft // 2 + 1)
    mel = lambda f: 2595 * np.log10(1 + f / 700)  # noqa: E731
    inv = lambda m: 700 * (10 ** (m / 2595) - 1)  # noqa: E731
    edges = inv(np.linspace(mel(fmin), mel(sr / 2), n_bands + 2))
    fb = np.zeros((n_bands, freqs.size))
    for i in range(n_bands):
        lo, mid, hi = edges[i : i + 3]
        up = (freqs - lo) / max(mid - lo, 1e-9)
        down = (hi - freqs) / max(hi - mid, 1e-9)
        fb[i] = np.clip(np.minimum(up, down), 0, None)
    return fb


class AudioFeatureExtractor:
    """Feed mono float32 blocks with :meth:`push`; :meth:`finish` returns :class:`AudioFeatures`.

    Parameters
    ----------
    sr
        Sample rate of the blocks, Hz.
    hop
        Hop in samples (160 = 10 ms at 16 kHz).
    n_fft
        Window length in samples.
    """

    def __init__(self, *, sr: int = 16000, hop: int = 160, n_fft: int = 512) -> None:
        self.sr, self.hop, self.n_fft = sr, hop, n_fft
        self._window = np.hanning(n_fft).astype(np.float32)
        self._wnorm = float(np.sum(self._window**2))
        freqs = np.linspace(0, sr / 2, n_fft // 2 + 1)
        self._speech = (freqs >= 300) & (freqs <= 3400)
        self._low = (freqs > 20) & (freqs < 250)
        self._flat = (freqs >= 300) & (freqs <= 4000)
        self._bands = _band_filters(n_fft, sr).astype(np.float32)
        # Centred frames: the first window starts n_fft/2 before t = 0.
        self._buf = np.zeros(n_fft // 2, dtype=np.float32)
        self._prev_bands: np.ndarray | None = None
        self._parts: dict[str, list[np.ndarray]] = {
            k: [] for k in ("rms_db", "speech_db", "low_db", "flatness", "onset", "peak")
        }
        self._samples = 0

    def push(self, block: np.ndarray) -> None:
        """Add the next block of samples (any length)."""
        block = np.asarray(block, dtype=np.float32).reshape(-1)
        self._samples += block.size
        self._buf = np.concatenate([self._buf, block])
        n = (self._buf.size - self.n_fft) // self.hop + 1
        if n <= 0:
            return
        self._process(self._buf, n)
        self._buf = self._buf[n * self.hop :]

    def _process(self, buf: np.ndarray, n: int) -> None:
        idx = np.arange(self.n_fft)[None, :] + self.hop * np.arange(n)[:, None]
        frames = buf[idx]
        half = self.n_fft // 2
        centre = buf[half : half + n * self.hop].reshape(n, self.hop)
        self._parts["peak"].append(np.max(np.abs(centre), axis=1))
        spec = np.fft.rfft(frames * self._window, axis=1)
        power = (spec.real**2 + spec.imag**2) / self._wnorm
        eps = 1e-12
        # Scale so that a full-scale sine reads about -3 dBFS, as RMS does.
        total = power.sum(axis=1) * 2 / self.n_fft
        self._parts["rms_db"].append(10 * np.log10(total + eps))
        self._parts["speech_db"].append(
            10 * np.log10(power[:, self._speech].sum(axis=1) * 2 / self.n_fft + eps))
        self._parts["low_db"].append(
            10 * np.log10(power[:, self._low].sum(axis=1) * 2 / self.n_fft + eps))
        p = power[:, self._flat] + 1e-10
        self._parts["flatness"].append(np.exp(np.mean(np.log(p), axis=1)) / np.mean(p, axis=1))
        bands = np.log1p(1000.0 * np.sqrt(power) @ self._bands.T)
        prev = self._prev_bands if self._prev_bands is not None else bands[:1]
        diff = np.diff(np.concatenate([prev, bands]), axis=0)
        self._parts["onset"].append(np.maximum(diff, 0).mean(axis=1))
        self._prev_bands = bands[-1:]

    def finish(self) -> AudioFeatures:
        """Flush the tail (zero-padded, centred frames) and return the features."""
        n_total = self._samples // self.hop + 1 if self._samples else 0
        done = sum(a.size for a in self._parts["rms_db"])
        remaining = n_total - done
        if remaining > 0:
            pad = np.zeros(self.n_fft // 2 + remaining * self.hop, dtype=np.float32)
            buf = np.concatenate([self._buf, pad])
            self._process(buf, remaining)
        cat = {k: (np.concatenate(v).astype(np.float32) if v else np.zeros(0, np.float32))
               for k, v in self._parts.items()}
        return AudioFeatures(frame_rate=self.sr / self.hop, **cat)


def audio_features(y: np.ndarray, *, sr: int = 16000, hop: int = 160,
                   n_fft: int = 512) -> AudioFeatures:
    """Features of a whole mono signal ``y`` (shape ``(n,)``); see :class:`AudioFeatures`."""
    ex = AudioFeatureExtractor(sr=sr, hop=hop, n_fft=n_fft)
    for start in range(0, max(len(y), 1), sr * 10):
        ex.push(y[start : start + sr * 10])
    return ex.finish()
