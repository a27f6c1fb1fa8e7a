"""Speed and memory benchmark for ``creator analyze``.

Times, on a 60 s 1920x1080 30 fps H.264 + AAC clip with hard cuts and speech-like audio:

* the decode-only floor: ``ffmpeg -i clip -f null -``;
* ``creator analyze clip --json`` (or whatever ``--analyze-cmd`` names);
* PySceneDetect's ``scenedetect -i clip detect-content list-scenes -n``, from a venv of its own;

and prints wall time, CPU time (user + sys, the child's waited-for descendants included) and
peak RSS of each, with the ratios the goals are stated in. ``--long`` adds a 5 min clip to
check that analyze's memory stays flat in clip length.

Run: ``.venv/bin/python benchmarks/bench_analyze.py [--quick] [--skip-scenedetect] [--long]``.
Generated clips and the scenedetect venv are cached in ``benchmarks/.work/``; the last result
is written to ``benchmarks/.work/last_analyze.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE.parent))  # tools/ (not installed) from the checkout
from installed import compile_package  # noqa: E402

SD_VENV = WORK / "sd-venv"
RESULT_JSON = WORK / "last_analyze.json"

#: Goals from the product issue.
GOAL_WALL_VS_DECODE = 1.3
GOAL_CPU_VS_SCENEDETECT = 0.6
#: The real-footage issue: every cut of the real-footage clip at +-1 frame.
GOAL_REAL_CUT_F1 = 1.0

FPS = 30
SIZE = "1920x1080"
SR = 48000

#: (lavfi source, seconds): different content with motion of its own; each boundary is a cut.
SEGMENTS: tuple[tuple[str, float], ...] = (
    ("testsrc2=s={s}:r={r}", 8),
    ("mandelbrot=s={s}:r={r}:start_scale=2:end_scale=0.05", 6),
    ("gradients=s={s}:r={r}:speed=0.03:n=5:seed=4", 8),
    ("life=s={s}:r={r}:mold=10:ratio=0.15:death_color=#203060:life_color=#F0C020:seed=7", 7),
    ("cellauto=s={s}:r={r}:rule=110:seed=3", 6),
    ("zoneplate=s={s}:r={r}:ku=40:kv=30:kt2=1:kt=2", 5),
    ("sierpinski=s={s}:r={r}:type=triangle:seed=5", 8),
    ("testsrc2=s={s}:r={r},hue=h=40*t", 12),
)


# ---------------------------------------------------------------------------------------
# Clip generation (cached)
# ---------------------------------------------------------------------------------------

def ffmpeg_path() -> str:
    from creator_tools.media.ffmpeg import ffmpeg_exe

    return ffmpeg_exe()


def run_ffmpeg(*args: str) -> None:
    cmd = [ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "error", "-y",
           *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"ffmpeg failed: {shlex.join(cmd)}\n{proc.stderr[-2000:]}")


def plan_segments(duration: float) -> list[tuple[str, float]]:
    """Cycle through :data:`SEGMENTS` until ``duration`` is filled; the last one is cut short."""
    out: list[tuple[str, float]] = []
    total = 0.0
    i = 0
    while total < duration - 1e-9:
        src, d = SEGMENTS[i % len(SEGMENTS)]
        d = min(d, duration - total)
        out.append((src, d))
        total += d
        i += 1
    return out


def plan_speech(duration: float, seed: int = 11) -> list[tuple[float, float]]:
    """Talk spans of 2.5-9 s separated by pauses of 0.5-2.2 s."""
    rng = random.Random(seed)
    spans = []
    t = 0.4
    while t < duration - 1.5:
        end = min(t + rng.uniform(2.5, 9.0), duration - 0.3)
        spans.append((round(t, 3), round(end, 3)))
        t = end + rng.uniform(0.5, 2.2)
    return spans


def _cached(name: str, recipe: dict, build) -> Path:
    key = hashlib.sha1(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:10]
    final = WORK / f"{name}-{key}.mp4"
    if final.exists():
        return final
    WORK.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.stem}.tmp.mp4")
    print(f"generating {final.name} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    try:
        build(tmp)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    print(f"  done in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    side = {"recipe": recipe}
    final.with_suffix(".json").write_text(json.dumps(side, indent=1))
    return final


def make_clip(duration: float) -> Path:
    """A ``duration`` s 1080p30 H.264 (veryfast, crf 23) + AAC clip with cuts and speech."""
    segs = plan_segments(duration)
    speech = plan_speech(duration)
    cuts = []
    acc = 0.0
    for _, d in segs[:-1]:
        acc += d
        cuts.append(round(acc, 3))
    recipe = {"v": 2, "duration": duration, "size": SIZE, "fps": FPS, "segments": segs,
              "speech": speech, "cuts_s": cuts, "x264": "veryfast/crf23/yuv420p"}

    def build(out: Path) -> None:
        import soundfile as sf

        from tools.synth import room_tone, speech_like

        y = speech_like(duration, speech, sr=SR, seed=3)
        y += room_tone(duration, sr=SR, noise_db=-58.0, hum_db=-52.0)
        with tempfile.TemporaryDirectory(dir=WORK) as tmp:
            wav = Path(tmp) / "speech.wav"
            sf.write(wav, y, SR, subtype="PCM_16", format="WAV")
            args: list[str] = []
            chains = []
            for i, (src, d) in enumerate(segs):
                args += ["-f", "lavfi", "-t", f"{d:g}", "-i", src.format(s=SIZE, r=FPS)]
                # out_range=tv: zoneplate is full range, and the clip should be limited range
                # (yuv420p, not yuvj420p) as a phone's is.
                chains.append(f"[{i}:v]fps={FPS},scale={SIZE.replace('x', ':')}:out_range=tv,"
                              f"format=yuv420p,setsar=1,setpts=PTS-STARTPTS[v{i}]")
            n = len(segs)
            graph = ";".join(chains) + ";" + "".join(f"[v{i}]" for i in range(n))
            graph += f"concat=n={n}:v=1:a=0[v]"
            args += ["-i", str(wav)]
            run_ffmpeg(*args, "-filter_complex", graph, "-map", "[v]", "-map", f"{n}:a",
                       "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
                       "-pix_fmt", "yuv420p", "-color_range", "tv", "-r", str(FPS),
                       "-c:a", "aac", "-b:a", "160k", "-ac", "2", "-ar", str(SR),
                       "-t", f"{duration:g}",
                       "-movflags", "+faststart", str(out))

    return _cached(f"clip{duration:g}s", recipe, build)


def make_long_clip(base: Path, times: int) -> Path:
    """``base`` repeated ``times`` times with the concat demuxer and ``-c copy``."""
    recipe = {"v": 1, "base": base.name, "times": times}

    def build(out: Path) -> None:
        with tempfile.TemporaryDirectory(dir=WORK) as tmp:
            lst = Path(tmp) / "list.txt"
            lst.write_text("".join(f"file '{base}'\n" for _ in range(times)))
            run_ffmpeg("-f", "concat", "-safe", "0", "-i", str(lst), "-c", "copy",
                       "-movflags", "+faststart", str(out))

    return _cached(f"long{times}x", recipe, build)


# ---------------------------------------------------------------------------------------
# PySceneDetect in its own venv (cached)
# ---------------------------------------------------------------------------------------

def scenedetect_exe() -> tuple[Path | None, str]:
    """The ``scenedetect`` of the benchmark venv, creating it if needed; or (None, why not)."""
    exe = SD_VENV / "bin" / "scenedetect"
    if exe.exists():
        return exe, ""
    WORK.mkdir(parents=True, exist_ok=True)
    print("creating the PySceneDetect venv ...", file=sys.stderr, flush=True)
    # scenedetect-headless is the same package as scenedetect but depends on
    # opencv-python-headless, not on opencv-python (whose 5.x would overwrite cv2).
    attempts = (["scenedetect-headless", "opencv-python-headless<5"],
                ["scenedetect", "opencv-python-headless<5"])
    why = ""
    for pkgs in attempts:
        shutil.rmtree(SD_VENV, ignore_errors=True)
        py = shutil.which("python3") or sys.executable
        steps = ([py, "-m", "venv", str(SD_VENV)],
                 [str(SD_VENV / "bin" / "python"), "-m", "pip", "install", "-q", *pkgs])
        for cmd in steps:
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                why = f"{shlex.join(cmd)} failed:\n{(proc.stderr or proc.stdout)[-1500:]}"
                break
        else:
            if exe.exists():
                return exe, ""
            why = f"{exe} missing after installing {pkgs}"
    shutil.rmtree(SD_VENV, ignore_errors=True)
    return None, why


def scenedetect_version(exe: Path) -> str:
    py = exe.with_name("python")
    code = "import scenedetect, cv2; print(scenedetect.__version__, 'cv2', cv2.__version__)"
    proc = subprocess.run([str(py), "-c", code], capture_output=True, text=True, check=False)
    return proc.stdout.strip() or "?"


# ---------------------------------------------------------------------------------------
# Measuring one child process
# ---------------------------------------------------------------------------------------

@dataclass
class Run:
    wall_s: float
    cpu_s: float
    user_s: float
    sys_s: float
    maxrss_mb: float  # ru_maxrss from wait4: the largest single process of the tree
    tree_rss_mb: float  # sampled peak of the summed PSS of the whole process tree
    rc: int


@dataclass
class Row:
    key: str
    label: str
    cmd: list[str]
    clip: str
    fresh_cache: bool = False  # a fresh, empty CREATOR_CACHE_DIR for each run
    tmp_cwd: bool = False  # run in a fresh temporary directory
    repeat: int = 0  # runs wanted; 0: the global --repeat
    runs: list[Run] = field(default_factory=list)
    error: str = ""
    skipped: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.runs) and not self.error and not self.skipped

    def best(self) -> dict[str, float]:
        """Best wall and best CPU over the runs; the worst (largest) memory."""
        return {
            "wall_s": min(r.wall_s for r in self.runs),
            "cpu_s": min(r.cpu_s for r in self.runs),
            "maxrss_mb": max(r.maxrss_mb for r in self.runs),
            "tree_rss_mb": max(r.tree_rss_mb for r in self.runs),
        }


_PAGE = os.sysconf("SC_PAGE_SIZE")

#: Runs the measured command and reports its wait4() rusage. It exists because a child's
#: ru_maxrss starts at the RSS of the process that spawned it (exec records the old address
#: space's high-water mark, and a vfork child shares its parent's): spawned straight from this
#: script, which has numpy and the synth loaded, every command would read 140 MB or more. This
#: small interpreter (-I -S) is the spawner instead, so the floor is its own ~10 MB.
_LAUNCHER = """
import json, os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
pid = os.posix_spawnp(cmd[0], cmd, os.environ)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t0
rc = os.waitstatus_to_exitcode(status)
with open(out, "w") as f:
    json.dump({"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime,
               "maxrss_kb": ru.ru_maxrss, "rc": rc}, f)
