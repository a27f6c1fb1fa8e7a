"""EBU R128 figures as ffmpeg's ``ebur128`` filter reports them in its log summary."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_I_RE = re.compile(r"^\s*I:\s+(-?[\d.]+|-?inf)\s+LUFS")
_LRA_RE = re.compile(r"^\s*LRA:\s+(-?[\d.]+|-?inf)\s+LU\b")
_PEAK_RE = re.compile(r"^\s*Peak:\s+(-?[\d.]+|-?inf)\s+dBFS")

#: ``ebur128``'s absolute gate: an integrated loudness at or below it means silence (or a
#: signal too short to gate, under 400 ms).
SILENCE_LUFS = -69.0


@dataclass(frozen=True, slots=True)
class Loudness:
    """EBU R128 figures measured by ffmpeg's ``ebur128`` filter.

    ``integrated_lufs`` (LUFS), ``true_peak_dbtp`` (dBTP, when measured with ``peak=true``)
    and ``lra`` (LU); ``None`` where the log has no figure or it is infinite.
    """

    integrated_lufs: float | None
    true_peak_dbtp: float | None
    lra: float | None


def _to_float(text: str) -> float | None:
    return None if "inf" in text else float(text)


def parse_ebur128_summary(lines: Iterable[str]) -> Loudness:
    """The figures of the ``Summary:`` that ``ebur128=framelog=quiet`` logs when it ends.

    The first integrated loudness and LRA found are kept (the summary's; later lines of the
    same shape are its thresholds), and the last true peak.
    """
    i = lra = peak = None
    for line in lines:
        if (m := _I_RE.match(line)) and i is None:
            i = _to_float(m[1])
        elif (m := _LRA_RE.match(line)) and lra is None:
            lra = _to_float(m[1])
        elif m := _PEAK_RE.match(line):
            peak = _to_float(m[1])
    return Loudness(i, peak, lra)
