"""A test talk with known sentences and topics, spoken by espeak-ng, for ``creator clips``.

Each sentence is synthesized on its own, trimmed to where its sound starts and ends, and laid
end to end with pauses drawn from one distribution (the same inside a topic as between two:
the topic boundaries must be found from the words, not from a longer pause). So every
sentence's start and end, and every topic's span, are known to the sample. Between two topics
a real voice can be mixed in (``../shared/media/speech/pyannote_sample.wav``, a phone call,
with its sentence times from its ``.stm``). The picture is a presenter figure that sways in
front of a wall, with a change of camera angle every ``shot_every`` seconds that has nothing to
do with the topics.

Used by ``tests/test_clips*.py`` (through ``tests/talkgen.py``, cached) and
``benchmarks/bench_clips.py``. Needs ``espeak-ng`` on the PATH and the project's ffmpeg.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

#: Topics: the first line of each is its hook. Each is 40-60 s as spoken here.
TOPICS: tuple[tuple[str, ...], ...] = (
    ("Stop buying bread, because the best loaf you will ever eat costs less than a dollar.",
     "All you need is flour, water, salt and a sourdough starter.",
     "The starter is just flour and water that wild yeast has turned into a bubbly paste.",
     "Feed your starter every morning, and after a week it will double in the jar.",
     "Mix the flour and water first, and let the dough rest for an hour.",
     "Then add the starter and the salt, and fold the dough every thirty minutes.",
     "Let the dough rise overnight in the fridge, where the cold makes the flavour deeper.",
     "Bake the loaf in a hot cast iron pot with the lid on for twenty minutes.",
     "Take the lid off, and bake until the crust is dark brown and crackles.",
     "That is why bakery bread tastes so good, and now your own kitchen can bake it too."),
    ("Here is the secret nobody tells you about sleep.",
     "Your body clock is set by light, not by how tired you feel at night.",
     "Bright morning sunlight tells your brain that the day has started.",
     "In the evening, the blue light from a phone screen tells it the opposite.",
     "So put the phone in another room an hour before bed.",
     "Keep the bedroom cool and dark, around eighteen degrees.",
     "Go to bed and wake up at the same time, even on weekends.",
     "Caffeine stays in your blood for about six hours, so stop drinking coffee after lunch.",
     "A short nap is fine, but a long nap in the afternoon steals sleep from the night.",
     "Try this for two weeks, and you will wake up before your alarm clock rings."),
    ("Why do most people never manage to save any money?",
     "Because they save whatever is left at the end of the month, and nothing is ever left.",
     "Flip it around, and save your money first, on payday.",
     "Set up an automatic transfer of ten percent of your salary into a savings account.",
     "You will not miss money that never lands in your checking account.",
     "Next, write down every purchase you make for thirty days.",
     "Most people find hundreds of dollars a month in subscriptions they forgot about.",
     "Cancel them, and move that money into the savings account too.",
     "Keep three months of expenses as an emergency fund before you invest anything.",
     "Follow for more money tips, and start your first transfer today."),
    ("Three mistakes are killing your houseplants right now.",
     "The first mistake is watering on a schedule instead of checking the soil.",
     "Push a finger into the pot, and only water when the top of the soil is dry.",
     "The second mistake is a pot without a drainage hole.",
     "Roots sitting in wet soil rot, and the leaves turn yellow and droop.",
     "The third mistake is too little light.",
     "Most leafy plants want bright light near a window, but not harsh sun on the leaves.",
     "A fern likes humid air, so keep that plant in the bathroom.",
     "A cactus is a plant that wants sun and almost no water in winter.",
     "Fix these three mistakes, and your plants will grow new leaves within a month."),
    ("What if you could run a marathon in just six months?",
     "Start by running slowly, slow enough that you can still talk.",
     "Most beginners run every run too fast and get injured in the first month.",
     "Run three or four times a week, and add one long run on Sunday.",
     "Make the long run one or two kilometres longer every week.",
     "Every fourth week, run less, so your legs and tendons can recover.",
     "Buy running shoes that fit, from a shop that watches you jog.",
     "On race day, start slower than you think, and drink water at every station.",
     "The last ten kilometres of a marathon are run with your head, not your legs.",
     "Comment your goal race below, and let me know how your training goes!"),
    ("Stop paying a shop to fix a flat tyre on your bike.",
     "Flip the bike over, open the brake, and take the wheel out of the frame.",
     "Use two plastic tyre levers to lift one side of the tyre off the rim.",
     "Pull out the inner tube, and pump a little air into it.",
     "Listen for the hiss, or hold the tube near your lips to feel the leak.",
     "Run your fingers around the inside of the tyre, because the thorn is often still there.",
     "Put a patch on the hole, or fit a new tube if the cut is big.",
     "Push the tyre back onto the rim with your thumbs, never with the levers.",
     "Pump the tyre to the pressure printed on its side wall.",
     "The whole repair takes ten minutes, and the patch kit costs less than a coffee."),
    ("Here is how to make cafe coffee at home for twenty cents a cup.",
     "Buy whole beans, and grind them right before you brew.",
     "Ground coffee goes stale within a day, because the aroma escapes into the air.",
     "Use fifteen grams of coffee for every two hundred and fifty grams of water.",
     "Weigh the coffee and the water on a kitchen scale, because spoons are not accurate.",
     "The water should be just off the boil, around ninety three degrees.",
     "Pour a little water first, and let the coffee grounds bloom for thirty seconds.",
     "Then pour the rest of the water slowly in circles over three minutes.",
     "If the coffee tastes sour, grind finer, and if it tastes bitter, grind coarser.",
     "Save this for your next coffee, and tell me your favourite beans!"),
    ("You can learn a new language in one year with twenty minutes a day.",
     "Forget grammar tables at first, and learn the thousand most common words in it.",
     "Those thousand words make up most of what people say in everyday conversation.",
     "Learn them with flash cards and spaced repetition, so you review each word in time.",
     "Listen to slow podcasts in the new language while you walk or cook.",
     "Speak the language from the first week, even if you only know a few words.",
     "Find a tutor online, or a partner who wants to learn your language in exchange.",
     "Write a short diary entry in the new language every evening.",
     "Mistakes are how your brain learns a language, so make many of them.",
     "Tell me in the comments which language you are learning this year."),
)
INTRO = ("Hi everyone, and welcome back to the channel.",
         "Today I want to share a few things I learned this year.")
OUTRO = ("That is all for today.", "Thanks for watching, and see you next week.")
#: espeak-ng voices and speeds (words per minute) taken in turn, one per topic.
VOICES = (("en-us", 150), ("en-gb", 145), ("en-us", 156), ("en-gb-x-rp", 146), ("en-us", 152),
          ("en-gb", 148), ("en-us", 154), ("en-gb-x-rp", 150))
#: Pause between two sentences, seconds (uniform), inside a topic and between topics alike.
PAUSE = (0.35, 0.75)
SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Sentence:
    """One spoken sentence: where its sound starts and ends (seconds), its text, and the index
    of its topic in :attr:`Talk.topics` (-1: intro, outro or the real voice)."""

    start: float
    end: float
    text: str
    topic: int


@dataclass(frozen=True)
class Talk:
    """A generated talk: the file, its length, every sentence, each topic's span (from its
    hook's first sound to its last sentence's end) and the camera cuts (seconds)."""

    path: Path
    duration: float
    sentences: tuple[Sentence, ...]
    topics: tuple[tuple[float, float], ...]
    cuts: tuple[float, ...]

    def boundaries(self) -> list[float]:
        """Every sentence start and end."""
        return sorted({t for s in self.sentences for t in (s.start, s.end)})

    def to_json(self) -> str:
        d = asdict(self)
        d["path"] = str(self.path)
        return json.dumps(d)

    @classmethod
    def from_json(cls, text: str) -> Talk:
        d = json.loads(text)
        return cls(Path(d["path"]), d["duration"], tuple(Sentence(**s) for s in d["sentences"]),
                   tuple(tuple(t) for t in d["topics"]), tuple(d["cuts"]))


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(text: str, *, voice: str = "en-us", speed: int = 165, amplitude: int = 100
          ) -> np.ndarray:
    """``text`` spoken by espeak-ng, at :data:`SAMPLE_RATE`, trimmed to its sound (float32)."""
    from scipy.signal import resample_poly

    proc = subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-a", str(amplitude),
                           "--stdout", text], capture_output=True, check=True)
    raw = proc.stdout
    # A RIFF header, then 16-bit mono PCM at 22050 Hz.
    data = raw.find(b"data")
    pcm = np.frombuffer(raw[data + 8:], dtype="<i2").astype(np.float64) / 32768.0
    y = resample_poly(pcm, 320, 441)  # 22050 -> 16000 Hz
    return _trim(y).astype(np.float32)


def _trim(y: np.ndarray, threshold_db: float = -45.0) -> np.ndarray:
    """``y`` from its first to its last sample louder than ``threshold_db`` below its peak."""
    level = np.abs(y)
    loud = np.flatnonzero(level > level.max() * 10 ** (threshold_db / 20))
    return y[loud[0]: loud[-1] + 1] if loud.size else y[:0]


def real_voice(wav: Path, stm: Path) -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    """The speech of the sample ``wav`` (from its first to its last utterance of ``stm``) and
    its utterances as (start, end, text), seconds from the returned audio's start."""
    import soundfile as sf

    y, sr = sf.read(wav, dtype="float64")
    if y.ndim > 1:
        y = y.mean(axis=1)
    assert sr == SAMPLE_RATE, sr
    lines = []
    for line in stm.read_text().splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) == 6:
            lines.append((float(parts[3]), float(parts[4]), parts[5]))
    a, b = lines[0][0], lines[-1][1]
    part = y[int(a * sr): int(b * sr)]
    return part.astype(np.float32), [(s - a, e - a, t) for s, e, t in lines]