"""


def _memory_of(pid: int) -> int:
    """Bytes of memory ``pid`` holds: its proportional set size (PSS: each page shared with
    other processes counted by its share), else its RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * _PAGE


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


#: How often the tree's memory is sampled, seconds. Each sample reads smaps_rollup of every
#: process in the tree: about 2.7 ms of kernel time for an edit's Python and ffmpeg children,
#: which at 20 samples a second took 5% of a 2-core machine from the command measured (and
#: more from a tree of several processes than from the bare transcode's one).
TREE_SAMPLE_S = 0.25


def _tree_rss(root: int) -> int:
    """Summed memory in bytes (PSS, see :func:`_memory_of`) of the descendants of ``root``
    (0 once they are gone).

    A child between ``fork`` and ``exec`` (its command line still its parent's) is left out:
    it holds its parent's pages, not memory of its own, and the two are not read at the same
    instant (a child of an 830 MB Python read as 830 MB, RSS, or 415 MB, PSS, doubled the tree
    of the clips benchmark once in a while)."""
    total = 0
    stack = [(root, b"")]
    seen = set()
    while stack:
        pid, parent_cmd = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            cmd = _cmdline(pid)
            if pid != root and cmd != parent_cmd:
                total += _memory_of(pid)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    stack.extend((int(c), cmd) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(cmd: list[str], *, env: dict[str, str] | None = None, cwd: str | None = None,
            stdout_path: str = os.devnull) -> tuple[Run, str]:
    """Run ``cmd`` once; return its figures and the tail of its stderr.

    Wall time, CPU time (user + sys) and ru_maxrss come from ``os.wait4`` on ``cmd``'s process
    (in the launcher); they include the descendants it waited for. The tree's memory is
    sampled from /proc every :data:`TREE_SAMPLE_S` seconds. The package is timed as installed
    (:func:`installed.compile_package`).
    """
    compile_package()
    with (tempfile.TemporaryFile() as err, open(stdout_path, "wb") as out,
          tempfile.NamedTemporaryFile("r", suffix=".json") as report):
        peak = [0]
        done = threading.Event()
        launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, report.name, *cmd]
        proc = subprocess.Popen(launcher, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                env=env, cwd=cwd)

        def sample() -> None:
            while not done.wait(TREE_SAMPLE_S):
                peak[0] = max(peak[0], _tree_rss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, _ = os.wait4(proc.pid, 0)
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-3000:].decode(errors="replace")
        text = report.read()
    if proc.returncode != 0 or not text:
        # The launcher itself failed (e.g. the command does not exist).
        return Run(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, proc.returncode or 1), tail
    r = json.loads(text)
    maxrss = r["maxrss_kb"] / 1024  # KiB on Linux
    run = Run(wall_s=r["wall"], cpu_s=r["user"] + r["sys"], user_s=r["user"], sys_s=r["sys"],
              maxrss_mb=maxrss, tree_rss_mb=max(peak[0] / 2**20, maxrss), rc=r["rc"])
    return run, tail


