"""Render a track: its stems set to loudnesses relative to the drums
(:attr:`~tools.music.tracks.Track.levels`), a stereo reverb from per-stem sends, then mastered.
"""

from __future__ import annotations

import numpy as np

from tools.music.arrangement import Session
from tools.music.dsp import SR, Stereo, circ_convolve, circ_filt, filt
from tools.music.mastering import CEILING_DBTP, integrated_loudness, master
from tools.music.tracks import Track


def reverb_ir(seconds: float, *, seed: int, sr: int = SR) -> Stereo:
    """A stereo room: decorrelated exponentially decaying noise, darker as it decays."""
    rng = np.random.default_rng(seed)
    n = int(seconds * 1.2 * sr)
    t = np.arange(n) / sr
    env = np.exp(-6.9 * t / seconds)
    noise = rng.standard_normal((n, 2))
    bright = filt(noise, "lowpass", 6000.0)
    dark = filt(noise, "lowpass", 1500.0)
    mixk = np.clip(t / seconds, 0, 1)[:, None]
    ir = (bright * (1 - mixk) + dark * mixk) * env[:, None]
    ir[: int(0.012 * sr)] = 0.0  # pre-delay
    return ir / np.sqrt(np.sum(ir**2) / 2)


def render(tr: Track, *, ceiling_db: float = CEILING_DBTP) -> np.ndarray:
    """Render ``tr`` to a mastered stereo loop, float32, shape ``(n, 2)`` at :data:`SR`."""
    s = Session(tr.bpm, tr.bars, seed=tr.seed, swing=tr.swing)
    tr.render(s)
    ref = integrated_loudness(s.stems["drums"])
    mix = np.zeros((s.n, 2))
    send = np.zeros((s.n, 2))
    for name, stem in s.stems.items():
        level = integrated_loudness(stem)
        if not np.isfinite(level):
            continue
        gain = 10 ** ((ref + tr.levels.get(name, -6.0) - level) / 20)
        mix += stem * gain
        send += stem * gain * tr.sends.get(name, 0.0)
    if np.any(send):
        wet = circ_convolve(circ_filt(send, "highpass", 200.0),
                            reverb_ir(tr.reverb, seed=tr.seed))
        mix += wet * 0.5
    return master(mix, ceiling_db=ceiling_db).astype(np.float32)
