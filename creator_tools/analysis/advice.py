"""Advice a creator can act on, as ``{code, message, at}`` items."""

from __future__ import annotations

from dataclasses import dataclass

from creator_tools.text import plural


@dataclass(frozen=True, slots=True)
class Advice:
    """One piece of advice; ``at`` is the time it concerns (seconds) or ``None``."""

    code: str
    message: str
    at: float | None = None

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message,
                "at": None if self.at is None else round(self.at, 3)}


#: Every advice code and what it means (documented in docs/analysis-format.md).
CODES = {
    "DEAD_AIR_START": "silence before the first word",
    "LONG_PAUSE": "a pause inside the speech long enough to lose viewers",
    "LONG_STATIC_SHOT": "a long stretch without motion",
    "QUIET_AUDIO": "integrated loudness well below platform targets",
    "CLIPPING": "audio samples at full scale: distortion",
    "LANDSCAPE_SOURCE": "a landscape source that needs reframing to 9:16",
    "TOO_LONG_FOR_PLATFORM": "longer than short-form platforms show in full",
    "LOW_LIGHT": "underexposed picture",
    "OVEREXPOSED": "blown-out highlights",
    "SHAKY": "camera shake",
    "HDR_SOURCE": "HDR input that needs tone mapping for SDR platforms",
    "VFR_SOURCE": "variable frame rate, to convert to constant",
    "NO_AUDIO": "no audio stream",
    "FLASHING": "more than three large luminance flashes in one second",
    "DECODE_ERRORS": "the stream has damaged parts",
}


@dataclass(frozen=True, slots=True)
class AdviceLimits:
    """Thresholds behind the advice."""

    dead_air: float = 0.5
    long_pause: float = 1.0
    long_static: float = 3.0
    quiet_lufs: float = -24.0
    max_duration: float = 180.0


def collect_advice(
    *,
    duration: float,
    has_video: bool,
    has_audio: bool,
    landscape: bool,
    hdr: bool,
    vfr: bool,
    dead_air_start: float | None,
    pauses: list[tuple[float, float]],
    static: list[tuple[float, float]],
    integrated_lufs: float | None,
    clipping_at: float | None,
    low_light: bool,
    overexposed: bool,
    shaky_at: float | None,
    flashes: tuple[int, float],
    decode_problems: int,
    limits: AdviceLimits = AdviceLimits(),
) -> list[Advice]:
    """Turn analysis facts into advice, in a stable order (by code group, then time)."""
    out: list[Advice] = []
    if dead_air_start is not None and dead_air_start >= limits.dead_air:
        out.append(Advice("DEAD_AIR_START", f"{dead_air_start:.1f} s of silence before the first "
                          "word: start on the first word", 0.0))
    for a, b in pauses:
        if b - a >= limits.long_pause:
            out.append(Advice("LONG_PAUSE", f"{b - a:.1f} s pause: tighten it", a))
    for a, b in static:
        if b - a >= limits.long_static:
            out.append(Advice("LONG_STATIC_SHOT", f"{b - a:.1f} s without motion: cut, zoom or "
                              "add B-roll", a))
    if not has_audio:
        out.append(Advice("NO_AUDIO", "no audio stream: add music or a voice-over"))
    elif integrated_lufs is not None and integrated_lufs < limits.quiet_lufs:
        out.append(Advice("QUIET_AUDIO", f"audio at {integrated_lufs:.1f} LUFS: platforms "
                          "play around -14 LUFS; normalize it"))
    if clipping_at is not None:
        out.append(Advice("CLIPPING", "audio clips (distortion): lower the recording level",
                          clipping_at))
    if has_video and landscape:
        out.append(Advice("LANDSCAPE_SOURCE", "landscape source: reframe to 9:16 around the "
                          "subject"))
    if duration > limits.max_duration:
        out.append(Advice("TOO_LONG_FOR_PLATFORM", f"{duration:.0f} s is longer than Shorts and "
                          f"Reels show ({limits.max_duration:.0f} s): trim it"))
    if low_light:
        out.append(Advice("LOW_LIGHT", "underexposed: brighten it, add light next time"))
    if overexposed:
        out.append(Advice("OVEREXPOSED", "highlights blown out: lower exposure"))
    if shaky_at is not None:
        out.append(Advice("SHAKY", "shaky camera: stabilize it or use a support", shaky_at))
    if hdr:
        out.append(Advice("HDR_SOURCE", "HDR source: tone-map to SDR for consistent playback"))
    if vfr:
        out.append(Advice("VFR_SOURCE", "variable frame rate (phone footage): convert to a "
                          "constant rate for editing"))
    count, at = flashes
    if count > 3:
        out.append(Advice("FLASHING", f"{count} flashes in one second: a photosensitivity risk "
                          "that platforms act on", at))
    if decode_problems:
        out.append(Advice("DECODE_ERRORS", f"{plural(decode_problems, 'decode error')}: parts "
                          "of the stream are damaged"))
    return out