def compose(topics: Sequence[Sequence[str]], *, real: tuple[np.ndarray, list] | None = None,
            real_after: Sequence[int] = (1,), seed: int = 0, lead: float = 1.0,
            tail: float = 1.5) -> tuple[np.ndarray, list[Sentence], list[tuple[float, float]]]:
    """The talk's audio (float32 at :data:`SAMPLE_RATE`), its sentences and topic spans: the
    intro, ``topics`` in order (voices from :data:`VOICES` in turn), the real voice after
    each topic of ``real_after`` (when given), the outro."""
    rng = np.random.default_rng(seed)
    sr = SAMPLE_RATE
    pieces: list[np.ndarray] = [np.zeros(int(lead * sr), np.float32)]
    sentences: list[Sentence] = []
    spans: list[tuple[float, float]] = []
    t = lead

    def add(y: np.ndarray, text: str, topic: int) -> None:
        nonlocal t
        sentences.append(Sentence(round(t, 4), round(t + y.size / sr, 4), text, topic))
        pieces.append(y)
        t += y.size / sr
        gap = rng.uniform(*PAUSE)
        pieces.append(np.zeros(int(gap * sr), np.float32))
        t += int(gap * sr) / sr

    for line in INTRO:
        add(speak(line), line, -1)
    for k, lines in enumerate(topics):
        voice, speed = VOICES[k % len(VOICES)]
        amplitude = int(rng.integers(80, 140))
        first = len(sentences)
        for line in lines:
            add(speak(line, voice=voice, speed=speed, amplitude=amplitude), line, k)
        spans.append((sentences[first].start, sentences[-1].end))
        if real is not None and k in real_after:
            y, lines_real = real
            start = t
            pieces.append(y * 0.8)
            for s, e, text in lines_real:
                sentences.append(Sentence(round(start + s, 4), round(start + e, 4), text, -1))
            t += y.size / sr
            gap = rng.uniform(*PAUSE)
            pieces.append(np.zeros(int(gap * sr), np.float32))
            t += int(gap * sr) / sr
    for line in OUTRO:
        add(speak(line), line, -1)
    pieces.append(np.zeros(int(tail * sr), np.float32))
    audio = np.concatenate(pieces)
    return audio, sentences, spans


