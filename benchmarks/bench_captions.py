"""Speed and accuracy benchmark for ``creator captions`` (faster-whisper).

Transcribes 60 s of real speech: ``../shared/media/speech/pyannote_sample.wav`` (a 30 s phone
call, speech from 6.68 s) played twice, muxed by ffmpeg with a small still picture into an
H.264 + AAC mp4 in ``benchmarks/.work/`` as a creator's clip would be. For each faster-whisper
setting it prints:

* wall and CPU seconds of :func:`creator_tools.captions.transcribe` (decode + VAD +
  recognition + word alignment; the model is loaded once beforehand, its load time printed
  apart), and the real-time factor: audio seconds / wall seconds (goal: at least 5x on 2
  cores);
* the word error rate against the sample's ``.stm`` reference (twice over), lower-cased
  without punctuation, Levenshtein over words;
* the first word's start against the reference's 6.68 s.

Then the whole command, ``creator captions CLIP -o OUT.srt`` as a child process with an empty
cache (start-up, model load and all), for the end-to-end real-time factor.

Run: ``.venv/bin/python benchmarks/bench_captions.py [--repeat N] [--settings NAME...]
[--model NAME|PATH] [--skip-cli]``. The last result goes to
``benchmarks/.work/last_captions.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
RESULT_JSON = WORK / "last_captions.json"
SPEECH = ROOT.parent / "shared" / "media" / "speech"
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from creator_tools.captions.transcript import word_error_rate  # noqa: E402

#: Goal from the product issue: at least this many audio seconds per wall second on 2 cores.
GOAL_RTF = 5.0
#: Where the sample's speech starts (its .stm and MANIFEST.md).
FIRST_WORD_REF = 6.68
LOOPS = 2  # 2 x 30 s


def settings_grid() -> dict[str, dict[str, object]]:
    """Named variations of :class:`~creator_tools.captions.transcribe.WhisperSettings`."""
    return {
        "default": {},
        "beam1": {"beam_size": 1},
        "beam2": {"beam_size": 2},
        "no-vad": {"vad_filter": False},
        "condition": {"condition_on_previous_text": True},
        "pad200": {"vad_speech_pad_ms": 200},
    }


def loadavg() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return -1.0


def run_ffmpeg(*args: str) -> None:
    from creator_tools.media.ffmpeg import base_args

    cmd = [*base_args(), "-loglevel", "error", "-y", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"ffmpeg failed: {shlex.join(cmd)}\n{proc.stderr[-2000:]}")


def make_clip(wav: Path) -> Path:
    """The sample looped :data:`LOOPS` times under a still picture: an H.264 + AAC mp4."""
    out = WORK / f"speech{LOOPS * 30}s.mp4"
    if out.exists():
        return out
    WORK.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.tmp.mp4")
    try:
        run_ffmpeg("-f", "lavfi", "-i", "color=c=0x305070:s=360x640:r=30",
                   "-stream_loop", str(LOOPS - 1), "-i", str(wav), "-map", "0:v", "-map", "1:a",
                   "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", "-b:a", "128k",
                   "-ar", "48000", "-shortest", str(tmp))
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


wer = word_error_rate


def reference_text(stm: Path) -> str:
    lines = [ln.split(None, 5)[5] for ln in stm.read_text().splitlines() if ln.strip()]
    return " ".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=2, help="runs per setting, best wall kept")
    ap.add_argument("--settings", nargs="*", default=None,
                    help=f"which settings to time (default: all of "
                         f"{', '.join(settings_grid())})")
    ap.add_argument("--model", default=None, help="--model for transcribe (default: bundled)")
    ap.add_argument("--skip-cli", action="store_true", help="do not time `creator captions`")
    ns = ap.parse_args(argv)

    wav, stm = SPEECH / "pyannote_sample.wav", SPEECH / "pyannote_sample.stm"
    if not wav.exists() or not stm.exists():
        print(f"needs {wav} and {stm} (../shared/media)", file=sys.stderr)
        return 2
    from creator_tools.captions.model import load_model
    from creator_tools.captions.transcribe import WhisperSettings, transcribe
    from creator_tools.media.probe import probe

    clip = make_clip(wav)
    audio_s = probe(clip).duration
    reference = " ".join([reference_text(stm)] * LOOPS)
    grid = settings_grid()
    names = ns.settings or list(grid)
    unknown = [n for n in names if n not in grid]
    if unknown:
        print(f"unknown settings {unknown}; known: {', '.join(grid)}", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    _, ref = load_model(ns.model)
    load_s = time.perf_counter() - t0
    rows: dict[str, dict[str, object]] = {}
    load_before = loadavg()
    for i in range(ns.repeat):  # round-robin: a burst of load elsewhere hits every row
        for name in names:
            s = WhisperSettings(**grid[name])  # type: ignore[arg-type]
            c0, w0 = time.process_time(), time.perf_counter()
            t = transcribe(clip, model=ns.model, settings=s)
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            print(f"{name} run {i + 1}/{ns.repeat}: {wall:.2f} s wall, {cpu:.2f} s CPU, "
                  f"load {loadavg():.2f}", file=sys.stderr, flush=True)
            row = rows.setdefault(name, {"settings": asdict(s), "runs": []})
            row["runs"].append({"wall_s": wall, "cpu_s": cpu})  # type: ignore[union-attr]
            words = t.words
            row["wer"] = wer(reference, " ".join(w.text for w in words))
            row["first_word_s"] = words[0].start if words else None
            row["words"] = len(words)
    cli: dict[str, object] | None = None
    if not ns.skip_cli:
        cli = time_cli(clip, ns.model)
    load_after = loadavg()

    print()
    print(f"clip: {clip.name} ({audio_s:.1f} s of speech: pyannote_sample.wav x{LOOPS}); "
          f"model: {ref.name}; machine: {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"model load: {load_s:.2f} s; load average (1 min) before: {load_before:.2f}, "
          f"after: {load_after:.2f}")
    if max(load_before, load_after) > 0.7 * (os.cpu_count() or 1):
        print("WARNING: the machine was busy with other work; wall times are inflated "
              "(CPU times much less so)")
    print()
    head = (f"{'settings':12} {'wall s':>7} {'CPU s':>7} {'RTF':>6} {'CPU RTF':>8} {'WER':>6} "
            f"{'1st word':>9} {'error':>7}")
    print(head)
    print("-" * len(head))
    for name, row in rows.items():
        wall = min(r["wall_s"] for r in row["runs"])  # type: ignore[union-attr]
        cpu = min(r["cpu_s"] for r in row["runs"])  # type: ignore[union-attr]
        first = row["first_word_s"]
        row.update(best_wall_s=wall, best_cpu_s=cpu, rtf=audio_s / wall, cpu_rtf=audio_s / cpu)
        err = "n/a" if first is None else f"{first - FIRST_WORD_REF:+.2f}"  # type: ignore[operator]
        first_txt = "n/a" if first is None else f"{first:.2f}"
        print(f"{name:12} {wall:7.2f} {cpu:7.2f} {audio_s / wall:5.1f}x {audio_s / cpu:7.1f}x "
              f"{row['wer']:6.3f} {first_txt:>9} {err:>7}")
    print(f"(best of {ns.repeat}; RTF = audio seconds / wall seconds, the model already "
          f"loaded; CPU RTF = audio seconds / CPU seconds of all threads)")
    if "default" in rows:
        rtf = rows["default"]["rtf"]
        print(f"\ndefault settings: {rtf:.1f}x real time "  # type: ignore[str-format]
              f"(goal >= {GOAL_RTF:g}x: {'PASS' if rtf >= GOAL_RTF else 'FAIL'})")  # type: ignore[operator]
    if cli is not None:
        if cli.get("error"):
            print(f"creator captions: FAILED: {cli['error']}")
        else:
            wall = float(cli["wall_s"])  # type: ignore[arg-type]
            print(f"creator captions (whole command, fresh cache): {wall:.2f} s wall = "
                  f"{audio_s / wall:.1f}x real time")
            cli["rtf"] = audio_s / wall

    WORK.mkdir(parents=True, exist_ok=True)
    RESULT_JSON.write_text(json.dumps({
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "clip": clip.name, "audio_s": audio_s,
        "model": ref.name, "model_load_s": load_s, "cpus": os.cpu_count(),
        "loadavg_before": load_before, "loadavg_after": load_after, "goal_rtf": GOAL_RTF,
        "rows": rows, "cli": cli}, indent=1))
    print(f"\nwritten: {RESULT_JSON.relative_to(ROOT)}")
    return 0


def time_cli(clip: Path, model: str | None) -> dict[str, object]:
    """``creator captions`` as a child process with an empty cache; wall seconds."""
    creator = Path(sys.executable).with_name("creator")
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        out = Path(tmp) / "out.srt"
        cmd = [str(creator), "--quiet", "captions", str(clip), "-o", str(out)]
        if model:
            cmd += ["--model", model]
        env = {**os.environ, "CREATOR_CACHE_DIR": str(Path(tmp) / "cache"),
               "CREATOR_CONFIG": str(Path(tmp) / "config.toml")}
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        wall = time.perf_counter() - t0
        if proc.returncode != 0 or not out.exists():
            return {"cmd": cmd, "error": (proc.stderr.strip() or f"exit {proc.returncode}")}
        return {"cmd": cmd, "wall_s": wall, "cues": out.read_text().count(" --> ")}


if __name__ == "__main__":
    sys.exit(main())
