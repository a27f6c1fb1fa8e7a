"""The fields of each kind of trend item, and the parsers that validate and normalise them.

Every parser takes a raw value (a CSV cell or a JSON value) and returns the normalised value,
or ``None`` for an empty one; a bad value raises :class:`ValueError` with a short reason that
the importer turns into a :class:`~creator_tools.errors.DataFileError` naming row and column.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: The kinds of item the index holds, in display order.
KINDS: tuple[str, ...] = ("hashtags", "sounds", "looks")
#: Region of rows that name none.
DEFAULT_REGION = "GLOBAL"
#: Hashtag kinds (the ``kind`` column of hashtags).
TAG_KINDS: tuple[str, ...] = ("broad", "niche", "topic", "trending")
#: Sound energy labels.
ENERGIES: tuple[str, ...] = ("low", "medium", "high")

_TAG_RE = re.compile(r"^#\w+$")
_SLUG_RE = re.compile(r"^\w[\w.+-]*$")
_REGION_RE = re.compile(r"^[A-Z][A-Z0-9_-]{1,15}$")
_REGION_ALIASES = {"ALL": DEFAULT_REGION, "WORLDWIDE": DEFAULT_REGION, "WW": DEFAULT_REGION,
                   "GLOBAL": DEFAULT_REGION}
#: Largest whole number the index stores (SQLite integers are signed 64-bit).
MAX_INT = 2**63 - 1
_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n"}


def _scalar_text(value: Any) -> str | None:
    """A stripped string, ``None`` when empty; numbers become their text; else ValueError."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected text, got {json.dumps(value)}")
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"expected text, got a JSON {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, from a JSON "\ud800" escape
        raise ValueError(f"not valid Unicode text: {value!r}") from None
    value = value.strip()
    return value or None


def parse_text(value: Any) -> str | None:
    """Free text, whitespace collapsed."""
    text = _scalar_text(value)
    return None if text is None else " ".join(text.split())


def parse_lower(value: Any) -> str | None:
    """Free text, lowercased (niches, moods, genres)."""
    text = parse_text(value)
    return None if text is None else text.lower()


def normalize_tag(value: Any) -> str | None:
    """``"Meal Prep"``, ``"mealprep"`` and ``"#MealPrep"`` all become ``"#mealprep"``."""
    text = _scalar_text(value)
    if text is None:
        return None
    tag = "#" + "".join(text.lower().split()).lstrip("#")
    if tag == "#":
        return None
    if not _TAG_RE.match(tag):
        raise ValueError(f"bad hashtag {text!r}: letters, digits and _ only")
    return tag


def slugify(text: str) -> str:
    """``"Espresso - Sabrina Carpenter"`` -> ``"espresso-sabrina-carpenter"``."""
    return "-".join(re.findall(r"\w+", text.lower()))


def parse_slug(value: Any) -> str | None:
    """An item id (sound id, look name): lowercase, spaces become ``-``."""
    text = _scalar_text(value)
    if text is None:
        return None
    slug = "-".join(text.lower().split())
    if not _SLUG_RE.match(slug):
        raise ValueError(f"bad id {text!r}: letters, digits, '.', '+', '-' and '_' only")
    return slug


def parse_region(value: Any) -> str | None:
    """A region code (``US``, ``GB``) or ``GLOBAL``; uppercased."""
    text = _scalar_text(value)
    if text is None:
        return None
    region = text.upper()
    region = _REGION_ALIASES.get(region, region)
    if not _REGION_RE.match(region):
        raise ValueError(f"bad region {text!r}: a country code such as US, or GLOBAL")
    return region


def _parse_int(value: Any, minimum: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {json.dumps(value)}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"expected a whole number, got {value!r}")
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = _scalar_text(value)
        if text is None:
            return None
        digits = text.replace(",", "").replace("_", "")
        if not re.fullmatch(r"[+-]?\d+", digits):
            raise ValueError(f"expected a whole number, got {text!r}")
        if len(digits.lstrip("+-0")) > len(str(MAX_INT)):  # beyond 64 bits: not worth parsing
            raise ValueError(f"must be at least {minimum}, got {text!r}"
                             if digits.startswith("-") else f"too large: at most {MAX_INT}")
        number = int(digits)
    if number < minimum:
        raise ValueError(f"must be at least {minimum}, got {number}")
    if number > MAX_INT:
        raise ValueError(f"too large: at most {MAX_INT}")
    return number


def parse_count(value: Any) -> int | None:
    """A non-negative whole number (views, posts); ``1,234`` is accepted."""
    return _parse_int(value, 0)


def parse_rank(value: Any) -> int | None:
    """A rank: a whole number from 1."""
    return _parse_int(value, 1)


def _parse_number(value: Any, *, positive: bool) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {json.dumps(value)}")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an int beyond 1.8e308
            raise ValueError("expected a number, got one too large") from None
    else:
        text = _scalar_text(value)
        if text is None:
            return None
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {text!r}") from None
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        raise ValueError(f"expected a {'positive' if positive else 'non-negative'} number, "
                         f"got {value!r}")
    return int(number) if number.is_integer() else number


def parse_duration(value: Any) -> float | None:
    """Seconds, as a number or ``m:ss``."""
    text = value.strip() if isinstance(value, str) else None
    if text and re.fullmatch(r"\d{1,9}:\d{1,2}(\.\d+)?", text):
        minutes, seconds = text.split(":")
        if float(seconds) >= 60:
            raise ValueError(f"bad duration {text!r}")
        total = int(minutes) * 60 + float(seconds)
        return int(total) if total.is_integer() else total
    return _parse_number(value, positive=False)


