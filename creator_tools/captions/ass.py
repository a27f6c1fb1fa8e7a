"""Burned-in captions in the short-form style, as an ASS subtitle document for libass.

Words come up in groups of one to three, big and bold with a thick outline, the word being
spoken in another colour (one ``Dialogue`` event per word: the group's text with that word
coloured by a ``{\\c&H..&}`` override). Groups break at punctuation, at pauses longer than
:data:`GROUP_PAUSE` and where a line would no longer fit the platform's safe zone; a word too
wide on its own is scaled down to fit. Text sits bottom-centre (``\\an2``) just above the
bottom of the safe zone, inside its left and right margins, with ``PlayResX``/``PlayResY`` set
to the output size so every figure here is in output pixels.

Render with ffmpeg's ``subtitles`` filter and :func:`font_dir` as ``fontsdir`` (the bundled
DejaVu Sans Bold, so the look does not depend on the fonts installed)::

    f"subtitles=filename={escape_filter_path(ass)}:fontsdir={escape_filter_path(font_dir())}"
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creator_tools.captions.transcript import Word
from creator_tools.errors import OptionError, UsageError
from creator_tools.settings.platforms import PLATFORMS, SafeZone

#: The bundled caption font: its file and its family name (what ASS styles name).
FONT_FILE = "DejaVuSans-Bold.ttf"
FONT_NAME = "DejaVu Sans"
#: A pause longer than this (seconds) between two words starts a new group.
GROUP_PAUSE = 0.3
#: A group stays up this long after its last word (seconds), unless the next one comes first.
HOLD = 0.5
_BREAK_AFTER = (".", ",", "?", "!", ";", ":", "…")
#: libass measures a little differently from our estimate: keep this much width in reserve.
_WIDTH_SLACK = 1.04


def font_dir() -> Path:
    """The folder of the bundled fonts (``creator_tools/assets/fonts``), for ffmpeg's
    ``fontsdir``."""
    from creator_tools.resources import asset_path

    return asset_path("fonts")


# ---------------------------------------------------------------------------------------
# Safe zones
# ---------------------------------------------------------------------------------------

def safe_zone(platform: str, width: int = 1080, height: int = 1920) -> SafeZone:
    """The safe zone of ``platform`` (``tiktok``, ``reels``, ``shorts``; ``none``: no margins)
    for a ``width`` x ``height`` output, scaled from its 1080x1920 figures."""
    key = platform.lower()
    if key == "none":
        return SafeZone(0, 0, 0, 0)
    if key not in PLATFORMS:
        raise OptionError(f"{{platform}} must be one of {', '.join(PLATFORMS)}, not "
                          f"{platform!r}", options="platform")
    return PLATFORMS[key].safe_zone.scaled(width, height)


# ---------------------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CaptionStyle:
    """A caption look. Sizes are pixels on a frame whose shorter side is 1080 (scaled to the
    output); colours are ``#RRGGBB``; ``back_alpha`` is 0 (opaque) to 255 (invisible).

    ``box``: an opaque box behind the text (ASS ``BorderStyle 3``; ``outline`` is then its
    padding), else an outline and a drop shadow.
    """

    name: str
    font_size: float
    text: str = "#FFFFFF"
    highlight: str = "#FFE600"
    outline_colour: str = "#000000"
    outline: float = 6.0
    shadow: float = 3.0
    back: str = "#000000"
    back_alpha: int = 0x60
    box: bool = False
    uppercase: bool = False


#: The shipped caption looks by name.
CAPTION_STYLES: dict[str, CaptionStyle] = {
    # Big white capitals, thick black outline, the spoken word in yellow.
    "bold": CaptionStyle("bold", font_size=84, outline=7, shadow=3, uppercase=True),
    # White on an opaque near-black box, the spoken word in yellow. (Opaque: libass draws a
    # box per colour run, and translucent boxes would show where they overlap.)
    "boxed": CaptionStyle("boxed", font_size=70, outline=14, shadow=0, box=True,
                          outline_colour="#111111", back="#111111", back_alpha=0),
    # Smaller white text, thin outline, the spoken word in pale yellow.
    "minimal": CaptionStyle("minimal", font_size=56, highlight="#FFF0A0", outline=3,
                            shadow=1, back_alpha=0x80),
}


def _colour(rgb: str, alpha: int = 0) -> str:
    """``#RRGGBB`` -> ASS ``&HAABBGGRR``."""
    h = rgb.lstrip("#")
    if len(h) != 6:
        raise UsageError(f"bad colour {rgb!r} (expected #RRGGBB)")
    r, g, b = h[0:2], h[2:4], h[4:6]
    return f"&H{alpha:02X}{b}{g}{r}".upper()


def _inline_colour(rgb: str) -> str:
    """``#RRGGBB`` -> the ``\\c`` override value ``&HBBGGRR&``."""
    return f"&H{_colour(rgb)[4:]}&"


# ---------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------