def presenter_images(folder: Path, width: int, height: int) -> tuple[Path, Path, Path]:
    """Two wall backgrounds (camera angles) and a presenter figure with alpha, as PNGs."""
    import cv2

    w, h = width, height
    walls = []
    for k, (top, bottom, shelf) in enumerate((((70, 90, 120), (40, 55, 80), (30, 80, 140)),
                                              ((120, 100, 80), (70, 60, 50), (40, 110, 60)))):
        grad = np.linspace(0, 1, h)[:, None, None]
        img = (np.array(top) * (1 - grad) + np.array(bottom) * grad) * np.ones((h, w, 3))
        img = img.astype(np.uint8)
        x0 = int(w * (0.08 if k == 0 else 0.62))
        cv2.rectangle(img, (x0, int(h * 0.25)), (x0 + int(w * 0.28), int(h * 0.30)), shelf, -1)
        cv2.circle(img, (x0 + int(w * 0.06), int(h * 0.2)), int(h * 0.05), (60, 160, 60), -1)
        cv2.rectangle(img, (0, int(h * 0.85)), (w, h), (50, 40, 35), -1)
        path = folder / f"wall{k}.png"
        cv2.imwrite(str(path), img)
        walls.append(path)
    fw, fh = int(h * 0.42), int(h * 0.8)
    fig = np.zeros((fh, fw, 4), np.uint8)
    cx = fw // 2
    r = int(fw * 0.26)
    cv2.ellipse(fig, (cx, fh), (int(fw * 0.48), int(fh * 0.45)), 0, 180, 360,
                (150, 60, 40, 255), -1)  # shoulders (BGR)
    cv2.rectangle(fig, (cx - r // 3, int(fh * 0.42)), (cx + r // 3, int(fh * 0.6)),
                  (120, 160, 200, 255), -1)  # neck
    cv2.circle(fig, (cx, int(fh * 0.32)), r, (140, 180, 225, 255), -1)  # head
    cv2.ellipse(fig, (cx, int(fh * 0.2)), (r, int(r * 0.55)), 0, 180, 360,
                (30, 40, 60, 255), -1)  # hair
    for dx in (-r // 2.6, r // 2.6):
        cv2.circle(fig, (int(cx + dx), int(fh * 0.31)), max(2, r // 7), (40, 30, 30, 255), -1)
    cv2.ellipse(fig, (cx, int(fh * 0.4)), (r // 2, r // 5), 0, 0, 180, (60, 60, 160, 255), -1)
    path = folder / "presenter.png"
    cv2.imwrite(str(path), fig)
    return walls[0], walls[1], path


def long_order(count: int, seed: int = 0) -> list[int]:
    """``count`` topic indices for a long talk: every topic in turn, shuffled each round, never
    the same one twice in a row."""
    rng = np.random.default_rng(seed)
    out: list[int] = []
    while len(out) < count:
        round_ = list(rng.permutation(len(TOPICS)))
        if out and round_[0] == out[-1]:
            round_.append(round_.pop(0))
        out += [int(k) for k in round_]
    return out[:count]


def build_talk(out: Path, *, topics: Sequence[Sequence[str]] = TOPICS[:5],
               real: tuple[Path, Path] | None = None, real_every: int = 0,
               size: tuple[int, int] = (640, 360), fps: int = 30, shot_every: float = 23.0,
               seed: int = 0, grain: int = 0, ffmpeg: Sequence[str] = ("ffmpeg",),
               x264: Sequence[str] = ("-preset", "ultrafast"),
               aac: Sequence[str] = ("-b:a", "96k")) -> Talk:
    """Write the talk to ``out`` (H.264 + AAC mp4) and return its truth.

    ``real`` is ``(wav, stm)`` of the real voice to mix in after the second topic (and after
    every ``real_every`` topics more, when not 0). ``grain`` (0-100) adds a camera sensor's
    noise to the picture, so that it costs an encoder what camera footage costs. ``aac`` are
    the AAC encoder's options (the voice is 16 kHz mono; ``-ar 48000 -ac 2`` makes the sound
    a camera or a screen recorder writes). ``ffmpeg`` is the command that runs ffmpeg.
    """
    import soundfile as sf

    voice = real_voice(*real) if real else None
    after = [1, *range(1 + real_every, len(topics) - 1, real_every)] if real_every else [1]
    audio, sentences, spans = compose(topics, real=voice, real_after=after, seed=seed)
    rng = np.random.default_rng(seed + 1)
    audio = audio + rng.standard_normal(audio.size).astype(np.float32) * 10 ** (-62 / 20)
    duration = audio.size / SAMPLE_RATE
    w, h = size
    cuts = [round(k * shot_every, 3) for k in range(1, int(duration / shot_every) + 1)
            if k * shot_every < duration - 1]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wav = folder / "talk.wav"
        sf.write(wav, audio, SAMPLE_RATE, subtype="PCM_16")
        wall0, wall1, fig = presenter_images(folder, w, h)
        period = 2 * shot_every
        angle_b = f"gte(mod(t,{period}),{shot_every})"
        fx = f"if({angle_b},{int(w * 0.18)},{int(w * 0.55)})+{w * 0.012:.1f}*sin(1.3*t)"
        fy = f"{int(h * 0.22)}+{h * 0.006:.1f}*sin(0.7*t)"
        graph = (f"[0:v][1:v]overlay=enable='{angle_b}'[bg];"
                 f"[bg][2:v]overlay=x='{fx}':y='{fy}':format=auto,format=yuv420p"
                 + (f",noise=alls={grain}:allf=t" if grain else "") + "[v]")
        # A long talk loops one period of the picture (both angles), stream-copied: it
        # restarts on a cut, so nothing shows.
        loop = duration > 3 * period
        picture = folder / "picture.mp4"
        cmd = [*ffmpeg, "-loglevel", "error", "-y",
               "-loop", "1", "-framerate", str(fps), "-i", str(wall0),
               "-loop", "1", "-framerate", str(fps), "-i", str(wall1),
               "-loop", "1", "-framerate", str(fps), "-i", str(fig),
               "-i", str(wav), "-filter_complex", graph, "-map", "[v]",
               *([] if loop else ["-map", "3:a"]),
               "-t", f"{period if loop else duration:.3f}", "-c:v", "libx264", *x264,
               "-crf", "26", "-g", str(2 * fps),
               *([] if loop else ["-c:a", "aac", *aac, "-movflags", "+faststart"]),
               str(picture if loop else out)]
        subprocess.run(cmd, check=True, capture_output=True)
        if loop:
            subprocess.run([*ffmpeg, "-loglevel", "error", "-y", "-stream_loop", "-1",
                            "-i", str(picture), "-i", str(wav), "-map", "0:v", "-map", "1:a",
                            "-t", f"{duration:.3f}", "-c:v", "copy", "-c:a", "aac", *aac,
                            "-movflags", "+faststart", str(out)],
                           check=True, capture_output=True)
    return Talk(out, duration, tuple(sentences), tuple(spans), tuple(cuts))
