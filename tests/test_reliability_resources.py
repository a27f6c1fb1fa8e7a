"""Issue #8: interruptions and a full disk.

* SIGINT or SIGTERM to ``creator edit`` while ffmpeg renders (and Ctrl-C, which signals the
  whole process group, ffmpeg included): exit 130, one ``error: interrupted`` line, nothing
  under the final name, no temporary file, no ffmpeg left running, out within 5 s.
* SIGINT to ``creator analyze`` while it decodes: the same, and no cache entry.
* Output to a nearly full and to a full filesystem: exit 4, one clear line, nothing partial.
  The filesystem is a 1 MiB tmpfs (mounted directly when we may, else inside a user
  namespace with ``unshare -rm``); where neither works, RLIMIT_FSIZE stands in for it (writes
  then fail with EFBIG instead of ENOSPC).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import mediagen
from tests.conftest import assert_one_clean_error, default_sigint
from tests.corpus import FAST, sha256

#: Seconds a command may take to exit after the signal.
MAX_EXIT_S = 5.0


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A private cache (shared by the module's runs: the clip is analyzed once), index and
    config."""
    home = tmp_path_factory.mktemp("resources-env")
    return {**os.environ, "COLUMNS": "200", "CREATOR_CACHE_DIR": str(home / "cache"),
            "CREATOR_INDEX": str(home / "idx.sqlite"),
            "CREATOR_CONFIG": str(home / "config.toml")}


