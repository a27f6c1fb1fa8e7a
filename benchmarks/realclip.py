"""The benchmarks' real-footage clip, with its truth: cut frames, speech spans, the shake.

Shots of ``../shared/media`` (vtest, bikes, box, cup, carphone) upscaled to 1920x1080 30 fps
(each scaled to cover the frame with lanczos, then cropped), joined by hard cuts, and
re-encoded as a phone would: x264 ``medium`` (B-frames), CRF 23, yuv420p, AAC 160k. One shot
of vtest (a fixed camera) gets a known handheld shake: the picture is scaled to 2048x1536 and a
1920x1080 window (``crop@shake``) is moved every frame by a ``sendcmd`` file, by band-limited
noise of 2-9 Hz reaching 60 px in each axis. The sound is ``pyannote_sample.wav`` (a phone
call, silent until 6.69 s), played from the start again every 30 s.

The truth goes beside the clip (``NAME.truth.json``):

* ``cut_frames`` / ``cuts_s``: the first frame of every new shot, the joins and the cuts
  inside bikes.mp4 (its frames 30, 76, 137, 187, 242 at 25 fps, see tests/test_shots.py),
  predicted from the frame-rate conversion and checked on the built file (the largest
  frame-to-frame change within 2 frames of each must be on it);
* ``speech``: the RTTM's speaker turns, merged, at their place in the clip;
* ``shake``: the shaky shot's frames and, per frame, the window's offset ``dx``, ``dy`` in
  pixels at 1920x1080 (the picture's content moves by minus that), and the shake measured back
  from the file (phase correlation at 320 px): its correlation with the truth, per axis.

Built once and cached in ``benchmarks/.work/`` (the name carries a hash of the recipe).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
MEDIA = ROOT.parent / "shared" / "media"
VIDEO = MEDIA / "video"
SPEECH = MEDIA / "speech" / "pyannote_sample"

FPS = 30
W, H = 1920, 1080
#: The shaky shot: picture scaled to this, a W x H window moved inside it.
SHAKE_CANVAS = (2048, 1536)
SHAKE_PX = 60
SHAKE_BAND = (2.0, 9.0)
SHAKE_SEED = 16
#: bikes.mp4's own cuts (frames at 25 fps), from tests/test_shots.py.
BIKES_CUTS = (30, 76, 137, 187, 242)
BIKES_FPS = 25.0


@dataclass(frozen=True)
class Shot:
    """``seconds`` of ``file`` from ``start``; ``y`` places the 16:9 window when the scaled
    picture is taller (0 top, 1 bottom); ``shake``: the shot gets the handheld shake."""

    name: str
    file: str
    start: float
    seconds: float
    y: float = 0.5
    shake: bool = False


#: The 60 s clip: every source, a cut between each two, the shaky shot inside speech.
FULL = (
    Shot("vtest", "vtest.avi", 20.0, 8.4),
    Shot("bikes", "bikes.mp4", 0.0, 9.6),
    Shot("box", "box.mp4", 0.0, 15.0, y=0.25),
    Shot("cup", "cup.mp4", 0.0, 8.0),
    Shot("carphone", "carphone_pristine.mp4", 0.0, 3.9, y=0.0),
    Shot("vtest-shaky", "vtest.avi", 40.0, 15.1, shake=True),
)
#: The 15 s clip of ``--quick``: a cut inside bikes, a join, the shaky shot.
QUICK = (
    Shot("bikes", "bikes.mp4", 2.0, 4.0),
    Shot("carphone", "carphone_pristine.mp4", 0.0, 3.9, y=0.0),
    Shot("vtest-shaky", "vtest.avi", 40.0, 7.1, shake=True),
)


def available() -> bool:
    return (MEDIA / "MANIFEST.md").exists()


def _ffmpeg(*args: str) -> None:
    sys.path.insert(0, str(ROOT))
    from creator_tools.media.ffmpeg import base_args

    cmd = [*base_args(), "-loglevel", "error", "-y", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"ffmpeg failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")


def shake_offsets(frames: int, seed: int = SHAKE_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Per frame, the window's offset (integer pixels at 1920x1080) in x and y: white noise
    kept between 2 and 9 Hz (FFT), each axis scaled to reach 60 px."""
    rng = np.random.default_rng(seed)
    freqs = np.fft.rfftfreq(frames, 1.0 / FPS)
    band = (freqs >= SHAKE_BAND[0]) & (freqs <= SHAKE_BAND[1])
    out = []
    for _ in range(2):
        spec = np.fft.rfft(rng.standard_normal(frames))
        spec[~band] = 0.0
        v = np.fft.irfft(spec, frames)
        out.append(np.round(v / np.abs(v).max() * SHAKE_PX).astype(int))
    return out[0], out[1]


