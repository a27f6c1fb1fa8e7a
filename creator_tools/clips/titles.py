"""A clip's title: a short line from its own words, for the caption."""

from __future__ import annotations

import re

#: Longest title, characters.
MAX_TITLE = 60
_LEAD = re.compile(r"^(?:(?:so|and|but|okay|ok|well|um+|uh+|like|now|right|yeah|oh)\b[,.]?\s+)+",
                   re.IGNORECASE)


def make_title(first: str, rest: str = "") -> str:
    """A title from a clip's first sentence (``first``) or, when that is only a word or two,
    from it and what follows (``rest``): leading fillers and connectives dropped, the first
    letter capitalized, cut at a clause or a word to :data:`MAX_TITLE` characters, without a
    final full stop (a question or exclamation mark stays)."""
    text = " ".join(first.split())
    if len(text.split()) < 3 and rest:
        text = f"{text} {' '.join(rest.split())}"
    text = _LEAD.sub("", text).strip() or text
    if len(text) > MAX_TITLE:
        head = text[: MAX_TITLE + 1]
        clause = max(head.rfind(","), head.rfind(";"), head.rfind(":"), head.rfind(" -"))
        if clause >= MAX_TITLE // 2:
            text = head[:clause]
        else:
            text = head[: head.rfind(" ")].rstrip(",;:") + "…" if " " in head else \
                head[:MAX_TITLE] + "…"
    text = text.rstrip(" ,;:")
    if text.endswith(".") and not text.endswith("..."):
        text = text[:-1]
    return text[:1].upper() + text[1:]
