"""Issue #8, the bad-input corpus: every input of ``tests/corpus.py`` through ``probe``,
``analyze``, ``suggest``, ``edit`` and ``batch``, run as real processes.

A bad input gets its documented exit status, exactly one ``error:`` line and no traceback,
leaves no file behind (neither under the final name nor a temporary one, nor a cache entry)
and is not modified. A valid one gives a correct edit: H.264 yuv420p 1080x1920, AAC 48 kHz
stereo, the planned duration, sane loudness. The cases run two at a time, all of them as soon
as the first test needs its outcomes; ``docs/reliability.md`` holds the table of outcomes
(``python -m tests.corpus`` prints it).

To stay within the suite's time, ``batch`` runs on every bad input but only on the valid inputs
of :data:`BATCH_VALID` (every other valid one is rendered by ``edit`` already, and ``batch``
runs the same edit); ``CREATOR_FULL_CORPUS=1`` runs ``batch`` on all of them.
"""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path

import pytest

from creator_tools.errors import InputError
from creator_tools.fs import atomic_output
from creator_tools.media.probe import probe
from tests import corpus
from tests.conftest import assert_one_clean_error, run_cli
from tests.corpus import CASES, COMMANDS, Case, Outcome

#: Valid inputs that ``batch`` also runs on in the default (quick) run.
BATCH_VALID = {"video, no audio", "1x1 video", "rotated 90", "48 kHz 6-channel audio",
               "digital silence, 3 s"}
FULL = os.environ.get("CREATOR_FULL_CORPUS") == "1"


def _commands(case: Case) -> tuple[str, ...]:
    if FULL or not case.valid or case.name in BATCH_VALID:
        return COMMANDS
    return tuple(c for c in COMMANDS if c != "batch")


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest) -> dict[str, dict[str, Outcome] | str]:
    """The outcomes of the cases this session selected (run two at a time)."""
    wanted = {item.callspec.params["case"].name for item in request.session.items
              if hasattr(item, "callspec") and isinstance(item.callspec.params.get("case"),
                                                          Case)}
    cases = tuple(c for c in CASES if c.name in wanted)
    return corpus.run_all(2, cases, _commands)


def _check_failure(case: Case, o: Outcome) -> None:
    """A refused input: one clean error line naming the problem, nothing left behind."""
    assert len(o.error_lines) == 1, o.stderr
    assert case.error_for(o.command) in o.error_lines[0], (case.error_for(o.command), o.stderr)
    assert o.new_files == [], o.new_files
    assert o.cache_entries == 0 or case.expect["analyze"] == 0, "a failed run left a cache entry"
    if o.command == "batch" and o.stdout:  # --json: the clip's record says why
        (record,) = [json.loads(line) for line in o.stdout.splitlines()]
        assert record["status"] == "failed" and record["error"] in o.error_lines[0]
    else:
        assert o.stdout.strip() == "", o.stdout