def _turns() -> list[tuple[float, float]]:
    """The RTTM's speaker turns, overlapping ones merged into spans (seconds of the wav)."""
    from tests.measure import rttm_turns

    return rttm_turns(SPEECH.with_suffix(".rttm"))


def speech_track(offset: float, duration: float, tmp: Path
                 ) -> tuple[Path, list[tuple[float, float]]]:
    """A wav of ``duration`` s: ``pyannote_sample.wav`` from ``offset`` s of itself, then
    from its start again, over and over; and its speech spans (clip seconds)."""
    import soundfile as sf

    y, sr = sf.read(SPEECH.with_suffix(".wav"), dtype="float32")
    period = len(y) / sr
    parts = [y[round(offset * sr):]]
    while sum(len(p) for p in parts) < duration * sr:
        parts.append(y)
    out = tmp / "speech.wav"
    sf.write(out, np.concatenate(parts)[: round(duration * sr)], sr, subtype="PCM_16")
    spans = []
    turns = _turns()
    for k in range(len(parts)):
        shift = k * period - offset
        for a, b in turns:
            s, e = max(0.0, (max(a, offset) if k == 0 else a) + shift), min(duration, b + shift)
            if e > s:
                spans.append((round(s, 3), round(e, 3)))
    return out, spans


def _predicted_cuts(shots: tuple[Shot, ...]) -> tuple[list[int], list[int]]:
    """First frames of the shots and of bikes' inner shots; the frame count of each shot."""
    cuts, frames = [], []
    at = 0
    for s in shots:
        n = round(s.seconds * FPS)
        if at:
            cuts.append(at)
        if s.name == "bikes":
            for c in BIKES_CUTS:
                local = c / BIKES_FPS - s.start
                if 0 < local < s.seconds:
                    cuts.append(at + round(local * FPS))
        frames.append(n)
        at += n
    return sorted(cuts), frames


def _build(out: Path, shots: tuple[Shot, ...], duration: float, tmp: Path) -> dict:
    n_total = sum(round(s.seconds * FPS) for s in shots)
    args: list[str] = []
    chains = []
    shake_truth = None
    at = 0
    for i, s in enumerate(shots):
        n = round(s.seconds * FPS)
        head = (f"[{i}:v]trim=start={s.start}:duration={s.seconds + 1},setpts=PTS-STARTPTS,"
                f"fps={FPS},trim=end_frame={n},setpts=PTS-STARTPTS")
        if s.shake:
            dx, dy = shake_offsets(n)
            cw, ch = SHAKE_CANVAS
            x0, y0 = (cw - W) // 2, (ch - H) // 2
            cmd = tmp / f"shake{i}.cmd"
            cmd.write_text("".join(f"{(k - 0.5) / FPS:.6f} crop@shake x {x0 + dx[k]}, "
                                   f"crop@shake y {y0 + dy[k]};\n" for k in range(1, n)))
            body = (f"scale={cw}:{ch}:flags=lanczos,format=yuv444p,sendcmd=f={cmd.name},"
                    f"crop@shake=w={W}:h={H}:x={x0 + dx[0]}:y={y0 + dy[0]}:exact=1")
            shake_truth = {"shot": s.name, "start_frame": at, "end_frame": at + n,
                           "dx": dx.tolist(), "dy": dy.tolist(), "px_at": [W, H],
                           "band_hz": list(SHAKE_BAND), "max_px": SHAKE_PX}
        else:
            body = (f"scale={W}:{H}:force_original_aspect_ratio=increase:flags=lanczos,"
                    f"crop={W}:{H}:(iw-{W})/2:(ih-{H})*{s.y}")
        chains.append(f"{head},{body},format=yuv420p,setsar=1[v{i}]")
        args += ["-i", str(VIDEO / s.file)]
        at += n
    graph = ";".join(chains) + ";" + "".join(f"[v{i}]" for i in range(len(shots)))
    graph += f"concat=n={len(shots)}:v=1:a=0[v]"
    wav, speech = speech_track(6.0 if duration < 30 else 0.0, n_total / FPS, tmp)
    args += ["-i", str(wav)]
    cwd = os.getcwd()
    os.chdir(tmp)  # the sendcmd files are named relative to it (no path inside the graph)
    try:
        _ffmpeg(*args, "-filter_complex", graph, "-map", "[v]", "-map", f"{len(shots)}:a",
                "-c:v", "libx264", "-preset", "medium", "-crf", "23", "-pix_fmt", "yuv420p",
                "-color_range", "tv", "-r", str(FPS), "-frames:v", str(n_total),
                "-c:a", "aac", "-b:a", "160k", "-ac", "2", "-ar", "48000",
                "-t", f"{n_total / FPS:.6f}", "-movflags", "+faststart", str(out))
    finally:
        os.chdir(cwd)
    cuts, frames = _predicted_cuts(shots)
    return {"fps": FPS, "frames": n_total, "size": [W, H],
            "shots": [{"name": s.name, "file": s.file, "source_start": s.start,
                       "start_frame": sum(frames[:i]), "end_frame": sum(frames[: i + 1]),
                       "shake": s.shake} for i, s in enumerate(shots)],
            "cut_frames": cuts, "cuts_s": [round(c / FPS, 4) for c in cuts],
            "speech": speech, "shake": shake_truth}


