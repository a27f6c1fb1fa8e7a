"""One clip's topics: the model over its caption and speech, the places named, the niche.

- The caption is read whole (its first :data:`MAX_CAPTION` characters); hashtags in it are
  split into words (``#mealprep`` -> ``meal prep``) and remembered, so no suggestion repeats
  them.
- Speech is read in windows of :data:`WINDOW_WORDS` words; a niche's speech score is the mean
  of the mean and the best window, so a topic that runs through the clip and one said
  clearly once both count.
- Caption and speech combine as a discounted noisy-or: ``1 - (1 - caption) (1 - speech / 2)``
  (the creator's own words count more).
- A place adds :data:`PLACE_LOGIT` to travel's log-odds ("caption: 'lisbon' -> place Lisbon,
  Portugal").
- The creator's niche stands in for the topic only when the words say too little
  (no niche at :data:`SURE` or above).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from creator_tools.topics.features import TextFeatures, features_of_tokens
from creator_tools.topics.model import TopicModel
from creator_tools.topics.places import Place, find_places
from creator_tools.topics.words import english_share, fold, has_letters, tokens

#: A text is read for a topic when a word of it weighs this much (see
#: :func:`creator_tools.topics.words.weight`), or its words together weigh INFORMATIVE_TOTAL:
#: "family game night with a 4 and a 9 year old" has no word of 0.3 but says parenting.
INFORMATIVE_WORD, INFORMATIVE_TOTAL = 0.3, 0.5
#: A niche at or above this probability is what the clip is about; so is a niche at or above
#: :data:`LEAD_FLOOR` that is :data:`LEAD` times as likely as the next one. (At a floor of
#: 0.12, "the best day ever with my friends" was comedy at 0.19 against vlog at 0.09; 0.2
#: changed no tuning caption and 2 of 11,675 corpus captions judged 5-fold.)
SURE = 0.3
LEAD_FLOOR = 0.2
LEAD = 2.0
#: The creator's niche, when the words say too little, counts as this sure.
NICHE_PRIOR = 0.6
PLACE_LOGIT = 3.0
WINDOW_WORDS = 40
MAX_WINDOWS = 60
MAX_CAPTION = 2000
#: A word must carry this share of a niche's push to be named as evidence.
EVIDENCE_SHARE = 0.12
_HASHTAG = re.compile(r"#(\w+)")


@dataclass(slots=True)
class Topic:
    """What a clip is about: a probability per niche with its evidence, places, notes."""

    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)
    #: Where the places were named: ``caption`` or ``transcript``.
    place_source: str = "caption"
    #: Hashtags the caption already has (normalised: ``#mealprep``).
    caption_tags: tuple[str, ...] = ()
    #: What was read: ``caption``, ``speech``, ``niche``.
    sources: tuple[str, ...] = ()
    #: Why the topic is unknown or uncertain ("" when it is known).
    note: str = ""
    model: str = "shipped"

    def ranked(self) -> list[tuple[str, float]]:
        """Niches by probability, highest first (ties by name)."""
        return sorted(self.scores.items(), key=lambda kv: (-kv[1], kv[0]))

    @property
    def known(self) -> bool:
        """Whether the words (or the niche) say what the clip is about."""
        return is_known(list(self.scores.values()))

    def main(self) -> str | None:
        """The most likely niche when the topic is known."""
        ranked = self.ranked()
        return ranked[0][0] if self.known else None

    def short(self, niche: str) -> str:
        """``topic travel 0.91``."""
        return f"topic {niche} {self.scores.get(niche, 0.0):.2f}"

    def reason(self, niche: str) -> str:
        """``topic travel 0.91 (caption: 'lisbon' -> place Lisbon, Portugal; 'viewpoints')``."""
        ev = self.evidence.get(niche) or []
        return self.short(niche) + (f" ({'; '.join(ev)})" if ev else "")

    def to_dict(self) -> dict[str, object]:
        return {"niches": [{"niche": n, "p": round(p, 3), "evidence": self.evidence.get(n, [])}
                           for n, p in self.ranked() if p >= 0.05],
                "places": [pl.to_dict() for pl in self.places],
                "sources": list(self.sources), "note": self.note, "model": self.model}


def is_known(scores: list[float]) -> bool:
    """Whether probabilities ``scores`` name a topic (see :data:`SURE`, :data:`LEAD`)."""
    top = [*sorted(scores, reverse=True)[:2], 0.0, 0.0]
    return top[0] >= SURE or (top[0] >= LEAD_FLOOR and top[0] >= LEAD * top[1])


def caption_hashtags(caption: str) -> tuple[str, ...]:
    """The hashtags written in ``caption``, lower-case with ``#``, each once."""
    return tuple(dict.fromkeys("#" + t.lower() for t in _HASHTAG.findall(caption)))


