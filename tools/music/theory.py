"""Music theory: MIDI pitches, chord symbols and scales."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_QUALITIES = {
    "": (0, 4, 7), "m": (0, 3, 7), "7": (0, 4, 7, 10), "m7": (0, 3, 7, 10),
    "maj7": (0, 4, 7, 11), "m9": (0, 3, 7, 10, 14), "maj9": (0, 4, 7, 11, 14),
    "9": (0, 4, 7, 10, 14), "sus2": (0, 2, 7), "sus4": (0, 5, 7), "add9": (0, 4, 7, 14),
    "madd9": (0, 3, 7, 14), "6": (0, 4, 7, 9),
}
_SCALES = {
    "major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10),
    "harmonic_minor": (0, 2, 3, 5, 7, 8, 11), "major_penta": (0, 2, 4, 7, 9),
    "minor_penta": (0, 3, 5, 7, 10),
}
_CHORD_RE = re.compile(r"^([A-G])([#b]?)(.*)$")


def mtof(midi: float | np.ndarray) -> float | np.ndarray:
    """Frequency in Hz of a MIDI note number (A4 = 69 = 440 Hz)."""
    return 440.0 * 2.0 ** ((np.asarray(midi, dtype=np.float64) - 69.0) / 12.0)


@dataclass(frozen=True)
class Chord:
    """A chord: root pitch class (0 = C) and intervals above it in semitones."""

    root: int
    intervals: tuple[int, ...]

    @classmethod
    def parse(cls, symbol: str) -> Chord:
        """``"Am7"``, ``"F#maj7"``, ``"Bb"`` ... (qualities in ``_QUALITIES``)."""
        m = _CHORD_RE.match(symbol)
        if not m or m[3] not in _QUALITIES:
            raise ValueError(f"unknown chord symbol {symbol!r}")
        root = (_PC[m[1]] + {"#": 1, "b": -1, "": 0}[m[2]]) % 12
        return cls(root, _QUALITIES[m[3]])

    @property
    def pitch_classes(self) -> frozenset[int]:
        return frozenset((self.root + i) % 12 for i in self.intervals)

    def voicing(self, center: int = 60) -> list[int]:
        """Close voicing: every chord tone folded into the octave around ``center``."""
        notes = {(center - 6) + ((self.root + i - (center - 6)) % 12) for i in self.intervals}
        return sorted(notes)

    def bass(self, low: int = 33) -> int:
        """The root in the octave starting at MIDI ``low``."""
        return low + (self.root - low) % 12


def scale_notes(key: int, scale: str, lo: int, hi: int) -> np.ndarray:
    """The MIDI notes ``lo..hi`` of ``scale`` (a ``_SCALES`` name) on pitch class ``key``."""
    pcs = {(key + s) % 12 for s in _SCALES[scale]}
    return np.array([m for m in range(lo, hi + 1) if m % 12 in pcs])
