"""Wall time of ``creator batch`` with one job and with several, on a real batch.

The batch: ``--clips`` (default 4) generated 1920x1080 30 fps H.264 + AAC clips of 15-18 s with
hard cuts and speech-like audio (the recipe of ``bench_analyze.py``, one duration each), plus
one bad file (text named ``.mp4``) so that the failure path runs too. For each ``--jobs`` value
(default ``1,2``) it runs

    creator --quiet batch IN -o OUT --jobs N --json

with a fresh output folder, a fresh analysis cache, trend index and config (nothing reused
between runs), and prints clips, successes, failures, wall and CPU time of each, and the
speed-up over the first. Every output is probed (1080x1920, H.264 + AAC, the duration the JSON
line reports). The exit status of each run must be 3 (the bad file) with every good clip ok.

Run: ``.venv/bin/python benchmarks/bench_batch.py [--clips N] [--jobs 1,2] [--duration S]``.
Clips are cached in ``benchmarks/.work/``; the last result goes to
``benchmarks/.work/last_batch.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_analyze import HERE, WORK, loadavg, make_clip, measure

RESULT_JSON = WORK / "last_batch.json"
BAD_NAME = "zz-not-a-video.mp4"


@dataclass
class BatchRun:
    jobs: int
    clips: int
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0
    tree_rss_mb: float = 0.0
    rc: int = 0
    problems: list[str] = field(default_factory=list)


def creator_exe() -> str:
    return str(Path(sys.executable).with_name("creator"))


def make_inputs(n: int, duration: float) -> Path:
    """A folder of ``n`` clips (durations ``duration``, ``duration + 1``...) and one bad file."""
    folder = WORK / f"batch-in-{n}x{duration:g}s"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        clip = make_clip(duration + i)
        link = folder / f"clip{i + 1}.mp4"
        if not link.exists():
            try:
                os.link(clip, link)
            except OSError:
                shutil.copyfile(clip, link)
    (folder / BAD_NAME).write_text("not a video, just text\n" * 20)
    return folder


def check_outputs(stdout: str, run: BatchRun) -> None:
    """Count the NDJSON records and probe every output; problems go to ``run.problems``."""
    from creator_tools.media.probe import probe

    for line in stdout.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            run.problems.append(f"not JSON on stdout: {line[:120]!r}")
            continue
        status = rec.get("status")
        if status == "ok":
            run.ok += 1
        elif status == "skipped":
            run.skipped += 1
        else:
            run.failed += 1
            if not str(rec.get("input", "")).endswith(BAD_NAME):
                run.problems.append(f"{rec.get('input')}: {rec.get('error')}")
            continue
        try:
            info = probe(rec["output"])
        except Exception as exc:  # any probe failure is a problem of the run
            run.problems.append(f"{rec.get('output')}: does not probe: {exc}")
            continue
        v = info.video
        if v is None or (v.display_width, v.display_height) != (1080, 1920) \
                or info.audio is None or v.codec != "h264":
            run.problems.append(f"{rec['output']}: not a 1080x1920 H.264 + audio video")
        elif abs(info.duration - float(rec["duration_after"])) > 0.25:
            run.problems.append(f"{rec['output']}: {info.duration:.2f} s, JSON says "
                                f"{rec['duration_after']}")


def run_batch(inputs: Path, jobs: int, clips: int) -> BatchRun:
    run = BatchRun(jobs=jobs, clips=clips)
    with tempfile.TemporaryDirectory(prefix="batch-run-", dir=WORK) as tmp:
        env = dict(os.environ, CREATOR_CACHE_DIR=str(Path(tmp) / "cache"),
                   CREATOR_INDEX=str(Path(tmp) / "trends.sqlite"),
                   CREATOR_CONFIG=str(Path(tmp) / "config.toml"))
        stdout_path = Path(tmp) / "stdout.txt"
        cmd = [creator_exe(), "--quiet", "batch", str(inputs), "-o", str(Path(tmp) / "out"),
               "--jobs", str(jobs), "--json"]
        print(f"jobs {jobs}: {' '.join(cmd)}", file=sys.stderr, flush=True)
        measured, tail = measure(cmd, env=env, cwd=tmp, stdout_path=str(stdout_path))
        run.wall_s, run.cpu_s, run.tree_rss_mb, run.rc = (measured.wall_s, measured.cpu_s,
                                                          measured.tree_rss_mb, measured.rc)
        check_outputs(stdout_path.read_text(errors="replace"), run)
    if run.rc != 3:
        run.problems.append(f"exit {run.rc}, expected 3; stderr tail:\n{tail[-1500:]}")
    if run.ok != clips - 1:
        run.problems.append(f"{run.ok} clips ok, expected {clips - 1}")
    print(f"  wall {run.wall_s:.1f} s, cpu {run.cpu_s:.1f} s: {run.ok} ok, {run.failed} failed",
          file=sys.stderr, flush=True)
    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clips", type=int, default=4, help="good clips in the batch (default 4)")
    ap.add_argument("--duration", type=float, default=15.0,
                    help="length of the first clip, s; each next one is 1 s longer (default 15)")
    ap.add_argument("--jobs", default="1,2", help="the --jobs values to time (default 1,2)")
    ns = ap.parse_args(argv)
    jobs_list = [int(j) for j in ns.jobs.split(",") if j.strip()]
    inputs = make_inputs(ns.clips, ns.duration)
    n_items = ns.clips + 1

    load_before = loadavg()
    runs = [run_batch(inputs, jobs, n_items) for jobs in jobs_list]
    load_after = loadavg()

    print()
    print(f"batch: {ns.clips} clips of {ns.duration:g}-{ns.duration + ns.clips - 1:g} s "
          f"(1920x1080 30 fps H.264 + AAC) + 1 bad file; machine: {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"load average (1 min) before: {load_before:.2f}, after: {load_after:.2f}")
    if max(load_before, load_after) > 0.7:
        print("WARNING: the machine was busy with other work; wall times are inflated")
    head = (f"{'--jobs':>6} {'clips':>6} {'ok':>4} {'failed':>6} {'wall s':>8} {'CPU s':>8} "
            f"{'CPU/wall':>8} {'tree MB':>8} {'speed-up':>8}")
    print(head)
    print("-" * len(head))
    base = runs[0].wall_s if runs and runs[0].wall_s > 0 else None
    for r in runs:
        speedup = f"{base / r.wall_s:.2f}x" if base and r.wall_s > 0 else "n/a"
        print(f"{r.jobs:>6} {r.clips:>6} {r.ok:>4} {r.failed:>6} {r.wall_s:8.1f} "
              f"{r.cpu_s:8.1f} {r.cpu_s / max(r.wall_s, 1e-9):8.2f} {r.tree_rss_mb:8.0f} "
              f"{speedup:>8}")
    failed = [r for r in runs if r.problems]
    for r in failed:
        print(f"PROBLEMS with --jobs {r.jobs}:")
        for p in r.problems:
            print(f"  {p}")

    result = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "cpus": os.cpu_count(),
              "clips": ns.clips, "duration_s": ns.duration, "loadavg_before": load_before,
              "loadavg_after": load_after, "runs": [asdict(r) for r in runs],
              "speedup": {r.jobs: (base / r.wall_s if base and r.wall_s else None)
                          for r in runs}}
    WORK.mkdir(parents=True, exist_ok=True)
    RESULT_JSON.write_text(json.dumps(result, indent=1))
    print(f"\nwritten: {RESULT_JSON.relative_to(HERE.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