def escape_text(text: str) -> str:
    """Make ``text`` literal in an ASS event: braces escaped (``\\{``, ``\\}``, so no
    override block can start), each backslash followed by a zero-width space (so ``\\N``,
    ``\\h`` or ``\\{`` in the text stay visible as typed), line breaks turned into spaces."""
    text = " ".join(text.splitlines())
    text = text.replace("\\", "\\\u200b")
    return text.replace("{", "\\{").replace("}", "\\}")


@functools.cache
def _font(path: str) -> tuple[object, float] | None:
    try:
        from PIL import ImageFont

        f = ImageFont.truetype(path, 1000)
    except (ImportError, OSError):
        return None
    ascent, descent = f.getmetrics()
    return f, float(ascent + descent)


def text_width(text: str, font_size: float, font_file: str | Path | None = None) -> float:
    """Width in pixels of ``text`` in ``font_file`` (default: the bundled DejaVu Sans Bold) at
    ASS ``Fontsize`` ``font_size`` (libass sizes a font by its ascent + descent)."""
    loaded = _font(str(font_file or font_dir() / FONT_FILE))
    if loaded is None:  # no Pillow or no font file: a generous average advance
        return len(text) * 0.7 * font_size
    f, units = loaded
    return f.getlength(text) * font_size / units  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# Groups and the document
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Group:
    """Words shown together, and the scale (percent) that makes them fit the line."""

    words: tuple[Word, ...]
    scale: int = 100

    @property
    def start(self) -> float:
        return self.words[0].start

    @property
    def end(self) -> float:
        return self.words[-1].end


def group_words(words: Sequence[Word], *, max_words: int = 3, max_width: float | None = None,
                font_size: float = 84.0, uppercase: bool = False, pad: float = 0.0,
                font_file: str | Path | None = None) -> list[Group]:
    """Split ``words`` into caption groups of 1 to ``max_words`` words.

    A group ends after a word ending in punctuation, before a pause over
    :data:`GROUP_PAUSE` s, and before a word that would make its line wider than ``max_width``
    pixels (text width + ``pad``, measured at ``font_size``). A single word wider than that
    gets a ``scale`` below 100.
    """
    def width(ws: Sequence[Word]) -> float:
        text = " ".join(w.text for w in ws)
        text = text.upper() if uppercase else text
        return text_width(text, font_size, font_file) * _WIDTH_SLACK + pad

    groups: list[Group] = []
    cur: list[Word] = []

    def flush() -> None:
        if cur:
            scale = 100
            if max_width is not None and len(cur) == 1 and (w := width(cur)) > max_width:
                scale = max(10, int(100 * max_width / w))
            groups.append(Group(tuple(cur), scale))
            cur.clear()

    for w in words:
        if not w.text.strip():
            continue
        if cur and (len(cur) >= max_words or w.start - cur[-1].end > GROUP_PAUSE
                    or (max_width is not None and width([*cur, w]) > max_width)):
            flush()
        cur.append(w)
        if w.text.rstrip().endswith(_BREAK_AFTER):
            flush()
    flush()
    return groups


def _ass_time(cs: int) -> str:
    h, cs = divmod(max(0, cs), 360_000)
    m, cs = divmod(cs, 6000)
    s, cs = divmod(cs, 100)
    return f"{h:d}:{m:02d}:{s:02d}.{cs:02d}"


@dataclass(frozen=True, slots=True)
class CaptionEvent:
    """One caption on screen: a group's words (escaped for ASS) from ``start`` to ``end``
    (centiseconds of the output's timeline), word ``spoken`` coloured, drawn at ``scale``
    percent."""

    start: int
    end: int
    words: tuple[str, ...]
    spoken: int
    scale: int = 100


@dataclass(frozen=True, slots=True)
class CaptionLayout:
    """Captions laid out for a ``width`` x ``height`` video: the ASS style (sizes in output
    pixels) and the events, in order, never overlapping."""

    width: int
    height: int
    style: CaptionStyle
    font_name: str
    size: int
    outline: float
    shadow: float
    margin_l: int
    margin_r: int
    margin_v: int
    events: tuple[CaptionEvent, ...]

    def head(self, *, height: int | None = None, margin_v: int | None = None,
             white: bool = False) -> list[str]:
        """The document up to its events, on a canvas ``height`` tall (default: the
        video's) with the text ``margin_v`` above its bottom; ``white`` paints every colour
        white, keeping its opacity (drawn on black, the result's brightness is then the
        captions' opacity)."""
        s = self.style

        def colour(rgb: str, alpha: int = 0) -> str:
            return _colour("#FFFFFF" if white else rgb, alpha)

        line = (f"{self.font_name.replace(',', ' ')},{self.size},{colour(s.text)},"
                f"{colour(s.highlight)},"
                f"{colour(s.outline_colour, s.back_alpha if s.box else 0)},"
                f"{colour(s.back, s.back_alpha)},-1,0,0,0,100,100,0,0,"
                f"{3 if s.box else 1},{self.outline:g},{self.shadow:g},2,{self.margin_l},"
                f"{self.margin_r},{self.margin_v if margin_v is None else margin_v},1")
        return [
            "[Script Info]",
            "; creator-tools captions",
            "ScriptType: v4.00+",
            f"PlayResX: {self.width}",
            f"PlayResY: {self.height if height is None else height}",
            # 0: smart wrapping within the margins, the safety net should a line not fit.
            "WrapStyle: 0",
            "ScaledBorderAndShadow: yes",
            "YCbCr Matrix: None",
            "",
            "[V4+ Styles]",
            "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
            "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
            "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
            f"Style: Caption,{line}",
            "",
            "[Events]",
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
        ]

    def text(self, event: CaptionEvent, *, white: bool = False) -> str:
        """``event``'s ASS text: its words, the spoken one coloured (``white``: not)."""
        prefix = f"{{\\fscx{event.scale}\\fscy{event.scale}}}" if event.scale != 100 else ""
        if white:
            return prefix + " ".join(event.words)
        hi, base = _inline_colour(self.style.highlight), _inline_colour(self.style.text)
        return prefix + " ".join(f"{{\\c{hi}}}{t}{{\\c{base}}}" if j == event.spoken else t
                                 for j, t in enumerate(event.words))