def parse_bpm(value: Any) -> float | None:
    """Beats per minute, a positive number."""
    return _parse_number(value, positive=True)


def parse_date(value: Any) -> str | None:
    """An ISO date ``YYYY-MM-DD`` (a date-time keeps its date part); returned as ISO text."""
    text = _scalar_text(value)
    if text is None:
        return None
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?", text)
    try:
        if not match:
            raise ValueError
        return dt.date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        raise ValueError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def parse_bool(value: Any) -> bool | None:
    """``0``/``1``, ``true``/``false``, ``yes``/``no``."""
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    text = _scalar_text(value)
    if text is None:
        return None
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValueError(f"expected 0 or 1, got {text!r}")


def _choice(options: tuple[str, ...]) -> Callable[[Any], str | None]:
    def parse(value: Any) -> str | None:
        text = parse_lower(value)
        if text is not None and text not in options:
            raise ValueError(f"expected one of {', '.join(options)}, got {text!r}")
        return text

    return parse


def _split_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    text = _scalar_text(value)
    if text is None:
        return []
    if text.startswith("["):
        try:
            items = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: nested too deeply
            raise ValueError(f"bad JSON list {text!r}") from None
        if not isinstance(items, list):
            raise ValueError(f"expected a list, got {text!r}")
        return items
    return re.split(r"[;,]", text) if ";" in text or "," in text else [text]


def parse_niches(value: Any) -> list[str] | None:
    """A list of niches: a JSON list or ``;``-separated text; lowercased."""
    out: list[str] = []
    for item in _split_list(value):
        niche = parse_lower(item)
        if niche and niche not in out:
            out.append(niche)
    return out or None


def parse_series(value: Any) -> list[float] | None:
    """A popularity series over time: a JSON list or ``;``-separated numbers.

    Items may be numbers or ``{"time": ..., "value": n}`` objects (Creative Center shape).
    """
    if isinstance(value, str) and not value.strip().startswith("["):
        raw: list[Any] = [v for v in value.split(";") if v.strip()]
    else:
        raw = _split_list(value)
    out: list[float] = []
    for item in raw:
        if isinstance(item, dict):
            item = item.get("value")
        number = _parse_number(item, positive=False)
        if number is None:
            raise ValueError(f"bad trend value {item!r}")
        out.append(number)
    return out or None


def parse_lut_file(value: Any) -> str | None:
    """A ``.cube`` file name relative to ``assets/luts/``."""
    text = _scalar_text(value)
    if text is None:
        return None
    parts = text.replace("\\", "/").split("/")
    if text.startswith(("/", "\\")) or ".." in parts or not text.lower().endswith(".cube"):
        raise ValueError(f"expected a .cube file inside assets/luts/, got {text!r}")
    return "/".join(parts)


@dataclass(frozen=True)
class Field:
    """One column of a kind.

    ``inherit``: descriptive, not a popularity figure; when the newest row of an item leaves it
    empty, the index fills it from the newest older row of the same item (any region) that has
    it, so that a dashboard export does not lose the editorial description or the ban flag.
    """

    name: str
    parse: Callable[[Any], Any]
    required: bool = False
    inherit: bool = False


_COMMON_TAIL = (Field("as_of", parse_date), Field("source", parse_text))

#: Fields of each kind, in the column order of ``trends/<kind>.csv`` (and of CSV exports).
FIELDS: dict[str, tuple[Field, ...]] = {
    "hashtags": (
        Field("tag", normalize_tag, required=True),
        Field("category", parse_lower, inherit=True),
        Field("region", parse_region),
        Field("rank", parse_rank),
        Field("views", parse_count),
        Field("posts", parse_count),
        Field("trend", parse_series),
        *_COMMON_TAIL,
        Field("description", parse_text, inherit=True),
        Field("keywords", parse_lower, inherit=True),
        Field("kind", _choice(TAG_KINDS), inherit=True),
        Field("banned", parse_bool, inherit=True),
        Field("external_id", parse_text),
    ),
    "sounds": (
        Field("id", parse_slug),
        Field("title", parse_text, required=True, inherit=True),
        Field("artist", parse_text, inherit=True),
        Field("duration", parse_duration, inherit=True),
        Field("bpm", parse_bpm, inherit=True),
        Field("mood", parse_lower, inherit=True),
        Field("energy", _choice(ENERGIES), inherit=True),
        Field("genre", parse_lower, inherit=True),
        Field("niches", parse_niches, inherit=True),
        Field("description", parse_text, inherit=True),
        Field("region", parse_region),
        Field("rank", parse_rank),
        Field("trend", parse_series),
        *_COMMON_TAIL,
        Field("local_file", parse_text, inherit=True),
        Field("link", parse_text, inherit=True),
        Field("external_id", parse_text),
    ),
    "looks": (
        Field("name", parse_slug, required=True),
        Field("description", parse_text, inherit=True),
        Field("lut_file", parse_lut_file, required=True, inherit=True),
        Field("niches", parse_niches, inherit=True),
        Field("region", parse_region),
        Field("rank", parse_rank),
        *_COMMON_TAIL,
    ),
}

#: The column that names an item of each kind.
KEY_FIELD: dict[str, str] = {"hashtags": "tag", "sounds": "id", "looks": "name"}


def field_names(kind: str) -> list[str]:
    """Column names of ``kind`` in file order."""
    return [f.name for f in FIELDS[kind]]


def niches_of(kind: str, fields: dict[str, Any]) -> list[str]:
    """The niches an item belongs to (``category`` for hashtags, ``niches`` otherwise)."""
    if kind == "hashtags":
        return [fields["category"]] if fields.get("category") else []
    return list(fields.get("niches") or [])
