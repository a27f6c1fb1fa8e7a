"""Memory benchmark (issue #8): ``creator analyze`` and ``creator edit`` on a 10 min 1080p30
clip stay within the memory they need on a 60 s one.

The 60 s clip is ``bench_analyze.py``'s (1920x1080 30 fps H.264 + AAC, hard cuts, speech-like
audio over room tone); the long one is it repeated (concat demuxer, stream copy: cheap), 10
times by default. Each command runs as a child process; reported are wall time, CPU time,
ru_maxrss (the largest single process: Python or an ffmpeg child) and the sampled peak of the
whole process tree's summed RSS (Python plus its ffmpeg children, from /proc every 50 ms), and
the long/short ratio of each memory figure. Memory that does not grow with the clip's length
gives ratios of about 1x.

* ``analyze``: ``creator analyze CLIP --json``, a fresh empty cache for each run;
* ``edit``: ``creator edit CLIP -o out.mp4 --no-captions`` (analysis included, nothing
  cached; music and look auto). Captions are left out: transcribing 10 minutes with the
  tiny model takes longer than the rest, and the captions benchmark covers it.

Run: ``.venv/bin/python benchmarks/bench_memory.py [--minutes N] [--analyze-only |
--edit-only]``.
It takes many minutes (a 10 min render on 2 cores: about 15 min). The last result is written to
``benchmarks/.work/last_memory.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_analyze import (
    WORK,
    Row,
    fmt_ratio,
    loadavg,
    make_clip,
    make_long_clip,
    print_table,
    ratio,
    run_once,
)

RESULT_JSON = WORK / "last_memory.json"
#: A 10 min clip may take at most this much more memory than a 60 s one.
GOAL_RSS_LONG_VS_60S = 1.25


def creator(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("creator")), "--quiet", *args]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=int, default=10, help="length of the long clip (min)")
    ap.add_argument("--analyze-only", action="store_true", help="skip the edit rows")
    ap.add_argument("--edit-only", action="store_true", help="skip the analyze rows")
    ap.add_argument("--edit-args", default="",
                    help="more options for both edit rows, e.g. '--reframe letterbox'")
    ns = ap.parse_args(argv)

    clip = make_clip(60.0)
    long_clip = make_long_clip(clip, ns.minutes)
    label = f"{ns.minutes} min"
    rows: dict[str, Row] = {}
    if not ns.edit_only:
        rows["analyze"] = Row("analyze", "creator analyze (60 s)",
                              creator("analyze", str(clip), "--json"), clip.name,
                              fresh_cache=True)
        rows["analyze_long"] = Row("analyze_long", f"creator analyze ({label})",
                                   creator("analyze", str(long_clip), "--json"), long_clip.name,
                                   fresh_cache=True)
    if not ns.analyze_only:
        edit = ("-o", "out.mp4", "--force", "--no-captions", *shlex.split(ns.edit_args))
        rows["edit"] = Row("edit", "creator edit (60 s)", creator("edit", str(clip), *edit),
                           clip.name, fresh_cache=True, tmp_cwd=True)
        rows["edit_long"] = Row("edit_long", f"creator edit ({label})",
                                creator("edit", str(long_clip), *edit), long_clip.name,
                                fresh_cache=True, tmp_cwd=True)
    for row in rows.values():
        print(f"{row.key}: {shlex.join(row.cmd)}", file=sys.stderr)
    load_before = loadavg()
    for row in rows.values():  # memory needs no best-of: one run each
        run_once(row, 0, 1)
    load_after = loadavg()

    print()
    print(f"clips: {clip.name} (60 s) and {long_clip.name} ({label}), 1920x1080 30 fps; "
          f"machine: {os.cpu_count()} cores, {platform.python_version()}; "
          f"load average before {load_before:.2f}, after {load_after:.2f}")
    print()
    print_table(list(rows.values()), 1)
    print()
    ratios: dict[str, float | None] = {}
    for key in ("analyze", "edit"):
        if key not in rows:
            continue
        long_row, short_row = rows[f"{key}_long"], rows[key]
        for metric in ("maxrss_mb", "tree_rss_mb"):
            ratios[f"{key}_{metric}_long_vs_60s"] = ratio(long_row, short_row, metric)
        print(f"{key:8} peak RSS {label} / 60 s: "
              f"{fmt_ratio(ratios[f'{key}_maxrss_mb_long_vs_60s'], GOAL_RSS_LONG_VS_60S)}; "
              f"tree: {fmt_ratio(ratios[f'{key}_tree_rss_mb_long_vs_60s'], GOAL_RSS_LONG_VS_60S)}")

    WORK.mkdir(parents=True, exist_ok=True)
    RESULT_JSON.write_text(json.dumps({
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "clip": clip.name,
        "long_clip": long_clip.name, "minutes": ns.minutes, "cpus": os.cpu_count(),
        "loadavg_before": load_before, "loadavg_after": load_after,
        "rows": {k: {"label": r.label, "cmd": r.cmd, "error": r.error,
                     "best": r.best() if r.ok else None} for k, r in rows.items()},
        "ratios": ratios,
    }, indent=1) + "\n")
    return 0 if all(r.ok for r in rows.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