def run_once(row: Row, i: int, n: int) -> None:
    """Time ``row`` once more, unless it already failed; record a failure in ``row.error``."""
    if row.error:
        return
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        env = None
        if row.fresh_cache:
            env = dict(os.environ, CREATOR_CACHE_DIR=str(Path(tmp) / "cache"))
        try:
            run, tail = measure(row.cmd, env=env, cwd=tmp if row.tmp_cwd else None)
        except OSError as exc:
            row.error = f"could not start: {exc}"
            return
    if run.rc != 0:
        lines = tail.strip().splitlines()[-15:]
        row.error = f"exit {run.rc}; stderr tail:\n    " + "\n    ".join(lines)
        print(f"  {row.label} run {i + 1}/{n}: FAILED (exit {run.rc})", file=sys.stderr)
        return
    row.runs.append(run)
    print(f"  {row.label} run {i + 1}/{n}: wall {run.wall_s:.2f} s, cpu {run.cpu_s:.2f} s, "
          f"rss {run.maxrss_mb:.0f} MB, tree {run.tree_rss_mb:.0f} MB", file=sys.stderr,
          flush=True)


def loadavg() -> float:
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except (OSError, ValueError):
        return -1.0


# ---------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------

def decode_floor_cmd(ff: str, clip: Path) -> list[str]:
    return [ff, "-nostdin", "-hide_banner", "-nostats", "-i", str(clip), "-f", "null", "-"]


