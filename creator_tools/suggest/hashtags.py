"""Hashtags matched to what a clip is about: TF-IDF (scikit-learn) over tag descriptions.

Each tag of the index is a document: its words, niche, description and related keywords. The
query is what we know about the clip: the caption, the file name, the niche, a transcript when
there is one, and words derived from the analysis (talking head, fast-paced, music-driven).
Word and character n-gram TF-IDF cosine similarities (characters catch "prepping" for
``#mealprep``) are blended, then boosted by niche and trend momentum. Banned or spam tags are
never suggested; each tag appears once, with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from creator_tools.analysis.result import Analysis
from creator_tools.settings.platforms import PLATFORMS

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "my", "your", "with",
         "i", "me", "we", "you", "it", "is", "this", "that", "at", "as", "be", "new", "edited",
         "draft", "final", "clip", "video", "mp4", "mov", "img", "vid", "copy"}
#: Discovery tags in the order creators reach for them (format tags such as #duet come last).
_BROAD_ORDER = ["#fyp", "#foryou", "#foryoupage", "#viral", "#explore", "#trending"]


def _broad_tag(platform: str) -> str:
    """The tag a platform expects in the broad slot (TikTok's for an unknown one)."""
    p = PLATFORMS.get(platform) or PLATFORMS["tiktok"]
    return p.broad_tag


@dataclass(frozen=True, slots=True)
class TagSuggestion:
    """A hashtag with its score, its kind (broad, niche, trending) and why."""

    tag: str
    score: float
    kind: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"tag": self.tag, "score": round(self.score, 3), "kind": self.kind,
                "reason": self.reason}


@dataclass(frozen=True, slots=True)
class TagDoc:
    """One hashtag as the matcher sees it."""

    tag: str
    category: str
    kind: str
    text: str
    keywords: frozenset[str]
    rank: int | None
    rank_change: int | None


def words(text: str) -> list[str]:
    """Lower-case word tokens without stop words."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1]


def clip_words(a: Analysis | None, *, caption: str = "", niche: str | None = None,
               transcript: str = "", path: str | None = None) -> list[str]:
    """What the clip is about, as query words."""
    q = words(caption) * 2  # the creator's own words count double
    if path:
        q += words(Path(path).stem.replace("_", " ").replace("-", " "))
    if niche:
        q += [niche.lower()] * 2
    q += words(transcript)
    if a is not None:
        talk = sum(s.duration for s in a.speech) / a.duration if a.duration else 0.0
        cuts = a.stats.get("cuts_per_minute", 0.0) if a.stats else 0.0
        if a.subject.source == "face" and talk > 0.4:
            q += ["talking", "story", "tips"]
        if cuts > 20:
            q += ["fast", "montage", "highlights"]
        if a.tempo_bpm and talk < 0.2:
            q += ["music", "beat", "dance"]
    return q


class TagMatcher:
    """TF-IDF index over tag documents (fitted once per set of documents)."""

    def __init__(self, docs: list[TagDoc]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.docs = docs
        texts = [d.text for d in docs]
        self._word = TfidfVectorizer(analyzer="word", token_pattern=r"[a-z0-9]{2,}",
                                     sublinear_tf=True)
        self._char = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True)
        self._wm = self._word.fit_transform(texts)
        self._cm = self._char.fit_transform(texts)

    def similarity(self, query: list[str]) -> np.ndarray:
        """Cosine similarity of the query to every document, shape ``(n_docs,)``."""
        text = " ".join(query)
        w = (self._wm @ self._word.transform([text]).T).toarray().ravel()
        c = (self._cm @ self._char.transform([text]).T).toarray().ravel()
        return 0.65 * w + 0.35 * c


def tag_docs(items: list[Any]) -> list[TagDoc]:
    """Documents from the index's current hashtag items (banned ones left out)."""
    docs = []
    for it in items:
        if it.banned:
            continue
        f = it.fields
        name = it.item.lstrip("#")
        keywords = f.get("keywords") or ""
        text = " ".join([name, f.get("category") or "", f.get("description") or "", keywords,
                         keywords])
        docs.append(TagDoc(it.item, (f.get("category") or "").lower(),
                           f.get("kind") or "niche", text.lower(),
                           frozenset(words(keywords) + words(name)), f.get("rank"),
                           it.momentum.rank_change if it.momentum else None))
    return docs


_MATCHERS: dict[tuple[str, ...], TagMatcher] = {}


