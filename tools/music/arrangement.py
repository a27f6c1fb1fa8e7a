"""Arrangement: a circular timeline of stems (a note that rings past the loop's end wraps onto
its start), drum patterns, melodies and strums."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from tools.music.dsp import SR, Stereo, pan_mono
from tools.music.instruments import pluck
from tools.music.theory import Chord, mtof, scale_notes

_VELOCITY = {"X": 1.0, "x": 0.72, "o": 0.45, "-": 0.3}


class Session:
    """Stems of one loop being written. Times are in bars and steps; placement wraps."""

    def __init__(self, bpm: float, bars: int, *, seed: int, swing: float = 0.5,
                 sr: int = SR) -> None:
        self.bpm = bpm
        self.bars = bars
        self.sr = sr
        self.beat = 60.0 / bpm
        self.bar = 4 * self.beat
        self.n = round(bars * self.bar * sr)
        self.swing = swing
        self.rng = np.random.default_rng(seed)
        self.stems: dict[str, Stereo] = {}

    def time(self, bar: float, step: float = 0.0, steps: int = 16) -> float:
        """Seconds at ``step`` (of ``steps`` per bar) in ``bar``; 16ths swing when asked."""
        t = bar * self.bar + step * self.bar / steps
        if steps == 16 and self.swing != 0.5 and int(step) % 2 == 1 and step == int(step):
            t += (2.0 * self.swing - 1.0) * self.bar / steps
        return t

    def add(self, stem: str, t: float, sig: np.ndarray, *, pan: float = 0.0,
            gain: float = 1.0) -> None:
        """Mix ``sig`` (mono or stereo) into ``stem`` from ``t`` seconds, wrapping at the end."""
        buf = self.stems.setdefault(stem, np.zeros((self.n, 2)))
        x = pan_mono(sig, pan) if sig.ndim == 1 else sig
        x = x * gain
        if x.shape[0] > self.n:  # longer than the loop: fold it onto itself
            pad = (-x.shape[0]) % self.n
            x = np.concatenate([x, np.zeros((pad, 2))]).reshape(-1, self.n, 2).sum(axis=0)
        start = round(t * self.sr) % self.n
        first = min(x.shape[0], self.n - start)
        buf[start : start + first] += x[:first]
        if first < x.shape[0]:
            buf[: x.shape[0] - first] += x[first:]

    def pattern(self, stem: str, patterns: str | Sequence[str], make: Callable[[], np.ndarray],
                *, pan: float = 0.0, gain: float = 1.0, bars: Sequence[int] | None = None,
                humanize: float = 0.0) -> None:
        """Place a hit at every non-``.`` step of a drum pattern, bar after bar.

        ``patterns`` is one pattern or one per bar (cycled); its length is the steps per bar.
        Step characters give the velocity: ``X`` 1.0, ``x`` 0.72, ``o`` 0.45, ``-`` 0.3.
        """
        seq = [patterns] if isinstance(patterns, str) else list(patterns)
        for bar in bars if bars is not None else range(self.bars):
            pat = seq[bar % len(seq)]
            for step, ch in enumerate(pat):
                if ch == ".":
                    continue
                jitter = self.rng.normal(0.0, humanize) if humanize else 0.0
                vel = _VELOCITY[ch] * (1.0 + (self.rng.uniform(-0.06, 0.06) if humanize else 0))
                self.add(stem, self.time(bar, step, len(pat)) + jitter, make(),
                         pan=pan, gain=gain * vel)


@dataclass(frozen=True)
class Note:
    """One melody note: start and hold in seconds, MIDI pitch, velocity."""

    start: float  # seconds
    hold: float  # seconds
    midi: int
    vel: float = 0.8


def chords_of(symbols: Sequence[str], bars: int) -> list[Chord]:
    """One chord per bar, the progression cycled over ``bars``."""
    parsed = [Chord.parse(s) for s in symbols]
    return [parsed[b % len(parsed)] for b in range(bars)]


#: Two-bar melody rhythms in 16th steps: ``x`` a note starts, ``-`` it is held, ``.`` rest.
_RHYTHMS = {
    "sparse": ("x-----x-x-------x---x-------....",
               "....x-x---x-----x-------x-------",
               "x-------x---x-x-x---------------"),
    "flowing": ("x-x-x---x-x-x---x-x-x---x-------",
                "..x-x-x-x---x-x-..x-x-x-x-------",
                "x---x-x-x-x-x---x---x-x-x-------"),
    "long": ("x-------x-------x---------------",
             "x-----------x---x---------------",
             "x---------------x-------x-------"),
}


def melody(s: Session, chords: list[Chord], *, key: int, scale: str, lo: int, hi: int,
           style: str, bars: Sequence[int]) -> list[Note]:
    """A melody over ``bars`` (multiples of 2): phrase A, phrase B, A again, B ending at home.

    Notes on the first and third beat are chord tones nearest the previous note; the others
    step along the scale. The phrases are composed once and repeated, as a hook is.
    """
    rng = s.rng
    notes_ok = scale_notes(key, scale, lo, hi)
    rhythms = _RHYTHMS[style]
    phrase_rhythms = [rhythms[int(rng.integers(len(rhythms)))] for _ in range(2)]
    home = int(notes_ok[np.argmin(np.abs(notes_ok - (lo + hi) // 2))])

    def compose(rhythm: str, first_bar: int, end_home: bool) -> list[tuple[int, int, int]]:
        out: list[tuple[int, int, int]] = []  # (step, length in steps, midi)
        prev = home
        starts = [i for i, c in enumerate(rhythm) if c == "x"]
        for j, st in enumerate(starts):
            length = 1
            while st + length < len(rhythm) and rhythm[st + length] == "-":
                length += 1
            chord = chords[(first_bar + st // 16) % len(chords)]
            if st % 8 == 0 or (end_home and j == len(starts) - 1):
                pcs = ({key % 12} if end_home and j == len(starts) - 1
                       else chord.pitch_classes)
                cands = np.array([m for m in notes_ok if m % 12 in pcs] or [prev])
                dist = np.abs(cands - prev) + rng.uniform(0, 2.5, cands.size)
                note = int(cands[np.argmin(dist)])
            else:
                idx = int(np.argmin(np.abs(notes_ok - prev)))
                move = int(rng.choice([-2, -1, -1, 1, 1, 2]))
                if prev > home + 5:
                    move = -abs(move)
                elif prev < home - 5:
                    move = abs(move)
                note = int(notes_ok[np.clip(idx + move, 0, notes_ok.size - 1)])
            out.append((st, length, note))
            prev = note
        return out

    if len(bars) == 0:
        return []
    first = bars[0]
    a = compose(phrase_rhythms[0], first, False)
    b = compose(phrase_rhythms[1], first + 2, False)
    b_end = compose(phrase_rhythms[1], first + 2, True)
    notes: list[Note] = []
    step_s = s.bar / 16
    for k, bar in enumerate(bars[::2]):
        phrase = (a, b, a, b_end)[k % 4] if len(bars) >= 8 else (a, b_end)[k % 2]
        for st, length, midi in phrase:
            notes.append(Note(s.time(bar, st), length * step_s * 0.92, midi,
                              0.75 + 0.2 * (st % 8 == 0)))
    return notes


def strum(s: Session, stem: str, chord: Chord, t: float, hold: float, *, down: bool,
          vel: float, brightness: float = 0.4, pan: float = 0.0) -> None:
    """Strum a guitar-like voicing (root low, spread over two octaves) with string stagger."""
    root = 40 + (chord.root - 40) % 12  # lowest string region: E2..D#3
    tones = sorted({root, *(root + 12 + i % 12 for i in chord.intervals[1:]), root + 7,
                    root + 12})
    tones = [m for m in tones if m <= root + 24][:6]
    order = tones if down else tones[::-1]
    for k, midi in enumerate(order):
        offset = k * 0.011
        y = pluck(float(mtof(midi)), max(hold - offset, 0.05), brightness=brightness,
                  sustain_s=2.5, variant=k, cutoff=3500.0 if down else 4500.0)
        s.add(stem, t + offset, y, pan=pan + 0.15 * (k / 5 - 0.5),
              gain=vel * (0.8 if not down else 1.0))
