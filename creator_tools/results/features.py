"""What a posted clip was like: the features learned from, named by their dotted keys.

Each feature is read from the clip's analysis record (``docs/analysis-format.md``) or its edit
plan. Most are analysis keys as they are (``hook.dead_air_start``); a few are derived and
named in the same style (``speech.share``: the percentage of the clip with speech). A "core"
feature is always a number (a missing time is the clip's length: never is as late as the
end), and feeds the online model; the others are ``None`` where the clip says nothing (no
plan, no music) and are tested only when most videos have them. A ``category`` feature
(``look.name``, ``topic``) is tested as one yes/no feature per frequent value.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]
Value = float | str | None


@dataclass(frozen=True)
class Feature:
    """One feature: key, unit, how findings and advice word it, how it is read."""

    key: str
    #: Short unit (``s``, ``cuts/min``...), ``yes/no`` for flags.
    unit: str
    #: "each second before your first word": what one ``step`` of it is.
    per: str
    #: What lowering and raising it means, as advice.
    lower: str
    higher: str
    read: Callable[[Record, Record | None], Value]
    step: float = 1.0
    #: Always a number (feeds the online model).
    core: bool = True
    kind: str = "number"  # number, flag, category


def _get(record: Record | None, dotted: str) -> Any:
    value: Any = record
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def _duration(a: Record) -> float:
    return float(_get(a, "media.duration") or 0.0)


def _time_or_end(key: str) -> Callable[[Record, Record | None], Value]:
    def read(a: Record, plan: Record | None) -> Value:
        value = _number(_get(a, key))
        return _duration(a) if value is None else value

    return read


def _plain(key: str, missing: float | None = None) -> Callable[[Record, Record | None], Value]:
    def read(a: Record, plan: Record | None) -> Value:
        value = _number(_get(a, key))
        return missing if value is None else value

    return read


def _spans(a: Record) -> list[tuple[float, float]]:
    return [(float(s["start"]), float(s["end"])) for s in a.get("speech") or []]


def speech_share(spans: list[tuple[float, float]], duration: float) -> float:
    """Percentage of ``duration`` covered by the speech ``spans``."""
    return 100.0 * sum(b - a for a, b in spans) / duration if duration > 0 else 0.0


def longest_pause(spans: list[tuple[float, float]]) -> float:
    """The longest gap between two speech spans (0 with fewer than two)."""
    return max((b[0] - a[1] for a, b in itertools.pairwise(spans)), default=0.0)


def _words_per_minute(a: Record, plan: Record | None) -> Value:
    words = _get(plan, "captions.words") if plan else None
    spoken = sum(b - x for x, b in _spans(a))
    return 60.0 * len(words) / spoken if words and spoken > 0 else None


def _plan_flag(test: Callable[[Record], bool]) -> Callable[[Record, Record | None], Value]:
    def read(a: Record, plan: Record | None) -> Value:
        return None if plan is None else float(bool(test(plan)))

    return read


def _look_name(a: Record, plan: Record | None) -> Value:
    if plan is None:
        return None
    return str(_get(plan, "look.name") or ("custom" if _get(plan, "look.lut") else "none"))


def _topic(a: Record, plan: Record | None) -> Value:
    tags = _get(plan, "captions.hashtags") if plan else None
    return str(tags[0]).lower() if tags else None


def _music_bpm(a: Record, plan: Record | None) -> Value:
    return _number(_get(plan, "audio.music.bpm")) if plan else None


FEATURES: tuple[Feature, ...] = (
    Feature("hook.dead_air_start", "s", "each second of silence before the first word",
            "cut the silence before the first word", "", _plain("hook.dead_air_start", 0.0)),
    Feature("hook.first_speech_at", "s", "each second before your first word",
            "say the first word sooner", "", _time_or_end("hook.first_speech_at")),
    Feature("hook.first_cut_at", "s", "each second before the first cut",
            "cut sooner", "hold the first shot longer", _time_or_end("hook.first_cut_at")),
    Feature("hook.first_motion_at", "s", "each second before something moves",
            "open on movement", "open on a still picture", _time_or_end("hook.first_motion_at")),
    Feature("hook.score", "points", "each 10 points of hook score", "", "a stronger hook",
            _plain("hook.score", 0.0), step=10.0),
    Feature("stats.cuts_per_minute", "cuts/min", "each cut per minute",
            "fewer cuts", "more cuts", _plain("stats.cuts_per_minute", 0.0)),
    Feature("stats.average_shot", "s", "each second of average shot length",
            "shorter shots", "longer shots", _plain("stats.average_shot", 0.0)),
    Feature("speech.share", "%", "each 10 points of speech share (time with speech)",
            "less talking", "more talking, fewer gaps",
            lambda a, p: speech_share(_spans(a), _duration(a)), step=10.0),
    Feature("speech.longest_pause", "s", "each second of your longest pause",
            "shorter pauses", "longer pauses", lambda a, p: longest_pause(_spans(a))),
    Feature("loudness.integrated_lufs", "LUFS", "each LU of loudness", "quieter", "louder",
            _plain("loudness.integrated_lufs", -70.0)),
    Feature("media.duration", "s", "each second of length", "make it shorter",
            "make it longer", _plain("media.duration", 0.0)),
    Feature("motion.mean", "0-1", "each 0.1 of motion", "calmer pictures", "more movement",
            _plain("motion.mean", 0.0), step=0.1),
    Feature("color.overall.brightness", "0-1", "each 0.1 of brightness", "darker",
            "brighter", _plain("color.overall.brightness", 0.0), step=0.1),
    Feature("dead_air_end", "s", "each second of silence after the last word",
            "end on the last word", "", _plain("dead_air_end", 0.0)),
    Feature("speech.words_per_minute", "words/min", "each 10 words per minute of speech",
            "speak slower", "speak faster", _words_per_minute, step=10.0, core=False),
    Feature("captions.burn", "yes/no", "burned-in captions", "no captions",
            "burn captions in", _plan_flag(lambda p: bool(_get(p, "captions.burn"))),
            core=False, kind="flag"),
    Feature("audio.music", "yes/no", "a music bed", "no music", "add music",
            _plan_flag(lambda p: _get(p, "audio.music") is not None), core=False,
            kind="flag"),
    Feature("audio.music.bpm", "BPM", "each 10 BPM of music tempo", "slower music",
            "faster music", _music_bpm, step=10.0, core=False),
    Feature("look.name", "yes/no", "the look", "another look", "use the look", _look_name,
            core=False, kind="category"),
    Feature("topic", "yes/no", "the topic", "another topic", "post on", _topic,
            core=False, kind="category"),
)
BY_KEY: dict[str, Feature] = {f.key: f for f in FEATURES}
#: The online model's features, in order.
CORE_KEYS: tuple[str, ...] = tuple(f.key for f in FEATURES if f.core)


def feature(key: str) -> Feature:
    """The feature of ``key``; ``look.name=warm`` gives the ``look.name`` feature."""
    return BY_KEY[key.split("=", 1)[0]]


def extract(analysis: Record, plan: Record | None = None) -> dict[str, Value]:
    """Every feature of a clip from its analysis record and plan (both as JSON objects)."""
    out: dict[str, Value] = {}
    for f in FEATURES:
        value = f.read(analysis, plan)
        out[f.key] = round(value, 4) if isinstance(value, float) else value
    return out


def after_edit(features: dict[str, Value], analysis: Record, plan: Any) -> dict[str, Value]:
    """``features`` of a source clip as they will be in its edit (an estimate): the speech
    is mapped through the plan's kept segments, so the opening silence, the first word, the
    speech share, the longest pause, the silence at the end and the length follow the cut;
    the rest stays as the source has it."""
    tb = float(plan.timebase)
    segments = [(s.start * tb, s.end * tb) for s in plan.segments]
    spans: list[tuple[float, float]] = []
    offset = 0.0
    for lo, hi in segments:
        for a, b in _spans(analysis):
            x, y = max(a, lo), min(b, hi)
            if y > x:
                spans.append((offset + x - lo, offset + y - lo))
        offset += hi - lo
    spans.sort()
    merged: list[tuple[float, float]] = []
    for a, b in spans:  # speech split by a cut is one run of speech in the edit
        if merged and a - merged[-1][1] < 0.05:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    out = dict(features)
    duration = offset
    out["media.duration"] = round(duration, 4)
    if merged:
        out["hook.dead_air_start"] = round(merged[0][0], 4)
        out["hook.first_speech_at"] = round(merged[0][0], 4)
        out["dead_air_end"] = round(max(0.0, duration - merged[-1][1]), 4)
    out["speech.share"] = round(speech_share(merged, duration), 4)
    out["speech.longest_pause"] = round(longest_pause(merged), 4)
    return out
