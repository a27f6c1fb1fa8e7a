"""``creator batch``: many clips, bad ones reported, resumable, interruptible, on Dask."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from creator_tools.batch.collect import collect_clips, relative_folder
from creator_tools.batch.jobs import is_up_to_date, marker_path, targets_for
from creator_tools.media.probe import probe
from creator_tools.settings import EditChoices
from tests import mediagen
from tests.conftest import assert_one_clean_error, default_sigint, run_cli

#: Cheaper renders: the tests are about the batch, not about the look of the edit.
LEAN = ("--look", "none", "--music", "none", "--no-enhance")
RECORD_KEYS = {"input", "status", "output", "error", "duration_before", "duration_after"}


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    """A private analysis cache, trend index and (absent) config for every CLI run."""
    home = tmp_path_factory.mktemp("batch-env")
    return {"CREATOR_CACHE_DIR": str(home / "cache"), "CREATOR_INDEX": str(home / "idx.sqlite"),
            "CREATOR_CONFIG": str(home / "config.toml")}


def batch(*args: str, env: dict[str, str], cwd: Path,
          stdin: str | None = None) -> tuple[subprocess.CompletedProcess[str], dict[str, dict]]:
    """Run ``creator batch ARGS --json``; the NDJSON records by input file name."""
    r = run_cli("batch", *args, "--json", *LEAN, env=env, cwd=cwd, stdin=stdin)
    assert "Traceback" not in r.stderr, r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines()]  # nothing else on stdout
    for rec in records:
        assert set(rec) == RECORD_KEYS, rec
    by_name = {Path(rec["input"]).name: rec for rec in records}
    assert len(by_name) == len(records), records
    return r, by_name


def check_video(path: Path, duration: float) -> None:
    """A finished edit: H.264 + AAC, 1080x1920, about ``duration`` seconds."""
    info = probe(path)
    assert info.video is not None and info.audio is not None
    assert (info.video.codec, info.video.pix_fmt) == ("h264", "yuv420p")
    assert (info.video.display_width, info.video.display_height) == (1080, 1920)
    assert info.audio.codec == "aac"
    assert info.duration == pytest.approx(duration, abs=0.15)


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if ".tmp." in p.name]


# ---------------------------------------------------------------------------------------
# A folder of two good clips and two bad ones
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("clips")
    shutil.copy(mediagen.simple_clip("batch-a", duration=2.0), folder / "a.mp4")
    shutil.copy(mediagen.simple_clip("batch-b", duration=2.5, fps=25), folder / "b.mp4")
    shutil.copy(mediagen.not_media_file(), folder / "notes.mp4")
    shutil.copy(mediagen.empty_file(), folder / "empty.mp4")
    return folder


@pytest.fixture(scope="module")
def first_run(clips, env):
    return batch(str(clips), "--jobs", "2", env=env, cwd=clips.parent)


def test_good_clips_are_edited_and_bad_ones_reported(clips, first_run):
    r, rec = first_run
    assert r.returncode == 3, r.stderr
    assert {k: v["status"] for k, v in rec.items()} == {
        "a.mp4": "ok", "b.mp4": "ok", "notes.mp4": "failed", "empty.mp4": "failed"}, rec
    assert "empty" in rec["empty.mp4"]["error"] and rec["empty.mp4"]["output"] is None
    assert "not a readable media file" in rec["notes.mp4"]["error"]
    for name, duration in (("a", 2.0), ("b", 2.52)):
        out = clips / f"{name}.edited.mp4"
        assert rec[f"{name}.mp4"]["output"] == str(out)
        assert rec[f"{name}.mp4"]["duration_before"] == pytest.approx(duration, abs=0.05)
        check_video(out, rec[f"{name}.mp4"]["duration_after"])
        assert (clips / f"{name}.edited.plan.json").is_file()
        assert (clips / f"{name}.edited.caption.txt").is_file()
    assert not leftovers(clips)
    assert not list(clips.glob("*.edited.*.edited.*"))
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 2 and any("notes.mp4" in e for e in errors), r.stderr


def test_rerun_skips_done_clips_and_force_redoes(clips, env, first_run):
    out = clips / "a.edited.mp4"
    before = out.stat().st_mtime_ns
    r, rec = batch(str(clips), env=env, cwd=clips.parent)
    assert r.returncode == 3
    assert {k: v["status"] for k, v in rec.items()} == {
        "a.mp4": "skipped", "b.mp4": "skipped", "notes.mp4": "failed", "empty.mp4": "failed"}
    assert rec["a.mp4"]["duration_before"] == pytest.approx(2.0, abs=0.05)
    assert rec["a.mp4"]["output"] == str(out) and out.stat().st_mtime_ns == before

    r, rec = batch(str(clips / "a.mp4"), "--force", env=env, cwd=clips.parent)
    assert r.returncode == 0, r.stderr
    assert rec["a.mp4"]["status"] == "ok" and out.stat().st_mtime_ns != before
    check_video(out, 2.0)


def test_changed_options_or_input_mean_redo(clips, env, first_run):
    video = clips / "b.edited.mp4"
    assert not marker_path(video).exists()  # the marker only lives while an edit runs
    done = EditChoices(look="none", music="none", enhance=False)  # LEAN
    targets = targets_for(clips / "b.mp4")
    assert is_up_to_date(clips / "b.mp4", targets, done)
    assert not is_up_to_date(clips / "b.mp4", targets, replace(done, max_pause=0.9))
    r, rec = batch(str(clips / "b.mp4"), "--max-pause", "0.9", env=env, cwd=clips.parent)
    assert r.returncode == 0 and rec["b.mp4"]["status"] == "ok"
    check_video(video, 2.52)
    r, rec = batch(str(clips / "b.mp4"), "--max-pause", "0.9", env=env, cwd=clips.parent)
    assert rec["b.mp4"]["status"] == "skipped"
    # A newer input, or a replaced output, is stale too.
    choices = replace(done, max_pause=0.9)
    assert is_up_to_date(clips / "b.mp4", targets, choices)
    st = (clips / "b.mp4").stat()
    os.utime(clips / "b.mp4", ns=(st.st_atime_ns, video.stat().st_mtime_ns + 10**9))
    assert not is_up_to_date(clips / "b.mp4", targets, choices)
    os.utime(clips / "b.mp4", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert is_up_to_date(clips / "b.mp4", targets, choices)
    targets.plan.unlink()
    assert not is_up_to_date(clips / "b.mp4", targets, choices)


def test_stdin_list_and_a_missing_path(clips, env, first_run):
    listing = f"{clips / 'a.mp4'}\n\n{clips / 'missing.mp4'}\n"
    r, rec = batch("-", env=env, cwd=clips.parent, stdin=listing)
    assert r.returncode == 3
    assert rec["a.mp4"]["status"] == "skipped"
    missing = rec["missing.mp4"]
    assert missing["status"] == "failed" and "no such file" in missing["error"]


def test_outputs_not_made_by_batch_are_kept_without_force(tmp_path, env):
    shutil.copy(mediagen.simple_clip("batch-a", duration=2.0), tmp_path / "c.mp4")
    mine = tmp_path / "c.edited.mp4"
    mine.write_text("my own edit")
    r, rec = batch(str(tmp_path / "c.mp4"), env=env, cwd=tmp_path)
    assert r.returncode == 5, r.stderr  # would overwrite: not a bad input
    assert "output exists (use --force to overwrite)" in rec["c.mp4"]["error"]
    assert mine.read_text() == "my own edit" and not leftovers(tmp_path)


def test_batch_takes_what_creator_edit_made_as_up_to_date(tmp_path, env):
    """Outputs made by creator edit with the same options are up to date for a batch, and a
    stale one creator made is redone without --force (the origin is in the plan sidecar)."""
    for name in ("e1", "e2"):
        shutil.copy(mediagen.simple_clip(f"batch-{name}", duration=1.5),
                    tmp_path / f"{name}.mp4")
    r = run_cli("edit", str(tmp_path / "e1.mp4"), *LEAN, env=env)
    assert r.returncode == 0, r.stderr
    r, rec = batch(str(tmp_path), "--jobs", "2", env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (rec["e1.mp4"]["status"], rec["e2.mp4"]["status"]) == ("skipped", "ok")
    assert "1 edited, 1 up to date, 0 failed" in r.stderr
    r = run_cli("edit", str(tmp_path / "e1.mp4"), *LEAN, "--max-pause", "1.0", "--force",
                env=env)
    assert r.returncode == 0, r.stderr
    r, rec = batch(str(tmp_path), env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (rec["e1.mp4"]["status"], rec["e2.mp4"]["status"]) == ("ok", "skipped")
    r, rec = batch(str(tmp_path), env=env, cwd=tmp_path)
    assert {v["status"] for v in rec.values()} == {"skipped"}
    assert not list(tmp_path.glob(".*.done.json")) and not leftovers(tmp_path)


# ---------------------------------------------------------------------------------------
# Finding clips; --recursive with -o
# ---------------------------------------------------------------------------------------

def test_collect_clips(tmp_path):
    (tmp_path / "sub" / ".hidden").mkdir(parents=True)
    for name in ("b.mp4", "A.MOV", "c.webm", "notes.txt", "x.edited.mp4", ".x.edited.ab12.tmp.mp4",
                 "sub/d.mkv", "sub/.hidden/e.mp4"):
        (tmp_path / name).write_bytes(b"x")
    top = collect_clips([tmp_path])
    assert [p.name for p in top] == ["A.MOV", "b.mp4", "c.webm"]
    deep = collect_clips([tmp_path, tmp_path / "b.mp4", str(tmp_path / "missing.mp4")],
                         recursive=True)
    assert [p.relative_to(tmp_path).as_posix() for p in deep] == [
        "A.MOV", "b.mp4", "c.webm", "missing.mp4", "sub/d.mkv"]
    assert [p.name for p in collect_clips([tmp_path], pattern="*.txt")] == ["notes.txt"]
    assert relative_folder(tmp_path / "sub" / "d.mkv", [tmp_path]) == Path("sub")
    assert relative_folder(tmp_path / "b.mp4", []) == Path(".")


def test_recursive_with_outdir_mirrors_subfolders(tmp_path, env):
    src = tmp_path / "drafts"
    (src / "trip" / "day1").mkdir(parents=True)
    (src / ".cache").mkdir()
    shutil.copy(mediagen.simple_clip("batch-a", duration=2.0), src / "x.mp4")
    shutil.copy(mediagen.simple_clip("batch-b", duration=2.5, fps=25), src / "trip/day1/y.MOV")
    shutil.copy(mediagen.simple_clip("batch-a", duration=2.0), src / ".cache/z.mp4")
    out = tmp_path / "out" / "final"
    r, rec = batch(str(src), "--recursive", "-o", str(out), "--jobs", "2", env=env,
                   cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert set(rec) == {"x.mp4", "y.MOV"}
    assert rec["y.MOV"]["output"] == str(out / "trip/day1/y.edited.mp4")
    check_video(out / "x.edited.mp4", 2.0)
    check_video(out / "trip/day1/y.edited.mp4", 2.52)
    assert (out / "trip/day1/y.edited.plan.json").is_file()
    assert not list(src.rglob("*.edited.*")) and not leftovers(tmp_path)


def test_usage_errors(tmp_path, env):
    r = run_cli("batch", str(tmp_path), "--executor", "spark", env=env, cwd=tmp_path)
    assert r.returncode == 2
    assert_one_clean_error(r.stderr, "local or dask")
    r = run_cli("batch", str(tmp_path), env=env, cwd=tmp_path)
    assert r.returncode == 3 and r.stdout == ""
    assert_one_clean_error(r.stderr, "no clips found")
    code = ("import sys; sys.modules['distributed'] = None; sys.argv = ['creator', 'batch', "
            f"{str(tmp_path)!r}, '--executor', 'dask', '--scheduler', 'tcp://127.0.0.1:1']; "
            "from creator_tools.cli.app import run; run()")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, **env}, cwd=tmp_path, timeout=120, check=False)
    assert r.returncode == 2 and r.stdout == ""
    assert_one_clean_error(r.stderr, "creator-tools[dask]")
    assert len(r.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------------------------------
# Ctrl-C and SIGTERM
# ---------------------------------------------------------------------------------------

def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (psutil when installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        parent: dict[int, int] = {}
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    stat = (d / "stat").read_text()
                except OSError:
                    continue
                parent[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        out, todo = [], [pid]
        while todo:
            kids = [p for p, pp in parent.items() if pp == todo.pop()]
            out += kids
            todo += kids
        return out
    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.parametrize(("sig", "jobs"), [(signal.SIGINT, 1), (signal.SIGTERM, 2)],
                         ids=["sigint", "sigterm"])
def test_interrupt_stops_cleanly_and_a_rerun_carries_on(tmp_path, env, sig, jobs):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(mediagen.simple_clip("batch-a", duration=2.0), src / "a.mp4")
    shutil.copy(mediagen.simple_clip("batch-long", duration=3.0), src / "b.mp4")
    cmd = [sys.executable, "-m", "creator_tools", "batch", str(src), "-o", str(out), "--json",
           "--jobs", str(jobs), *LEAN]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **env}, cwd=tmp_path, preexec_fn=default_sigint)
    # With one job, wait for b's render (a is done then); with two, for any render: its
    # picture growing in the hidden folder of parts beside the output.
    glob = (".b.edited.*.tmp.parts/video.mp4" if jobs == 1
            else ".*.edited.*.tmp.parts/video.mp4")
    deadline = time.monotonic() + 180
    try:
        while not [p for p in out.glob(glob) if p.stat().st_size > 0]:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no render started"
            time.sleep(0.02)
        children = descendants(proc.pid)
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert children, "the render's ffmpeg was not seen"
    assert not [p for p in children if alive(p)], "ffmpeg children left behind"
    assert not leftovers(tmp_path)
    done = [json.loads(line) for line in stdout.splitlines()]
    assert all(d["status"] == "ok" for d in done)
    if jobs == 1:
        assert [Path(d["input"]).name for d in done] == ["a.mp4"]
    for video in out.glob("*.edited.mp4"):  # whatever exists under a final name is complete
        check_video(video, 2.0 if video.name.startswith("a") else 3.0)
    assert not (out / "b.edited.mp4").exists() or jobs == 2

    r, rec = batch(str(src), "-o", str(out), env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert rec["b.mp4"]["status"] == "ok"
    if jobs == 1:
        assert rec["a.mp4"]["status"] == "skipped"
    check_video(out / "a.edited.mp4", 2.0)
    check_video(out / "b.edited.mp4", 3.0)
    assert not leftovers(tmp_path)


# ---------------------------------------------------------------------------------------
# Dask
# ---------------------------------------------------------------------------------------

def test_dask_executor(tmp_path, env, monkeypatch):
    distributed = pytest.importorskip("distributed")
    for key, value in env.items():  # the worker processes inherit these
        monkeypatch.setenv(key, value)
    shutil.copy(mediagen.simple_clip("batch-a", duration=2.0), tmp_path / "a.mp4")
    shutil.copy(mediagen.simple_clip("batch-b", duration=2.5, fps=25), tmp_path / "b.mp4")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        r, rec = batch(str(tmp_path / "a.mp4"), str(tmp_path / "b.mp4"), "-o", "out",
                       "--executor", "dask", "--scheduler", cluster.scheduler_address,
                       env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert {k: v["status"] for k, v in rec.items()} == {"a.mp4": "ok", "b.mp4": "ok"}
    assert rec["a.mp4"]["output"] == str(Path("out") / "a.edited.mp4")
    check_video(tmp_path / "out" / "a.edited.mp4", 2.0)
    check_video(tmp_path / "out" / "b.edited.mp4", 2.52)
    assert not leftovers(tmp_path)