def analysis_decode_cmd(ff: str, clip: Path, *, pre: tuple[str, ...] = (),
                        glob: tuple[str, ...] = (), flags: str = "area") -> list[str]:
    """Roughly the decode the analysis pass does: 320x180 gray frames + decoded audio."""
    graph = f"[0:v]fps={FPS},scale=320:180:flags={flags},format=gray[v]"
    return [ff, "-nostdin", "-hide_banner", "-nostats", *glob, *pre, "-i", str(clip),
            "-filter_complex", graph, "-map", "[v]", "-f", "rawvideo", "-y", os.devnull,
            "-map", "0:a", "-f", "null", "-"]


def analyze_cmd(template: str, clip: Path) -> list[str]:
    creator = Path(sys.executable).with_name("creator")
    args = shlex.split(template)
    if "{clip}" in template:
        args = [a.replace("{clip}", str(clip)) for a in args]
    else:
        args.append(str(clip))
    return [str(creator), *args]


def ratio(a: Row | None, b: Row | None, metric: str) -> float | None:
    if a is None or b is None or not a.ok or not b.ok:
        return None
    den = b.best()[metric]
    return a.best()[metric] / den if den > 0 else None


def fmt_ratio(value: float | None, goal: float | None = None) -> str:
    if value is None:
        return "n/a"
    text = f"{value:.2f}x"
    if goal is not None:
        text += f"  (goal <= {goal:g}x: {'PASS' if value <= goal else 'FAIL'})"
    return text


def print_table(rows: list[Row], repeat: int) -> None:
    head = f"{'':32} {'wall s':>8} {'CPU s':>8} {'CPU/wall':>8} {'RSS MB':>8} {'tree MB':>8}"
    print(head)
    print("-" * len(head))
    for row in rows:
        if row.skipped:
            print(f"{row.label:32} skipped: {row.skipped}")
            continue
        if not row.ok:
            print(f"{row.label:32} FAILED: {row.error or 'not run'}")
            continue
        b = row.best()
        print(f"{row.label:32} {b['wall_s']:8.2f} {b['cpu_s']:8.2f} "
              f"{b['cpu_s'] / b['wall_s']:8.2f} {b['maxrss_mb']:8.0f} {b['tree_rss_mb']:8.0f}")
    print(f"(best of {repeat} for wall and for CPU, largest RSS; RSS MB = ru_maxrss, the largest "
          "single process; tree MB = sampled peak of the whole process tree's summed PSS: "
          "shared pages split between the processes that share them)")


# ---------------------------------------------------------------------------------------
# Real footage (benchmarks/realclip.py): timed beside the generated clip, scored on its truth
# ---------------------------------------------------------------------------------------

