"""Instruments: each returns a mono ``(n,)`` or stereo ``(n, 2)`` float64 signal starting at
t = 0 (drum hits from sine sweeps and filtered noise, FM electric piano and bell, wavetable saws
and squares, Karplus-Strong plucks, 808 sub)."""

from __future__ import annotations

import numpy as np

from tools.music.dsp import SR, Stereo, adsr, filt, karplus_strong, osc, ramp, white_noise


def kick(rng: np.random.Generator, *, f_hi: float = 150.0, f_lo: float = 48.0,
         pitch_tau: float = 0.035, decay: float = 0.3, click: float = 0.25, drive: float = 1.6,
         length: float = 0.6, sr: int = SR) -> np.ndarray:
    """Sine sweep from ``f_hi`` down to ``f_lo`` with a noise click, softly saturated."""
    n = int(length * sr)
    t = np.arange(n) / sr
    f = f_lo + (f_hi - f_lo) * np.exp(-t / pitch_tau)
    body = np.sin(2 * np.pi * np.cumsum(f) / sr) * np.exp(-t / decay)
    tick = filt(white_noise(rng, n), "highpass", 1500.0) * np.exp(-t / 0.004) * click
    y = np.tanh(drive * (body + tick)) / np.tanh(drive)
    return y * ramp(n, int(0.0008 * sr), int(0.02 * sr))


def snare(rng: np.random.Generator, *, tone: float = 190.0, decay: float = 0.15,
          tone_mix: float = 0.5, top: float = 9000.0, length: float = 0.45,
          sr: int = SR) -> np.ndarray:
    """Two damped tones (the drum) plus band-passed noise (the wires)."""
    n = int(length * sr)
    t = np.arange(n) / sr
    body = (np.sin(2 * np.pi * tone * t) + 0.5 * np.sin(2 * np.pi * 1.62 * tone * t)) \
        * np.exp(-t / 0.055)
    wires = filt(white_noise(rng, n), "bandpass", (900.0, top)) * np.exp(-t / decay)
    wires /= np.max(np.abs(wires)) + 1e-12
    y = tone_mix * body / 1.5 + wires
    return y / np.max(np.abs(y)) * ramp(n, int(0.0008 * sr), int(0.03 * sr))


def clap(rng: np.random.Generator, *, decay: float = 0.12, length: float = 0.4,
         sr: int = SR) -> np.ndarray:
    """Three quick noise bursts and a short tail, band-passed (a hand clap)."""
    n = int(length * sr)
    t = np.arange(n) / sr
    env = np.zeros(n)
    for k, off in enumerate((0.0, 0.011, 0.022)):
        env += (t >= off) * np.exp(-np.clip(t - off, 0, None) / 0.006) * (0.8 + 0.1 * k)
    env += 0.7 * (t >= 0.03) * np.exp(-np.clip(t - 0.03, 0, None) / decay)
    y = filt(white_noise(rng, n) * env, "bandpass", (800.0, 5500.0))
    return y / (np.max(np.abs(y)) + 1e-12) * ramp(n, int(0.0008 * sr), int(0.03 * sr))


def hat(rng: np.random.Generator, *, decay: float = 0.035, tone: float = 7500.0,
        sr: int = SR) -> np.ndarray:
    """Closed (short ``decay``) or open (long) hi-hat: high-passed noise with a metallic edge."""
    n = int(min(6 * decay + 0.02, 1.2) * sr)
    t = np.arange(n) / sr
    metal = sum(np.sign(np.sin(2 * np.pi * f * t)) for f in (2461.0, 3182.0, 4517.0, 5821.0))
    raw = white_noise(rng, n) + 0.35 * metal
    y = filt(raw, "highpass", tone, order=4) * np.exp(-t / decay)
    return y / (np.max(np.abs(y)) + 1e-12) * ramp(n, int(0.0005 * sr), int(0.005 * sr))


