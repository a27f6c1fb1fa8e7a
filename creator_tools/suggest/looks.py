"""Suggest a look from the clip's colour, the creator's niche and the index."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from creator_tools.analysis.result import Analysis
from creator_tools.looks.tone import MID_GREY, UNDEREXPOSED
from creator_tools.suggest.catalog import LookInfo, shipped_looks
from creator_tools.topics.reading import Topic


@dataclass(frozen=True, slots=True)
class LookSuggestion:
    """A look with its score (higher is better) and why."""

    name: str
    score: float
    reasons: list[str] = field(default_factory=list)
    file: Path | None = None

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "score": round(self.score, 3), "reasons": self.reasons,
                "file": str(self.file) if self.file else None}


def score_look(look: LookInfo, a: Analysis, niche: str | None,
               topic: Topic | None = None, *, exposure_fixed: bool = False
               ) -> tuple[float, list[str]]:
    """Score one look for clip ``a``: colour fit first, then the clip's topic and niche.

    ``exposure_fixed``: the edit's exposure fix (``enhance``) lifts a dim clip to mid-grey
    before the look, so a look is not chosen to lift it again (both together wash it out).
    """
    score, reasons = 0.5, []
    c = a.color.overall if a.color else None
    if c is not None:
        if exposure_fixed and c.brightness < UNDEREXPOSED:
            if look.lifts_shadows or look.brightness > 0:
                score -= 0.15
                reasons.append(f"the edit's exposure fix already lifts the clip (brightness "
                               f"{c.brightness:.2f} to {MID_GREY:.2f})")
        elif c.brightness < 0.35:
            if look.lifts_shadows or look.brightness > 0:
                score += 0.25 * look.lifts_shadows + 0.3 * (look.brightness > 0)
                reasons.append(f"lifts an underexposed clip (brightness {c.brightness:.2f})")
            elif look.brightness < 0:
                score -= 0.4
                reasons.append("would darken an already dark clip")
        elif a.color and a.color.overexposed and look.brightness > 0:
            score -= 0.4
            reasons.append("would brighten an overexposed clip")
        elif c.brightness >= 0.4 and (look.lifts_shadows or look.brightness > 0):
            score -= 0.15
            reasons.append("the clip is already bright enough")
        if c.white_balance == "warm":
            if look.warmth > 0:
                score -= 0.35
                reasons.append(f"the clip is already warm ({c.temperature_k:.0f} K)")
            elif look.warmth < 0:
                score += 0.1
                reasons.append("balances a warm clip")
        elif c.white_balance == "cool":
            if look.warmth < 0:
                score -= 0.3
                reasons.append(f"the clip is already cool ({c.temperature_k:.0f} K)")
            elif look.warmth > 0:
                score += 0.15
                reasons.append("warms up a cool clip")
        if c.saturation < 0.25 and look.saturation > 0:
            score += 0.2
            reasons.append(f"adds colour to a flat clip (saturation {c.saturation:.2f})")
        elif c.saturation > 0.55 and look.saturation > 0:
            score -= 0.2
            reasons.append("the clip is already saturated")
        if c.contrast < 0.15 and look.contrast > 0:
            score += 0.1
            reasons.append("adds contrast to a flat picture")
    if look.monochrome:
        score -= 0.25  # a strong creative choice: never the default
    main = topic.main() if topic is not None else None
    if main and topic is not None and main in look.niches:
        score += 0.25 * topic.scores.get(main, 0.0)
        reasons.append(f"suits {main} content ({topic.short(main)})")
    if niche and niche in look.niches and niche != main:
        score += 0.25 if main is None else 0.1
        reasons.append(f"suits {niche} content")
    if not reasons:
        reasons.append(look.description)
    return score, reasons


def suggest_looks(a: Analysis, *, niche: str | None = None, top: int = 3,
                  trend_rank: dict[str, int] | None = None,
                  topic: Topic | None = None, exposure_fixed: bool = False
                  ) -> list[LookSuggestion]:
    """Looks ranked for clip ``a`` (deterministic: ties break by name).

    ``trend_rank`` (look name -> rank in the index, 1 = top) adds a small bonus;
    ``exposure_fixed``: see :func:`score_look`.
    """
    if a.media.video is None:
        return []
    out = []
    for look in shipped_looks().values():
        score, reasons = score_look(look, a, niche, topic, exposure_fixed=exposure_fixed)
        rank = (trend_rank or {}).get(look.name)
        if rank:
            score += 0.15 / rank
            reasons.append(f"trending look (rank {rank})")
        out.append(LookSuggestion(look.name, round(score, 4), reasons, look.file))
    out.sort(key=lambda s: (-s.score, s.name))
    return out[:top]