def real_media_clip(quick: bool) -> tuple[Path | None, dict | None, str]:
    """The real-footage clip and its truth, or (None, None, why not)."""
    import realclip

    if not realclip.available():
        return None, None, f"{realclip.MEDIA} is missing"
    clip, truth = realclip.make_real_clip(quick)
    return clip, truth, ""


def real_media_rows(ff: str, clip: Path | None, analyze_template: str, what: str,
                    why: str) -> dict[str, Row]:
    """The decode floor and the analysis of the real-footage clip, as timed rows."""
    if clip is None:
        return {"decode_real": Row("decode_real", "decode floor (real)", [], "", skipped=why),
                "analyze_real": Row("analyze_real", f"creator {what} (real)", [], "",
                                    skipped=why)}
    return {"decode_real": Row("decode_real", "decode floor (real)",
                               decode_floor_cmd(ff, clip), clip.name),
            "analyze_real": Row("analyze_real", f"creator {what} (real)",
                                analyze_cmd(analyze_template, clip), clip.name,
                                fresh_cache=True)}


def _generated_cut_frames(clip: Path) -> list[int]:
    recipe = json.loads(clip.with_suffix(".json").read_text())["recipe"]
    return [round(c * FPS) for c in recipe["cuts_s"]]


def real_media_report(result: dict, rows: dict[str, Row], clip: Path, real_clip: Path | None,
                      truth: dict | None, *, quick: bool) -> None:
    """Score the analysis of both clips against their truth (one more analyze each, untimed),
    write benchmarks/results/analyze.json and this script's section of docs/benchmarks.md."""
    import realclip
    import report

    acc: dict[str, object] = {}
    gen = realclip.analyze_json(clip)
    acc["generated"] = {"cuts": realclip.cut_scores(gen.get("cuts", []),
                                                    _generated_cut_frames(clip), fps=FPS)}
    if real_clip is not None and truth is not None:
        acc["real"] = realclip.analysis_accuracy(realclip.analyze_json(real_clip), truth)
        acc["real"]["shake_in_file"] = (truth.get("shake") or {}).get("measured")
    ratios = result["ratios"]
    ratios["analyze_real_wall_vs_decode_real"] = ratio(rows.get("analyze_real"),
                                                       rows.get("decode_real"), "wall_s")
    out = {**result, "quick": quick, "accuracy": acc,
           "real_clip": real_clip.name if real_clip else None,
           "real_truth": {k: v for k, v in (truth or {}).items() if k != "shake"},
           "goals": {**result["goals"], "real_cut_f1": GOAL_REAL_CUT_F1}}
    path = report.write_results("analyze", out, quick=quick)

    def wall(key: str) -> str:
        r = rows.get(key)
        return f"{r.best()['wall_s']:.2f}" if r is not None and r.ok else "-"

    lines = [f"### Latest run: `benchmarks/bench_analyze.py{' --quick' if quick else ''}`, "
             f"{time.strftime('%Y-%m-%d %H:%M')}",
             "",
             f"Written by the script (`{path.relative_to(HERE.parent)}`); {os.cpu_count()} cores, "
             f"load average {result['loadavg_before']:.1f} before, "
             f"{result['loadavg_after']:.1f} after; best of {result['repeat']}.",
             ""]
    if quick:
        lines += ["**`--quick`: 15 s clips, single runs: plumbing only, not the goals.**", ""]
    body = [[r.label, f"{r.best()['wall_s']:.2f}", f"{r.best()['cpu_s']:.2f}",
             f"{r.best()['maxrss_mb']:.0f}", f"{r.best()['tree_rss_mb']:.0f}"]
            for r in rows.values() if r.ok]
    body += [[r.label, "skipped" if r.skipped else "FAILED", "", "", ""]
             for r in rows.values() if not r.ok]
    lines += [report.table(["row", "wall s", "CPU s", "peak RSS MB", "tree MB"], body), ""]
    rw = ratios.get("analyze_wall_vs_decode")
    rr = ratios["analyze_real_wall_vs_decode_real"]
    rc = ratios.get("analyze_cpu_vs_scenedetect")
    lines.append(f"- analyze wall / decode floor: generated clip "
                 f"{'n/a' if rw is None else f'{rw:.2f}x'} "
                 f"({report.verdict(rw, GOAL_WALL_VS_DECODE)}, goal {GOAL_WALL_VS_DECODE}x), "
                 f"real-footage clip {'n/a' if rr is None else f'{rr:.2f}x'} "
                 f"({wall('analyze_real')} s / {wall('decode_real')} s)")
    lines.append(f"- analyze CPU / PySceneDetect CPU (generated clip): "
                 f"{'n/a' if rc is None else f'{rc:.2f}x'} "
                 f"({report.verdict(rc, GOAL_CPU_VS_SCENEDETECT)}, "
                 f"goal {GOAL_CPU_VS_SCENEDETECT}x)")
    g = acc["generated"]["cuts"]  # type: ignore[index]
    lines.append(f"- cuts, generated clip: {g['matched']} of {g['truth']} found at +-1 frame, "
                 f"{g['exact']} at the exact frame; {len(g['extra_frames'])} extra "
                 f"(frames {g['extra_frames']}); F1 {g['f1']:.3f}")
    if "real" in acc:
        r = acc["real"]  # type: ignore[assignment]
        c = r["cuts"]
        lines.append(f"- cuts, real-footage clip: F1 **{c['f1']:.3f}** at +-1 frame "
                     f"({report.verdict(c['f1'], GOAL_REAL_CUT_F1, at_most=False)}, goal "
                     f"{GOAL_REAL_CUT_F1}): {c['matched']} of {c['truth']} found, "
                     f"{c['exact']} at the exact frame; missed frames {c['missed_frames']}, "
                     f"extra frames {c['extra_frames']}; gradual transitions reported: "
                     f"{r['transitions_reported']} (the clip has none)")
        lines.append(f"- speech, real-footage clip, against the RTTM: IoU "
                     f"{r['speech']['iou']:.3f}, {100 * r['speech']['covered']:.0f}% of the "
                     "speech covered")
        if "shaky" in r:
            m = r.get("shake_in_file") or {}
            lines.append(f"- the shaky shot (applied 2-9 Hz shake, up to 60 px; measured back "
                         f"from the file: correlation {m.get('corr_x')} in x, {m.get('corr_y')} "
                         f"in y) flagged `shaky` over {100 * r['shaky']['shot_covered']:.0f}% "
                         f"of it; {r['shaky']['flagged_outside_s']} s flagged elsewhere")
    if real_clip is not None and truth is not None:
        shots = ", ".join(f"{x['name']} {x['start_frame'] / FPS:.1f}-{x['end_frame'] / FPS:.1f} s"
                          for x in truth["shots"])
        lines += ["", f"Real-footage clip `{real_clip.name}` (`benchmarks/realclip.py`): {shots}; "
                  f"cuts at frames {truth['cut_frames']}."]
    section = report.write_section("bench_analyze", "\n".join(lines), quick=quick)
    print(f"written: {path.relative_to(HERE.parent)}, {section.relative_to(HERE.parent)}")
    for key, value in acc.items():
        print(f"accuracy ({key}): {json.dumps(value)}")