def _evidence(model: TopicModel, feats: TextFeatures, label: str, source: str) -> list[str]:
    from creator_tools.topics.words import weight

    words = [w for w, share in model.evidence(feats, label, limit=4)
             if share >= EVIDENCE_SHARE and all(weight(x) >= 0.2 for x in w.split())]
    return [f"{source}: " + ", ".join(f"'{w}'" for w in words[:3])] if words else []


def _not_topic_words(places: list[Place], evidence: dict[str, list[str]],
                     scores: dict[str, float]) -> list[Place]:
    """``places`` less those whose name is a word the topic model reads as evidence of a
    likelier niche than travel, unless written as a place ("in ...", "#..."): "one mascara" is
    make-up, not Mascara, Algeria."""
    travel = scores.get("travel", 0.0)
    other = {w.strip("'") for lab, evs in evidence.items() if lab != "travel"
             and scores.get(lab, 0.0) > travel for ev in evs
             for w in ev.partition(": ")[2].split(", ")}
    return [pl for pl in places if pl.marked or pl.mention not in other]


def _places_in(text: str, evidence: dict[str, list[str]], scores: dict[str, float]
               ) -> list[Place]:
    """The places ``text`` names (:func:`find_places`) less topic words
    (:func:`_not_topic_words`) and, when sports leads, those not named as places ("in ...",
    "#...", "... trip"): in "france vs ireland, what a finish" the countries are teams."""
    places = _not_topic_words(find_places(text), evidence, scores)
    if not places or max(scores, key=lambda lab: (scores[lab], lab)) != "sports":
        return places
    return [pl for pl in places if pl.context]


def _read_caption(model: TopicModel, caption: str, ignore: set[str]
                  ) -> tuple[TextFeatures, list[float], bool]:
    """The caption's features, the model's probabilities for it (all 0 when it says too
    little) and whether it said enough."""
    feats, ok = _read(model, caption, ignore)
    p = model.probabilities(feats).tolist() if ok else [0.0] * len(model.labels)
    return feats, p, ok


def _combined(labels: tuple[str, ...], p_cap: list[float], p_said: list[float]
              ) -> dict[str, float]:
    """Caption and speech as a discounted noisy-or (the creator's own words count more)."""
    return {lab: 1.0 - (1.0 - pc) * (1.0 - 0.5 * ps)
            for lab, pc, ps in zip(labels, p_cap, p_said, strict=True)}


