"""Filtergraph escaping (:mod:`creator_tools.media.ffmpeg_escape`): a model of ffmpeg's parser,
and real ffmpeg runs with a LUT behind hostile file names."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from creator_tools.looks.cube import Lut3D, identity, write_cube
from creator_tools.media.ffmpeg import base_args
from creator_tools.media.ffmpeg_escape import escape_filter_path, quote_token

_WHITESPACE = " \n\t\r"

HOSTILE_NAMES = (
    "with space.cube",
    "it's a 'quote'.cube",
    'double "quote".cube',
    "colon:name.cube",
    "comma, semi;colon.cube",
    "[brackets] and =equals.cube",
    "back\\slash\\.cube",
    "trailing backslash \\.cube",
    "100% pure %d %s.cube",
    "ünïcødé ✓ 日本語.cube",
    "  leading spaces.cube",
    "-starts with dash.cube",
    "all ' \" : , ; [ ] \\ % = é $HOME `x`.cube",
)


def av_get_token(buf: str, term: str) -> tuple[str, str]:
    """Python model of libavutil's ``av_get_token``: (token, rest of ``buf``)."""
    i = 0
    while i < len(buf) and buf[i] in _WHITESPACE:
        i += 1
    out: list[str] = []
    end = 0
    while i < len(buf) and buf[i] not in term:
        c = buf[i]
        i += 1
        if c == "\\" and i < len(buf):
            out.append(buf[i])
            i += 1
            end = len(out)
        elif c == "'":
            while i < len(buf) and buf[i] != "'":
                out.append(buf[i])
                i += 1
            if i < len(buf):
                i += 1
                end = len(out)
        else:
            out.append(c)
    while len(out) > end and out[-1] in _WHITESPACE:
        out.pop()
    return "".join(out), buf[i:]


def parse_filter_option(graph: str, option: str) -> str:
    """What a filter receives for ``option`` from a one-filter graph ``name=args``."""
    _filter, _, rest = graph.partition("=")
    args, left = av_get_token(rest, "[],;")
    assert left == "", f"graph parser stopped early at {left!r}"
    while args:
        key, _, args = args.partition("=")
        value, args = av_get_token(args, ":")
        if key == option:
            return value
        args = args[1:]  # the ':' separator
    raise AssertionError(f"no option {option!r} in {graph!r}")


@given(st.text(alphabet=st.characters(blacklist_characters="\0"), max_size=40))
def test_model_round_trip_of_any_text(text):
    graph = f"lut3d=file={escape_filter_path(text)}:interp=trilinear"
    assert parse_filter_option(graph, "file") == text
    assert parse_filter_option(graph, "interp") == "trilinear"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_model_round_trip_of_hostile_names(name):
    path = f"/tmp/dir: [x], 'y'/{name}"
    assert parse_filter_option(f"lut3d=file={escape_filter_path(path)}", "file") == path


def test_one_level_token():
    assert quote_token("a'b") == "'a'\\''b'"
    assert av_get_token(quote_token("x:y, z'"), ":,")[0] == "x:y, z'"


def test_nul_is_refused():
    with pytest.raises(ValueError, match="NUL"):
        escape_filter_path("bad\0name.cube")


def test_accepts_path_objects():
    assert escape_filter_path(Path("/a b/c.cube")) == escape_filter_path("/a b/c.cube")


# ---------------------------------------------------------------------------------------
# Real ffmpeg
# ---------------------------------------------------------------------------------------

def _test_lut() -> Lut3D:
    grid = identity(9).table
    return Lut3D(9, np.clip(grid[..., ::-1] * 0.8 + 0.1, 0, 1), title="swap r/b")


def _render(lut_path: Path) -> np.ndarray:
    graph = (f"format=rgb24,lut3d=file={escape_filter_path(lut_path)}:interp=trilinear,"
             "format=rgb24")
    cmd = [*base_args(), "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=s=64x48:d=1",
           "-frames:v", "1", "-vf", graph, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
    proc = subprocess.run(cmd, capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return np.frombuffer(proc.stdout, np.uint8).reshape(48, 64, 3)


@cache
def _reference(tmp_root: str) -> np.ndarray:
    plain = Path(tmp_root) / "plain.cube"
    write_cube(_test_lut(), plain)
    return _render(plain)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_ffmpeg_reads_lut_behind_hostile_name(tmp_path_factory, name):
    root = tmp_path_factory.getbasetemp()
    ref = _reference(str(root))
    folder = tmp_path_factory.mktemp("dir") / "sub dir: [x], 'y' %z"
    folder.mkdir()
    target = folder / name
    shutil.copyfile(root / "plain.cube", target)
    out = _render(target)
    assert np.array_equal(out, ref)
    # The LUT really was applied (red and blue swapped, compressed).
    src = _render_identity(root)
    assert not np.array_equal(out, src)


def _render_identity(root: Path) -> np.ndarray:
    path = root / "identity.cube"
    if not path.exists():
        write_cube(identity(2), path)
    return _render(path)