def _check(path: Path, truth: dict) -> None:
    """Measure the built file back: each cut is where the picture changes most near it, and
    the shake is in the picture. Raises when either is not so; records the shake's match."""
    sys.path.insert(0, str(ROOT))
    from creator_tools.media.decode import iter_frames
    from tests.measure import frame_steps

    prev = None
    diffs = []
    for f in iter_frames(path, width=160, pix_fmt="gray"):
        g = f.image.astype(np.float32)
        diffs.append(0.0 if prev is None else float(np.abs(g - prev).mean()))
        prev = g
    d = np.array(diffs)
    for c in truth["cut_frames"]:
        near = np.arange(max(1, c - 2), min(d.size, c + 3))
        got = int(near[np.argmax(d[near])])
        if got != c:
            raise RuntimeError(f"cut predicted at frame {c}, the picture changes most at {got}")
    sh = truth["shake"]
    if sh is None:
        return
    a, b = sh["start_frame"], sh["end_frame"]
    steps = frame_steps(path, a / FPS, b / FPS)  # percent of the frame, content motion
    dx, dy = np.array(sh["dx"], float), np.array(sh["dy"], float)
    want = np.stack([-np.diff(dx) / W * 100, -np.diff(dy) / H * 100], axis=1)
    n = min(len(want), len(steps))
    corr = [float(np.corrcoef(steps[:n, i], want[:n, i])[0, 1]) for i in range(2)]
    err = float(np.sqrt(np.mean(np.sum((steps[:n] - want[:n]) ** 2, axis=1))))
    sh["measured"] = {"corr_x": round(corr[0], 4), "corr_y": round(corr[1], 4),
                      "rms_error_pct": round(err, 4),
                      "rms_step_pct": round(float(np.sqrt(np.mean(np.sum(want**2, 1)))), 4)}
    if min(corr) < 0.9:
        raise RuntimeError(f"the shake is not in the file as built: {sh['measured']}")


