"""Speed and memory benchmark for ``creator edit`` against a bare ffmpeg transcode.

Times, on a 60 s 1920x1080 30 fps H.264 + AAC clip with hard cuts and speech-like audio (the
clip of ``bench_analyze.py``):

* ``creator edit clip --no-captions``: the default options otherwise (music auto, look auto;
  analysis included, nothing cached, the default profile);
* ``creator edit clip --music none --look none``;
* ``creator edit clip --captions`` (transcription and burned-in captions; skipped when
  faster-whisper cannot be imported): its goal is 1.5x the bare transcode, the others' 1.2x;
* ``creator render PLAN``: the render alone, from the plan sidecar of the edit row;
* a bare transcode to the same output format: ``ffmpeg -i clip -vf crop=ih*9/16:ih,
  scale=1080:1920`` with the x264 preset and CRF of ``creator edit``'s default, AAC;

and prints wall time, CPU time and peak RSS of each, every output probed, with the ratios the
goals are stated in. ``--long`` adds a 5 min clip (edit + bare) for peak memory vs clip length.

Run: ``.venv/bin/python benchmarks/bench_edit.py [--quick] [--long] [--repeat N]``.
Clip generation, process timing and the table come from ``bench_analyze.py``; the last result
is written to ``benchmarks/.work/last_edit.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_analyze import (
    FPS,
    HERE,
    SIZE,
    WORK,
    Row,
    ffmpeg_path,
    fmt_ratio,
    loadavg,
    make_clip,
    make_long_clip,
    measure,
    print_table,
    ratio,
    real_media_clip,
)

from creator_tools.captions.model import captions_available

RESULT_JSON = WORK / "last_edit.json"

#: Goals from the product issue.
GOAL_WALL_VS_BARE = 1.2
#: The captions issue: ``creator edit --captions`` against the same bare transcode.
GOAL_CAPTIONS_WALL_VS_BARE = 1.5
GOAL_RSS_5MIN_VS_60S = 1.25
#: "A quality a creator accepts": x264 preset veryfast or slower, CRF at most this.
MAX_CRF = 23
X264_PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
                "slower", "veryslow", "placebo")
FASTEST_ACCEPTED_PRESET = "veryfast"

#: The reframing of the bare transcode: a centred 9:16 window, scaled to 1080x1920.
BARE_VF = "crop=ih*9/16:ih,scale=1080:1920"
OUT_W, OUT_H = 1080, 1920
#: Stands for the output file in a row's command; each run writes a fresh one.
OUT = "{out}"


# ---------------------------------------------------------------------------------------
# Defaults of `creator edit`, read from the code
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Encode:
    preset: str
    crf: int
    audio_bitrate: str
    where: str
    note: str = ""


def default_encode() -> Encode:
    """The x264 preset, CRF and AAC bitrate of ``creator edit``'s default output.

    ``OutputSpec`` (the plan's output section) holds the defaults; the planner fills the
    preset and CRF from ``EditOptions``, so when the two disagree that one wins, with a note.
    """
    from creator_tools.edit.plan import OutputSpec
    from creator_tools.edit.planner import EditOptions

    spec, opts = OutputSpec(), EditOptions()
    note = ""
    preset, crf = spec.preset, spec.crf
    if (opts.preset, opts.crf) != (spec.preset, spec.crf):
        note = (f"OutputSpec says {spec.preset}/crf {spec.crf}, EditOptions (what the planner "
                f"uses) {opts.preset}/crf {opts.crf}: using the latter")
        preset, crf = opts.preset, opts.crf
    return Encode(preset, crf, spec.audio_bitrate,
                  "creator_tools/edit/plan.py OutputSpec (+ planner.EditOptions)", note)


def quality_ok(enc: Encode) -> bool:
    """Preset ``veryfast`` or slower and CRF at most :data:`MAX_CRF`."""
    if enc.preset not in X264_PRESETS:
        return False
    slow_enough = X264_PRESETS.index(enc.preset) >= X264_PRESETS.index(FASTEST_ACCEPTED_PRESET)
    return slow_enough and enc.crf <= MAX_CRF


# ---------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------

@dataclass
class EditRow(Row):
    """A :class:`Row` whose command writes a video (``{out}`` in ``cmd``), probed after each run."""

    creator: bool = False  # fresh CREATOR_CACHE_DIR, CREATOR_INDEX and CREATOR_CONFIG per run
    json_out: bool = False  # the command prints a JSON result on stdout
    keep_plan: Path | None = None  # copy the run's plan sidecar here (for the render row)
    keep_output: Path | None = None  # copy the run's video here (to measure it afterwards)
    outputs: list[dict] = field(default_factory=list)

    def output(self) -> dict | None:
        return self.outputs[-1] if self.outputs else None


def creator_exe() -> str:
    return str(Path(sys.executable).with_name("creator"))


def edit_cmd(clip: Path, *extra: str) -> list[str]:
    return [creator_exe(), "--quiet", "edit", str(clip), "-o", OUT, "--force", "--json", *extra]


def render_cmd(plan: Path) -> list[str]:
    return [creator_exe(), "--quiet", "render", str(plan), "-o", OUT, "--force", "--json"]


def bare_cmd(ff: str, clip: Path, enc: Encode) -> list[str]:
    return [ff, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "error", "-y",
            "-i", str(clip), "-vf", BARE_VF,
            "-c:v", "libx264", "-preset", enc.preset, "-crf", str(enc.crf), "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", enc.audio_bitrate, "-movflags", "+faststart", OUT]


def plan_sidecar(video: Path) -> Path:
    """``NAME.plan.json`` beside ``NAME.mp4`` (as ``creator edit`` writes it)."""
    from creator_tools.edit.sidecars import sidecar_paths

    return sidecar_paths(video)[0]


def check_output(path: Path, stdout: str, row: EditRow) -> tuple[dict, str]:
    """Probe ``path``; return its facts and a reason to fail the row ("" when fine)."""
    from creator_tools.media.probe import probe

    if not path.is_file():
        return {}, f"no output file ({path.name} missing)"
    facts: dict = {"size_mb": round(path.stat().st_size / 2**20, 2)}
    try:
        info = probe(path)
    except Exception as exc:  # any probe failure fails the row
        return facts, f"output does not probe: {exc}"
    v = info.video
    facts.update(duration_s=round(info.duration, 3), has_audio=info.audio is not None)
    if v is not None:
        facts.update(width=v.display_width, height=v.display_height, fps=round(v.fps, 3),
                     frames=v.frames, codec=v.codec, pix_fmt=v.pix_fmt)
    if row.json_out:
        try:
            facts["json"] = json.loads(stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return facts, f"no JSON result on stdout: {stdout[-300:]!r}"
    if v is None:
        return facts, "output has no video stream"
    if (v.display_width, v.display_height) != (OUT_W, OUT_H):
        return facts, f"output is {v.display_width}x{v.display_height}, not {OUT_W}x{OUT_H}"
    if info.duration < 1.0 or not v.frames:
        return facts, f"output is empty ({info.duration:.2f} s, {v.frames} frames)"
    if info.audio is None:
        return facts, "output has no audio stream"
    said = facts.get("json", {}).get("duration")
    if said is not None and abs(float(said) - info.duration) > 0.25:
        facts["warning"] = f"JSON says {said} s, the file is {info.duration:.3f} s"
    return facts, ""


def run_once(row: EditRow, i: int, n: int) -> None:
    """Time ``row`` once more, unless it already failed; probe its output."""
    if row.error or row.skipped:
        return
    WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="edit-run-", dir=WORK) as tmp:
        out = Path(tmp) / "out.mp4"
        cmd = [str(out) if a == OUT else a for a in row.cmd]
        env = None
        if row.creator:
            env = dict(os.environ, CREATOR_CACHE_DIR=str(Path(tmp) / "cache"),
                       CREATOR_INDEX=str(Path(tmp) / "trends.sqlite"),
                       CREATOR_CONFIG=str(Path(tmp) / "config.toml"))
        stdout_path = Path(tmp) / "stdout.txt"
        try:
            run, tail = measure(cmd, env=env, cwd=tmp, stdout_path=str(stdout_path))
        except OSError as exc:
            row.error = f"could not start: {exc}"
            return
        if run.rc != 0:
            lines = tail.strip().splitlines()[-15:]
            row.error = f"exit {run.rc}; stderr tail:\n    " + "\n    ".join(lines)
            print(f"  {row.label} run {i + 1}/{n}: FAILED (exit {run.rc})", file=sys.stderr)
            return
        stdout = stdout_path.read_text(errors="replace")
        facts, why = check_output(out, stdout, row)
        if why:
            row.error = why
            print(f"  {row.label} run {i + 1}/{n}: FAILED ({why})", file=sys.stderr)
            return
        if row.keep_plan is not None and plan_sidecar(out).is_file():
            shutil.copyfile(plan_sidecar(out), row.keep_plan)
        if row.keep_output is not None:
            shutil.copyfile(out, row.keep_output)
    row.runs.append(run)
    row.outputs.append(facts)
    print(f"  {row.label} run {i + 1}/{n}: wall {run.wall_s:.2f} s, cpu {run.cpu_s:.2f} s, "
          f"rss {run.maxrss_mb:.0f} MB, tree {run.tree_rss_mb:.0f} MB; output "
          f"{facts['duration_s']:.2f} s", file=sys.stderr, flush=True)


def warm_page_cache(path: Path) -> None:
    """Read ``path`` once so that the first timed row does not pay for a cold disk."""
    with open(path, "rb") as f:
        while f.read(8 << 20):
            pass


# ---------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------

def print_outputs(rows: list[EditRow]) -> None:
    head = (f"{'output of':32} {'dur s':>7} {'size':>9} {'fps':>6} {'frames':>6} {'MB':>7} "
            f"{'removed s':>9}")
    print(head)
    print("-" * len(head))
    for row in rows:
        o = row.output()
        if row.skipped or not row.ok or o is None:
            print(f"{row.label:32} {'-':>7}")
            continue
        removed = o.get("json", {}).get("removed_seconds")
        print(f"{row.label:32} {o['duration_s']:7.2f} {o['width']:>4}x{o['height']:<4} "
              f"{o['fps']:6.2f} {o['frames']:6d} {o['size_mb']:7.1f} "
              f"{'' if removed is None else f'{removed:.2f}':>9}")
        if o.get("warning"):
            print(f"{'':32} WARNING: {o['warning']}")


def plan_encode(plan: Path) -> dict | None:
    """The output section of a plan file, or None."""
    try:
        return json.loads(plan.read_text()).get("output")
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------------------------------
# Real footage (benchmarks/realclip.py) and the virtual camera against known truth
# ---------------------------------------------------------------------------------------

REAL_PLAN = WORK / "edit-real.plan.json"
REAL_OUT = WORK / "edit-real.mp4"
#: The real-footage issue: the default edit of the real-footage clip (shaky shot included)
#: against the bare transcode of it, wall and CPU; the shaky shot's residual jitter against a
#: naive centre crop's.
GOAL_REAL_VS_BARE = 1.2
GOAL_JITTER_VS_NAIVE = 0.15


def real_media_rows(ff: str, enc: Encode, clip: Path | None, why: str) -> dict[str, EditRow]:
    """``creator edit --no-captions`` (its video and plan kept) and the bare transcode of the
    real-footage clip, as timed rows."""
    REAL_PLAN.unlink(missing_ok=True)
    REAL_OUT.unlink(missing_ok=True)
    if clip is None:
        return {k: EditRow(k, label, [], "", skipped=why) for k, label in
                (("edit_real", "creator edit (real)"),
                 ("bare_real", "bare ffmpeg transcode (real)"))}
    return {"edit_real": EditRow("edit_real", "creator edit (real)",
                                 edit_cmd(clip, "--no-captions"), clip.name, creator=True,
                                 json_out=True, keep_plan=REAL_PLAN, keep_output=REAL_OUT),
            "bare_real": EditRow("bare_real", "bare ffmpeg transcode (real)",
                                 bare_cmd(ff, clip, enc), clip.name)}


def shaky_jitter(clip: Path, truth: dict, plan_path: Path, video: Path) -> dict:
    """Residual jitter (tests/measure.py) of the shaky shot in the edit's output, and in a
    naive centre crop (``BARE_VF``) of the same kept source ranges; their ratio."""
    import subprocess

    import numpy as np

    from creator_tools.edit.filtergraph import source_zoom
    from creator_tools.edit.plan import load_plan
    from creator_tools.media.ffmpeg import base_args
    from tests.measure import (
        frame_steps,
        jitter_residuals,
        output_ranges,
        residual_jitter,
        source_ranges,
    )

    plan = load_plan(plan_path)
    sh = truth["shake"]
    tb = float(plan.timebase)
    a = round(sh["start_frame"] / truth["fps"] / tb)
    b = round(sh["end_frame"] / truth["fps"] / tb)
    outs, srcs = output_ranges(plan, a, b), source_ranges(plan, a, b)
    edit = residual_jitter(video, outs)
    res = []
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        for i, (s0, s1) in enumerate(srcs):
            naive = Path(tmp) / f"naive{i}.mp4"
            subprocess.run([*base_args(), "-loglevel", "error", "-y", "-ss", f"{s0:.6f}",
                            "-t", f"{s1 - s0:.6f}", "-i", str(clip), "-vf", BARE_VF, "-an",
                            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18",
                            str(naive)], check=True)
            res.append(jitter_residuals(frame_steps(naive), truth["fps"]))
    allr = np.concatenate(res) if res else np.zeros(0)
    naive_rms = float(np.sqrt(np.mean(allr**2))) if allr.size else 0.0
    keys = [k for k in plan.reframe.keyframes if a <= k.t < b]
    return {"edit": round(edit, 4), "naive": round(naive_rms, 4),
            "ratio": round(edit / naive_rms, 4) if naive_rms else None,
            "output_ranges": [[round(x, 3), round(y, 3)] for x, y in outs],
            "source_ranges": [[round(x, 3), round(y, 3)] for x, y in srcs],
            "zoom": source_zoom(plan, a), "keyframes": len(keys), "mode": plan.reframe.mode}


def camera_checks() -> dict:
    """The virtual camera against known truth (tests/camera_eval.py): the reframing fixtures,
    the demo's presenter, the subject of real clips seen in the output."""
    from tests import camera_eval as ce

    out: dict[str, object] = {"fixtures": {}, "real": {}}
    for name in ("walk", "still", "sway", "dash", "two"):
        print(f"  camera: fixture {name} ...", file=sys.stderr, flush=True)
        out["fixtures"][name] = ce.fixture(name)  # type: ignore[index]
    out["still_jitter"] = ce.still_jitter()
    out["demo"] = ce.demo()
    for name in ce.REAL:
        print(f"  camera: {name} ...", file=sys.stderr, flush=True)
        out["real"][name] = ce.visibility(name, WORK)  # type: ignore[index]
    out["goals"] = {"inside": ce.GOALS, "moves_per_2s": ce.GOAL_MOVES_PER_2S,
                    "visible": ce.GOAL_VISIBLE}
    return out


def _camera_lines(cam: dict) -> list[str]:
    import report

    from tests import camera_eval as ce

    fx = cam["fixtures"]
    rows = []
    for name, f in fx.items():
        goal = ce.GOALS.get(name)
        inside = f"{100 * f['inside']:.1f}%"
        if goal is not None:
            inside += f" ({report.verdict(f['inside'], goal, at_most=False)}, goal {goal:.0%})"
        moves = f"{f['moves_per_2s']:.2f}"
        if name in ("still", "sway"):
            moves += f" ({report.verdict(f['moves_per_2s'], ce.GOAL_MOVES_PER_2S)}, goal <= 1)"
        rows.append([name, f"{f['speed']:.2f}", inside, f"{100 * f['whole']:.0f}%", moves,
                     f["shots"], f["subject_source"]])
    lines = ["", "The virtual camera against known truth (`tests/camera_eval.py`; plans made with "
             "music and look off): share of frames with the subject's whole box inside the "
             "window (from the plan's keyframes and zoom, against the box composited per frame "
             "by `tests/mediagen.py framing_clip`), and camera moves (runs of frames where the "
             "window's centre moves more than 0.002 of the frame per frame) per 2 s:", "",
             report.table(["fixture", "speed (widths/s)", "subject whole in window",
                           "shown whole", "moves / 2 s", "shots", "subject from"], rows), ""]
    two = fx.get("two")
    if two is not None:
        lines.append(f"- two people far apart: shown whole (fill or letterbox) in "
                     f"{100 * two['whole']:.0f}% of the frames (goal: the shot switches to "
                     f"fill or letterbox: {report.verdict(two['whole'], 1.0, at_most=False)}); "
                     f"notes: {two['notes'] or 'none'}")
    sj = cam["still_jitter"]
    lines.append(f"- residual jitter of the still fixture's render: {sj['edit']:.3f}% "
                 f"(naive centre crop: {sj['naive']:.3f}%)")
    d = cam["demo"]
    lines.append(f"- examples/demo.mp4: the presenter's head whole in the window in "
                 f"{100 * d['inside']:.1f}% of {d['frames']} kept frames (goal: every frame: "
                 f"{report.verdict(d['inside'], 1.0, at_most=False)})"
                 + (f"; cut at {d['cut_at']} s" if d["cut_frames"] else ""))
    real = [[n, r["seen"], r["kept"], "-" if r["visible"] is None else f"{100 * r['visible']:.0f}%"
             + f" ({report.verdict(r['visible'], ce.GOAL_VISIBLE, at_most=False)})",
             ", ".join(r["modes"]), ", ".join(str(x) for x in r["missed_at"][:8])]
            for n, r in cam["real"].items()]
    every = "every frame" if ce.EVERY == 1 else f"every {ce.EVERY} frames"
    lines += ["", f"Real footage (`cut none`, 360x640): what a detector finds in the source, "
              f"looked for in the output, {every} (goal {ce.GOAL_VISIBLE:.0%}; carphone: Haar "
              "frontal face, its patch found in the output by cross-correlation; cup: "
              "near-black pixels above the table; box: the box's saturated yellow; bikes: "
              "moving people, found in the output by cross-correlation):", "",
              report.table(["clip", "frames with the subject", "also in the output", "visible",
                            "layouts", "missed at (s)"], real)]
    bikes, phone = cam["real"].get("bikes", {}), cam["real"].get("carphone", {})
    if "others" in bikes:
        lines.append(f"\nbikes counts only its frames with a person in the source "
                     f"(`BIKES_PEOPLE`, read off a contact sheet); the detector's "
                     f"{bikes['others']} other hits (parallax on a tablet and a pedal, passing "
                     f"cars) are not counted: the output shows {bikes['others_kept']} of them.")
    if "haar_seen" in phone:
        lines.append(f"\ncarphone: the Haar detector run on the output too finds a face in "
                     f"{phone['haar_kept']} of the {phone['haar_seen']} frames (the face patch "
                     f"is found whole in {phone['kept']}).")
    return lines


def real_media_report(result: dict, rows: dict[str, EditRow], clip: Path | None,
                      truth: dict | None, *, quick: bool, camera: bool) -> None:
    """The real-footage ratios, the shaky shot's jitter and the camera's checks: printed,
    written to benchmarks/results/edit.json and this script's section of docs/benchmarks.md."""
    import report

    ratios = result["ratios"]
    er, br = rows.get("edit_real"), rows.get("bare_real")
    ratios["edit_real_wall_vs_bare_real"] = ratio(er, br, "wall_s")
    ratios["edit_real_cpu_vs_bare_real"] = ratio(er, br, "cpu_s")
    print(f"real footage: edit wall / bare wall: "
          f"{fmt_ratio(ratios['edit_real_wall_vs_bare_real'], GOAL_REAL_VS_BARE)}")
    print(f"real footage: edit CPU / bare CPU  : "
          f"{fmt_ratio(ratios['edit_real_cpu_vs_bare_real'], GOAL_REAL_VS_BARE)}")
    jitter = None
    if clip is not None and truth is not None and REAL_PLAN.is_file() and REAL_OUT.is_file():
        jitter = shaky_jitter(clip, truth, REAL_PLAN, REAL_OUT)
        print(f"shaky shot residual jitter: edit {jitter['edit']:.3f}%, naive crop "
              f"{jitter['naive']:.3f}%: {fmt_ratio(jitter['ratio'], GOAL_JITTER_VS_NAIVE)}")
    cam = None
    if camera and clip is not None:
        cam = camera_checks()
        print(f"camera: {json.dumps(cam)}")
    out = {**result, "quick": quick, "real_clip": clip.name if clip else None,
           "real_truth": {k: v for k, v in (truth or {}).items() if k != "shake"},
           "shake": {k: v for k, v in ((truth or {}).get("shake") or {}).items()
                     if k not in ("dx", "dy")},
           "jitter": jitter, "camera": cam,
           "goals": {**result["goals"], "edit_real_vs_bare_real": GOAL_REAL_VS_BARE,
                     "jitter_vs_naive": GOAL_JITTER_VS_NAIVE}}
    path = report.write_results("edit", out, quick=quick)

    lines = [f"### Latest run: `benchmarks/bench_edit.py{' --quick' if quick else ''}`, "
             f"{time.strftime('%Y-%m-%d %H:%M')}", "",
             f"Written by the script (`{path.relative_to(HERE.parent)}`); {os.cpu_count()} "
             f"cores, load average {result['loadavg_before']:.1f} before, "
             f"{result['loadavg_after']:.1f} after; best of {result['repeat']}; outputs "
             f"1080x1920, x264 {result['encode']['preset']} CRF {result['encode']['crf']}.", ""]
    if quick:
        lines += ["**`--quick`: 15 s clips, single runs: plumbing only, not the goals.**", ""]
    body = []
    for r in rows.values():
        if r.ok:
            b = r.best()
            o = r.output() or {}
            body.append([r.label, f"{b['wall_s']:.2f}", f"{b['cpu_s']:.2f}",
                         f"{b['maxrss_mb']:.0f}", f"{b['tree_rss_mb']:.0f}",
                         f"{o.get('duration_s', 0):.2f}"])
        else:
            body.append([r.label, "skipped" if r.skipped else "FAILED", "", "", "", ""])
    lines += [report.table(["row", "wall s", "CPU s", "peak RSS MB", "tree MB", "output s"],
                           body), ""]

    def rat(key: str, goal: float | None = None) -> str:
        v = ratios.get(key)
        if v is None:
            return "n/a"
        return f"**{v:.2f}x**" + ("" if goal is None else
                                  f" ({report.verdict(v, goal)}, goal {goal}x)")

    lines.append(f"- generated clip: edit wall / bare wall {rat('edit_wall_vs_bare', 1.2)}; "
                 f"with `--captions` {rat('edit_captions_wall_vs_bare', 1.5)}; "
                 f"edit CPU / bare CPU {rat('edit_cpu_vs_bare')}")
    lines.append(f"- real-footage clip (shaky shot included): edit wall / bare wall "
                 f"{rat('edit_real_wall_vs_bare_real', GOAL_REAL_VS_BARE)}, edit CPU / bare CPU "
                 f"{rat('edit_real_cpu_vs_bare_real', GOAL_REAL_VS_BARE)}")
    if jitter is not None:
        sh = out["shake"]
        lines.append(
            f"- residual jitter of the shaky shot (applied "
            f"{'-'.join(f'{v:g}' for v in sh.get('band_hz', []))} Hz, up to "
            f"{sh.get('max_px')} px at 1080p; per frame the global translation by phase "
            f"correlation at 320 px, minus its 0.5 s average, RMS, % of the frame): edit "
            f"{jitter['edit']:.3f}%, naive centre crop {jitter['naive']:.3f}%: "
            f"**{100 * jitter['ratio']:.1f}%** of the naive crop's "
            f"({report.verdict(jitter['ratio'], GOAL_JITTER_VS_NAIVE)}, goal "
            f"{GOAL_JITTER_VS_NAIVE:.0%}); window zoom {jitter['zoom']}, "
            f"{jitter['keyframes']} keyframes in the shot")
    if cam is not None:
        lines += _camera_lines(cam)
    if clip is not None and truth is not None:
        shots = ", ".join(f"{x['name']} {x['start_frame'] / FPS:.1f}-{x['end_frame'] / FPS:.1f} s"
                          for x in truth["shots"])
        lines += ["", f"Real-footage clip `{clip.name}` (`benchmarks/realclip.py`): {shots}."]
    section = report.write_section("bench_edit", "\n".join(lines), quick=quick)
    print(f"written: {path.relative_to(HERE.parent)}, {section.relative_to(HERE.parent)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="a 15 s clip and one run each: checks the plumbing, not the goals")
    ap.add_argument("--long", action="store_true",
                    help="also edit and transcode a 5 min clip, for peak memory vs clip length")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per command on the short clip, best wall kept (default 1)")
    ap.add_argument("--skip-camera", action="store_true",
                    help="skip the virtual camera's checks (reframing fixtures, demo, real "
                         "footage: a few minutes)")
    ns = ap.parse_args(argv)
    repeat = max(1, ns.repeat)
    duration = 15.0 if ns.quick else 60.0

    ff = ffmpeg_path()
    enc = default_encode()
    clip = make_clip(duration)
    long_clip = make_long_clip(clip, 5) if ns.long else None
    real_clip, real_truth, real_why = real_media_clip(ns.quick)

    label_clip = f"{duration:g}s"
    plan_copy = WORK / f"edit-{clip.stem}.plan.json"
    plan_copy.unlink(missing_ok=True)
    rows: dict[str, EditRow] = {
        # The edit issue's goal is stated with captions off; the captions row has its own.
        "edit": EditRow("edit", f"creator edit ({label_clip})", edit_cmd(clip, "--no-captions"),
                        clip.name, creator=True, json_out=True, keep_plan=plan_copy),
        "edit_plain": EditRow("edit_plain", f"edit --music/--look none ({label_clip})",
                              edit_cmd(clip, "--music", "none", "--look", "none", "--no-captions"),
                              clip.name,
                              creator=True, json_out=True),
        "edit_captions": EditRow("edit_captions", f"edit --captions ({label_clip})",
                                 edit_cmd(clip, "--captions"), clip.name, creator=True,
                                 json_out=True),
        "render": EditRow("render", f"creator render PLAN ({label_clip})",
                          render_cmd(plan_copy), clip.name, creator=True, json_out=True),
        "bare": EditRow("bare", f"bare ffmpeg transcode ({label_clip})",
                        bare_cmd(ff, clip, enc), clip.name),
    }
    rows.update(real_media_rows(ff, enc, real_clip, real_why))
    if long_clip is not None:
        rows["edit_long"] = EditRow("edit_long", "creator edit (5 min)",
                                    edit_cmd(long_clip, "--no-captions"), long_clip.name,
                                    creator=True, json_out=True, repeat=1)
        rows["bare_long"] = EditRow("bare_long", "bare ffmpeg transcode (5 min)",
                                    bare_cmd(ff, long_clip, enc), long_clip.name, repeat=1)

    for row in rows.values():
        print(f"{row.key}: {shlex.join(row.cmd)}", file=sys.stderr)
    for path in (clip, long_clip, real_clip):
        if path is not None:
            warm_page_cache(path)
    # Round-robin: run 1 of every row, then run 2..., so that a burst of load from elsewhere
    # does not land on one row's runs only. The render row follows the edit row, whose plan
    # sidecar it renders.
    load_before = loadavg()
    for i in range(repeat):
        for row in rows.values():
            n = row.repeat or repeat
            if i >= n:
                continue
            if row.key == "render" and not plan_copy.is_file() and not row.runs:
                row.skipped = "no plan: the edit row failed or wrote no plan sidecar"
            if row.key == "edit_captions" and not captions_available():
                row.skipped = "faster-whisper cannot be imported"
            run_once(row, i, n)
    load_after = loadavg()

    print()
    print(f"clip: {clip.name} ({label_clip}, {SIZE} {FPS} fps H.264 veryfast crf 23 + AAC, "
          f"{clip.stat().st_size / 2**20:.1f} MB); machine: {os.cpu_count()} cores, "
          f"{platform.python_version()}; ffmpeg: {ff}")
    print(f"default encode ({enc.where}): x264 preset {enc.preset}, crf {enc.crf}, "
          f"AAC {enc.audio_bitrate}: "
          + ("PASS" if quality_ok(enc) else "FAIL")
          + f" (goal: preset {FASTEST_ACCEPTED_PRESET} or slower, crf <= {MAX_CRF})")
    if enc.note:
        print(f"  note: {enc.note}")
    used = plan_encode(plan_copy)
    if used is not None:
        got = (used.get("preset"), used.get("crf"), used.get("audio_bitrate"))
        if got != (enc.preset, enc.crf, enc.audio_bitrate):
            print(f"  WARNING: the edit's plan encodes with {got}, not "
                  f"{(enc.preset, enc.crf, enc.audio_bitrate)}: the bare row is not like-for-like")
    print(f"load average (1 min) before: {load_before:.2f}, after: {load_after:.2f}")
    if max(load_before, load_after) > 0.7:
        print("WARNING: the machine was busy with other work; wall times are inflated")
    print()
    print_table(list(rows.values()), repeat)
    print()
    print_outputs(list(rows.values()))
    print()

    edit, render, bare = rows["edit"], rows["render"], rows["bare"]
    ratios: dict[str, float | None] = {
        "edit_wall_vs_bare": ratio(edit, bare, "wall_s"),
        "edit_plain_wall_vs_bare": ratio(rows["edit_plain"], bare, "wall_s"),
        "render_wall_vs_bare": ratio(render, bare, "wall_s"),
        "edit_cpu_vs_bare": ratio(edit, bare, "cpu_s"),
    }
    print(f"edit wall / bare transcode wall        : "
          f"{fmt_ratio(ratios['edit_wall_vs_bare'], GOAL_WALL_VS_BARE)}")
    print(f"edit (music/look none) wall / bare wall: "
          f"{fmt_ratio(ratios['edit_plain_wall_vs_bare'])}")
    print(f"render only wall / bare wall           : {fmt_ratio(ratios['render_wall_vs_bare'])}")
    ratios["edit_captions_wall_vs_bare"] = ratio(rows["edit_captions"], bare, "wall_s")
    print(f"edit --captions wall / bare wall       : "
          f"{fmt_ratio(ratios['edit_captions_wall_vs_bare'], GOAL_CAPTIONS_WALL_VS_BARE)}")
    print(f"edit CPU / bare transcode CPU          : {fmt_ratio(ratios['edit_cpu_vs_bare'])}")
    ratios["render_cpu_vs_bare"] = ratio(render, bare, "cpu_s")
    print(f"render only CPU / bare CPU             : {fmt_ratio(ratios['render_cpu_vs_bare'])}")
    analysis: dict[str, float] | None = None
    if edit.ok and render.ok:
        e, r = edit.best(), render.best()
        analysis = {"wall_s": e["wall_s"] - r["wall_s"], "cpu_s": e["cpu_s"] - r["cpu_s"]}
        print(f"edit - render (analysis, plan, start-up): wall {analysis['wall_s']:.2f} s, "
              f"CPU {analysis['cpu_s']:.2f} s")
    if long_clip is not None:
        el, bl = rows["edit_long"], rows["bare_long"]
        ratios["edit_rss_5min_vs_60s"] = ratio(el, edit, "maxrss_mb")
        ratios["edit_tree_rss_5min_vs_60s"] = ratio(el, edit, "tree_rss_mb")
        ratios["bare_rss_5min_vs_60s"] = ratio(bl, bare, "maxrss_mb")
        ratios["edit_long_wall_vs_bare_long"] = ratio(el, bl, "wall_s")
        print(f"edit peak RSS 5 min / 60 s             : "
              f"{fmt_ratio(ratios['edit_rss_5min_vs_60s'], GOAL_RSS_5MIN_VS_60S)}")
        print(f"edit peak tree RSS 5 min / 60 s        : "
              f"{fmt_ratio(ratios['edit_tree_rss_5min_vs_60s'], GOAL_RSS_5MIN_VS_60S)}")
        print(f"bare peak RSS 5 min / 60 s             : "
              f"{fmt_ratio(ratios['bare_rss_5min_vs_60s'])}")
        print(f"edit wall / bare wall, 5 min           : "
              f"{fmt_ratio(ratios['edit_long_wall_vs_bare_long'])}")
    if ns.quick:
        print("(--quick: 15 s clip, single runs; the ratios are indicative only)")
    failed = [r.label for r in rows.values() if not r.ok]
    if failed:
        print(f"FAILED or skipped rows: {', '.join(failed)}")

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
        "encode": asdict(enc),
        "encode_quality_ok": quality_ok(enc),
        "goals": {"edit_wall_vs_bare": GOAL_WALL_VS_BARE,
                  "edit_captions_wall_vs_bare": GOAL_CAPTIONS_WALL_VS_BARE,
                  "edit_rss_5min_vs_60s": GOAL_RSS_5MIN_VS_60S,
                  "preset": f"{FASTEST_ACCEPTED_PRESET} or slower", "max_crf": MAX_CRF},
        "rows": {k: {"label": r.label, "cmd": r.cmd, "clip": r.clip, "ok": r.ok,
                     "error": r.error, "skipped": r.skipped, "best": r.best() if r.ok else None,
                     "runs": [asdict(x) for x in r.runs], "outputs": r.outputs}
                 for k, r in rows.items()},
        "ratios": ratios,
        "edit_minus_render": analysis,
    }
    WORK.mkdir(parents=True, exist_ok=True)
    RESULT_JSON.write_text(json.dumps(result, indent=1))
    print(f"\nwritten: {RESULT_JSON.relative_to(HERE.parent)}")
    real_media_report(result, rows, real_clip, real_truth, quick=ns.quick,
                      camera=not ns.skip_camera)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
