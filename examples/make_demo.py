"""Build ``examples/demo.mp4``, the bundled example clip, from nothing but code.

A 16 s landscape 1920x1080 30 fps draft, as a creator would shoot it: 1.2 s of dead air before
the first word, a presenter-like subject that moves across the frame, three hard cuts
(4.0 s, 8.0 s, 11.5 s), four spoken sentences (a cooking tip) with pauses over room tone, and
dead air at the end. No third-party footage: backgrounds are lavfi sources, the subject is drawn
with OpenCV, and the voice is espeak-ng's (so the edit has words to caption and to read the
topic from).

Run: ``python examples/make_demo.py`` (rewrites examples/demo.mp4 and examples/demo.json; needs
espeak-ng on the PATH).
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np
import soundfile as sf

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tools/ (not installed) from the checkout

from creator_tools.media.ffmpeg import base_args  # noqa: E402
from tools.synth import room_tone  # noqa: E402

DURATION = 16.0
CUTS = (4.0, 8.0, 11.5)
#: Where each sentence may be spoken (seconds); the truth is where it is (it ends early).
SLOTS = ((1.2, 3.7), (4.4, 7.6), (8.3, 9.9), (10.9, 14.6))
SENTENCES = (
    "Three tips for crispy roast potatoes.",
    "First boil them in salted water for ten minutes.",
    "Then shake the pan hard.",
    "Roast them in hot olive oil until golden and crunchy.",
)
BACKGROUNDS = (
    "gradients=s=1920x1080:r=30:c0=#1d3557:c1=#457b9d:c2=#a8dadc:nb_colors=3:speed=0.02:seed=4",
    "gradients=s=1920x1080:r=30:c0=#3d1e6d:c1=#ff7b54:c2=#ffd56b:nb_colors=3:speed=0.03:seed=9",
    "gradients=s=1920x1080:r=30:c0=#0b3d2e:c1=#38a169:c2=#f0fff4:nb_colors=3:speed=0.02:seed=2",
    "gradients=s=1920x1080:r=30:c0=#2b2d42:c1=#ef233c:c2=#edf2f4:nb_colors=3:speed=0.04:seed=7",
)
#: Subject's horizontal path per shot (centre x at shot start and end, in pixels).
PATHS = ((700, 1100), (1350, 900), (600, 760), (1250, 1500))


def draw_subject(path: Path) -> None:
    """A head-and-shoulders figure on a transparent 520x700 canvas."""
    w, h = 520, 700
    img = np.zeros((h, w, 4), np.uint8)
    cv2.ellipse(img, (w // 2, h - 40), (240, 170), 0, 180, 360, (60, 60, 200, 255), -1)
    cv2.rectangle(img, (w // 2 - 50, 330), (w // 2 + 50, 420), (150, 180, 225, 255), -1)
    cv2.ellipse(img, (w // 2, 230), (135, 170), 0, 0, 360, (160, 190, 235, 255), -1)
    cv2.ellipse(img, (w // 2, 120), (145, 95), 0, 180, 360, (40, 45, 60, 255), -1)
    for dx in (-55, 55):
        cv2.ellipse(img, (w // 2 + dx, 215), (28, 16), 0, 0, 360, (255, 255, 255, 255), -1)
        cv2.circle(img, (w // 2 + dx, 215), 11, (50, 40, 30, 255), -1)
        cv2.line(img, (w // 2 + dx - 30, 185), (w // 2 + dx + 30, 183), (40, 45, 60, 255), 7)
    cv2.line(img, (w // 2, 225), (w // 2 - 12, 275), (120, 150, 200, 255), 5)
    cv2.ellipse(img, (w // 2, 310), (45, 18), 0, 0, 180, (70, 60, 170, 255), -1)
    cv2.imwrite(str(path), img)


def spoken(sr: int) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """The voice track: each of :data:`SENTENCES` said by espeak-ng from the start of its slot,
    as fast as it must be to end inside it; and where each one is (seconds)."""
    from scipy.signal import resample_poly

    exe = shutil.which("espeak-ng")
    if exe is None:
        raise SystemExit("make_demo.py needs espeak-ng (apt-get install espeak-ng)")
    out = np.zeros(round(DURATION * sr), np.float32)
    spans = []
    with tempfile.TemporaryDirectory() as tmp:
        for text, (a, b) in zip(SENTENCES, SLOTS, strict=True):
            for rate in range(150, 260, 10):  # words a minute
                wav = Path(tmp) / "s.wav"
                subprocess.run([exe, "-v", "en-us", "-s", str(rate), "-w", str(wav), text],
                               check=True)
                x, r = sf.read(wav, dtype="float32")
                x = resample_poly(x, sr, r).astype(np.float32)
                loud = np.flatnonzero(np.abs(x) > 0.01)
                x = x[loud[0]: loud[-1] + 1]
                if x.size / sr <= b - a:
                    break
            x *= 10 ** (-20 / 20) / max(float(np.sqrt(np.mean(x**2))), 1e-9)
            i = round(a * sr)
            out[i: i + x.size] += x
            spans.append((a, round(a + x.size / sr, 3)))
    return out, spans


def main() -> None:
    out = HERE / "demo.mp4"
    bounds = [0.0, *CUTS, DURATION]
    with tempfile.TemporaryDirectory() as tmp:
        subject = Path(tmp) / "subject.png"
        wav = Path(tmp) / "voice.wav"
        draw_subject(subject)
        sr = 48000
        voice, speech = spoken(sr)
        sf.write(wav, voice + room_tone(DURATION, sr=sr, noise_db=-56.0), sr, subtype="FLOAT")
        args: list[str] = []
        chains: list[str] = []
        for i, (a, b) in enumerate(itertools.pairwise(bounds)):
            args += ["-f", "lavfi", "-i", f"{BACKGROUNDS[i]}:d={b - a}"]
            x0, x1 = PATHS[i]
            d = b - a
            bob = "14*sin(2*PI*1.7*t)"
            chains.append(
                f"[{len(BACKGROUNDS)}:v]loop=loop=-1:size=1,trim=duration={d},setpts=PTS-STARTPTS,"
                f"format=rgba[s{i}];"
                f"[{i}:v][s{i}]overlay=x='{x0}+({x1}-{x0})*t/{d}-260':y='380+{bob}':"
                f"format=auto,format=yuv420p,setsar=1[v{i}]"
            )
        args += ["-i", str(subject), "-i", str(wav)]
        graph = ";".join(chains) + ";" + "".join(f"[v{i}]" for i in range(len(chains)))
        graph += f"concat=n={len(chains)}:v=1:a=0[v]"
        cmd = [*base_args(), "-loglevel", "error", "-y", *args, "-filter_complex", graph,
               "-map", "[v]", "-map", f"{len(BACKGROUNDS) + 1}:a", "-c:v", "libx264",
               "-preset", "slow", "-crf", "30", "-tune", "animation", "-pix_fmt", "yuv420p",
               "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", "-t", str(DURATION),
               str(out)]
        subprocess.run(cmd, check=True)
    truth = {"duration": DURATION, "cuts": list(CUTS), "speech": [list(s) for s in speech],
             "words": list(SENTENCES)}
    (HERE / "demo.json").write_text(json.dumps(truth, indent=2) + "\n")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
