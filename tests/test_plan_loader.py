"""The plan loader checks each field as its dataclass declares it (type, default, metadata)."""

from __future__ import annotations

import copy
from dataclasses import fields
from typing import Any

import pytest

from creator_tools.edit.plan import (
    AudioPlan,
    Captions,
    EditPlan,
    Enhance,
    Look,
    Music,
    OutputSpec,
    PlanError,
    Reframe,
)

MINIMAL: dict[str, Any] = {
    "version": 1,
    "timebase": "1/30",
    "sources": [{"id": "main", "path": "a.mp4", "duration": 300, "has_video": True,
                 "has_audio": True}],
    "segments": [{"start": 0, "end": 300}],
}


def _load(**parts: Any) -> EditPlan:
    data = copy.deepcopy(MINIMAL)
    data.update(parts)
    return EditPlan.from_dict(data)


def _error(**parts: Any) -> str:
    with pytest.raises(PlanError) as info:
        _load(**parts)
    return str(info.value)


def test_missing_parts_are_the_dataclass_defaults() -> None:
    plan = _load()
    assert (plan.output, plan.reframe, plan.enhance, plan.look, plan.audio, plan.captions) == (
        OutputSpec(), Reframe(), Enhance(), Look(), AudioPlan(), Captions())
    assert plan.notes == []
    # null is the default too
    assert _load(enhance={"exposure": None}).enhance == Enhance()


BOUNDED = [(part, cls, f) for part, cls in [("output", OutputSpec), ("enhance", Enhance),
                                            ("look", Look), ("audio", AudioPlan),
                                            ("audio.music", Music)]
           for f in fields(cls) if "low" in f.metadata or "high" in f.metadata]


def _nest(part: str, body: dict[str, Any]) -> dict[str, Any]:
    if part == "audio.music":
        return {"audio": {"music": {"file": "m.m4a", **body}}}
    return {part: body}


@pytest.mark.parametrize(("part", "cls", "f"), BOUNDED, ids=lambda x: getattr(x, "name", x))
def test_bounds_come_from_field_metadata(part: str, cls: type, f: Any) -> None:
    low, high = f.metadata.get("low"), f.metadata.get("high")
    if low is not None:
        assert _error(**_nest(part, {f.name: low - 1})) == f"{part}.{f.name}: must be >= {low}"
    if high is not None:
        assert _error(**_nest(part, {f.name: high + 2})) == f"{part}.{f.name}: must be <= {high}"


@pytest.mark.parametrize(("parts", "message"), [
    ({"enhance": {"exposure": 3}}, "enhance.exposure: must be <= 2.0"),
    ({"enhance": {"exposure": True}}, "enhance.exposure: must be float, not a boolean"),
    ({"enhance": {"exposure": "1"}}, "enhance.exposure: must be float"),
    ({"enhance": {"stabilize": 1}}, "enhance.stabilize: must be bool"),
    ({"enhance": {"exposure": 10**400}}, "enhance.exposure: must be a finite number"),
    ({"enhance": {"brightness": 1}}, "enhance.brightness: unknown field"),
    ({"enhance": []}, "plan.enhance: must be dict"),
    ({"output": {"fps": "1/0"}}, "output.fps: not a frame rate: '1/0'"),
    ({"output": {"width": 1081}}, "output.width: width and height must be even (yuv420p)"),
    ({"output": {"audio_codec": "mp3"}}, "output.audio_codec: must be one of aac"),
    ({"reframe": {"mode": "zoom"}}, "reframe.mode: must be one of crop, fill, letterbox, none"),
    ({"captions": {"style": "x"}}, "captions.style: must be one of bold, boxed, minimal"),
    ({"audio": {"music": {"gain_db": -100}}}, "audio.music.file: is required"),
    ({"audio": {"music": {"file": "m", "gain_db": -100}}}, "audio.music.gain_db: must be >= -60"),
    ({"audio": {"music": {"file": "m", "bpm": "x"}}}, "audio.music.bpm: must be float"),
    ({"look": {"lut": "a\0b"}}, "look.lut: must not contain a NUL character"),
    ({"reframe": {"keyframes": [{"t": 0, "x": 0.5}]}}, "reframe.keyframes[0].y: is required"),
    ({"version": None}, "plan.version: must be int"),
])
def test_messages_name_the_field(parts: dict[str, Any], message: str) -> None:
    assert _error(**parts) == message


def test_version_is_required_in_a_file() -> None:
    data = copy.deepcopy(MINIMAL)
    del data["version"]
    with pytest.raises(PlanError, match=r"plan\.version: is required"):
        EditPlan.from_dict(data)


def test_int_where_float_and_round_trip() -> None:
    plan = _load(enhance={"gamma": 2}, audio={"music": {"file": "m.m4a", "bpm": 120}})
    assert plan.enhance.gamma == 2.0 and isinstance(plan.enhance.gamma, float)
    assert plan.audio.music is not None and plan.audio.music.bpm == 120.0
    again = EditPlan.from_dict(plan.to_dict())
    assert again == plan and again.to_json() == plan.to_json()
