"""Test media and exports for ``creator results`` and ``creator insights``.

:func:`planted_clips` builds 24 short clips whose real analyses differ in planted features:
silence before the first word (``hook.dead_air_start``), hard cuts per minute
(``stats.cuts_per_minute``) and length, each varied on its own. The exports (:func:`youtube_csv`,
:func:`tiktok_csv`, :func:`instagram_csv`) write each platform's shape, with a watch target
that is a known function of the planted values plus noise.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.mediagen import CACHE, ffmpeg, write_wav

FOLDER = CACHE / "results-planted"
#: A persistent analysis cache for the planted clips (their analyses are slow to redo).
ANALYSIS_CACHE = CACHE / "results-analysis"
COUNT = 24
#: Picture sources, one per shot in turn (no ``life``: its own changes read as cuts).
SOURCES = ("testsrc2=s={s}:r={r}", "mandelbrot=s={s}:r={r}",
           "cellauto=s={s}:r={r}:rule=110:seed=3",
           "gradients=s={s}:r={r}:speed=0.02", "testsrc=s={s}:r={r}")


@dataclass(frozen=True)
class PlantedClip:
    """A generated clip and the values planted in it."""

    path: Path
    duration: float
    dead_air: float
    cuts: tuple[float, ...]

    @property
    def cuts_per_minute(self) -> float:
        return 60.0 * len(self.cuts) / self.duration

    @property
    def stem(self) -> str:
        return self.path.stem


def _plan(count: int = COUNT, seed: int = 18) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    durations = 5.0 + 0.6 * rng.permutation(count)
    dead = np.round(np.linspace(0.2, 3.0, count), 2)[rng.permutation(count)]
    rates = np.array([0, 6, 12, 18, 24, 30] * (count // 6 + 1))[:count][rng.permutation(count)]
    out = []
    for i in range(count):
        d, air = float(durations[i]), float(dead[i])
        k = int(round(rates[i] * d / 60.0))
        cuts = sorted(round(float(t), 2) for t in rng.uniform(0.6, d - 0.6, size=k))
        cuts = [t for j, t in enumerate(cuts) if j == 0 or t - cuts[j - 1] >= 1.0]
        speech, t = [], air
        while t < d - 0.6:
            end = min(d - 0.4, t + float(rng.uniform(1.2, 2.6)))
            speech.append((round(t, 2), round(end, 2)))
            t = end + float(rng.uniform(0.25, 0.5))
        out.append({"i": i, "d": round(d, 2), "air": air, "cuts": cuts, "speech": speech})
    return out


def _build(recipe: dict[str, object], out: Path) -> None:
    from tools.synth import room_tone, speech_like

    d = float(recipe["d"])  # type: ignore[arg-type]
    cuts = list(recipe["cuts"])  # type: ignore[call-overload]
    fps = 30
    bounds = [0, *[round(t * fps) for t in cuts], round(d * fps)]
    args: list[str] = []
    chains = []
    for j, (a, b) in enumerate(itertools.pairwise(bounds)):
        src = SOURCES[(j + int(recipe["i"])) % len(SOURCES)]  # type: ignore[call-overload]
        args += ["-f", "lavfi", "-i", src.format(s="160x120", r=fps)]
        chains.append(f"[{j}:v]trim=start_frame=0:end_frame={b - a},setpts=PTS-STARTPTS,"
                      f"format=yuv420p,setsar=1[v{j}]")
    n = len(chains)
    graph = ";".join(chains) + ";" + "".join(f"[v{j}]" for j in range(n))
    graph += f"concat=n={n}:v=1:a=0[v]"
    sr = 48000
    y = speech_like(d, recipe["speech"], sr=sr, seed=int(recipe["i"]))  # type: ignore[arg-type]
    y += room_tone(d, sr=sr, noise_db=-58.0, hum_db=None)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "a.wav"
        write_wav(wav, y, sr)
        ffmpeg(*args, "-i", str(wav), "-filter_complex", graph, "-map", "[v]", "-map",
               f"{n}:a", "-c:v", "libx264", "-preset", "veryfast", "-crf", "32", "-g", "300",
               "-r", str(fps), "-frames:v", str(bounds[-1]), "-c:a", "aac", "-b:a", "64k",
               str(out))


def planted_clips() -> list[PlantedClip]:
    """The 24 planted clips (built once, cached in ``tests/.media-cache/results-planted``)."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    clips = []
    for recipe in _plan():
        key = hashlib.sha1(json.dumps({"v": 5, **recipe}, sort_keys=True).encode()
                           ).hexdigest()[:8]
        path = FOLDER / f"planted-{recipe['i']:02d}-{key}.mp4"
        if not path.exists():
            fd, tmp = tempfile.mkstemp(dir=FOLDER, prefix=".build-", suffix=".mp4")
            os.close(fd)
            try:
                _build(recipe, Path(tmp))
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        clips.append(PlantedClip(path, float(recipe["d"]), float(recipe["air"]),  # type: ignore[arg-type]
                                 tuple(recipe["cuts"])))  # type: ignore[call-overload]
    return clips