@pytest.fixture(scope="module")
def long_clip() -> Path:
    """12 s of 640x360 with a tone: its 1080x1920 render takes several seconds."""
    return mediagen.simple_clip("interrupt", size="640x360", duration=12.0)


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def children(pid: int) -> list[int]:
    return [p for p in _pids() if _ppid(p) == pid]


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line holds ``text`` (zombies have none)."""
    found = []
    for p in _pids():
        try:
            cmdline = Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if text in cmdline and p != os.getpid():
            found.append(p)
    return found


def start(args: list[str], env: dict[str, str], cwd: Path, *,
          new_session: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "creator_tools", *args], env=env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=new_session, preexec_fn=default_sigint)


def wait_for(cond, proc: subprocess.Popen[str], timeout: float = 120.0) -> None:
    """Poll ``cond()`` until true; fail if ``proc`` ends first or the time runs out."""
    deadline = time.monotonic() + timeout
    while not cond():
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"the command ended (rc={proc.returncode}) before the signal:\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("timed out waiting for the command to get going")
        time.sleep(0.02)


def interrupt(proc: subprocess.Popen[str], sig: int, *, group: bool) -> tuple[float, str]:
    """Send ``sig`` (to the process group when ``group``, as Ctrl-C does); seconds until the
    process exited, and its stderr."""
    t0 = time.monotonic()
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"still running 60 s after signal {sig}")
    return time.monotonic() - t0, err


SIGNALS = [("SIGINT", False), ("SIGTERM", False), ("SIGINT", True)]


@pytest.mark.parametrize(("name", "group"), SIGNALS,
                         ids=["SIGINT", "SIGTERM", "Ctrl-C (process group)"])
def test_interrupted_render_leaves_nothing(name: str, group: bool, tmp_path: Path,
                                           long_clip: Path, env: dict[str, str],
                                           record_property) -> None:
    clip = tmp_path / "in.mp4"
    shutil.copyfile(long_clip, clip)
    digest = sha256(clip)
    out = tmp_path / "out"
    out.mkdir()
    proc = start(["edit", "-o", str(out / "x.mp4"), *FAST, str(clip)], env, tmp_path,
                 new_session=group)
    wait_for(lambda: any(out.glob(".x*.tmp.mp4")), proc)
    time.sleep(0.3)  # ffmpeg is encoding
    renderers = children(proc.pid)
    assert renderers, "no ffmpeg child while the temporary output exists"
    seconds, err = interrupt(proc, getattr(signal, name), group=group)
    record_property("exit_seconds", round(seconds, 2))
    print(f"\n{name}{' to the group' if group else ''}: exited {seconds:.2f} s after the signal")
    assert proc.returncode == 130, err
    assert_one_clean_error(err, "interrupted")
    assert [ln for ln in err.splitlines() if ln.strip()] == ["error: interrupted"], err
    assert seconds < MAX_EXIT_S
    # No video, no temporary file, no sidecar (the plan and caption follow the video).
    assert sorted(p.name for p in out.iterdir()) == []
    assert not [p for p in renderers if Path(f"/proc/{p}").exists()], "ffmpeg still running"
    assert not processes_mentioning(str(out)), "a process still writes into the output folder"
    assert sha256(clip) == digest


def test_interrupted_analyze_leaves_no_cache_entry(tmp_path: Path, long_clip: Path,
                                                   env: dict[str, str],
                                                   record_property) -> None:
    cache = tmp_path / "cache"
    env = {**env, "CREATOR_CACHE_DIR": str(cache)}
    proc = start(["analyze", "--json", str(long_clip)], env, tmp_path)
    wait_for(lambda: bool(children(proc.pid)), proc)  # the decode pass is running
    time.sleep(0.3)
    decoders = children(proc.pid)
    seconds, err = interrupt(proc, signal.SIGINT, group=False)
    record_property("exit_seconds", round(seconds, 2))
    print(f"\nanalyze, SIGINT: exited {seconds:.2f} s after the signal")
    assert proc.returncode == 130, err
    assert [ln for ln in err.splitlines() if ln.strip()] == ["error: interrupted"], err
    assert seconds < MAX_EXIT_S
    assert not [p for p in decoders if Path(f"/proc/{p}").exists()], "decoder still running"
    assert not list(cache.rglob("*.json")), "an interrupted analysis left a cache entry"
    assert not [p for p in cache.rglob("*") if p.is_file()], list(cache.rglob("*"))


# ---------------------------------------------------------------------------------------
# A full disk
# ---------------------------------------------------------------------------------------

_SMALL_FS = r"""
mount -t tmpfs -o size=1m,mode=0777 tmpfs "$D" 2>/dev/null || exit 97
head -c "$FILL" /dev/zero > "$D/filler" 2>/dev/null
"$@"; rc=$?
ls -A "$D" > "$LIST"
umount "$D" 2>/dev/null
exit $rc
"""


def _try_small_fs(prefix: list[str], folder: Path) -> bool:
    probe = subprocess.run([*prefix, "sh", "-c", _SMALL_FS, "sh", "true"], check=False,
                           env={**os.environ, "D": str(folder), "FILL": "0",
                                "LIST": os.devnull}, capture_output=True)
    return probe.returncode == 0


def run_on_full_fs(args: list[str], folder: Path, free: int, env: dict[str, str]
                   ) -> tuple[subprocess.CompletedProcess[str], list[str], str]:
    """Run ``creator ARGS`` with ``folder`` on a 1 MiB filesystem that has about ``free``
    bytes left; the run, what the folder held afterwards, and how the disk was made full."""
    cmd = [sys.executable, "-m", "creator_tools", *args]
    listing = folder.parent / f"{folder.name}.listing"
    only = os.environ.get("CREATOR_TEST_FULL_DISK")  # tmpfs, unshare or rlimit: force one
    for how, prefix in (("tmpfs", []), ("tmpfs in a user namespace", ["unshare", "-rm"])):
        if (prefix and not shutil.which(prefix[0])) or only not in (None, how.split()[-1]):
            continue
        if _try_small_fs(prefix, folder):
            fill = str(max(0, (1 << 20) - free))
            r = subprocess.run([*prefix, "sh", "-c", _SMALL_FS, "sh", *cmd], check=False,
                               env={**env, "D": str(folder), "FILL": fill, "LIST": str(listing)},
                               capture_output=True, text=True, timeout=600)
            names = listing.read_text().split() if listing.exists() else []
            return r, [n for n in names if n != "filler"], how
    # Fallback: no filesystem to fill. Files may not grow past ``free`` bytes (EFBIG): every
    # file, so the trend index is made beforehand, and a "full" disk cannot be had this way.
    if free < 100_000:
        pytest.skip("no tmpfs could be mounted (neither directly nor with unshare -rm), and "
                    "RLIMIT_FSIZE cannot make only the output folder full")
    subprocess.run([sys.executable, "-m", "creator_tools", "trends", "stats"], env=env,
                   check=True, capture_output=True)
    limit = free

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    r = subprocess.run(cmd, check=False, env=env, capture_output=True, text=True, timeout=600,
                       preexec_fn=cap)
    return r, sorted(p.name for p in folder.iterdir()), "RLIMIT_FSIZE"


@pytest.mark.parametrize("free", [150_000, 0], ids=["nearly full", "full"])
def test_full_disk(free: int, tmp_path: Path, env: dict[str, str], record_property) -> None:
    clip = tmp_path / "in.mp4"
    shutil.copyfile(mediagen.simple_clip("plain", size="640x360", fps=25, duration=2.0), clip)
    digest = sha256(clip)
    folder = tmp_path / "disk"
    folder.mkdir()
    r, left, how = run_on_full_fs(["edit", "-o", str(folder / "x.mp4"), *FAST, str(clip)],
                                  folder, free, env)
    record_property("full_disk", how)
    print(f"\nfull disk by {how}: rc={r.returncode} {r.stderr.strip()}")
    assert r.returncode == 4, r.stderr
    assert_one_clean_error(r.stderr)
    (line,) = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert line.startswith("error: ")
    if how == "RLIMIT_FSIZE":  # ffmpeg is killed by SIGXFSZ: its last words vary
        assert "File too large" in line or "ffmpeg failed" in line, line
    else:
        assert "No space left on device" in line, line
    assert " @ 0x" not in line and "[error]" not in line, line  # no ffmpeg log prefixes
    assert left == [], left  # no video, no temporary file, no sidecar (they follow the video)
    assert sha256(clip) == digest


def test_ffmpeg_error_lines_lose_their_log_prefixes() -> None:
    from creator_tools.edit.render import ffmpeg_message

    line = ("[vost#0:0/libx264 @ 0x55d8594b7ac0] [error] Error submitting a packet to the "
            "muxer: No space left on device")
    assert ffmpeg_message(line) == ("Error submitting a packet to the muxer: No space left "
                                    "on device")
    assert ffmpeg_message("[fatal] Conversion failed!") == "Conversion failed!"
    assert ffmpeg_message("  plain message [with brackets]  ") == "plain message [with brackets]"
    assert ffmpeg_message("[only a prefix]") == "[only a prefix]"


def test_an_interruption_wins_over_the_failure_it_caused() -> None:
    """Ctrl-C signals the process group: the sound's ffmpeg may die of it and report a failure
    before Python raises KeyboardInterrupt (a CI run exited 4, "ffmpeg failed", not 130)."""
    from creator_tools.edit.render import _Aborted, _stop_reason
    from creator_tools.errors import ProcessingError

    interrupt, failure = KeyboardInterrupt(), ProcessingError("ffmpeg failed: exit status 255")
    assert _stop_reason(interrupt, "sound", failure) is interrupt
    assert _stop_reason(_Aborted(), "sound", interrupt) is interrupt
    # Without an interruption the sound's failure is the cause of the picture's stop.
    assert _stop_reason(_Aborted(), "sound", failure) is failure
    other = ProcessingError("ffmpeg failed: picture")
    assert _stop_reason(other, "picture", None) is other
    assert isinstance(_stop_reason(_Aborted(), None, None), ProcessingError)