def make_real_clip(quick: bool = False) -> tuple[Path, dict]:
    """The real-footage clip (60 s, or 15 s with ``quick``) and its truth, built if needed."""
    shots = QUICK if quick else FULL
    duration = sum(s.seconds for s in shots)
    recipe = {"v": 3, "shots": [vars(s) for s in shots], "fps": FPS, "size": [W, H],
              "shake": [SHAKE_CANVAS, SHAKE_PX, SHAKE_BAND, SHAKE_SEED],
              "x264": "medium/crf23/yuv420p", "audio": "pyannote_sample.wav"}
    key = hashlib.sha1(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:10]
    final = WORK / f"real{duration:g}s-{key}.mp4"
    side = final.with_suffix(".truth.json")
    if final.exists() and side.exists():
        return final, json.loads(side.read_text())
    if not available():
        raise FileNotFoundError(f"{MEDIA} is missing: the real-footage clip cannot be built")
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"building {final.name} (x264 medium, 1080p: minutes on 2 cores) ...",
          file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        part = Path(tmp) / "clip.mp4"
        truth = _build(part, shots, duration, Path(tmp))
        _check(part, truth)
        truth["recipe"] = recipe
        os.replace(part, final)
    side.write_text(json.dumps(truth, indent=1))
    print(f"  done in {time.perf_counter() - t0:.0f} s; shake measured back: "
          f"{(truth['shake'] or {}).get('measured')}", file=sys.stderr, flush=True)
    return final, truth


# ---------------------------------------------------------------------------------------
# Scoring an analysis against the truth
# ---------------------------------------------------------------------------------------

def analyze_json(clip: Path) -> dict:
    """``creator --quiet analyze CLIP --json`` with a fresh, empty cache: its record."""
    exe = Path(sys.executable).with_name("creator")
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        env = dict(os.environ, CREATOR_CACHE_DIR=str(Path(tmp) / "cache"))
        proc = subprocess.run([str(exe), "--quiet", "analyze", str(clip), "--json"],
                              capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"creator analyze failed ({proc.returncode}): {proc.stderr[-1500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cut_scores(found_s: list[float], truth_frames: list[int], *, fps: float = FPS,
               tolerance: int = 1) -> dict:
    """Hard cuts found (seconds) against the true first frames of new shots: each true cut
    matched to at most one found within ``tolerance`` frames (nearest first)."""
    found = sorted(round(t * fps) for t in found_s)
    free = list(found)
    offsets = []
    missed = []
    for c in truth_frames:
        near = [f for f in free if abs(f - c) <= tolerance]
        if near:
            f = min(near, key=lambda f: abs(f - c))
            free.remove(f)
            offsets.append(f - c)
        else:
            missed.append(c)
    tp = len(offsets)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(truth_frames) if truth_frames else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"truth": len(truth_frames), "found": len(found), "matched": tp,
            "exact": sum(o == 0 for o in offsets), "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4), "missed_frames": missed,
            "extra_frames": free, "tolerance_frames": tolerance}


def span_overlap(found: list[tuple[float, float]], truth: list[tuple[float, float]],
                 duration: float, step: float = 0.01) -> dict:
    """Time-sampled agreement of two span lists: intersection over union, and the share of
    the truth covered."""
    t = np.arange(0.0, duration, step)

    def mask(spans: list[tuple[float, float]]) -> np.ndarray:
        m = np.zeros(t.size, dtype=bool)
        for a, b in spans:
            m |= (t >= a) & (t < b)
        return m

    f, g = mask(found), mask(truth)
    union = np.count_nonzero(f | g)
    return {"iou": round(np.count_nonzero(f & g) / union, 4) if union else 1.0,
            "covered": round(np.count_nonzero(f & g) / max(1, np.count_nonzero(g)), 4)}


def analysis_accuracy(record: dict, truth: dict) -> dict:
    """Cuts (F1 at +-1 frame, exact frames), gradual transitions reported (the clip has
    none), speech spans against the RTTM, and the shaky shot against ``motion.shaky``."""
    duration = truth["frames"] / truth["fps"]
    out = {"cuts": cut_scores(record.get("cuts", []), truth["cut_frames"], fps=truth["fps"]),
           "transitions_reported": len(record.get("transitions", []) or []),
           "speech": span_overlap([(s["start"], s["end"]) for s in record.get("speech", [])],
                                  [tuple(s) for s in truth["speech"]], duration)}
    sh = truth.get("shake")
    if sh:
        a, b = sh["start_frame"] / truth["fps"], sh["end_frame"] / truth["fps"]
        shaky = [(s["start"], s["end"]) for s in ((record.get("motion") or {}).get("shaky")
                                                  or [])]
        cover = sum(max(0.0, min(e, b) - max(s, a)) for s, e in shaky)
        outside = sum(e - s for s, e in shaky) - cover
        out["shaky"] = {"shot_covered": round(cover / (b - a), 4),
                        "flagged_outside_s": round(outside, 2)}
    return out
