"""Small helpers for the words people read in reports and messages."""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[^\W_]+")


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 shot``, ``2 shots``; ``many`` for an irregular plural (``static stretches``)."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {many or word + ('es' if word.endswith(('s', 'sh', 'ch', 'x')) else 's')}"


@functools.cache
def _stemmer() -> object:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English stem of a lower-case ``word``: ``biking``, ``bikes`` -> ``bike``
    (Snowball, the Porter 2 stemmer)."""
    return _stemmer().stemWord(word)  # type: ignore[attr-defined]


def stems(text: str) -> set[str]:
    """The stems of the words of ``text``."""
    return {stem(w) for w in _WORD.findall(text.lower())}