def dialogue(start_cs: int, end_cs: int, text: str) -> str:
    """An ASS ``Dialogue`` line of the ``Caption`` style, times in centiseconds."""
    return f"Dialogue: 0,{_ass_time(start_cs)},{_ass_time(end_cs)},Caption,,0,0,0,,{text}"


def layout_captions(
    words: Sequence[Word],
    *,
    width: int,
    height: int,
    style: str | CaptionStyle = "bold",
    font_name: str = FONT_NAME,
    safe: SafeZone | None = None,
    max_words: int = 3,
    font_file: str | Path | None = None,
) -> CaptionLayout:
    """Lay out ``words`` as short-form captions on a ``width`` x ``height`` video.

    Parameters
    ----------
    words
        Words with times on the OUTPUT timeline (after any cuts), in order.
    width, height
        Output size in pixels (``PlayResX``/``PlayResY``).
    style
        A name in :data:`CAPTION_STYLES` or a :class:`CaptionStyle`.
    font_name
        Font family as libass looks it up (bold is asked for): the bundled ``DejaVu Sans``
        unless ``fontsdir`` provides another.
    safe
        Margins to keep clear (default: TikTok's, scaled to the output).
    max_words
        Most words shown at once.
    font_file
        The font used to measure line widths (default: the bundled one).
    """
    if width <= 0 or height <= 0:
        raise UsageError(f"bad caption frame size {width}x{height}")
    if max_words < 1:
        raise UsageError("max_words must be at least 1")
    if isinstance(style, str):
        if style not in CAPTION_STYLES:
            raise UsageError(f"unknown caption style {style!r} "
                             f"(one of: {', '.join(CAPTION_STYLES)})")
        style = CAPTION_STYLES[style]
    safe = safe or safe_zone("tiktok", width, height)
    k = min(width, height) / 1080
    size = max(8, round(style.font_size * k))
    outline = round(style.outline * k, 1)
    shadow = round(style.shadow * k, 1)
    # Padding between the safe zone and the text box: room for the outline and the shadow.
    pad_x = max(round(0.02 * min(width, height)), round(outline + shadow) + 2)
    pad_y = max(round(0.02 * height), round(outline + shadow) + 2)
    margin_l, margin_r = safe.left + pad_x, safe.right + pad_x
    margin_v = safe.bottom + pad_y
    avail = width - margin_l - margin_r
    if avail < size:
        raise UsageError(f"the safe zone leaves no room for captions on {width}x{height}")
    groups = group_words(words, max_words=max_words, max_width=avail, font_size=size,
                         uppercase=style.uppercase, pad=2 * outline, font_file=font_file)
    events: list[CaptionEvent] = []
    for gi, g in enumerate(groups):
        nxt = groups[gi + 1].start if gi + 1 < len(groups) else None
        # Up until the next group comes (never together: libass would stack them).
        until = g.end + HOLD if nxt is None else min(g.end + HOLD, nxt)
        texts = tuple(escape_text(w.text.upper() if style.uppercase else w.text)
                      for w in g.words)
        for i, w in enumerate(g.words):
            a = round((g.start if i == 0 else w.start) * 100)
            b = round((g.words[i + 1].start if i + 1 < len(g.words) else until) * 100)
            if b <= a:
                continue  # shorter than a frame of subtitles: the next word takes over
            events.append(CaptionEvent(a, b, texts, i, g.scale))
    return CaptionLayout(width, height, style, font_name, size, outline, shadow, margin_l,
                         margin_r, margin_v, tuple(events))


def ass_document(lay: CaptionLayout) -> str:
    """The ASS document of laid-out captions (UTF-8 text for a ``.ass`` file)."""
    events = (dialogue(e.start, e.end, lay.text(e)) for e in lay.events)
    return "\n".join([*lay.head(), *events]) + "\n"


def build_ass(words: Sequence[Word], **options: Any) -> str:
    """An ASS document showing ``words`` as short-form captions: :func:`layout_captions`
    with ``options``, then :func:`ass_document`."""
    return ass_document(layout_captions(words, **options))
