"""Hashtags for what a clip is about: topical relevance x trend momentum x competition.

The clip's topics come from the topic model (:mod:`creator_tools.topics`): a calibrated
probability per niche, with the words that made it. Tags come from the most likely niche (and
the creator's own niche when the words support it), never from a niche the model rates below
:data:`FLOOR`; within it, tags that the clip's own words name (``#backpacking`` for
"backpacking through vietnam") rank above the niche's general tags, and trend formats
(``#grwm``, ``#pov``) need their words. Places named in the caption or speech add location
tags (``#lisbon``, ``#portugal``).

Score = relevance x momentum (rank change, view growth) x competition (smaller tags, less
crowded, score a little higher). 3 to ``top`` tags with at most one broad discovery tag; banned
tags and tags the caption already has never appear; every tag says why.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

from creator_tools.settings.platforms import PLATFORMS
from creator_tools.text import stem as stem_of
from creator_tools.topics.reading import Topic
from creator_tools.topics.words import split_hashtag, tokens

#: A tag whose niche the topic model rates below this never appears.
FLOOR = 0.1
#: The creator's niche (profile or --niche): its tags count this much more.
NICHE_BONUS = 1.3
#: Tags scoring below this are not worth a slot.
MIN_SCORE = 0.04
#: Base relevance of a niche's tags before the clip's words match them.
CORE_BASE, NICHE_BASE, FORMAT_BASE = 0.55, 0.3, 0.02
#: A niche at least this share of the top one's probability can lead instead of it when the
#: clip's words name its tags more directly: its probability counts 1 + its best tag's
#: weight, NAME_LEAD x the match of a topic tag the words name outright ("this fortnite season
#: is cooked" gives #fortnite, not food's tags for "cooked") or MATCH_LEAD x any tag match
#: (see :func:`_lead_niche`). A keyword or a description met by one word ('interest' in
#: #funfacts) is weak evidence against a model that rates the top niche 0.99: at 1.0 it led
#: "compound interest will make you cry" to education's tags; at 0.3, on the tuning captions
#: and the corpus's own (5-fold), fewer captions got an unrelated tag.
RIVAL_SHARE = 0.5
MATCH_LEAD = 0.3
NAME_LEAD = 1.0
#: Discovery tags in the order creators reach for them (format tags such as #duet come last).
_BROAD_ORDER = ["#fyp", "#foryou", "#foryoupage", "#viral", "#explore", "#trending"]


def _broad_tag(platform: str) -> str:
    """The tag a platform expects in the broad slot (TikTok's for an unknown one)."""
    p = PLATFORMS.get(platform) or PLATFORMS["tiktok"]
    return p.broad_tag


@dataclass(frozen=True, slots=True)
class TagSuggestion:
    """A hashtag with its score, its kind (broad, niche, trending, place) and why."""

    tag: str
    score: float
    kind: str
    reason: str
    niche: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"tag": self.tag, "score": round(self.score, 3), "kind": self.kind,
                "reason": self.reason, "niche": self.niche or None}


@dataclass(frozen=True, slots=True)
class TagDoc:
    """One hashtag of the index as the ranker sees it; its words as stems on demand."""

    tag: str
    category: str
    kind: str
    name_text: str
    keywords_text: str
    description_text: str
    rank: int | None = None
    rank_change: int | None = None
    view_growth: float | None = None
    size: int | None = None

    @property
    def name_words(self) -> dict[str, str]:
        return _stems(self.name_text)

    @property
    def keywords(self) -> dict[str, str]:
        return _stems(self.keywords_text)

    @property
    def description(self) -> dict[str, str]:
        return _stems(self.description_text)


@functools.lru_cache(maxsize=4096)
def _stems(text: str) -> dict[str, str]:
    """Stem -> a word of ``text`` with that stem (generic words left out)."""
    return {t.stem: t.word for t in tokens(text) if t.weight > 0.05}


