"""Accuracy, speed and memory of ``creator clips`` (the issue's goals), on talks of known sentences.

The sources are built by ``tools/talk.py``: espeak-ng speaks known sentences one by one, so
every sentence's start and end and every topic's span are known; the real voice of
``../shared/media/speech/pyannote_sample.wav`` (a phone call) is mixed in between topics when
it is there. They are cached in ``benchmarks/.work/clips/``.

* **Accuracy** on ten 4-5 minute talks (five topics of 40-60 s in ten orders, half with the
  real voice; 320x180): for the top 5 clips of each, how many lie within one topic and cover
  60% of it or more (IoU), whether any overlap, and how far each clip edge is from a true
  sentence edge (goals: at least 4 of 5, none, 0.35 s). The same on the hour-long talk for
  its top 20.
* **Speed**: ``creator clips LONG --json`` on an hour-long talk (75 topics, the real voice every
  ten; 1280x720, 30 fps, H.264, with a camera's sensor noise; 48 kHz stereo AAC), with an
  empty cache:
  transcription included, the goal is at most 0.35x the source's duration of wall time on 2
  cores. Then, cache warm, each of its top
  three clips rendered alone (``render_clips`` in a child process, timed inside it: the clip's
  plan and render; default edit options, and plain) against a bare ffmpeg transcode of the
  same range (``-ss`` before ``-i``, crop to 9:16, scale to
  1080x1920, x264 veryfast CRF 20, AAC 160k): at most 1.2x.
* **Memory** (``--memory``): peak RSS of ``creator clips --json`` on a 10 minute and a 3 hour talk
  (640x360), empty caches: at most 1.3x.

Run: ``.venv/bin/python benchmarks/bench_clips.py [--quick] [--memory] [--skip-accuracy]
[--skip-speed] [--repeat N]`` (renders: best of N, default 2, the three runs taken in
turn). Results go to ``benchmarks/results/clips.json`` and the section of
``docs/benchmarks.md`` between the ``bench_clips`` markers is written again from them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work" / "clips"
RESULT = HERE / "results" / "clips.json"
DOC = ROOT / "docs" / "benchmarks.md"
SPEECH = ROOT.parent / "shared" / "media" / "speech"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench_analyze import loadavg, measure  # noqa: E402

#: Goals of the issue.
GOAL_SPEED = 0.35  # wall / source duration, finding clips on an hour, 2 cores
GOAL_RENDER = 1.2  # a rendered clip's wall / a bare transcode of its range
GOAL_MEMORY = 1.3  # peak RSS of 3 h / of 10 min
EDGE_TOLERANCE = 0.35
#: Sensor noise in the hour's picture (tools.talk.build_talk): camera footage costs an encoder
#: far more than flat synthetic colours, and the render goal compares encodes.
GRAIN = 8
#: ... and the sound a camera or a screen recorder writes (48 kHz stereo AAC), not the voice's
#: own 16 kHz mono: a bare transcode encodes what the source holds.
CAMERA_AUDIO = ("-ar", "48000", "-ac", "2", "-b:a", "160k")
#: The accuracy talks' sound: the voice's own 16 kHz mono (left out of their cache key).
VOICE_AUDIO = ("-b:a", "96k")
#: The accuracy talks: topic order (indices into tools.talk.TOPICS), real voice, seed.
TALKS = [((5, 6, 7, 0, 2), True, 1), ((1, 3, 5, 7, 4), False, 2), ((7, 6, 5, 4, 3), True, 3),
         ((2, 0, 6, 1, 7), False, 4), ((3, 4, 0, 5, 1), True, 5), ((0, 1, 2, 3, 4), True, 0),
         ((6, 2, 4, 7, 5), True, 6), ((4, 7, 1, 6, 3), False, 7), ((7, 3, 2, 6, 0), True, 8),
         ((1, 4, 7, 5, 6), False, 9)]


def _ffmpeg() -> list[str]:
    from creator_tools.media.ffmpeg import base_args

    return base_args()


def real_voice() -> tuple[Path, Path] | None:
    wav = SPEECH / "pyannote_sample.wav"
    return (wav, wav.with_suffix(".stm")) if wav.is_file() else None


def build(name: str, topics: list[int], *, real: bool, real_every: int = 0,
          size: tuple[int, int], seed: int, grain: int = 0,
          audio: tuple[str, ...] = VOICE_AUDIO) -> object:
    """A talk of ``topics`` (cached with its truth): a :class:`tools.talk.Talk`."""
    import hashlib

    from tools.talk import TOPICS, Talk, build_talk

    voice = real_voice() if real else None
    code = hashlib.sha1((ROOT / "tools" / "talk.py").read_bytes()).hexdigest()[:8]
    recipe = json.dumps([topics, bool(voice), real_every, size, seed, grain, code,
                         *([list(audio)] if audio != VOICE_AUDIO else [])])
    key = hashlib.sha1(recipe.encode()).hexdigest()[:10]
    video = WORK / f"{name}-{key}.mp4"
    truth = video.with_suffix(".json")
    if video.exists() and truth.exists():
        return Talk.from_json(truth.read_text())
    WORK.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    print(f"building {video.name} ({len(topics)} topics)...", file=sys.stderr, flush=True)
    talk = build_talk(video, topics=[TOPICS[k] for k in topics], real=voice,
                      real_every=real_every, size=size, seed=seed, grain=grain,
                      ffmpeg=_ffmpeg(), x264=("-preset", "veryfast"), aac=audio)
    truth.write_text(talk.to_json())
    print(f"  {talk.duration / 60:.1f} min in {time.perf_counter() - t0:.0f} s",
          file=sys.stderr)
    return talk


def creator(*args: str) -> list[str]:
    return [sys.executable, "-m", "creator_tools", "--quiet", *args]


def judge(talk: object, clips: list[dict]) -> dict:
    """How the clips match the talk's truth."""
    import numpy as np

    edges = np.array(talk.boundaries())  # type: ignore[attr-defined]
    errors, hits, covered = [], 0, set()
    for c in clips:
        errors += [float(np.min(np.abs(edges - c["start"]))),
                   float(np.min(np.abs(edges - c["end"])))]
        best = max(range(len(talk.topics)), key=lambda k: _iou(c, talk.topics[k]))  # type: ignore[attr-defined]
        a, b = talk.topics[best]  # type: ignore[attr-defined]
        inside = c["start"] >= a - EDGE_TOLERANCE and c["end"] <= b + EDGE_TOLERANCE
        if inside and _iou(c, (a, b)) >= 0.6 and best not in covered:
            hits += 1
            covered.add(best)
    spans = sorted((c["start"], c["end"]) for c in clips)
    overlaps = sum(1 for x, y in itertools.pairwise(spans) if y[0] < x[1])
    return {"clips": len(clips), "in_topic": hits, "overlaps": overlaps,
            "max_edge_error_s": round(max(errors), 3) if errors else None,
            "p95_edge_error_s": round(float(np.percentile(errors, 95)), 3) if errors else None}