# -- exports ------------------------------------------------------------------------------------

Target = Callable[[PlantedClip, np.random.Generator], float]


def one_effect(clip: PlantedClip, rng: np.random.Generator) -> float:
    """Average % viewed: 75, less 7 points per second of silence before the first word."""
    return 75.0 - 7.0 * clip.dead_air + rng.normal(0.0, 1.5)


def two_effects(clip: PlantedClip, rng: np.random.Generator) -> float:
    """Average % viewed: 60, less 7 points per second of silence before the first word, plus
    0.6 points per cut per minute."""
    return 60.0 - 7.0 * clip.dead_air + 0.6 * clip.cuts_per_minute + rng.normal(0.0, 1.5)


def noise(clip: PlantedClip, rng: np.random.Generator) -> float:
    """Average % viewed unrelated to anything in the clip."""
    return float(np.clip(rng.normal(50.0, 10.0), 5.0, 95.0))


def _text(header: Sequence[str], rows: list[list[object]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _hms(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def _published(days: int = 1) -> dt.datetime:
    """A publish time after the clips were made: tomorrow (and after)."""
    return dt.datetime.combine(dt.date.today() + dt.timedelta(days=days), dt.time(18, 5))


YOUTUBE_HEADER = ["Content", "Video title", "Video publish time", "Duration", "Views",
                  "Watch time (hours)", "Subscribers", "Impressions",
                  "Impressions click-through rate (%)", "Average view duration",
                  "Average percentage viewed (%)"]


def youtube_csv(clips: list[PlantedClip], target: Target, seed: int = 1, *,
                views: int = 1000) -> str:
    """YouTube Studio's Table data.csv: titles are the clips' file names, durations whole
    seconds, a Total row first."""
    rng = np.random.default_rng(seed)
    rows: list[list[object]] = []
    for i, c in enumerate(clips):
        pct = target(c, rng)
        avd = c.duration * pct / 100
        rows.append([f"yt{i:02d}abcdefg"[:11], c.stem, _published(1 + i % 3).strftime("%b %-d, %Y"),
                     int(round(c.duration)), f"{views + 37 * i:,}",
                     f"{(views + 37 * i) * avd / 3600:.4f}", i % 4, f"{20 * views:,}", "4.1",
                     _hms(avd), f"{pct:.2f}"])
    total = ["Total", "", "", "", f"{sum(views + 37 * i for i in range(len(clips))):,}", "1.0",
             "10", "1", "4.1", "0:00:05", "50.00"]
    return _text(YOUTUBE_HEADER, [total, *rows])


def tiktok_csv(clips: list[PlantedClip], target: Target, seed: int = 2) -> str:
    """TikTok Studio: titles are the file names with hashtags, no duration and no percentage
    (the average watch time over the clip's length is the target)."""
    rng = np.random.default_rng(seed)
    rows: list[list[object]] = []
    for i, c in enumerate(clips):
        avd = c.duration * target(c, rng) / 100
        rows.append([f"{c.stem} #fyp #cooking",
                     f"https://www.tiktok.com/@creator/video/73{i:017d}",
                     _published(2).strftime("%Y-%m-%d %H:%M"), f"{5000 + i:,}", 300 + i, 12,
                     7, f"{avd:.2f}s", f"{20 + i % 9:.1f}%"])
    header = ["Video title", "Video link", "Post time", "Total views", "Total likes",
              "Total comments", "Total shares", "Average watch time", "Watched full video (%)"]
    return _text(header, rows)


def instagram_csv(clips: list[PlantedClip], target: Target, seed: int = 3) -> str:
    """Instagram (Meta Business Suite) content export, with an average watch time column;
    descriptions match no clip, so rows match by duration and date."""
    rng = np.random.default_rng(seed)
    rows: list[list[object]] = []
    for i, c in enumerate(clips):
        avd = c.duration * target(c, rng) / 100
        rows.append([f"1790000000000{i:04d}", "17841400000", "creator", "Creator",
                     f"Behind the scenes, part {i} #vlog", f"{c.duration:.1f}",
                     _published(3).strftime("%m/%d/%Y %H:%M"),
                     f"https://www.instagram.com/reel/C{i:04d}x/", "IG reel", "", "Lifetime",
                     2000 + i, 1500 + i, 90, 4, 1, 6, 11, f"{avd:.1f}"])
    header = ["Post ID", "Account ID", "Account username", "Account name", "Description",
              "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment",
              "Date", "Views", "Reach", "Likes", "Shares", "Follows", "Comments", "Saves",
              "Average watch time"]
    return _text(header, rows)
