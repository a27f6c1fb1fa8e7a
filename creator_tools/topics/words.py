"""The words of a caption and how generic each one is.

Word frequencies are English Zipf values (``log10`` of occurrences per billion words) from
``wordfreq``, shipped as ``assets/topics/words.tsv`` (``tools/topic_data.py``). A word's
*weight* falls from 1 for rare words (Zipf <= 4: "lisbon", "sourdough") to 0 for the most
common ones (Zipf >= 6: "the", "know", "best"), so generic words never decide a topic.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from creator_tools.resources import asset_path, read_asset
from creator_tools.text import stem

#: Zipf frequency at and below which a word counts fully, and at which it no longer counts.
RARE_ZIPF = 4.0
GENERIC_ZIPF = 6.0
_TOKEN = re.compile(r"#?[a-z0-9]+(?:'[a-z]+)?")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: as written (lower-case ASCII), its stem, its weight (0..1) and
    whether it came out of a hashtag (``#hiddengems`` -> ``hidden``, ``gems``)."""

    word: str
    stem: str
    weight: float
    hashtag: bool = False


@functools.cache
def frequencies() -> dict[str, float]:
    """Word -> Zipf frequency, for the English words at Zipf 3 and above."""
    lines = read_asset(asset_path("topics", "words.tsv"), "word frequencies").splitlines()
    out: dict[str, float] = {}
    for line in lines:
        if line and not line.startswith("#"):
            word, _, z = line.partition("\t")
            out[word] = float(z)
    return out


def zipf(word: str) -> float:
    """The Zipf frequency of ``word`` (0 for words rarer than once per million)."""
    return frequencies().get(word, 0.0)


def weight(word: str) -> float:
    """How much ``word`` says about a topic: 1 for rare words, 0 for generic ones. A
    quantity (``20kg``, ``10k``, ``2am``) weighs what its unit does (see :func:`quantity`)."""
    if len(word) < 2 or word.isdigit():
        return 0.0
    if (unit := quantity(word)) is not None:
        if unit in _ORDINALS:
            return 0.0
        return QUANTITY_WEIGHT if len(unit) == 1 else weight(unit)
    if word in FORMAT_WORDS:
        return FORMAT_WEIGHT
    z = zipf(word)
    return max(0.0, min(1.0, (GENERIC_ZIPF - z) / (GENERIC_ZIPF - RARE_ZIPF)))


#: Names of video formats that creators of every niche use ("pov: the timing on this soft
#: scramble"): rare in written English, so word frequency alone would rate them topic words.
FORMAT_WORDS = frozenset({"pov", "storytime"})
#: What a format word weighs: about what a common word does ("challenge").
FORMAT_WEIGHT = 0.3

#: A number with a unit ("20kg", "10k", "2am", "90s") is read as its unit: every number
#: of it shares one stem ("0kg"), so "10k streams" meets the corpus's "1k streams" and a
#: round number that a few rows of one niche happened to use does not decide a topic. A
#: one-letter unit ("k", "s") weighs this much; ordinals ("2nd", "4th") nothing.
QUANTITY_WEIGHT = 0.5
_QUANTITY = re.compile(r"\d+([a-z]+)")
_ORDINALS = {"st", "nd", "rd", "th"}


def quantity(word: str) -> str | None:
    """The unit of a number written with one (``20kg`` -> ``kg``), else ``None``."""
    m = _QUANTITY.fullmatch(word)
    return m.group(1) if m else None


def fold(text: str) -> str:
    """Lower-case ASCII: ``Café São`` -> ``cafe sao`` (letters of other scripts vanish)."""
    text = unicodedata.normalize("NFKD", text.lower().replace("\u2019", "'"))
    return text.encode("ascii", "ignore").decode("ascii")


def split_hashtag(tag: str) -> list[str]:
    """The words of a run-together hashtag: ``hiddengems`` -> ``hidden gems`` (the split
    with the most frequent words; the tag itself when no split is better)."""
    freq = frequencies()
    n = len(tag)
    if n > 40:
        return [tag]
    best: list[tuple[float, list[str]] | None] = [None] * (n + 1)
    best[0] = (0.0, [])
    for end in range(1, n + 1):
        for start in range(max(0, end - 20), end):
            prev = best[start]
            piece = tag[start:end]
            z = freq.get(piece)
            if prev is None or z is None or (len(piece) < 3 and piece not in ("a", "in", "my")):
                continue
            cost = prev[0] + (7.5 - z)  # each word costs; rare words cost more
            if best[end] is None or cost < best[end][0]:  # type: ignore[index]
                best[end] = (cost, [*prev[1], piece])
    found = best[n]
    if found is None or len(found[1]) == 1:
        return [tag]
    return found[1]


def tokens(text: str) -> list[Token]:
    """The words of ``text`` in order, hashtags split into their words."""
    out: list[Token] = []
    for raw in _TOKEN.findall(fold(text)):
        word = raw.removesuffix("'s").replace("'", "")
        if raw.startswith("#"):
            word = word.lstrip("#")
            parts = split_hashtag(word)
            for part in parts:
                out.append(Token(part, stem(part), weight(part), True))
            if len(parts) > 1:
                out.append(Token(word, word, weight(word), True))
            continue
        if word:
            unit = quantity(word)
            out.append(Token(word, stem(word) if unit is None else "0" + unit, weight(word)))
    return out


def english_share(text: str) -> tuple[int, float]:
    """How many letters-words ``text`` has and the share of them that are English words."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words:
        return 0, 0.0
    freq = frequencies()
    known = sum(1 for w in words if w in freq)
    return len(words), known / len(words)


def has_letters(text: str) -> bool:
    """Whether ``text`` has any letter (emoji, digits and punctuation alone have none)."""
    return bool(_LETTER.search(text))