def _iou(c: dict, t: tuple[float, float]) -> float:
    inter = min(c["end"], t[1]) - max(c["start"], t[0])
    return max(0.0, inter) / (max(c["end"], t[1]) - min(c["start"], t[0]))


def run_json(cmd: list[str], env: dict[str, str]) -> tuple[dict, object]:
    """Run a ``creator ... --json`` command under the launcher: its JSON and figures."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        run, tail = measure(cmd, env=env, stdout_path=out.name)
        if run.rc != 0:
            raise SystemExit(f"{' '.join(cmd)} failed (exit {run.rc}):\n{tail}")
        return json.loads(Path(out.name).read_text()), run


def accuracy(quick: bool, cache: Path) -> dict:
    env = dict(os.environ, CREATOR_CACHE_DIR=str(cache))
    rows = []
    for i, (topics, real, seed) in enumerate(TALKS[:2] if quick else TALKS):
        talk = build(f"talk{i}", list(topics), real=real, size=(320, 180), seed=seed)
        data, _ = run_json(creator("clips", str(talk.path), "--json"), env)
        row = {"talk": i, "topics": list(topics), "real_voice": real,
               "minutes": round(talk.duration / 60, 2), **judge(talk, data["clips"])}
        rows.append(row)
        print(f"  talk {i}: {row['in_topic']}/5 in a topic, max edge error "
              f"{row['max_edge_error_s']} s", file=sys.stderr, flush=True)
    return {"talks": rows,
            "passed": sum(r["in_topic"] >= 4 and not r["overlaps"] for r in rows),
            "clips_in_topic": sum(r["in_topic"] for r in rows),
            "clips": sum(r["clips"] for r in rows),
            "max_edge_error_s": max(r["max_edge_error_s"] for r in rows)}


def speed(quick: bool, cache_root: Path, *, repeat: int = 1) -> dict:
    from tools.talk import long_order

    count = 12 if quick else 75
    talk = build("long", long_order(count, seed=3), real=True, real_every=10,
                 size=(1280, 720), seed=3, grain=GRAIN, audio=CAMERA_AUDIO)
    cache = cache_root / "speed"
    env = dict(os.environ, CREATOR_CACHE_DIR=str(cache))
    print(f"clips on {talk.duration / 60:.1f} min, empty cache...", file=sys.stderr, flush=True)
    load0 = loadavg()
    data, run = run_json(creator("clips", str(talk.path), "--json"), env)
    out = {"source_min": round(talk.duration / 60, 2), "size": "1280x720",
           "wall_s": round(run.wall_s, 1), "cpu_s": round(run.cpu_s, 1),
           "maxrss_mb": round(run.maxrss_mb), "tree_rss_mb": round(run.tree_rss_mb),
           "ratio": round(run.wall_s / talk.duration, 3), "load_before": load0,
           "load_after": loadavg(), "top5": judge(talk, data["clips"])}
    warm, run2 = run_json(creator("clips", str(talk.path), "--json", "--count", "20"), env)
    out["warm_wall_s"] = round(run2.wall_s, 1)
    out["top20"] = judge(talk, warm["clips"])
    print(f"  {out['wall_s']} s wall = {out['ratio']}x the source; warm {out['warm_wall_s']} s",
          file=sys.stderr)
    out["renders"] = renders(talk, data["clips"][:1 if quick else 3], env, repeat=repeat)
    return out


_RENDER_ONE = """
import json, resource, sys, time
from creator_tools.clips import ClipSettings, find_clips
from creator_tools.clips.render import render_clips
from creator_tools.settings import EditChoices
path, rank, out, kind, report = sys.argv[1:6]
rank, plain = int(rank), kind == "plain"
r = find_clips(path, ClipSettings(count=max(5, rank)))
r.clips = [c for c in r.clips if c.rank == rank]
choices = EditChoices(look="none", music="none", captions=False) if plain else EditChoices()
def cpu():
    return sum(x.ru_utime + x.ru_stime for x in (resource.getrusage(resource.RUSAGE_SELF),
                                               resource.getrusage(resource.RUSAGE_CHILDREN)))