def tag_docs(items: list[Any]) -> list[TagDoc]:
    """Documents from the index's current hashtag items (banned ones left out)."""
    docs = []
    for it in items:
        if it.banned:
            continue
        f = it.fields
        name = it.item.lstrip("#")
        m = it.momentum
        docs.append(TagDoc(
            it.item, (f.get("category") or "").lower(), f.get("kind") or "niche",
            " ".join(split_hashtag(name)), f.get("keywords") or "",
            f.get("description") or "", f.get("rank"),
            m.rank_change if m else None, m.view_growth if m else None,
            f.get("posts") or (f["views"] // 100 if f.get("views") else None)))
    return docs


#: Words of a tag's name that say it is for a community, not about a sub-topic.
_COMMUNITY = {"tok", "tiktok", "of", "on", "the", "my", "life", "lover", "lovers", "daily",
              "community", "motivation", "tips", "hacks", "ideas", "inspo", "vibes", "clips",
              "videos", "funny", "cute", "check", "new"}
_COMMUNITY_SUFFIXES = ("oftiktok", "ontiktok", "tiktok", "tok")


def _is_core(d: TagDoc) -> bool:
    """A niche's community tag: its name is the niche's (``#travel``, ``#traveltok``,
    ``#petsoftiktok``, ``#gamingontiktok``), not a sub-topic's (``#catsoftiktok``)."""
    if d.kind != "niche":
        return False
    name = d.tag.lstrip("#")
    for suffix in _COMMUNITY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return name == d.category or stem_of(name) == stem_of(d.category)


def _subtopic(d: TagDoc) -> set[str]:
    """The stems of the words in the name of a tag that is not a community tag (see
    :func:`_is_core`) that name a sub-topic of its niche (``cat`` of ``#catsoftiktok``,
    ``fortnit`` of ``#fortnite``)."""
    own = stem_of(d.category)
    return {st for st, w in d.name_words.items()
            if st != own and w not in _COMMUNITY and st not in _COMMUNITY}


@functools.cache
def _corpus_rows() -> dict[str, frozenset[int]]:
    """Stem -> the topic corpus rows that use it (which words go together).

    Stemming the corpus's words takes most of a second: the index is kept in the user cache,
    keyed by the corpus's and the word table's identity (a new release reads it again).
    """
    from creator_tools import cache
    from creator_tools.resources import asset_path
    from creator_tools.topics.corpus import shipped_corpus, shipped_corpus_path

    try:
        words = asset_path("topics", "words.tsv").stat()
        key = cache.input_key(shipped_corpus_path(), "corpus-words",
                              f"{MATCH_WEIGHT}:{words.st_size}:{words.st_mtime_ns}")
    except OSError:
        key = None
    held = cache.load("corpus-words", key) if key else None
    if held is not None and isinstance(held.get("rows"), dict):
        return {k: frozenset(v) for k, v in held["rows"].items()}
    rows: dict[str, set[int]] = {}
    for i, row in enumerate(shipped_corpus()):
        for t in tokens(row.text):
            if t.weight >= MATCH_WEIGHT:
                rows.setdefault(t.stem, set()).add(i)
    if key:
        cache.store("corpus-words", key, {"rows": {k: sorted(v) for k, v in rows.items()}})
    return {k: frozenset(v) for k, v in rows.items()}


def association(said: dict[str, tuple[str, float]], stems: set[str]) -> float:
    """How often the corpus uses a word of ``stems`` together with a word the clip says
    (0..1: the best share of a said word's rows that also have one of ``stems``)."""
    rows = _corpus_rows()
    tag_rows = frozenset().union(*(rows.get(s, frozenset()) for s in stems))
    best = 0.0
    for stem in said:
        mine = rows.get(stem)
        if mine and tag_rows:
            best = max(best, len(mine & tag_rows) / len(mine))
    return best


def tag_match(d: TagDoc, said: dict[str, tuple[str, float]]) -> tuple[float, list[str]]:
    """How directly the clip's words name tag ``d`` (0..1) and the words that do. The niche's
    own word (``travel`` for ``#budgettravel``) is the topic's business, not a match."""
    score, hits = 0.0, []
    name_share = _name_share(d)
    for stem, (word, weight) in _not_its_niche(d, said):
        field = (name_share if stem in d.name_words else 0.5 if stem in d.keywords
                 else 0.3 if stem in d.description else 0.0)
        if field:
            score += field * weight
            if field >= 0.5:
                hits.append(word)
    return min(1.0, score), hits


def momentum_factor(d: TagDoc) -> float:
    """1 without history; up to 1.3 for a climbing, growing tag, down to 0.7 for a falling one."""
    f = 1.0
    if d.rank_change:
        f += 0.15 * max(-1.0, min(1.0, d.rank_change / 10))
    if d.view_growth is not None:
        f += 0.15 * max(-1.0, min(1.0, d.view_growth))
    return f


def competition_factor(d: TagDoc) -> float:
    """1 without figures; a little higher for smaller tags (fewer posts to compete with)."""
    if not d.size:
        return 1.0
    return max(0.85, min(1.15, 1.15 - 0.06 * (math.log10(d.size) - 4)))


#: A word of the clip must weigh this much (see :func:`creator_tools.topics.words.weight`)
#: to name a tag: 'free' (0.1) does not make 'dairy free' a reason for #vegan.
MATCH_WEIGHT = 0.3


def _said(topic_text: str) -> dict[str, tuple[str, float]]:
    out: dict[str, tuple[str, float]] = {}
    for t in tokens(topic_text):
        if t.weight >= MATCH_WEIGHT and (t.stem not in out or out[t.stem][1] < t.weight):
            out[t.stem] = (t.word, t.weight)
    return out


def rank_tags(docs: list[TagDoc], topic: Topic, *, text: str = "", niche: str | None = None,
              top: int = 5, platform: str = "tiktok") -> list[TagSuggestion]:
    """Pick up to ``top`` tags for ``topic`` (``text``: the caption and speech, for direct
    matches; ``niche``: the creator's, a small bonus). Deterministic: ties break by name."""
    if top <= 0:
        return []
    if not topic.known and not topic.places:
        return broad_tags(docs, top=top, platform=platform,
                          reason=f"broad discovery tag: {topic.note or 'no clear topic'}")
    have = set(topic.caption_tags)
    scores = topic.scores
    ranked = topic.ranked()
    first = ranked[0][1] if ranked else 0.0
    # One niche gives the tags: the most likely one (or a close rival whose tags the words
    # name outright, see _lead_niche), and the creator's own niche when the words support
    # it. (Second niches were tried: on held-back corpus captions they added more unrelated
    # tags than topical ones; places cover the usual second topic, travel.)
    said = _said(text)
    matches: dict[str, tuple[float, list[str]]] = {}  # tag -> tag_match, each worked out once
    strong = {_lead_niche(docs, ranked, said, matches)} if ranked else set()
    if niche and scores.get(niche, 0.0) >= max(2 * FLOOR, first / 2):
        strong.add(niche)
    picked: list[TagSuggestion] = []
    seen: set[str] = set(have)
    for tag, score, reason, niche_of in _place_tags(topic):
        if tag not in seen:
            picked.append(TagSuggestion(tag, score, "place", reason, niche_of))
            seen.add(tag)
    spread = _word_spread(docs, strong)
    candidates = []
    for d in docs:
        p = scores.get(d.category, 0.0)
        if d.kind == "broad" or d.tag in seen or p < FLOOR:
            continue
        if d.category not in strong:
            continue
        match, hits = matches.get(d.tag) or tag_match(d, said)
        if d.kind == "topic" and not _names_topic(d, said, spread):
            # One thing within the niche (a game, a sport, a diet, a kind of pet): shown only
            # when the clip names it, never as a guess (#fortnite on a Minecraft build).
            continue
        core = _is_core(d)
        base = FORMAT_BASE if d.kind == "trending" else CORE_BASE if core else NICHE_BASE
        if d.kind == "niche" and not core and not hits and (sub := _subtopic(d)):
            # A sub-topic's tag (#catsoftiktok) the clip does not name ranks below the
            # niche's general tags, the more so the less its words go with the clip's: a
            # golden retriever gets #dogtok before #cattok.
            base *= 0.5 + 0.5 * association(said, sub)
        rel = p * (base + (1 - base) * match)
        if niche and d.category == niche:
            rel *= NICHE_BONUS
        score = rel * momentum_factor(d) * competition_factor(d)
        if score >= MIN_SCORE:
            candidates.append((score, d, hits))
    candidates.sort(key=lambda c: (-c[0], c[1].tag))
    slots = max(0, top - 1)
    places = picked[:2]
    picked = places + [TagSuggestion(d.tag, s, "trending" if d.kind == "trending" else "niche",
                                     _reason(d, topic, hits), d.category)
                       for s, d, hits in candidates][: max(0, slots - len(places))]
    picked.sort(key=lambda t: (-t.score, t.tag))
    broad = _broad_doc(docs, platform, exclude=have)
    if broad is not None and len(picked) < top:
        picked.append(TagSuggestion(broad.tag, 0.0, "broad", "broad discovery tag for the feed"))
    return picked


def _word_spread(docs: list[TagDoc], niches: set[str]) -> dict[tuple[str, str], int]:
    """(niche, stem) -> how many of the niche's topic tags have the stem in their keywords."""
    spread: dict[tuple[str, str], int] = {}
    for d in docs:
        if d.category in niches and d.kind == "topic":
            for stem in d.keywords:
                spread[d.category, stem] = spread.get((d.category, stem), 0) + 1
    return spread


def _names_topic(d: TagDoc, said: dict[str, tuple[str, float]],
                 spread: dict[tuple[str, str], int]) -> bool:
    """Whether the clip says a word that names topic tag ``d``: a word of its name, or a
    keyword no other topic tag of its niche has ('build' is #minecraft's and #fortnite's:
    it names neither)."""
    return any(st in d.name_words or (st in d.keywords and spread[d.category, st] <= 1)
               for st in said)


def _not_its_niche(d: TagDoc, said: dict[str, tuple[str, float]]
                   ) -> list[tuple[str, tuple[str, float]]]:
    """The clip's words (``said`` items) less tag ``d``'s niche's own word."""
    own = stem_of(d.category)
    return [(stem, ws) for stem, ws in said.items() if stem != own]


def _name_share(d: TagDoc) -> float:
    """What a word of tag ``d``'s name is worth in a match: all of a one-word name, 0.6 of a
    longer one's."""
    return 1.0 if len(d.name_words) <= 1 else 0.6


def name_match(d: TagDoc, said: dict[str, tuple[str, float]]) -> float:
    """How much of tag ``d``'s name the clip's words say (0..1), the niche's own word aside:
    the name part of :func:`tag_match`."""
    share = _name_share(d)
    return min(1.0, sum(share * weight for stem, (_, weight) in _not_its_niche(d, said)
                        if stem in d.name_words))


def _lead_niche(docs: list[TagDoc], ranked: list[tuple[str, float]],
                said: dict[str, tuple[str, float]],
                matches: dict[str, tuple[float, list[str]]]) -> str:
    """The niche that gives the tags: the most likely one, unless a rival at least
    :data:`RIVAL_SHARE` as likely is named more directly by the clip's words (each niche's
    probability times 1 + its best tag's :data:`NAME_LEAD` x :func:`name_match` for a topic
    tag, or :data:`MATCH_LEAD` x :func:`tag_match`). The rivals' tag matches are kept in
    ``matches`` (tag -> :func:`tag_match`)."""
    first = ranked[0][1]
    rivals = {n: p for n, p in ranked if p >= max(FLOOR, RIVAL_SHARE * first)}
    if len(rivals) < 2:
        return ranked[0][0]
    best = dict.fromkeys(rivals, 0.0)
    for d in docs:
        if d.category in rivals and d.kind != "broad":
            matches[d.tag] = tag_match(d, said)
            lead = MATCH_LEAD * matches[d.tag][0]
            if d.kind == "topic":
                lead = max(lead, NAME_LEAD * name_match(d, said))
            best[d.category] = max(best[d.category], lead)
    return max(rivals, key=lambda n: (rivals[n] * (1 + best[n]), rivals[n], n))


def _place_tags(topic: Topic) -> list[tuple[str, float, str, str]]:
    travel = max(topic.scores.get("travel", 0.0), 0.5)
    out = []
    for place in topic.places[:2]:
        for i, tag in enumerate(place.tags):
            out.append((tag, travel * (0.95 - 0.05 * i),
                        f"{topic.place_source}: '{place.mention}' -> place {place.label()}",
                        "travel"))
    return out


def _reason(d: TagDoc, topic: Topic, hits: list[str]) -> str:
    parts = [topic.reason(d.category)]
    if hits:
        parts.append("names " + ", ".join(f"'{w}'" for w in sorted(set(hits))[:3]))
    if d.kind == "trending":
        parts.append("trending format")
    if d.rank_change and d.rank_change > 0:
        parts.append(f"climbing +{d.rank_change}")
    if d.view_growth and d.view_growth > 0:
        parts.append(f"views +{d.view_growth:.0%}")
    return "; ".join(parts)


def _broad_doc(docs: list[TagDoc], platform: str, exclude: set[str]) -> TagDoc | None:
    order = [_broad_tag(platform), *_BROAD_ORDER]
    broad = sorted((d for d in docs if d.kind == "broad" and d.tag not in exclude),
                   key=lambda d: (order.index(d.tag) if d.tag in order else len(order),
                                  d.rank or 10**9, d.tag))
    return broad[0] if broad else None


def broad_tags(docs: list[TagDoc], *, top: int, platform: str = "tiktok",
               reason: str = "broad discovery tag (add --caption or --niche for topical tags)",
               exclude: set[str] | None = None) -> list[TagSuggestion]:
    """The platform's discovery tag first, then other broad tags in index order."""
    order = [_broad_tag(platform), *_BROAD_ORDER]
    broad = sorted((d for d in docs if d.kind == "broad" and d.tag not in (exclude or ())),
                   key=lambda d: (order.index(d.tag) if d.tag in order else len(order),
                                  d.rank or 10**9, d.tag))
    return [TagSuggestion(d.tag, 0.0, "broad", reason) for d in broad[:top]]


def ignored_tags(items: list[Any]) -> set[str]:
    """Broad and banned tags of the index: not read as words of a caption."""
    return {it.item for it in items
            if it.banned or (it.fields.get("kind") or "") == "broad"}


def region_topic(idx: object, *, caption: str = "", transcript: str = "",
                 niche: str | None = None, region: str | None = None
                 ) -> tuple[Topic, list[str]]:
    """The clip's topic with the index's model, and notes about the model: the broad and
    banned tags that apply in ``region`` (the tags :func:`suggest_hashtags` ranks) not read as
    words. The one way every suggester reads it, so that all see the same topic."""
    from creator_tools.suggest.catalog import in_region

    items = in_region(idx.current("hashtags"), region)  # type: ignore[attr-defined]
    return _topic_without(idx, items, caption=caption, transcript=transcript, niche=niche)


def _topic_without(idx: object, items: list[Any], *, caption: str, transcript: str,
                   niche: str | None) -> tuple[Topic, list[str]]:
    """:func:`region_topic` given the region's hashtags (``items``), already read."""
    from creator_tools.suggest.topic import clip_topic

    return clip_topic(idx, caption=caption, transcript=transcript, niche=niche,
                      ignore_tags=ignored_tags(items))


def read_clip_topic(*, caption: str = "", transcript: str = "", niche: str | None = None,
                    region: str | None = None, index: object | None = None) -> Topic:
    """The clip's :class:`Topic` read as :func:`suggest_hashtags` reads it, to share with the
    look and music choice."""
    from creator_tools.suggest.catalog import using_index

    with using_index(index) as idx:
        return region_topic(idx, caption=caption, transcript=transcript, niche=niche,
                            region=region)[0]


def suggest_hashtags(a: object | None = None, *, caption: str = "", niche: str | None = None,
                     region: str | None = None, transcript: str = "", top: int = 5,
                     platform: str = "tiktok", index: object | None = None,
                     topic: Topic | None = None) -> list[TagSuggestion]:
    """Hashtags for a clip from the trend index (``None``: the default index).

    ``topic`` is the clip's :class:`~creator_tools.topics.reading.Topic` when already read;
    ``a`` (the analysis) is accepted for symmetry with the other suggesters.
    """
    from creator_tools.suggest.catalog import in_region, using_index

    with using_index(index) as idx:
        items = in_region(idx.current("hashtags"), region)  # type: ignore[attr-defined]
        if topic is None:  # read as region_topic reads it, from the items just read
            topic = _topic_without(idx, items, caption=caption, transcript=transcript,
                                   niche=niche)[0]
    docs = tag_docs(items)
    if topic.caption_tags:
        docs = [d for d in docs if d.tag not in topic.caption_tags]
    return rank_tags(docs, topic, text=f"{caption}\n{transcript[:20000]}", niche=niche,
                     top=top, platform=platform)


def caption_line(a: object | None = None, *, caption: str = "", niche: str | None = None,
                 region: str | None = None, top: int = 5, platform: str = "tiktok",
                 transcript: str = "", topic: Topic | None = None,
                 ) -> tuple[str, tuple[str, ...]]:
    """The caption text and the hashtags to add to it (none it already has) from the tags
    trending in ``region``; ``topic``: the clip's, when already read."""
    tags = suggest_hashtags(a, caption=caption, niche=niche, region=region, top=top,
                            platform=platform, transcript=transcript, topic=topic)
    return caption.strip(), tuple(t.tag for t in tags)
