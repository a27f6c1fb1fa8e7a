"""Captions drawn once each as stills (creator_tools.captions.stills) look, frame for frame,
like libass drawing them into every frame."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from creator_tools.captions.ass import (
    CaptionEvent,
    ass_document,
    escape_text,
    font_dir,
    layout_captions,
    safe_zone,
)
from creator_tools.captions.stills import caption_stills, stills_chains
from creator_tools.captions.transcript import Word
from creator_tools.media.ffmpeg import base_args
from creator_tools.media.ffmpeg_escape import escape_filter_path

W, H, FPS = 540, 960, 25
#: Word times off the frame grid (25 fps: every 4 cs), where libass and the stills agree.
WORDS = [Word(0.31, 0.57, "Make"), Word(0.61, 0.83, "it"), Word(0.87, 1.31, "pop."),
         Word(1.91, 2.37, "Wonderful"), Word(2.41, 2.69, "things,"), Word(3.13, 3.49, "yes")]


def _frames(graph: str, seconds: float) -> np.ndarray:
    """The frames of a filtergraph over a textured W x H picture (``[in]`` -> ``[out]``)."""
    source = (f"testsrc2=s={W}x{H}:r={FPS}:d={seconds},format=yuv420p[in];")
    cmd = [*base_args(), "-loglevel", "error", "-filter_complex", source + graph,
           "-map", "[out]", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
    raw = subprocess.run(cmd, capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, H, W, 3).astype(np.int16)


def _both(lay, tmp: Path, seconds: float) -> tuple[np.ndarray, np.ndarray, object]:
    direct = tmp / "direct.ass"
    direct.write_text(ass_document(lay))
    fonts = escape_filter_path(str(font_dir()))
    libass = _frames(f"[in]subtitles=filename={escape_filter_path(str(direct))}:"
                     f"fontsdir={fonts}[out]", seconds)
    stills = caption_stills(lay)
    assert stills is not None
    chains = stills_chains(stills, workdir=tmp, fonts=font_dir(), src="in", dst="out")
    return libass, _frames(";".join(chains), seconds), stills


@pytest.mark.parametrize("style", ["bold", "boxed", "minimal"])
def test_stills_look_like_libass_on_every_frame(tmp_path, style):
    lay = layout_captions(WORDS, width=W, height=H, style=style,
                          safe=safe_zone("tiktok", W, H))
    libass, stills, made = _both(lay, tmp_path, 4.4)
    assert libass.shape == stills.shape
    plain = _frames("[in]null[out]", 4.4)
    ink = np.abs(libass - plain).max(axis=3) > 40
    assert ink[round(0.4 * FPS)].sum() > 300  # a caption is up at 0.4 s...
    assert not ink[round(4.2 * FPS)].any()  # ...and none once the last word is over
    # Frame for frame the same caption in the same place; colours round differently only
    # along the letters' edges (4:2:0 chroma over a colourful picture).
    same = np.abs(stills - plain).max(axis=3) > 40
    diff = np.abs(libass - stills).max(axis=3)
    for n in range(len(diff)):
        assert (ink[n] ^ same[n]).sum() <= 0.02 * ink[n].sum(), n
        assert (diff[n] > 24).sum() <= 0.03 * ink[n].sum(), n
        assert diff[n].max() <= 64 and (not ink[n].any() or diff[n][ink[n]].mean() < 6), n
    rows = np.flatnonzero(ink.any(axis=(0, 2)))
    assert made.top <= rows.min() and rows.max() < made.top + made.height


def test_a_caption_that_wraps_stays_inside_the_band(tmp_path):
    lay = layout_captions(WORDS[:2], width=W, height=H, safe=safe_zone("tiktok", W, H))
    two_lines = ("Ágg jÉy", "QUITE", "LONG")  # libass breaks at \N: two lines of capitals
    e = CaptionEvent(40, 180, (escape_text(two_lines[0]) + r"\N" + two_lines[1], two_lines[2]), 1)
    lay = replace(lay, events=(e,))
    libass, stills, made = _both(lay, tmp_path, 2.0)
    ink = np.abs(libass[25] - _frames("[in]null[out]", 2.0)[25]).max(axis=2) > 40
    rows = np.flatnonzero(ink.any(axis=1))
    assert rows.max() - rows.min() > 1.6 * lay.size  # two lines drawn
    assert made.top <= rows.min() and rows.max() < made.top + made.height
    assert (np.abs(libass[25] - stills[25]).max(axis=2) > 24).sum() <= 0.03 * ink.sum()


def test_still_times():
    lay = layout_captions(WORDS, width=W, height=H)
    made = caption_stills(lay)
    assert made is not None
    # blank until the first word, then each word's caption; blank between the groups'
    # holds and after the last
    assert made.starts[0] == 0 and made.starts[1] == 31
    assert list(made.starts) == sorted(set(made.starts))
    assert made.colour.count("Dialogue:") == len(lay.events)
    assert made.coverage.count("Dialogue:") == len(lay.events)
    assert "&H00E6FF" not in made.coverage and "&H00E6FF" in made.colour
    assert caption_stills(replace(lay, events=())) is None
    expr = made.pts_expr()
    assert expr.count("if(") == len(made.starts) - 1