t, c = time.perf_counter(), cpu()
render_clips(r, choices, outdir=out, force=True)
json.dump({"wall_s": time.perf_counter() - t, "cpu_s": cpu() - c}, open(report, "w"))
"""


def renders(talk: object, clips: list[dict], env: dict[str, str], *, repeat: int = 1
            ) -> list[dict]:
    """Each clip rendered alone against a bare transcode of its range: the three runs
    (default, plain, bare) taken in turn ``repeat`` times, the best wall time of each kept
    (with that run's CPU time)."""
    from creator_tools.edit.plan import OutputSpec

    spec = OutputSpec()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-clips-") as tmp:
        inner = Path(tmp) / "inner.json"

        def one(kind: str) -> tuple[object, dict]:
            run, _ = measure([sys.executable, "-c", _RENDER_ONE, str(talk.path),  # type: ignore[attr-defined]
                              str(c["rank"]), tmp, kind, str(inner)], env=env)
            got = json.loads(inner.read_text()) if run.rc == 0 else {"wall_s": 0, "cpu_s": 0}
            return run, got

        def bare_run() -> object:
            bare_out = Path(tmp) / f"bare{c['rank']}.mp4"
            run, tail = measure([*_ffmpeg(), "-loglevel", "error", "-y",
                                 "-ss", f"{c['start']:.3f}", "-t", f"{c['duration']:.3f}",
                                 "-i", str(talk.path), "-vf",  # type: ignore[attr-defined]
                                 "crop=ih*9/16:ih,scale=1080:1920", "-c:v", "libx264",
                                 "-preset", spec.preset, "-crf", str(spec.crf),
                                 "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a",
                                 spec.audio_bitrate, "-movflags", "+faststart",
                                 str(bare_out)])
            if run.rc:
                raise SystemExit(f"bare transcode of clip {c['rank']} failed:\n{tail}")
            return run

        for c in clips:
            tries = []
            for _ in range(max(1, repeat)):
                mine, mine_in = one("defaults")
                plain, plain_in = one("plain")
                bare = bare_run()
                if mine.rc or plain.rc:
                    raise SystemExit(f"render of clip {c['rank']} failed")
                tries.append((mine, mine_in, plain, plain_in, bare))
            mine, mine_in = min(((t[0], t[1]) for t in tries), key=lambda t: t[1]["wall_s"])
            plain, plain_in = min(((t[2], t[3]) for t in tries), key=lambda t: t[1]["wall_s"])
            bare = min((t[4] for t in tries), key=lambda r: r.wall_s)
            # The clip's own cost is its plan and render (``render_clips``, timed inside the
            # child): in ``creator clips --render`` the start-up and the finding of the clips
            # (the speed goal above) happen once for all of them. The child's whole run, which
            # finds the clips again from the cache first, is kept as ``process_*``.
            row = {"rank": c["rank"], "seconds": c["duration"], "repeat": max(1, repeat),
                   "wall_s": round(mine_in["wall_s"], 1), "cpu_s": round(mine_in["cpu_s"], 1),
                   "bare_wall_s": round(bare.wall_s, 1), "bare_cpu_s": round(bare.cpu_s, 1),
                   "ratio": round(mine_in["wall_s"] / bare.wall_s, 3),
                   "cpu_ratio": round(mine_in["cpu_s"] / bare.cpu_s, 3),
                   "plain_wall_s": round(plain_in["wall_s"], 1),
                   "plain_cpu_s": round(plain_in["cpu_s"], 1),
                   "plain_ratio": round(plain_in["wall_s"] / bare.wall_s, 3),
                   "process_wall_s": round(mine.wall_s, 1), "process_cpu_s": round(mine.cpu_s, 1),
                   "process_ratio": round(mine.wall_s / bare.wall_s, 3),
                   "plain_process_ratio": round(plain.wall_s / bare.wall_s, 3),
                   "tries": [{"wall_s": round(t[1]["wall_s"], 2),
                              "plain_wall_s": round(t[3]["wall_s"], 2),
                              "bare_wall_s": round(t[4].wall_s, 2)} for t in tries]}
            rows.append(row)
            print(f"  clip {c['rank']} ({c['duration']:.0f} s): {row['wall_s']} s vs bare "
                  f"{row['bare_wall_s']} s = {row['ratio']}x", file=sys.stderr, flush=True)
    return rows


def memory(cache_root: Path) -> dict:
    from tools.talk import long_order

    out = {}
    for name, count in (("10min", 12), ("3h", 225)):
        talk = build(f"mem{name}", long_order(count, seed=5), real=True, real_every=10,
                     size=(640, 360), seed=5)
        env = dict(os.environ, CREATOR_CACHE_DIR=str(cache_root / f"mem{name}"))
        print(f"memory: clips on {talk.duration / 60:.1f} min...", file=sys.stderr, flush=True)
        _, run = run_json(creator("clips", str(talk.path), "--json"), env)
        out[name] = {"source_min": round(talk.duration / 60, 1), "wall_s": round(run.wall_s, 1),
                     "maxrss_mb": round(run.maxrss_mb), "tree_rss_mb": round(run.tree_rss_mb)}
        print(f"  {out[name]}", file=sys.stderr)
    out["ratio_rss"] = round(out["3h"]["maxrss_mb"] / out["10min"]["maxrss_mb"], 3)
    out["ratio_tree"] = round(out["3h"]["tree_rss_mb"] / out["10min"]["tree_rss_mb"], 3)
    return out


def section(r: dict) -> str:
    """The markdown of the results."""
    lines = [f"## `creator clips` (benchmarks/bench_clips.py{' --quick' if r['quick'] else ''}"
             f"{' --memory' if r.get('memory') else ''}), {r['when']}", "",
             f"{r['machine']}. Sources built by `tools/talk.py` (espeak-ng, known sentences; "
             "the phone call of `shared/media/speech` between topics); the clips with the "
             "default options (5 clips of 15-60 s).", ""]
    a = r.get("accuracy")
    if a:
        lines += [f"### Accuracy ({a.get('when', r['when'])})", "",
                  f"Ten talks of five topics (40-60 s each, each opening on a hook line) in ten "
                  f"orders: **{a['passed']} of {len(a['talks'])}** have at least 4 of their top "
                  f"5 clips within one topic covering 60% of it or more ({a['clips_in_topic']} "
                  f"of {a['clips']} clips); no overlaps: "
                  f"{'yes' if all(t['overlaps'] == 0 for t in a['talks']) else 'NO'}; the "
                  f"largest distance of a clip edge from a true sentence edge: "
                  f"**{a['max_edge_error_s']} s** (goal 0.35 s).", "",
                  "| talk | topics | real voice | min | top 5 in a topic | max edge error s |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {t['talk']} | {' '.join(map(str, t['topics']))} | "
                  f"{'yes' if t['real_voice'] else 'no'} | {t['minutes']} | {t['in_topic']} | "
                  f"{t['max_edge_error_s']} |" for t in a["talks"]]
        lines.append("")
    s = r.get("speed")
    if s:
        lines += [f"### Speed ({s.get('when', r['when'])})", "",
                  f"`creator clips LONG --json` on a {s['source_min']} min talk ({s['size']}, "
                  f"30 fps, sensor noise {GRAIN}, 48 kHz stereo AAC), empty cache: "
                  f"**{s['wall_s']} s wall = {s['ratio']}x** the "
                  f"source's duration (goal at most {GOAL_SPEED}x), {s['cpu_s']} CPU-s, peak "
                  f"RSS {s['maxrss_mb']} MB (tree {s['tree_rss_mb']} MB); load average "
                  f"{s['load_before']:.1f} before, {s['load_after']:.1f} after. Again with the "
                  f"cache warm and `--count 20`: {s['warm_wall_s']} s.", "",
                  f"On it, the top 5: {s['top5']['in_topic']} within one topic (IoU >= 0.6), "
                  f"max edge error {s['top5']['max_edge_error_s']} s; the top 20: "
                  f"{s['top20']['in_topic']} of {s['top20']['clips']}, max edge error "
                  f"{s['top20']['max_edge_error_s']} s, p95 {s['top20']['p95_edge_error_s']} s,"
                  f" overlaps {s['top20']['overlaps']}.", "",
                  f"Each of the top clips rendered alone (cache warm; best of "
                  f"{s['renders'][0].get('repeat', 1) if s.get('renders') else 1}, the default, "
                  "plain and bare runs taken in turn) against a bare transcode "
                  "of its range (goal at most 1.2x): with the default edit options (look and "
                  "music auto, captions burned in) and plain (`--look none --music none "
                  "--no-captions`). A clip's time is its plan and render (`render_clips`, "
                  "timed inside a child process, ffmpeg included): in `creator clips "
                  "--render` the start-up and the finding of the clips happen once for all of "
                  "them. The child's whole run (start-up, the clips found again from the cache, "
                  "then the clip) is the last two columns.", "",
                  "| clip | s | bare wall s | CPU s | default wall s | CPU s | wall / bare "
                  "| CPU / bare | plain wall s | CPU s | wall / bare | whole run / bare: "
                  "default | plain |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {x['rank']} | {x['seconds']:.1f} | {x['bare_wall_s']} | "
                  f"{x['bare_cpu_s']} | {x['wall_s']} | {x['cpu_s']} | **{x['ratio']}x** | "
                  f"{x.get('cpu_ratio', '-')}x | {x.get('plain_wall_s', '-')} | "
                  f"{x.get('plain_cpu_s', '-')} | **{x.get('plain_ratio', '-')}x** | "
                  f"{x.get('process_ratio', '-')}x | {x.get('plain_process_ratio', '-')}x |"
                  for x in s["renders"]]
        lines.append("")
    m = r.get("memory")
    if m:
        lines += [f"### Memory ({m.get('when', r['when'])})", "",
                  f"`creator clips --json`, empty cache, 640x360: {m['10min']['source_min']} min "
                  f"{m['10min']['maxrss_mb']} MB (tree {m['10min']['tree_rss_mb']} MB, "
                  f"{m['10min']['wall_s']} s); {m['3h']['source_min']} min "
                  f"{m['3h']['maxrss_mb']} MB (tree {m['3h']['tree_rss_mb']} MB, "
                  f"{m['3h']['wall_s']} s): **{m['ratio_rss']}x** (tree {m['ratio_tree']}x; "
                  f"goal at most {GOAL_MEMORY}x). Peak RSS is the largest process's; the tree "
                  "figure is the sampled peak of the summed PSS of Python and its ffmpeg "
                  "children (a child between fork and exec, which only shares Python's pages, "
                  "left out).", ""]
    return "\n".join(lines).rstrip() + "\n"


def write_doc(r: dict) -> None:
    text = DOC.read_text(encoding="utf-8")
    body = f"<!-- bench_clips -->\n{section(r)}<!-- /bench_clips -->"
    if "<!-- bench_clips -->" in text:
        text = re.sub(r"<!-- bench_clips -->.*?<!-- /bench_clips -->", lambda _: body, text,
                      flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + body + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="two talks, 10 min, one render")
    p.add_argument("--memory", action="store_true", help="also 10 min against 3 h")
    p.add_argument("--skip-accuracy", action="store_true")
    p.add_argument("--skip-speed", action="store_true")
    p.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    p.add_argument("--repeat", type=int, default=2,
                   help="renders: each of default, plain and bare run this many times in "
                        "turn, the best wall time kept (default 2)")
    args = p.parse_args(argv)
    from tools.talk import espeak_available

    if not espeak_available():
        print("espeak-ng is not installed", file=sys.stderr)
        return 1
    result: dict = {"when": time.strftime("%Y-%m-%d"), "quick": args.quick,
                    "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}"}
    # A part not run this time keeps its last results (each part says when it ran).
    before = json.loads(RESULT.read_text()) if RESULT.exists() and not args.quick else {}
    today = result["when"]
    with tempfile.TemporaryDirectory(prefix="bench-clips-cache-") as tmp:
        cache = Path(tmp)
        parts = {"accuracy": (not args.skip_accuracy, lambda: accuracy(args.quick,
                                                                        WORK / "cache")),
                 "speed": (not args.skip_speed, lambda: speed(args.quick, cache,
                                                              repeat=args.repeat)),
                 "memory": (args.memory, lambda: memory(cache))}
        for part, (run, measure_part) in parts.items():
            if run:
                result[part] = {**measure_part(), "when": today}
            elif part in before and not before.get("quick"):
                result[part] = {"when": before.get("when"), **before[part]}
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=1) + "\n")
    print(section(result))
    if not args.no_doc:
        write_doc(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
