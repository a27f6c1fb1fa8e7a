"""Filler words and stutters to cut: "um", "uh"... and immediate repeats ("I I", "the the").

Rule: a run of words to remove (one filler, or several in a row: "um uh", "I I I") is cut
from the end of the kept word before it (the run's own start when nothing comes before) to
the end of its last word, but never past the start of the kept word after it. So the pause
before the filler goes with it and the pause after it stays as the gap between the two kept
words (a natural breath), and no kept word's [start, end] is ever touched, even when word
times overlap.

Whisper often leaves fillers out of its text; spans are found only for the words it wrote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from creator_tools.captions.transcript import Word

#: Filler words, lower case, punctuation removed; stretched spellings ("ummm", "hmmm", "uhh")
#: match too (see :func:`is_filler`).
FILLERS = ("um", "uh", "erm", "uhm", "hmm", "mm")
_FILLER_RE = re.compile(r"(?:u+m+|u+h+|u+h+m+|e+r+m+|h+m+|m{2,})")
_STRIP = re.compile(r"[^\w']+|_")
_SENTENCE_END = (".", "?", "!", "…")
#: A repeat counts only when the two words are this close (seconds); slower it is emphasis.
REPEAT_GAP = 1.0


def normalize(text: str) -> str:
    """Lower case, without punctuation (apostrophes inside words kept): ``"Um,"`` -> ``"um"``."""
    return _STRIP.sub("", text.replace("’", "'")).strip("'").lower()


def is_filler(text: str) -> bool:
    """Whether ``text`` is a filler word (case and punctuation ignored)."""
    return _FILLER_RE.fullmatch(normalize(text)) is not None


def is_repeat(word: Word, following: Word) -> bool:
    """Whether ``word`` is the first of an immediate repeat: the same word again within
    :data:`REPEAT_GAP` s, and ``word`` does not end a sentence ("Hello. Hello." is two)."""
    a = normalize(word.text)
    return (bool(a) and a == normalize(following.text)
            and not word.text.rstrip().endswith(_SENTENCE_END)
            and following.start - word.end <= REPEAT_GAP)


def filler_spans(words: Sequence[Word], *, repeats: bool = True) -> list[tuple[float, float]]:
    """Time spans (start, end) to cut to remove fillers and, with ``repeats``, the first word
    of immediate repeats; in order, at word boundaries (see the module's rule)."""
    n = len(words)
    drop = [is_filler(w.text) or (repeats and i + 1 < n and is_repeat(w, words[i + 1]))
            for i, w in enumerate(words)]
    spans: list[tuple[float, float]] = []
    i = 0
    while i < n:
        if not drop[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and drop[j + 1]:
            j += 1
        # Bounded by every kept word around the run, even when word times overlap.
        start = max((w.end for w in words[:i]), default=words[i].start)
        end = min((w.start for w in words[j + 1:]), default=words[j].end)
        end = min(end, max(w.end for w in words[i:j + 1]))
        if end > start:
            spans.append((round(start, 3), round(end, 3)))
        i = j + 1
    return spans
