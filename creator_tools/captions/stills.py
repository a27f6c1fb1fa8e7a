"""Burned captions drawn once each, not once a frame.

ffmpeg's ``subtitles`` filter asks libass for the captions of every frame and blends each of
their bitmaps (shadow, outline, each colour of the fill) into the full-size frame with plain
C code: on a 1080x1920 edit that costs about as much as the whole look. A caption stays up
for ten frames on average, so here each one is drawn once, into a band of the frame just
tall enough for it, and the band is laid over the frames it belongs to by ``overlay``, whose
blend is vectorised.

libass keeps no opacity of its own when it draws into a frame: the band is drawn twice,
in colour and in white (see :meth:`CaptionLayout.head`), both on black, and the white one's
brightness is the opacity. Un-premultiplied by it, the colour band is what libass would have
drawn over any picture. Still ``k`` is shown from second ``k`` to ``k + 1`` of the bands'
own clock, and each is moved to the time it starts on the video's timeline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from creator_tools.captions.ass import CaptionLayout, dialogue
from creator_tools.media.ffmpeg_escape import escape_filter_path

#: Lines of text the band has room for. Groups are made to fit one line; libass wraps a
#: line only if it measures it wider than we do, and then into two.
LINES = 2
#: A line's height over the font size (libass sizes a font by its ascent + descent; the
#: rest is room for accents and rounding).
LINE_HEIGHT = 1.15
#: Where the stills end (centiseconds): a blank one 100 hours in, after any video.
LAST_CS = 100 * 3600 * 100


@dataclass(frozen=True, slots=True)
class CaptionStills:
    """Captions as stills in a band of the frame: rows ``top`` to ``top + height`` of a
    ``width``-wide video.

    ``colour`` and ``coverage`` are ASS documents on a ``width`` x ``height`` canvas showing
    still ``k`` from second ``k`` to ``k + 1``, in colour and all in white; ``starts`` are
    the centiseconds of the video's timeline each still starts at. A still with no caption
    is blank (before the first caption, after each that the next does not follow at once,
    and the last, at :data:`LAST_CS`).
    """

    top: int
    width: int
    height: int
    colour: str
    coverage: str
    starts: tuple[int, ...]

    def pts_expr(self) -> str:
        """A ``setpts`` expression of the frame number ``N`` that gives still ``N`` its start
        (in a 1/100 s time base): a balanced tree of comparisons, depth log2 of the stills.
        It holds commas: quote it in a filtergraph."""
        def tree(lo: int, hi: int) -> str:
            if hi - lo == 1:
                return str(self.starts[lo])
            mid = (lo + hi) // 2
            return f"if(lt(N,{mid}),{tree(lo, mid)},{tree(mid, hi)})"

        return tree(0, len(self.starts))


def _band(lay: CaptionLayout) -> tuple[int, int]:
    """The rows (top, bottom) that everything libass draws for ``lay`` falls in: the lines
    above the bottom margin, the outline (or the box's padding) around them and the
    shadow's offset below, on even rows (4:2:0 chroma)."""
    reach = math.ceil(lay.outline) + math.ceil(lay.shadow) + 2
    base = lay.height - lay.margin_v
    bottom = min(lay.height, base + reach)
    top = max(0, base - math.ceil(LINES * LINE_HEIGHT * lay.size) - reach)
    top -= top % 2
    bottom += bottom % 2
    return top, min(bottom, lay.height - lay.height % 2)


def caption_stills(lay: CaptionLayout) -> CaptionStills | None:
    """``lay``'s captions as stills (``None`` when it has none)."""
    if not lay.events:
        return None
    top, bottom = _band(lay)
    height = bottom - top
    margin_v = lay.margin_v - (lay.height - bottom)  # the same rows of the video
    shown: list[tuple[int, int | None]] = [] if lay.events[0].start == 0 else [(0, None)]
    for i, e in enumerate(lay.events):
        shown.append((e.start, i))
        following = lay.events[i + 1].start if i + 1 < len(lay.events) else None
        if following is None or following > e.end:
            shown.append((e.end, None))
    # ``overlay`` ends with the video only if the stills outlast it (with ``shortest``): a
    # still after the video's last frame would make a frame of its own.
    shown.append((max(shown[-1][0] + 1, LAST_CS), None))
    colour = lay.head(height=height, margin_v=margin_v)
    coverage = lay.head(height=height, margin_v=margin_v, white=True)
    for k, (_, i) in enumerate(shown):
        if i is not None:
            e = lay.events[i]
            colour.append(dialogue(100 * k, 100 * k + 100, lay.text(e)))
            coverage.append(dialogue(100 * k, 100 * k + 100, lay.text(e, white=True)))
    return CaptionStills(top, lay.width, height, "\n".join(colour) + "\n",
                         "\n".join(coverage) + "\n", tuple(start for start, _ in shown))


def stills_chains(stills: CaptionStills, *, workdir: Path, fonts: Path, src: str, dst: str
                  ) -> list[str]:
    """Filtergraph chains from ``[src]`` (the video, ``stills.width`` wide) to ``[dst]``
    with the stills laid over it; the two ASS documents are written to ``workdir`` (as
    ``captions.ass`` and ``coverage.ass``), ``fonts`` is libass's ``fontsdir``."""
    canvas = f"color=c=black:s={stills.width}x{stills.height}:r=1:d={len(stills.starts)}"
    draw: list[str] = []
    for name, doc in (("captions.ass", stills.colour), ("coverage.ass", stills.coverage)):
        path = workdir / name
        path.write_text(doc, encoding="utf-8")
        draw.append(f"subtitles=filename={escape_filter_path(str(path))}:"
                    f"fontsdir={escape_filter_path(str(fonts))}")
    return [
        f"{canvas},format=yuv444p,{draw[0]}[capc]",
        f"{canvas},format=gray,{draw[1]}[capa]",
        f"[capc][capa]alphamerge,unpremultiply=inplace=1,settb=1/100,"
        f"setpts='{stills.pts_expr()}'[caps]",
        f"[{src}][caps]overlay=x=0:y={stills.top}:format=yuv420:shortest=1[{dst}]",
    ]