def _check_edit(case: Case, o: Outcome) -> None:
    """A finished 9:16 edit that tells the truth about itself."""
    m = o.media
    assert m is not None
    v, a = m["video"], m["audio"]
    assert (v["codec"], v["pix_fmt"], v["bit_depth"], v["hdr"]) == ("h264", "yuv420p", 8, False)
    assert (v["width"], v["height"], v["rotation"]) == (1080, 1920, 0)
    assert a is not None and (a["codec"], a["sample_rate"], a["channels"]) == ("aac", 48000, 2)
    assert m["duration"] > 0.1 and m["duration"] == pytest.approx(m["plan_duration"], abs=0.1)
    lufs, peak = o.loudness
    assert not math.isnan(lufs) and not math.isnan(peak)
    assert peak <= -1.0, f"true peak {peak} dBTP"
    if case.name.startswith(("video, no audio", "digital silence")) and "--music" in o.args:
        assert lufs <= -69 and peak < -60, "silence came out as sound"
    if case.name == "loud, clipped audio":
        assert lufs == pytest.approx(-14, abs=1.5)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus(case: Case, outcomes: dict[str, dict[str, Outcome] | str]) -> None:
    result = outcomes[case.name]
    if isinstance(result, str):
        pytest.skip(result)
    known = []
    for command, o in result.items():
        where = f"{case.name} / {command}: rc={o.rc}\n{o.stderr}"
        assert "Traceback" not in o.stderr and "Warning:" not in o.stderr, where
        assert o.input_unchanged, f"{where}: the input changed"
        assert not [f for f in o.new_files if ".tmp" in f], f"{where}: temporary files left"
        expected = case.expect.get(command.split()[0], 0)
        if o.rc != expected and command in case.known:
            known.append(f"{command}: {case.known[command]}")
            continue
        assert o.rc == expected, where
        if expected != 0:
            _check_failure(case, o)
            continue
        for line in o.stdout.splitlines():  # every --json record parses (no NaN either)
            json.loads(line)
        if command.startswith("edit"):
            _check_edit(case, o)
            assert sorted(os.path.basename(f) for f in o.new_files) == sorted(
                f"{os.path.splitext(os.path.basename(o.args[o.args.index('-o') + 1]))[0]}{s}"
                for s in (".mp4", ".plan.json", ".caption.txt")), o.new_files
        elif command == "batch":
            assert [json.loads(o.stdout)["status"]] == ["ok"]
            assert sorted(os.path.basename(f) for f in o.new_files) == [
                "clip.edited.caption.txt", "clip.edited.mp4", "clip.edited.plan.json"], \
                o.new_files  # the in-progress marker is gone once the edit is done
        else:
            assert o.new_files == [], o.new_files
    if known:
        pytest.xfail("; ".join(known))


# ---------------------------------------------------------------------------------------
# Output files: permissions, long names, impossible names
# ---------------------------------------------------------------------------------------

def test_outputs_get_the_usual_permissions(tmp_path: Path) -> None:
    """Not mkstemp's private 0600: 0666 less the umask, as any program's new file."""
    old = os.umask(0o027)
    try:
        with atomic_output(tmp_path / "x.txt") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.txt").stat().st_mode) == 0o640


def test_long_output_names(tmp_path: Path) -> None:
    name = "é" * 120 + ".mp4"  # 244 bytes: the name fits, ".NAME.XXXXXXXX.tmp.mp4" would not
    with atomic_output(tmp_path / name) as tmp:
        assert len(os.fsencode(tmp.name)) < 128
        tmp.write_text("x")
    assert [p.name for p in tmp_path.iterdir()] == [name]
    with pytest.raises(InputError, match="too long"), atomic_output(tmp_path / ("a" * 300)):
        pass
    with pytest.raises(InputError, match="NUL"), atomic_output(tmp_path / "a\0b"):
        pass
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_long_output_name_on_the_command_line(tmp_path: Path) -> None:
    env = {"CREATOR_INDEX": str(tmp_path / "idx.sqlite")}
    ok = tmp_path / ("ü" * 120 + ".json")
    r = run_cli("trends", "export", "-o", str(ok), env=env)
    assert r.returncode == 0 and ok.is_file(), r.stderr
    r = run_cli("trends", "export", "-o", str(tmp_path / ("x" * 300 + ".json")), env=env)
    assert r.returncode == 3, r.stderr
    assert_one_clean_error(r.stderr, "unusable output name: File name too long")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([ok.name, "idx.sqlite"])


def test_nul_in_an_input_path() -> None:
    with pytest.raises(InputError, match="NUL"):
        probe("clip\0.mp4")


def test_a_long_crop_path_renders(tmp_path: Path) -> None:
    """A crop that moves every frame for 4 s (100 frames: 99 pieces)."""
    from dataclasses import replace
    from fractions import Fraction

    from creator_tools.edit.plan import EditPlan, Keyframe, OutputSpec, Segment, Source
    from creator_tools.edit.render import render
    from tests import mediagen

    clip = mediagen.simple_clip("kf", size="640x360", fps=25, duration=4.0)
    plan = EditPlan(timebase=Fraction(1, 25),
                    sources=[Source("main", str(clip), 100, has_video=True, has_audio=True)],
                    segments=[Segment(0, 100)],
                    output=OutputSpec(width=360, height=640, fps="25", preset="ultrafast"))
    plan.reframe = replace(plan.reframe, mode="crop",
                           keyframes=[Keyframe(t, 0.3 + 0.4 * (t % 2), 0.5) for t in range(100)])
    out = render(plan, tmp_path / "x.mp4").output
    assert probe(out).video.frames == 100