# ---------------------------------------------------------------------------------------
# Cut recall on the real-footage clip: creator analyze (skimming) against PySceneDetect
# ---------------------------------------------------------------------------------------

def scenedetect_cut_frames(exe: Path, clip: Path) -> list[int]:
    """PySceneDetect's cuts with its defaults (``detect-content``): the first frame of each
    scene after the first."""
    import csv

    with tempfile.TemporaryDirectory(prefix="bench-sd-") as tmp:
        cmd = [str(exe), "-q", "-i", str(clip), "-o", tmp, "detect-content", "list-scenes",
               "-s", "-q"]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        found = sorted(Path(tmp).glob("*.csv"))
        if proc.returncode != 0 or not found:
            raise RuntimeError(f"{shlex.join(cmd)} failed: {proc.stderr[-1500:]}")
        with open(found[0], newline="") as f:
            rows = list(csv.DictReader(f))
    return [round(float(r["Start Time (seconds)"]) * FPS) for r in rows[1:]]


def cut_recall(clip: Path, truth: dict, sd_exe: Path | None, sd_why: str, *,
               quick: bool) -> dict:
    """Cut F1 at +-1 frame on the real-footage clip (1080p30 x264 medium, B-frames): ``creator
    analyze`` as it runs by default (skimming), the same analysis without skimming (the two
    cut lists must be identical), and PySceneDetect. Written to results/analyze_cuts.json."""
    import realclip
    import report

    from creator_tools.analysis.engine import AnalysisSettings, analyze

    frames = truth["cut_frames"]
    skim = realclip.analyze_json(clip)["cuts"]
    full = analyze(clip, settings=AnalysisSettings(skim=False)).cuts
    out: dict[str, object] = {
        "clip": clip.name, "truth_frames": frames,
        "creator": {**realclip.cut_scores(skim, frames),
                    "frames": [round(c * FPS) for c in skim]},
        "creator_no_skim": {**realclip.cut_scores(full, frames),
                            "frames": [round(c * FPS) for c in full]},
        "skim_identical": [round(c * FPS) for c in skim] == [round(c * FPS) for c in full],
    }
    if sd_exe is not None:
        sd = scenedetect_cut_frames(sd_exe, clip)
        out["scenedetect"] = {**realclip.cut_scores([f / FPS for f in sd], frames),
                              "frames": sd, "version": scenedetect_version(sd_exe),
                              "cmd": "scenedetect -i CLIP detect-content list-scenes"}
    else:
        out["scenedetect"] = {"skipped": sd_why.strip().splitlines()[0] if sd_why else "?"}
    path = report.write_results("analyze_cuts", out, quick=quick)
    for key in ("creator", "creator_no_skim", "scenedetect"):
        r = out[key]
        assert isinstance(r, dict)
        if "f1" in r:
            print(f"cuts, real-footage clip, {key}: F1 {r['f1']:.3f} at +-1 frame, recall "
                  f"{r['recall']:.3f}, missed frames {r['missed_frames']}, extra frames "
                  f"{r['extra_frames']}")
    print(f"skimmed and full decodes give the same cuts: {out['skim_identical']}")
    print(f"written: {path.relative_to(HERE.parent)}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="a 15 s clip and one run each: checks the plumbing, not the goals")
    ap.add_argument("--skip-scenedetect", action="store_true",
                    help="neither build PySceneDetect's venv nor time it")
    ap.add_argument("--long", action="store_true",
                    help="also time analyze on a 5 min clip, for peak memory vs clip length")
    ap.add_argument("--repeat", type=int, default=None,
                    help="runs per command, best taken (default 2; 1 with --quick)")
    ap.add_argument("--analyze-cmd", default="analyze {clip} --json",
                    help="arguments after `creator` for the analyze row; {clip} is the clip, "
                         "appended when absent (default: %(default)r)")
    ap.add_argument("--decode-variants", action="store_true",
                    help="also time ffmpeg decodes shaped like the analysis pass "
                         "(320x180 gray + audio) with a few decoder/scaler settings")
    ns = ap.parse_args(argv)
    repeat = ns.repeat or (1 if ns.quick else 2)
    duration = 15.0 if ns.quick else 60.0

    ff = ffmpeg_path()
    clip = make_clip(duration)
    long_clip = make_long_clip(clip, 5) if ns.long else None
    real_clip, real_truth, real_why = real_media_clip(ns.quick)

    sd_exe: Path | None = None
    sd_why = "skipped (--skip-scenedetect)"
    if not ns.skip_scenedetect:
        sd_exe, sd_why = scenedetect_exe()
        if sd_exe is None:
            print(f"PySceneDetect unavailable, its row is skipped: {sd_why}", file=sys.stderr)

    label_clip = f"{duration:g}s"
    what = shlex.split(ns.analyze_cmd)[0] if ns.analyze_cmd.strip() else "analyze"
    rows: dict[str, Row] = {
        "decode": Row("decode", f"decode floor ({label_clip})", decode_floor_cmd(ff, clip),
                      clip.name),
        "analyze": Row("analyze", f"creator {what} ({label_clip})",
                       analyze_cmd(ns.analyze_cmd, clip), clip.name, fresh_cache=True),
    }
    sd_row = Row("scenedetect", f"scenedetect ({label_clip})", [], clip.name, tmp_cwd=True)
    if sd_exe is not None:
        sd_row.cmd = [str(sd_exe), "-i", str(clip), "detect-content", "list-scenes", "-n"]
    else:
        sd_row.skipped = sd_why.strip().splitlines()[0] if sd_why.strip() else "unavailable"
    rows["scenedetect"] = sd_row
    rows.update(real_media_rows(ff, real_clip, ns.analyze_cmd, what, real_why))
    if ns.decode_variants:
        variants = {
            "b": ("(b) 320x180 gray+audio, area", {}),
            "c": ("(c) (b) + skip_loop_filter all", {"pre": ("-skip_loop_filter", "all")}),
            "d": ("(d) (c) + fast_bilinear",
                  {"pre": ("-skip_loop_filter", "all"), "flags": "fast_bilinear"}),
            "e1": ("(e1) (b) + -threads 2", {"pre": ("-threads", "2")}),
            "e2": ("(e2) (b) + -filter_threads 1", {"glob": ("-filter_threads", "1")}),
        }
        for key, (label, kw) in variants.items():
            rows[key] = Row(key, label, analysis_decode_cmd(ff, clip, **kw), clip.name)
    if long_clip is not None:
        # One run each: these are for memory, which does not need a best-of.
        rows["decode_long"] = Row("decode_long", "decode floor (5 min)",
                                  decode_floor_cmd(ff, long_clip), long_clip.name, repeat=1)
        rows["analyze_long"] = Row("analyze_long", f"creator {what} (5 min)",
                                   analyze_cmd(ns.analyze_cmd, long_clip), long_clip.name,
                                   fresh_cache=True, repeat=1)

    for row in rows.values():
        if not row.skipped:
            print(f"{row.key}: {shlex.join(row.cmd)}", file=sys.stderr)
    # Round-robin: run 1 of every row, then run 2..., so that a burst of load from elsewhere
    # on the machine does not land on one row's runs only.
    load_before = loadavg()
    for i in range(repeat):
        for row in rows.values():
            n = row.repeat or repeat
            if not row.skipped and i < n:
                run_once(row, i, n)
    load_after = loadavg()

    print()
    print(f"clip: {clip.name} ({label_clip}, {SIZE} {FPS} fps H.264 veryfast crf 23 + AAC, "
          f"{clip.stat().st_size / 2**20:.1f} MB); machine: {os.cpu_count()} cores, "
          f"{platform.python_version()}; ffmpeg: {Path(ff).name}")
    if sd_exe is not None:
        print(f"PySceneDetect: {scenedetect_version(sd_exe)}")
    print(f"load average (1 min) before: {load_before:.2f}, after: {load_after:.2f}")
    if max(load_before, load_after) > 0.7:
        print("WARNING: the machine was busy with other work; wall times are inflated")
    print()
    print_table(list(rows.values()), repeat)
    print()
    ratios = {
        "analyze_wall_vs_decode": ratio(rows.get("analyze"), rows.get("decode"), "wall_s"),
        "analyze_cpu_vs_scenedetect": ratio(rows.get("analyze"), rows.get("scenedetect"),
                                            "cpu_s"),
    }
    print(f"analyze wall / decode-floor wall : "
          f"{fmt_ratio(ratios['analyze_wall_vs_decode'], GOAL_WALL_VS_DECODE)}")
    print(f"analyze CPU  / scenedetect CPU   : "
          f"{fmt_ratio(ratios['analyze_cpu_vs_scenedetect'], GOAL_CPU_VS_SCENEDETECT)}")
    if long_clip is not None:
        ratios["analyze_rss_5min_vs_60s"] = ratio(rows.get("analyze_long"), rows.get("analyze"),
                                                  "maxrss_mb")
        ratios["analyze_tree_rss_5min_vs_60s"] = ratio(rows.get("analyze_long"),
                                                       rows.get("analyze"), "tree_rss_mb")
        print(f"analyze peak RSS 5 min / 60 s    : "
              f"{fmt_ratio(ratios['analyze_rss_5min_vs_60s'])} (tree: "
              f"{fmt_ratio(ratios['analyze_tree_rss_5min_vs_60s'])}; flat is about 1x)")
    if ns.quick:
        print("(--quick: 15 s clip, single runs; the ratios are indicative only)")

    WORK.mkdir(parents=True, exist_ok=True)
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "clip": clip.name,
        "clip_s": duration,
        "long_clip": long_clip.name if long_clip else None,
        "repeat": repeat,
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "cpus": os.cpu_count(),
        "ffmpeg": ff,
        "analyze_cmd": ns.analyze_cmd,
        "goals": {"analyze_wall_vs_decode": GOAL_WALL_VS_DECODE,
                  "analyze_cpu_vs_scenedetect": GOAL_CPU_VS_SCENEDETECT},
        "rows": {k: {"label": r.label, "cmd": r.cmd, "clip": r.clip, "ok": r.ok,
                     "error": r.error, "skipped": r.skipped, "best": r.best() if r.ok else None,
                     "runs": [asdict(x) for x in r.runs]}
                 for k, r in rows.items()},
        "ratios": ratios,
    }
    RESULT_JSON.write_text(json.dumps(result, indent=1))
    print(f"\nwritten: {RESULT_JSON.relative_to(HERE.parent)}")
    real_media_report(result, rows, clip, real_clip, real_truth, quick=ns.quick)
    if real_clip is not None and real_truth is not None:
        cut_recall(real_clip, real_truth, sd_exe, sd_why, quick=ns.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
