"""What a new user tripped on (issue 22), each run as the user ran it: the exact command and
the exact message or behaviour. Batch after edit and exit 5 are in test_batch.py and
test_export.py; options after the command in test_options.py."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from creator_tools.analysis.result import Analysis
from tests import mediagen
from tests.conftest import assert_one_clean_error, run_cli


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return {"CREATOR_CACHE_DIR": str(tmp_path / "cache"), "CREATOR_INDEX": str(tmp_path / "ix"),
            "CREATOR_CONFIG": str(tmp_path / "none.toml")}


# -- 3. captions never silently absent ----------------------------------------------------

def test_an_edit_without_captions_says_why(tmp_path, env):
    tone = mediagen.simple_clip("tone-2s", duration=2.0)  # a sine: no words
    silent = mediagen.simple_clip("mute-2s", duration=2.0, audio=False)
    for clip, why in ((tone, "no captions: no words were heard"),
                      (silent, "no captions: the clip has no sound")):
        r = run_cli("edit", str(clip), "--plan-only", "-o", str(tmp_path / "o.mp4"), "--force",
                    env=env)
        assert r.returncode == 0, r.stderr
        assert f"note: {why}" in r.stderr
    r = run_cli("edit", str(tone), "--plan-only", "--no-captions", "-o", str(tmp_path / "o.mp4"),
                "--force", env=env)
    assert "no captions" not in r.stderr  # off by choice: nothing to explain
    # faster-whisper that cannot be imported (an unloadable stand-in shadows it)
    fake = tmp_path / "site" / "faster_whisper"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('not installed')\n")
    r = run_cli("edit", str(tone), "--plan-only", "-o", str(tmp_path / "o.mp4"), "--force",
                env={**env, "PYTHONPATH": str(fake.parent)})
    assert r.returncode == 0, r.stderr
    assert "note: no captions: faster-whisper cannot be imported" in r.stderr


# -- 5. hints that point to the right command -----------------------------------------------

def test_edit_points_to_captions_and_batch(tmp_path, env):
    wav = mediagen.speech_clip(video=False).path
    r = run_cli("edit", str(wav), env=env)
    assert r.returncode == 3
    assert_one_clean_error(r.stderr, "no video stream: nothing to edit into a video (to "
                                     f"caption its speech: creator captions {wav})")
    folder = tmp_path / "my drafts"
    folder.mkdir()
    r = run_cli("edit", str(folder), env=env)
    assert r.returncode == 3
    assert_one_clean_error(r.stderr, "is a directory, not a file (to edit every clip in it: "
                                     f"creator batch '{folder}')")


def test_analyze_plots_several_clips_into_a_folder(tmp_path, env):
    a = mediagen.simple_clip("plot-a", duration=1.0)
    b = mediagen.simple_clip("plot-b", duration=1.0)
    r = run_cli("analyze", str(a), str(b), "--plot", str(tmp_path / "x.png"), env=env)
    assert r.returncode == 2
    assert_one_clean_error(r.stderr, "--plot FILE.png takes one clip; for several, give a "
                                     "folder (--plot plots/)")
    r = run_cli("analyze", str(a), str(b), "--plot", str(tmp_path / "plots") + "/", env=env)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == sorted(
        [f"{a.stem}.pacing.png", f"{b.stem}.pacing.png"])


# -- 6. the analysis text -------------------------------------------------------------------

def _report(a: Analysis, width: int = 80) -> str:
    from rich.console import Console

    from creator_tools.cli.report import print_report

    console = Console(width=width, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    print_report(console, a)
    return console.export_text()


def test_report_counts_read_as_english_and_advice_lines_up(env, monkeypatch):
    from creator_tools.analysis.engine import analyze

    for k, v in env.items():
        monkeypatch.setenv(k, v)
    a = analyze(mediagen.simple_clip("tone-2s", duration=2.0))
    text = _report(a, width=72)
    assert "1 (" in text and "1 silent gap" in text and "1 silent gaps" not in text
    assert not re.search(r"\b1 (shots|spans|gaps|beats|transitions|stretches)\b", text)
    rows = text.split("advice\n", 1)[1].splitlines()
    codes = [r for r in rows if re.match(r" [A-Z_]{4,}", r)]
    assert codes, text
    starts = {len(r) - len(r.split("  ")[-1].lstrip()) for r in codes}
    assert len(starts) == 1, rows  # every message starts in the same column
    # a wrapped message continues in its own column, not under the codes
    wrapped = [r for r in rows if r.strip() and not re.match(r" [A-Z_]{4,}", r)]
    assert all(r.startswith(" " * min(starts)) for r in wrapped), rows


def test_a_true_peak_over_full_scale_is_clipping(shared_media, env, monkeypatch):
    from creator_tools.analysis.engine import analyze

    for k, v in env.items():
        monkeypatch.setenv(k, v)
    a = analyze(shared_media / "video" / "box.mp4")  # MP3 decoded over full scale: +4.6 dBTP
    assert a.loudness is not None and a.loudness.true_peak_dbtp > 0
    assert a.loudness.clipping and "CLIPPING" in [x.code for x in a.advice]


def test_the_plot_has_a_legend(tmp_path):
    import cv2

    from creator_tools.analysis.engine import analyze
    from creator_tools.analysis.plot import LEGEND, render_plot

    a = analyze(mediagen.simple_clip("tone-2s", duration=2.0))
    out = render_plot(a, tmp_path / "p.png")
    img = cv2.imread(str(out))
    legend = img[-36:, 110:]
    assert (legend != legend[0, 0]).any(axis=2).mean() > 0.01  # swatches and words drawn
    labels = {label for _, label, _ in LEGEND}
    assert {"hook window (first 3 s)", "speech", "silence", "cut", "beat"} <= labels


# -- 7. suggestions and search say what they mean --------------------------------------------

def test_a_half_time_track_says_so():
    from creator_tools.suggest.music import _tempo_fit

    assert _tempo_fit(80.0, 160.0) == (pytest.approx(1.0), "half time of ")
    assert _tempo_fit(150.0, 75.0)[1] == "double time of "
    assert _tempo_fit(120.0, 118.0)[1] == ""


def test_trends_search_matches_words_and_stems_not_substrings(tmp_path, env):
    data = tmp_path / "tags.csv"
    with data.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["tag", "niche", "description", "as_of"])
        w.writerow(["#bikelife", "sports", "Riding bikes in the city", "2026-11-01"])
        w.writerow(["#upcycling", "diy", "Turning old things into new", "2026-11-01"])
    assert run_cli("trends", "import", str(data), "--kind", "hashtags", env=env).returncode == 0
    r = run_cli("trends", "search", "biking", "--json", env=env)
    assert r.returncode == 0 and "#bikelife" in r.stdout
    r = run_cli("trends", "search", "cycling", "--json", env=env)
    assert "#upcycling" not in r.stdout
    r = run_cli("trends", "search", "cycling", env=env)
    assert "nothing matches 'cycling'" in r.stderr
    assert "bike" not in r.stderr  # the stems it tried are the query's own
    assert "cycl" in r.stderr


# -- 8. lists say how much they hide -----------------------------------------------------------

def test_trends_list_says_how_many_it_shows(env):
    r = run_cli("trends", "list", "--kind", "hashtags", env=env)
    assert r.returncode == 0, r.stderr
    shown, total = map(int, re.search(r"hashtags \((\d+) of (\d+)\)", r.stdout).groups())
    assert shown == 50 < total
    assert "--limit 0 shows all" in r.stderr


# -- 9. help text ---------------------------------------------------------------------------------

def _commands(cmd: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [path]
    for name, sub in getattr(cmd, "commands", {}).items():
        out += _commands(sub, (*path, name))
    return out


def test_no_help_text_shows_markup_or_brace_metavars():
    from creator_tools.cli.app import app

    paths = _commands(typer.main.get_command(app))
    assert len(paths) > 20
    bad = []
    for path in paths:
        r = subprocess.run([sys.executable, "-m", "creator_tools", *path, "--help"],
                           capture_output=True, text=True, env={**os.environ, "COLUMNS": "100"},
                           check=False)
        assert r.returncode == 0, (path, r.stderr)
        for needle in ("``", ":func:", ":class:", ":mod:", "{", "}"):
            if needle in r.stdout:
                bad.append((" ".join(path), needle))
    assert not bad, bad
    usage = run_cli("edit", "--help").stdout.splitlines()[0]
    assert usage.endswith(" edit [OPTIONS] CLIP"), usage


# -- 10. editors' exports -----------------------------------------------------------------------

def test_exports_carry_the_output_size_and_say_what_they_leave_out(tmp_path, env):
    clip = mediagen.simple_clip("export-size", duration=2.0)
    plan = tmp_path / "p.plan.json"
    r = run_cli("plan", str(clip), "-o", str(plan), "--music", "lofi-late-night", "--look",
                "warm", env=env)
    assert r.returncode == 0, r.stderr
    r = run_cli("export", str(plan), "--to", "fcpxml", env=env)
    assert r.returncode == 0, r.stderr
    fcpxml = (tmp_path / "p.fcpxml").read_text()
    seq_format = re.search(r'<sequence [^>]*format="(r\d+)"', fcpxml).group(1)
    assert re.search(rf'<format id="{seq_format}" [^>]*width="1080" height="1920"', fcpxml)
    note = r.stderr.split("note: ", 1)[1]
    for left in ("crop to 1080x1920", "the look (warm)", "the music bed (lofi-late-night.m4a)",
                 "loudness"):
        assert left in note, note
    r = run_cli("export", str(plan), "--to", "xml", env=env)
    xml = (tmp_path / "p.xml").read_text()
    assert re.search(r"<samplecharacteristics>.*<width>1080</width>\s*<height>1920</height>",
                     xml, re.S)
    doc = (Path(__file__).resolve().parents[1] / "docs" / "plan-format.md").read_text()
    assert "What no export carries" in doc