def shaker(rng: np.random.Generator, *, decay: float = 0.05, sr: int = SR) -> np.ndarray:
    """A shaker: band-passed noise with a soft attack."""
    n = int((decay * 5 + 0.02) * sr)
    t = np.arange(n) / sr
    env = np.minimum(t / 0.012, 1.0) * np.exp(-np.clip(t - 0.012, 0, None) / decay)
    y = filt(white_noise(rng, n), "bandpass", (3500.0, 11000.0)) * env
    return y / (np.max(np.abs(y)) + 1e-12) * ramp(n, 0, int(0.005 * sr))


def tom(rng: np.random.Generator, *, f_hi: float = 120.0, f_lo: float = 72.0,
        decay: float = 0.45, sr: int = SR) -> np.ndarray:
    """A big, low drum (taiko-like): slow sine sweep with a soft noise thump."""
    n = int((decay * 4) * sr)
    t = np.arange(n) / sr
    f = f_lo + (f_hi - f_lo) * np.exp(-t / 0.08)
    body = np.sin(2 * np.pi * np.cumsum(f) / sr) * np.exp(-t / decay)
    thump = filt(white_noise(rng, n), "lowpass", 600.0) * np.exp(-t / 0.03)
    y = np.tanh(1.3 * (body + 0.5 * thump / (np.max(np.abs(thump)) + 1e-12)))
    return y / np.max(np.abs(y)) * ramp(n, int(0.002 * sr), int(0.05 * sr))


def riser(rng: np.random.Generator, length: float, *, low: float = 4000.0,
          high: float | None = None, sr: int = SR) -> Stereo:
    """A reverse-cymbal swell of ``length`` seconds that ends at its last sample.

    Placed to end on a downbeat (the loop start), it leads the ear across the seam.
    """
    n = int(length * sr)
    t = np.arange(n) / n
    env = t**3
    noise = np.stack([white_noise(rng, n), white_noise(rng, n)], axis=1)
    band = ("highpass", low) if high is None else ("bandpass", (low, high))
    y = filt(noise, band[0], band[1]) * env[:, None]
    y[-int(0.004 * sr):] *= np.linspace(1, 0, int(0.004 * sr))[:, None]
    return y / (np.max(np.abs(y)) + 1e-12)


def electric_piano(freq: float, hold: float, *, vel: float = 0.8, tremolo: float = 0.0,
                   sr: int = SR) -> np.ndarray:
    """FM electric piano (a bell-like attack that mellows), ``hold`` seconds plus release."""
    env = adsr(int(hold * sr), attack=0.003, decay=0.9, sustain=0.25, release=0.25)
    n = env.size
    t = np.arange(n) / sr
    index = (0.4 + 1.6 * vel) * np.exp(-t / 0.35) + 0.25
    mod = np.sin(2 * np.pi * freq * t)
    y = np.sin(2 * np.pi * freq * t + index * mod)
    y += 0.12 * np.sin(2 * np.pi * 7.0 * freq * t) * np.exp(-t / 0.05)  # tine
    if tremolo:
        y *= 1.0 - tremolo * (0.5 + 0.5 * np.sin(2 * np.pi * 4.5 * t))
    return y * env


def saw_pad(freq: float, hold: float, *, attack: float = 0.4, release: float = 0.8,
            cutoff: float = 2000.0, detune_cents: float = 9.0, shape: str = "saw",
            sr: int = SR) -> Stereo:
    """Detuned oscillators, different per channel, low-passed: a wide, soft pad."""
    env = adsr(int(hold * sr), attack=attack, decay=0.6, sustain=0.85, release=release)
    n = env.size
    chans = []
    for side, detunes in ((0, (-1.0, 0.35)), (1, (1.0, -0.35))):
        y = np.zeros(n)
        for k, dt in enumerate(detunes):
            f = freq * 2 ** (dt * detune_cents / 1200.0)
            y += osc(f, n, shape, phase=0.21 * (side + 2 * k))
        chans.append(y / len(detunes))
    out = np.stack(chans, axis=1)
    out = filt(out, "lowpass", min(cutoff, 0.4 * sr), order=2)
    return out * env[:, None]


