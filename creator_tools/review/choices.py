"""What the review page offers in place of the plan's look, music bed and hashtags.

The suggestions of :func:`creator_tools.suggest.engine.suggest`, each with its reasons and the
plan value that picking it writes, resolved exactly as ``--look NAME`` and ``--music ID`` are.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from creator_tools.analysis.result import Analysis
from creator_tools.edit.plan import EditPlan, Look
from creator_tools.errors import CreatorError
from creator_tools.settings import EditChoices

#: How many hashtags the page offers to pick from (besides the plan's own).
TOP_TAGS = 10


def _look_option(key: str, name: str, look: Look, score: float | None, reasons: list[str],
                 current: bool) -> dict[str, Any]:
    return {"key": key, "name": name, "score": score, "reasons": reasons,
            "look": asdict(look), "current": current}


def _same_file(a: str | None, b: str | None) -> bool:
    return bool(a and b) and Path(a).resolve() == Path(b).resolve()  # type: ignore[arg-type]


def review_choices(a: Analysis, plan: EditPlan, choices: EditChoices) -> dict[str, Any]:
    """Looks, music beds and hashtags to pick from, the plan's own marked ``current``."""
    from creator_tools.pipeline.choices import resolve_look, resolve_music
    from creator_tools.suggest.engine import suggest

    said = " ".join(w.text for w in plan.captions.words)
    s = suggest(a, caption=plan.captions.text, niche=choices.niche, top=TOP_TAGS,
                platform=plan.output.platform, transcript=said)
    strength = plan.look.strength if plan.look.lut else choices.look_strength
    looks = [_look_option("none", "none", Look(), None, ["the picture as corrected, no grade"],
                          not plan.look.lut)]
    for lk in s.looks:
        try:
            look = resolve_look(lk.name, a, strength=strength)
        except CreatorError:
            continue
        is_plan = _same_file(look.lut, plan.look.lut)
        looks.append(_look_option(lk.name, lk.name, plan.look if is_plan else look,
                                  round(lk.score, 3), lk.reasons, is_plan))
    if plan.look.lut and not any(x["current"] for x in looks):
        looks.insert(1, _look_option("plan", plan.look.name or Path(plan.look.lut).stem,
                                     plan.look, None, ["in the plan"], True))
    current = plan.audio.music
    music: list[dict[str, Any]] = [{"key": "none", "title": "no music", "score": None,
                                    "reasons": ["the voice alone"], "music": None,
                                    "where": "local", "current": current is None}]
    for m in s.music:
        bed = None
        if m.file is not None:
            try:
                bed = resolve_music(m.id, a)
            except CreatorError:
                bed = None
        now = bool(bed and current and _same_file(bed.file, current.file))
        music.append({"key": m.id, "title": m.title, "score": round(m.score, 3),
                      "reasons": m.reasons,
                      "music": asdict(current if now else bed) if bed else None,
                      "where": "local" if bed else "add in the app", "current": now})
    if current is not None and not any(x["current"] for x in music):
        music.insert(1, {"key": "plan", "title": current.id or Path(current.file).stem,
                         "score": None, "reasons": ["in the plan"], "music": asdict(current),
                         "where": "local", "current": True})
    tags: list[dict[str, Any]] = []
    suggested = [t.tag for t in s.hashtags]
    for tag in [*plan.captions.hashtags, *[t for t in suggested if
                                          t not in plan.captions.hashtags]]:
        sug = next((t for t in s.hashtags if t.tag == tag), None)
        tags.append({"tag": tag, "kind": sug.kind if sug else "", "score":
                     round(sug.score, 3) if sug else None,
                     "reason": sug.reason if sug else "in the plan",
                     "in_plan": tag in plan.captions.hashtags})
    sets = [{"name": "the plan's", "tags": list(plan.captions.hashtags)},
            {"name": "top 5 suggested", "tags": suggested[:5]},
            {"name": "all suggested", "tags": suggested},
            {"name": "none", "tags": []}]
    return {"looks": looks, "music": music, "hashtags": tags, "tag_sets": sets,
            "warnings": s.warnings}
