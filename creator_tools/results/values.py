"""Cell parsers for analytics exports: localized numbers, percentages, durations and dates.

Each parser takes the cell text and returns the value, or ``None`` for an empty cell (``""``,
``-``, ``—``); a value it cannot read raises :class:`ValueError` with a short reason, which the
importer reports with the file, row and column.

Numbers: spaces (also no-break and narrow no-break), apostrophes and the file's thousands
separator are dropped: ``1,438,625``, ``1.310`` (``;``-separated files use a decimal comma),
``1 234``, ``6,58 %``. A lone separator followed by exactly three digits is a thousands
separator in a whole number (views) and in a file whose decimal mark is the other one.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

_EMPTY = {"", "-", "—", "–", "n/a", "N/A", "--"}
_SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009'’"), None)
_DURATION = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d+))?")
_UNITS = re.compile(r"(?:(\d+(?:[.,]\d+)?)\s*h)?\s*(?:(\d+(?:[.,]\d+)?)\s*m(?:in)?)?\s*"
                    r"(?:(\d+(?:[.,]\d+)?)\s*s(?:ec)?)?", re.I)

#: Month names and abbreviations (English, Spanish, French, German, Portuguese), lowercased
#: without accents, to their number.
MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
        "jan january ene enero janv janvier jän januar janeiro",
        "feb february febrero fev fevr fevrier februar fevereiro",
        "mar march marzo mars mär marz mrz marco",
        "apr april abr abril avr avril",
        "may mayo mai maio",
        "jun june junio juin juni junho",
        "jul july julio juil juillet juli julho",
        "aug august ago agosto aout",
        "sep sept september septiembre setiembre septembre set setembro",
        "oct october octubre octobre okt oktober out outubro",
        "nov november noviembre novembre novembro",
        "dec december dic diciembre dec decembre dez dezember dezembro"), start=1):
    for _name in _names.split():
        MONTHS[_name] = _number


def cell_text(value: str | None) -> str | None:
    """The stripped cell, ``None`` when empty or a dash."""
    if value is None:
        return None
    text = value.strip()
    return None if text in _EMPTY else text


def parse_text(value: str | None) -> str | None:
    """Free text with whitespace collapsed."""
    text = cell_text(value)
    return None if text is None else " ".join(text.split())


def parse_number(value: str | None, *, decimal: str = ".", whole: bool = False
                 ) -> float | None:
    """A number written the way the file writes them (see the module notes)."""
    text = cell_text(value)
    if text is None:
        return None
    raw = text
    text = text.translate(_SPACES)
    if text.endswith("%"):
        text = text[:-1]
    if not re.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*", text):
        raise ValueError(f"expected a number, got {raw!r}")
    sign = -1.0 if text.startswith("-") else 1.0
    digits = text.lstrip("+-")
    marks = {c for c in digits if c in ".,"}
    if len(marks) == 2:
        point = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if point == "," else ","
        whole_part, _, frac = digits.rpartition(point)
        number = _grouped(whole_part, thousands, raw) + "." + frac
    elif marks:
        mark = marks.pop()
        parts = digits.split(mark)
        three = all(len(p) == 3 for p in parts[1:])
        if len(parts) > 2 or (three and (whole or mark != decimal)):
            number = _grouped(digits, mark, raw)
        elif whole:
            raise ValueError(f"expected a whole number, got {raw!r}")
        else:
            number = digits.replace(mark, ".")
    else:
        number = digits
    result = sign * float(number)
    if not math.isfinite(result):
        raise ValueError(f"expected a number, got {raw!r}")
    if whole and not result.is_integer():
        raise ValueError(f"expected a whole number, got {raw!r}")
    return result


def _grouped(text: str, separator: str, raw: str) -> str:
    """``1,234,567`` without its separators; each group after the first has three digits."""
    groups = text.split(separator)
    if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        raise ValueError(f"expected a number, got {raw!r}")
    return "".join(groups)


def parse_count(value: str | None, *, decimal: str = ".") -> int | None:
    """A non-negative whole number (views, likes)."""
    number = parse_number(value, decimal=decimal, whole=True)
    if number is None:
        return None
    if number < 0:
        raise ValueError(f"must be at least 0, got {value.strip() if value else value!r}")
    return int(number)


def parse_percent(value: str | None, *, decimal: str = ".") -> float | None:
    """A percentage 0..100 (``45.2``, ``45,2 %``)."""
    number = parse_number(value, decimal=decimal)
    if number is not None and not 0 <= number <= 100:
        raise ValueError(f"expected a percentage 0-100, got {value.strip() if value else value!r}")
    return number


def parse_real(value: str | None, *, decimal: str = ".") -> float | None:
    """A non-negative number (watch hours)."""
    number = parse_number(value, decimal=decimal)
    if number is not None and number < 0:
        raise ValueError(f"must be at least 0, got {value.strip() if value else value!r}")
    return number


def parse_seconds(value: str | None, *, decimal: str = ".") -> float | None:
    """A duration: ``h:mm:ss``, ``m:ss`` (``.fff`` or ``,fff`` fraction), seconds (``34``,
    ``34.5``, ``34s``), or ``1m 5s``."""
    text = cell_text(value)
    if text is None:
        return None
    m = _DURATION.fullmatch(text)
    if m:
        hours, minutes, seconds, frac = m.groups()
        if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            raise ValueError(f"bad duration {text!r}")
        total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
        return total + (float("0." + frac) if frac else 0.0)
    units = _UNITS.fullmatch(text)
    if units and any(units.groups()):
        h, mi, s = (float(g.replace(",", ".")) if g else 0.0 for g in units.groups())
        return h * 3600 + mi * 60 + s
    number = parse_real(text, decimal=decimal)
    return number


def _fold(text: str) -> str:
    """Lowercase without accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))