def _matcher(docs: list[TagDoc]) -> TagMatcher:
    key = tuple(d.tag + "\0" + d.text for d in docs)
    if key not in _MATCHERS:
        _MATCHERS.clear()
        _MATCHERS[key] = TagMatcher(docs)
    return _MATCHERS[key]


def rank_tags(docs: list[TagDoc], query: list[str], *, niche: str | None = None,
              top: int = 5, platform: str = "tiktok") -> list[TagSuggestion]:
    """Pick ``top`` tags: the best topical ones plus one broad discovery tag.

    Deterministic: ties break alphabetically.
    """
    if not docs or top <= 0:
        return []
    sim = _matcher(docs).similarity(query)
    qset = set(query)
    scored = []
    for d, s in zip(docs, sim, strict=True):
        score = float(s)
        if niche and d.category == niche:
            score += 0.12
        if d.rank:
            score += 0.05 / np.sqrt(d.rank)
        if d.rank_change and d.rank_change > 0:
            score += min(0.05, 0.01 * d.rank_change)
        scored.append((score, d))
    scored.sort(key=lambda x: (-x[0], x[1].tag))
    topical = [(s, d) for s, d in scored if d.kind != "broad" and s > 0.02]
    picked: list[TagSuggestion] = []
    for s, d in topical[: max(0, top - 1)]:
        picked.append(TagSuggestion(d.tag, s, "trending" if d.kind == "trending" else "niche",
                                    _reason(d, qset, niche)))
    broad_name = _broad_tag(platform)
    broad = next((d for _, d in scored if d.tag == broad_name), None)
    broad = broad or next((d for _, d in scored if d.kind == "broad"), None)
    if broad is not None and len(picked) < top:
        picked.append(TagSuggestion(broad.tag, 0.0, "broad",
                                    "broad discovery tag for the feed"))
    for s, d in topical[max(0, top - 1):]:  # fewer topical tags than asked: fill up
        if len(picked) >= top:
            break
        picked.append(TagSuggestion(d.tag, s, "niche", _reason(d, qset, niche)))
    return picked


def _reason(d: TagDoc, query: set[str], niche: str | None) -> str:
    hits = sorted(w for w in d.keywords & query if w != niche)
    parts = []
    if hits:
        parts.append("matches " + ", ".join(f"'{w}'" for w in hits[:3]))
    elif niche and d.category == niche:
        parts.append(f"a core {niche} tag")
    else:
        parts.append(f"related to {d.category or 'your topic'}")
    if d.kind == "trending":
        parts.append("trending format")
    if d.rank_change and d.rank_change > 0:
        parts.append(f"climbing +{d.rank_change}")
    return "; ".join(parts)


def suggest_hashtags(a: Analysis | None, *, caption: str = "", niche: str | None = None,
                     region: str | None = None, transcript: str = "", top: int = 5,
                     platform: str = "tiktok", index: object | None = None
                     ) -> list[TagSuggestion]:
    """Hashtags for a clip from the trend index (``None``: the default index)."""
    from creator_tools.suggest.catalog import in_region, using_index

    with using_index(index) as idx:
        items = in_region(idx.current("hashtags"), region)  # type: ignore[attr-defined]
    query = clip_words(a, caption=caption, niche=niche, transcript=transcript,
                       path=a.media.path if a is not None else None)
    docs = tag_docs(items)
    if not (words(caption) or niche or words(transcript)):
        # Nothing says what the clip is about: broad discovery tags only, not guesses.
        return broad_tags(docs, top=top, platform=platform)
    return rank_tags(docs, query, niche=niche, top=top, platform=platform)


def broad_tags(docs: list[TagDoc], *, top: int, platform: str = "tiktok") -> list[TagSuggestion]:
    """The platform's discovery tag first, then other broad tags in index order."""
    order = [_broad_tag(platform), *_BROAD_ORDER]
    broad = sorted((d for d in docs if d.kind == "broad"),
                   key=lambda d: (order.index(d.tag) if d.tag in order else len(order),
                                  d.rank or 10**9, d.tag))
    reason = "broad discovery tag (add --caption or --niche for topical tags)"
    return [TagSuggestion(d.tag, 0.0, "broad", reason) for d in broad[:top]]


def caption_line(a: Analysis, *, caption: str = "", niche: str | None = None,
                 top: int = 5, platform: str = "tiktok", transcript: str = ""
                 ) -> tuple[str, tuple[str, ...]]:
    """The caption text and hashtags for the post (``transcript``: what is said in it)."""
    tags = suggest_hashtags(a, caption=caption, niche=niche, top=top, platform=platform,
                            transcript=transcript)
    return caption.strip(), tuple(t.tag for t in tags)
