"""The words the clip finder listens for: stop words (left out of topic vectors), hooks, calls to
action and punchlines. Each cue is a regular expression on lower-cased text with a weight and
the reason a creator reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

_STOP = """
a about above after again against all almost also although always am among an and another any
anyone anything are around as at away back be because been before being below between both
but by can cannot could did do does doing done down during each either else enough even ever
every few first for from further get gets getting go goes going gone got had has have having
he her here hers herself him himself his how however i if in into is it its itself just know
last least less let like made make makes many may me might mine more most much must my myself
need never next no nobody none nor not nothing now of off often oh ok okay on once one only onto
or other others our ours ourselves out over own per perhaps put quite rather really right said
same say says see seem seems several shall she should since so some someone something still
such sure take than that the their theirs them themselves then there these they thing things
think this those though through thus to today too toward under until up upon us use used very
want wants was way we well were what whatever when where whether which while who whom whose
why will with within without would yeah yes yet you your yours yourself yourselves
"""
#: Function words: they say nothing about a topic (TextTiling compares content words only).
STOPWORDS = frozenset(_STOP.split())


@dataclass(frozen=True, slots=True)
class Cue:
    """A pattern (on lower-cased text), its weight (0..1) and what it tells a creator."""

    pattern: re.Pattern[str]
    weight: float
    reason: str


def _cue(pattern: str, weight: float, reason: str) -> Cue:
    return Cue(re.compile(pattern), weight, reason)


_NUMBER = (r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
           r"thirty|fifty|hundred|thousand|million|billion|half|double|percent)\b|[%$€£]")
#: What makes a first sentence hold a viewer (Hook strength adds the weights, at most 1).
HOOK_CUES: tuple[Cue, ...] = (
    _cue(r"\?\s*$", 0.35, "opens on a question"),
    _cue(r"^(what if|imagine|picture this)\b", 0.3, "opens on a what-if"),
    _cue(r"^(stop|don't|do not|never|wait|listen|look|forget|quit)\b", 0.3,
         "opens on a command"),
    _cue(r"\b(here is|here's|here are|this is (how|why|what)|the reason|how to|you can|"
         r"you will|you'll)\b", 0.2, "promises an answer"),
    _cue(r"\b(the (secret|truth|trick|key|one thing)|nobody (tells|talks)|no one (tells|talks)|"
         r"mistakes?|wrong|myths?|lies?|killing|ruining|changed my life|game.?changer)\b", 0.25,
         "makes a bold claim"),
    _cue(r"\b(most people|the (best|worst|biggest|fastest|easiest|only))\b", 0.15,
         "speaks in superlatives"),
    _cue(_NUMBER, 0.2, "names a number"),
    _cue(r"\b(you|your|you're|yourself)\b", 0.15, "speaks to the viewer"),
)
#: A greeting or an introduction: what a viewer swipes past.
GREETING = re.compile(
    r"^(hi|hello|hey|welcome|good (morning|afternoon|evening)|what'?s up|today (i|we)|"
    r"in this (video|episode)|so today)\b|\bwelcome (back|to)\b")
#: A sign-off: the end of the show, not of a point.
SIGN_OFF = re.compile(
    r"\b(that'?s (it|all)( all)? for (today|now|this)|that is all for|thanks? (you )?for (watching|"
    r"listening)|see you (next|soon|tomorrow|in the next)|bye)\b")
#: A first word that leans on what came before: the clip starts mid-thought.
DANGLING_START = re.compile(
    r"^(and|but|so|or|because|also|then|um+|uh+|erm|like|well|yeah|right|anyway|plus|which|"
    r"it|this|that|these|those|they|he|she|him|her|there|next|another|finally|"
    r"(the )?(second|third|fourth|fifth|last|next|other) )\b")
#: A call to action at the end: the clip asks the viewer to do something.
CTA_CUES: tuple[Cue, ...] = (
    _cue(r"\b(follow|subscribe|comment|let me know|tell me|save this|share (this|it)|"
         r"link in|like (this|the video)|hit the|sign up|dm me|join|check out|try (this|it))\b",
         1.0, "ends on a call to action"),
)
#: A payoff at the end: the clip lands its point.
PUNCHLINE_CUES: tuple[Cue, ...] = (
    _cue(r"\b(that'?s why|that is why|that'?s how|that is how|turns out|the answer is|"
         r"the secret is|remember|so next time|and that'?s|that'?s it|trust me|which means|"
         r"in other words|bottom line|the lesson|now you know|and now|will (never|always))\b",
         0.7, "ends on a payoff"),
    _cue(r"!\s*$", 0.4, "ends on an exclamation"),
)


def words_of(text: str) -> list[str]:
    """Lower-case words of ``text`` (letters, digits, apostrophes)."""
    return [w.strip("'") for w in re.findall(r"[a-z0-9']+", text.lower()) if w.strip("'")]


def matches(cues: tuple[Cue, ...], text: str) -> list[Cue]:
    """The cues whose pattern occurs in lower-cased ``text``."""
    low = text.lower().strip()
    return [c for c in cues if c.pattern.search(low)]