def parse_when(value: str | None, *, day_first: bool | None = None) -> str | None:
    """A publish date or date-time as ISO text (``2024-03-05`` or ``2024-03-05T18:22``).

    Understands ISO (``2024-03-05 18:22:10``, ``2024-03-05T18:22Z``), ``2024/03/05``,
    ``2024年3月5日``, ``Mar 5, 2024``, ``5 mars 2024``, ``26 de ago. de 2026``, ``05.03.2024``
    and ``03/05/2024 18:22``: a slashed date is month first (Meta's exports) unless
    ``day_first`` or its first number is over 12.
    """
    text = cell_text(value)
    if text is None:
        return None
    clock = re.search(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*([ap]\.?m\.?)?", text, re.I)
    date_part = text[: clock.start()] if clock else text
    if clock and "T" in date_part[-1:]:
        date_part = date_part[:-1]
    try:
        day = _parse_day(date_part.strip(" ,T"), day_first)
    except ValueError:
        raise ValueError(f"expected a date, got {text!r}") from None
    if clock is None:
        return day.isoformat()
    hour, minute = int(clock.group(1)), int(clock.group(2))
    meridiem = (clock.group(4) or "").lower().replace(".", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise ValueError(f"expected a date, got {text!r}")
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def _parse_day(text: str, day_first: bool | None) -> dt.date:
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text) or \
        re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if m:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    m = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", text)
    if m:
        a, b = int(m[1]), int(m[2])
        first_is_day = day_first if day_first is not None else a > 12
        if a > 12 and not first_is_day:
            first_is_day = True
        day, month = (a, b) if first_is_day else (b, a)
        return dt.date(int(m[3]), month, day)
    words = re.findall(r"[^\W\d_]+|\d+", _fold(text))
    month = None
    numbers = []
    for w in words:
        if w.isdigit():
            numbers.append(int(w))
        elif w in MONTHS and month is None:
            month = MONTHS[w]
        elif w not in ("de", "del", "of", "the"):
            raise ValueError(text)
    if month is None or len(numbers) != 2:
        raise ValueError(text)
    year = next((n for n in numbers if n > 31), None)
    if year is None:
        raise ValueError(text)
    day = next(n for n in numbers if n != year or numbers.count(n) > 1)
    return dt.date(year, month, day)
