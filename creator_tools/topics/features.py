"""The features the topic model reads from a text, the same in training and in use.

Three kinds, each scaled by the weight of the words it comes from (generic words count for
little or nothing, see :func:`creator_tools.topics.words.weight`):

- ``w stem``: a word by its stem (``baking`` and ``bake`` meet as ``bake``);
- ``b stem stem``: two neighbouring words (``meal prep``, ``leg day``);
- ``c abc``: character 3- to 5-grams inside a word with its edges (`` sourd``), which catch
  spellings, plurals and words the corpus never had in that form (``prepping``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from creator_tools.topics.words import Token, quantity, tokens

#: Feature blocks: words and word pairs, character n-grams (normalised separately).
WORD_BLOCK, CHAR_BLOCK = 0, 1
CHAR_SIZES = (3, 4, 5)
#: How much each block counts once normalised (words, characters).
BLOCK_SCALE = (1.0, 0.5)
#: Words below this weight make no word pairs and no character n-grams.
MIN_WEIGHT = 0.05


@dataclass(slots=True)
class TextFeatures:
    """Feature -> weighted count, and feature -> the words it came from (for evidence)."""

    counts: dict[str, float] = field(default_factory=dict)
    words: dict[str, set[str]] = field(default_factory=dict)

    def add(self, feature: str, value: float, word: str) -> None:
        self.counts[feature] = self.counts.get(feature, 0.0) + value
        self.words.setdefault(feature, set()).add(word)


def block_of(feature: str) -> int:
    """The block a feature belongs to (:data:`WORD_BLOCK` or :data:`CHAR_BLOCK`)."""
    return CHAR_BLOCK if feature.startswith("c ") else WORD_BLOCK


def char_grams(word: str) -> list[str]:
    """The character n-grams of ``word`` with its edges marked by spaces."""
    padded = f" {word} "
    return [padded[i:i + n] for n in CHAR_SIZES for i in range(len(padded) - n + 1)]


def features_of_tokens(toks: list[Token]) -> TextFeatures:
    """The features of a list of tokens."""
    out = TextFeatures()
    content = [t for t in toks if t.weight >= MIN_WEIGHT]
    for t in toks:
        if t.weight > 0:
            out.add("w " + t.stem, t.weight, t.word)
    for a, b in itertools.pairwise(content):
        if a.hashtag != b.hashtag:
            continue
        pair = max(0.4, (max(a.weight, b.weight)) ** 0.5)
        out.add(f"b {a.stem} {b.stem}", pair, f"{a.word} {b.word}")
    for t in content:
        # a quantity's n-grams are its stem's ("0kg"), so that no number decides a topic
        grams = char_grams(t.stem if quantity(t.word) else t.word)
        share = t.weight / len(grams) * 4
        for g in grams:
            out.add("c " + g, share, t.word)
    return out


def text_features(text: str) -> TextFeatures:
    """The features of ``text``."""
    return features_of_tokens(tokens(text))