def _caption_evidence(model: TopicModel, feats: TextFeatures, p_cap: list[float],
                      said: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each niche's evidence: the caption's words, then the transcript's (``said``)."""
    return {lab: (_evidence(model, feats, lab, "caption") if p_cap[k] >= 0.05 else [])
            + said.get(lab, []) for k, lab in enumerate(model.labels)}


def _without_places(text: str, places: list[Place]) -> str:
    """``text`` with the words that name ``places`` left out (as :func:`find_places` reads
    them: folded to lower-case ASCII)."""
    out = fold(text)
    for pl in places:
        out = re.sub(r"#?\b" + r"\W+".join(map(re.escape, pl.mention.split())) + r"\b", " ",
                     out)
    return out


def _without(evidence: str, words: set[str]) -> str:
    """``caption: 'a', 'b'`` without the quoted ``words`` ("" when none is left)."""
    source, _, quoted = evidence.partition(": ")
    kept = [q for q in quoted.split(", ") if q.strip("'") not in words]
    return f"{source}: {', '.join(kept)}" if kept else ""


def _english_note(caption: str) -> str:
    count, share = english_share(caption)
    if count >= 3 and share < 0.5:
        return "the caption does not read as English: the topic model knows English words"
    return ""


def _caption_note(caption: str) -> str:
    if not caption.strip():
        return ""
    if not has_letters(caption):
        return "the caption has no words (emoji or symbols only)"
    return _english_note(caption) or "the caption's words are too generic to tell a topic"


def _read(model: TopicModel, text: str, ignore: set[str]) -> tuple[TextFeatures, bool]:
    for tag in ignore:
        text = re.sub(re.escape(tag) + r"\b", " ", text, flags=re.IGNORECASE)
    toks = tokens(text)
    feats = features_of_tokens(toks)
    informative = (any(t.weight >= INFORMATIVE_WORD for t in toks)
                   or sum(t.weight for t in toks) >= INFORMATIVE_TOTAL) and any(
        f in model.features for f in feats.counts)
    return feats, informative


def read_topic(model: TopicModel, *, caption: str = "", transcript: str = "",
               niche: str | None = None, ignore_tags: set[str] | None = None,
               model_name: str = "shipped") -> Topic:
    """The topics of a clip from its ``caption``, ``transcript`` and the creator's ``niche``.

    ``ignore_tags`` (broad and spam tags such as ``#fyp``) are not read as words.
    """
    ignore = {t.lower() for t in ignore_tags or ()}
    labels = model.labels
    topic = Topic(caption_tags=caption_hashtags(caption), model=model_name)
    caption = caption[:MAX_CAPTION]
    sources = []
    cap_feats, p_cap, cap_ok = _read_caption(model, caption, ignore)
    if cap_ok:
        sources.append("caption")
    p_said = [0.0] * len(labels)
    said_evidence: dict[str, list[str]] = {}
    words = transcript.split()
    if words:
        windows = [" ".join(words[i:i + WINDOW_WORDS])
                   for i in range(0, len(words), WINDOW_WORDS)][:MAX_WINDOWS]
        said_feats, probs = [], []
        for w in windows:
            feats, ok = _read(model, w, ignore)
            if ok:
                said_feats.append(feats)
                probs.append(model.probabilities(feats).tolist())
        if probs:
            sources.append("speech")
            p_said = [0.5 * sum(col) / len(col) + 0.5 * max(col) for col in zip(*probs,
                                                                                 strict=True)]
            for k, lab in enumerate(labels):
                if p_said[k] >= 0.05:
                    best = max(said_feats, key=lambda f, k=k: model.probabilities(f)[k])
                    said_evidence[lab] = _evidence(model, best, lab, "transcript")
    scores = _combined(labels, p_cap, p_said)
    evidence = _caption_evidence(model, cap_feats, p_cap, said_evidence)
    topic.places = _places_in(caption, evidence, scores)
    if topic.places and cap_ok:
        # A place is the gazetteer's business: the model reads the caption without it, so a
        # city that a corpus row or two tied to another niche ("amsterdam" in a history
        # caption) does not pull "city cycling through amsterdam" there.
        cap_feats, p_cap, _ = _read_caption(model, _without_places(caption, topic.places),
                                            ignore)
        scores = _combined(labels, p_cap, p_said)
        evidence = _caption_evidence(model, cap_feats, p_cap, said_evidence)
    if not topic.places and words:
        topic.places = _places_in(" ".join(words[:2000]), evidence, scores)
        topic.place_source = "transcript"
    if topic.places and "travel" in scores:
        p = min(max(scores["travel"], 1e-4), 1 - 1e-4)
        scores["travel"] = 1.0 / (1.0 + math.exp(-(math.log(p / (1 - p)) + PLACE_LOGIT)))
        named = {pl.mention for pl in topic.places}
        rest = [_without(e, named) for e in evidence["travel"]]
        evidence["travel"] = [f"{topic.place_source}: '{pl.mention}' -> place {pl.label()}"
                              for pl in topic.places[:2]] + [e for e in rest if e]
    if niche and niche in scores and not is_known(list(scores.values())):
        scores[niche] = max(scores[niche], NICHE_PRIOR)
        evidence[niche] = ["your niche", *evidence[niche]]
        sources.append("niche")
    topic.scores = scores
    topic.evidence = {k: v for k, v in evidence.items() if v}
    topic.sources = tuple(sources)
    if not topic.known:
        if not caption.strip() and not words:
            topic.note = "no caption and no speech to read"
        elif "caption" not in sources and "speech" not in sources:
            topic.note = _caption_note(caption) or "the speech says too little to tell a topic"
        else:
            topic.note = _english_note(caption) or "the words give no clear topic"
    return topic

