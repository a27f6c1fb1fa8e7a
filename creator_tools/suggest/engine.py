"""All suggestions for one clip at once."""

from __future__ import annotations

from dataclasses import dataclass, field

from creator_tools.analysis.result import Analysis
from creator_tools.suggest.hashtags import TagSuggestion, suggest_hashtags
from creator_tools.suggest.looks import LookSuggestion, suggest_looks
from creator_tools.suggest.music import MusicSuggestion, suggest_music
from creator_tools.topics.reading import Topic


@dataclass(slots=True)
class Suggestions:
    """Music, looks and hashtags ranked for a clip, and a ready-to-paste caption line."""

    music: list[MusicSuggestion] = field(default_factory=list)
    looks: list[LookSuggestion] = field(default_factory=list)
    hashtags: list[TagSuggestion] = field(default_factory=list)
    caption: str = ""
    warnings: list[str] = field(default_factory=list)
    topic: Topic | None = None

    def to_dict(self) -> dict[str, object]:
        return {"music": [m.to_dict() for m in self.music],
                "looks": [lk.to_dict() for lk in self.looks],
                "hashtags": [t.to_dict() for t in self.hashtags],
                "caption": self.caption,
                "topic": self.topic.to_dict() if self.topic is not None else None}


def suggest(a: Analysis, *, caption: str = "", niche: str | None = None,
            region: str | None = None, top: int = 5, platform: str = "tiktok",
            transcript: str = "", index: object | None = None) -> Suggestions:
    """Rank music, looks and hashtags for analyzed clip ``a`` (deterministic).

    ``index`` is a :class:`~creator_tools.trends.store.TrendIndex` (``None``: the default).
    """
    from creator_tools.suggest.catalog import using_index
    from creator_tools.suggest.hashtags import region_topic

    with using_index(index) as idx:
        looks_rank = {it.item: it.fields["rank"]
                      for it in idx.current("looks")  # type: ignore[attr-defined]
                      if it.fields.get("rank")}
        topic, notes = region_topic(idx, caption=caption, transcript=transcript, niche=niche,
                                    region=region)
        tags = suggest_hashtags(a, caption=caption, niche=niche, region=region,
                                transcript=transcript, top=top, platform=platform, index=idx,
                                topic=topic)
        music = suggest_music(a, niche=niche, region=region, top=top, index=idx, topic=topic)
        looks = suggest_looks(a, niche=niche, top=min(top, 3), trend_rank=looks_rank,
                              topic=topic)
        stale = idx.stale_warning()  # type: ignore[attr-defined]
    if not topic.known and not topic.places:
        notes.append(f"hashtags: broad tags only: {topic.note or 'no clear topic'} "
                     "(add --caption or --niche)")
    line = " ".join(x for x in (caption.strip(), " ".join(t.tag for t in tags)) if x)
    return Suggestions(music, looks, tags, line, [*notes, *([stale] if stale else [])], topic)
