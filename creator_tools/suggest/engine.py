"""All suggestions for one clip at once."""

from __future__ import annotations

from dataclasses import dataclass, field

from creator_tools.analysis.result import Analysis
from creator_tools.suggest.hashtags import TagSuggestion, suggest_hashtags
from creator_tools.suggest.looks import LookSuggestion, suggest_looks
from creator_tools.suggest.music import MusicSuggestion, suggest_music


@dataclass(slots=True)
class Suggestions:
    """Music, looks and hashtags ranked for a clip, and a ready-to-paste caption line."""

    music: list[MusicSuggestion] = field(default_factory=list)
    looks: list[LookSuggestion] = field(default_factory=list)
    hashtags: list[TagSuggestion] = field(default_factory=list)
    caption: str = ""
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"music": [m.to_dict() for m in self.music],
                "looks": [lk.to_dict() for lk in self.looks],
                "hashtags": [t.to_dict() for t in self.hashtags],
                "caption": self.caption}


def suggest(a: Analysis, *, caption: str = "", niche: str | None = None,
            region: str | None = None, top: int = 5, platform: str = "tiktok",
            transcript: str = "", index: object | None = None) -> Suggestions:
    """Rank music, looks and hashtags for analyzed clip ``a`` (deterministic).

    ``index`` is a :class:`~creator_tools.trends.store.TrendIndex` (``None``: the default).
    """
    from creator_tools.suggest.catalog import using_index

    with using_index(index) as idx:
        looks_rank = {it.item: it.fields["rank"]
                      for it in idx.current("looks")  # type: ignore[attr-defined]
                      if it.fields.get("rank")}
        tags = suggest_hashtags(a, caption=caption, niche=niche, region=region,
                                transcript=transcript, top=top, platform=platform, index=idx)
        music = suggest_music(a, niche=niche, region=region, top=top, index=idx)
        looks = suggest_looks(a, niche=niche, top=min(top, 3), trend_rank=looks_rank)
        stale = idx.stale_warning()  # type: ignore[attr-defined]
    line = " ".join(x for x in (caption.strip(), " ".join(t.tag for t in tags)) if x)
    return Suggestions(music, looks, tags, line, [stale] if stale else [])