def synth_lead(freq: float, hold: float, *, shape: str = "square", cutoff: float = 3500.0,
               vibrato: float = 0.004, attack: float = 0.01, release: float = 0.12,
               sr: int = SR) -> np.ndarray:
    """A mono lead voice with delayed vibrato."""
    env = adsr(int(hold * sr), attack=attack, decay=0.25, sustain=0.75, release=release)
    n = env.size
    t = np.arange(n) / sr
    vib = 1.0 + vibrato * np.sin(2 * np.pi * 5.2 * t) * np.clip((t - 0.15) / 0.2, 0.0, 1.0)
    y = osc(freq * vib, n, shape)
    return filt(y, "lowpass", cutoff) * env


def bell(freq: float, hold: float, *, decay: float = 0.9, sr: int = SR) -> np.ndarray:
    """FM bell / glockenspiel (inharmonic ratio 3.5)."""
    n = int((hold + decay * 2.5) * sr)
    t = np.arange(n) / sr
    index = 2.2 * np.exp(-t / 0.25)
    y = np.sin(2 * np.pi * freq * t + index * np.sin(2 * np.pi * 3.5 * freq * t))
    return y * np.exp(-t / decay) * ramp(n, int(0.001 * sr), int(0.05 * sr))


def sub_808(freq: float, hold: float, *, glide_from: float | None = None, drive: float = 2.2,
            sr: int = SR) -> np.ndarray:
    """An 808-style sub bass: a sine with a pitch drop (or glide), saturated for harmonics."""
    env = adsr(int(hold * sr), attack=0.002, decay=0.7, sustain=0.55, release=0.06)
    n = env.size
    t = np.arange(n) / sr
    f = freq * (1.0 + 0.25 * np.exp(-t / 0.02))
    if glide_from is not None:
        f = freq + (glide_from - freq) * np.exp(-t / 0.05)
    y = np.tanh(drive * np.sin(2 * np.pi * np.cumsum(f) / sr)) / np.tanh(drive)
    return y * env


def synth_bass(freq: float, hold: float, *, cutoff: float = 700.0, shape: str = "saw",
               sub: float = 0.5, sr: int = SR) -> np.ndarray:
    """A round synth bass: oscillator through a low-pass, reinforced by a sine."""
    env = adsr(int(hold * sr), attack=0.003, decay=0.18, sustain=0.7, release=0.05)
    n = env.size
    y = filt(osc(freq, n, shape), "lowpass", cutoff)
    y = y / (np.max(np.abs(y)) + 1e-12) + sub * osc(freq, n, "sine")
    return y * env


def pluck(freq: float, hold: float, *, brightness: float = 0.5, sustain_s: float = 2.0,
          variant: int = 0, release: float = 0.08, cutoff: float = 5000.0,
          sr: int = SR) -> np.ndarray:
    """A plucked string (Karplus-Strong) through a ``cutoff`` low-pass (the body), damped
    after ``hold`` seconds."""
    n_hold = int(hold * sr)
    n_rel = int(release * sr)
    y = karplus_strong(freq, n_hold + n_rel, brightness=brightness, sustain_s=sustain_s,
                       variant=variant)
    y = filt(y, "lowpass", min(cutoff, 0.4 * sr))
    return y * ramp(n_hold + n_rel, int(0.0005 * sr), n_rel)


def sine_keys(freq: float, hold: float, *, sr: int = SR) -> np.ndarray:
    """A soft, sine-based keyboard (two partials), for ambient beds and ostinatos."""
    env = adsr(int(hold * sr), attack=0.004, decay=0.5, sustain=0.3, release=0.4)
    n = env.size
    t = np.arange(n) / sr
    y = np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(4 * np.pi * freq * t) * np.exp(-t / 0.2)
    return y * env
