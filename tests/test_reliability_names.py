"""Issue #8: hostile file names in every command that takes a file.

Spaces, quotes, brackets, colons, commas, percent signs, backslashes and non-ASCII letters, in
the file's name and in its folder's, go through ``probe``, ``analyze``, ``suggest``,
``captions``, ``edit``, ``export`` and ``batch`` (folder, stdin lines, ``find -print0``).
A name that starts with ``-`` is an option to the command line: it is passed as ``./-name``
or after ``--``. (``tests/test_edit.py`` and ``tests/test_plan_safety.py`` render hostile
names through edit and render.)
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from creator_tools.media.probe import probe
from tests import mediagen
from tests.conftest import run_cli
from tests.corpus import FAST, sha256

NAME = "clip 'q' \"w\" [x] a:b, 100% \\ é ü"
FOLDER = "in: 'a' [b], 5% \\ ü"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "env"
    return {"CREATOR_CACHE_DIR": str(home / "cache"), "CREATOR_INDEX": str(home / "idx.sqlite"),
            "CREATOR_CONFIG": str(home / "config.toml")}


def _source() -> Path:
    return mediagen.simple_clip("names", size="320x240", duration=1.0)


def _ok(r) -> None:
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "error:" not in r.stderr, r.stderr


def _file_url_path(url: str) -> str:
    return unquote(urlparse(url).path)


def test_hostile_names_in_every_command(tmp_path: Path, env: dict[str, str]) -> None:
    folder = tmp_path / FOLDER
    folder.mkdir()
    clip = folder / f"{NAME}.mp4"
    shutil.copyfile(_source(), clip)
    digest = sha256(clip)
    cwd = tmp_path / "cwd"
    cwd.mkdir()

    r = run_cli("probe", "--json", str(clip), env=env, cwd=cwd)
    _ok(r)
    assert json.loads(r.stdout)["path"] == str(clip)
    r = run_cli("analyze", "--json", str(clip), env=env, cwd=cwd)
    _ok(r)
    assert json.loads(r.stdout)["media"]["path"] == str(clip)
    r = run_cli("suggest", "--json", "--no-transcribe", str(clip), env=env, cwd=cwd)
    _ok(r)
    assert json.loads(r.stdout)["caption"]
    r = run_cli("captions", "-o", str(folder / f"{NAME}.json"), str(clip), env=env, cwd=cwd)
    _ok(r)
    assert "segments" in json.loads((folder / f"{NAME}.json").read_text())

    r = run_cli("edit", "--json", *FAST, str(clip), env=env, cwd=cwd)
    _ok(r)
    video = folder / f"{NAME}.edited.mp4"
    assert json.loads(r.stdout)["output"] == str(video)
    assert probe(video).video.width == 1080
    plan = folder / f"{NAME}.edited.plan.json"
    for fmt, ext in (("otio", ".otio"), ("fcpxml", ".fcpxml"), ("xml", ".xml"), ("edl", ".edl")):
        r = run_cli("export", "--to", fmt, str(plan), env=env, cwd=cwd)
        _ok(r)
        text = (folder / f"{NAME}.edited{ext}").read_text(encoding="utf-8")
        if fmt == "otio":
            urls = _values(json.loads(text), "target_url")
            assert urls and {_file_url_path(u) for u in urls} == {str(clip)}
        elif fmt == "edl":
            assert f"* FROM CLIP: {clip}\n" in text, text
        else:
            root = ET.fromstring(text)
            urls = [e.get("src") for e in root.iter() if e.get("src")]
            urls += [e.text for e in root.iter("pathurl")]
            assert urls and {_file_url_path(u) for u in urls} == {str(clip)}

    out = tmp_path / "batch out"
    r = run_cli("batch", "--json", "-o", str(out), *FAST, str(folder), env=env, cwd=cwd)
    _ok(r)
    assert json.loads(r.stdout)["output"] == str(out / f"{NAME}.edited.mp4")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{NAME}.edited{s}" for s in (".mp4", ".plan.json", ".caption.txt")])

    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [clip.name, f"{NAME}.json"]
        + [f"{NAME}.edited{s}" for s in (".mp4", ".plan.json", ".caption.txt", ".otio",
                                         ".fcpxml", ".xml", ".edl")])
    assert sha256(clip) == digest
    assert list(cwd.iterdir()) == []


def _values(node: object, key: str) -> list[str]:
    """Every value of ``key`` anywhere in a JSON document."""
    found = []
    if isinstance(node, dict):
        found += [node[key]] if key in node else []
        for v in node.values():
            found += _values(v, key)
    elif isinstance(node, list):
        for v in node:
            found += _values(v, key)
    return found


def test_batch_reads_hostile_names_from_stdin(tmp_path: Path, env: dict[str, str]) -> None:
    """One name a line, or NUL-separated as ``find -print0`` writes them (names kept exactly:
    a leading space too)."""
    folder = tmp_path / FOLDER
    folder.mkdir()
    a, b = folder / f"{NAME}.mp4", folder / f" -{NAME}.mp4"
    for p in (a, b):
        shutil.copyfile(_source(), p)
    out = tmp_path / "out"
    r = run_cli("batch", "--json", "-o", str(out), *FAST, "-", stdin=f"{a}\n", env=env,
                cwd=tmp_path)
    _ok(r)
    assert [json.loads(ln)["status"] for ln in r.stdout.splitlines()] == ["ok"]
    r = run_cli("batch", "--json", "-o", str(out), *FAST, "-", stdin=f"{a}\0{b}\0", env=env,
                cwd=tmp_path)
    _ok(r)
    records = {json.loads(ln)["input"]: json.loads(ln)["status"] for ln in r.stdout.splitlines()}
    assert records == {str(a): "skipped", str(b): "ok"}  # a: done by the first run
    assert (out / f" -{NAME}.edited.mp4").is_file()


#: How each command is given the clip ``-dash.mp4`` (or the plan ``-dash.edited.plan.json``),
#: and which of the two spellings (``./-dash.mp4``, ``-- -dash.mp4``) it gets: both are
#: click's (shared by every command), so each command gets one and the cheap ones both.
DASH_COMMANDS = [
    (["probe", "--json"], ("./", "--")),
    (["analyze", "--json"], ("./", "--")),
    (["suggest", "--json", "--no-transcribe"], ("./", "--")),
    (["captions", "-o", "dash.json"], ("./",)),
    (["edit", "--json", *FAST], ("--",)),
    (["export", "--to", "otio", "-o", "dash.otio", "--force"], ("./", "--")),
    (["batch", "--json", "-o", "out", *FAST], ("./",)),
]


def test_leading_dash_names(tmp_path: Path, env: dict[str, str]) -> None:
    """``creator CMD ./-name.mp4`` and ``creator CMD [OPTIONS] -- -name.mp4`` work in every
    command; a bare ``-name.mp4`` is taken for an option (click's usage error, exit 2)."""
    shutil.copyfile(_source(), tmp_path / "-dash.mp4")
    r = run_cli("probe", "-dash.mp4", env=env, cwd=tmp_path)
    assert r.returncode == 2 and "No such option" in r.stderr and "Traceback" not in r.stderr
    for args, forms in DASH_COMMANDS:
        name = "-dash.edited.plan.json" if args[0] == "export" else "-dash.mp4"
        for form in forms:
            arg = ["--", name] if form == "--" else [f"./{name}"]
            r = run_cli(*args, *arg, env=env, cwd=tmp_path)
            assert r.returncode == 0, (args[0], form, r.stderr)
            assert "Traceback" not in r.stderr, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == sorted([
        "-dash.mp4", "dash.json", "dash.otio", "-dash.edited.mp4", "-dash.edited.plan.json",
        "-dash.edited.caption.txt"])
    assert (tmp_path / "out" / "-dash.edited.mp4").is_file()
