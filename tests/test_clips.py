"""``creator clips``: finding the best clips of a long recording, on a talk of known sentences.

The talk (``tests/talkgen.py``) is espeak-ng reading five topics of 40-60 s, each opening on a
hook line, between an intro and an outro (and a real phone call between two topics when
``../shared/media`` is there): every sentence's start and end and every topic's span are known.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import numpy as np
import pytest

from tests import mediagen
from tests.conftest import assert_one_clean_error, run_cli
from tests.talkgen import talk_clip
from tools.talk import Talk

#: Every clip edge lies this close to a true sentence edge (seconds).
EDGE_TOLERANCE = 0.35
#: A clip lies within a topic when it leaves it by no more than the edge tolerance.
CLIP_KEYS = ["rank", "start", "end", "duration", "score", "title", "hook", "reasons", "parts",
             "transcript"]
PARTS = ["hook", "completeness", "energy_z", "rate_z", "density", "ending", "visual"]


@pytest.fixture(scope="module")
def cache_env(tmp_path_factory: pytest.TempPathFactory):
    """One analysis and transcript cache for the module (set for in-process calls too)."""
    folder = tmp_path_factory.mktemp("clips-cache")
    old = os.environ.get("CREATOR_CACHE_DIR")
    os.environ["CREATOR_CACHE_DIR"] = str(folder)
    yield {"CREATOR_CACHE_DIR": str(folder)}
    if old is None:
        del os.environ["CREATOR_CACHE_DIR"]
    else:
        os.environ["CREATOR_CACHE_DIR"] = old


@pytest.fixture(scope="module")
def talk() -> Talk:
    return talk_clip()


@pytest.fixture(scope="module")
def found(talk: Talk, cache_env: dict[str, str]):
    from creator_tools.clips import ClipSettings, find_clips

    return find_clips(talk.path, ClipSettings(count=5))


def _iou(a: tuple[float, float], b: tuple[float, float]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(0.0, inter) / (max(a[1], b[1]) - min(a[0], b[0]))


def topic_of(talk: Talk, start: float, end: float) -> tuple[int | None, float]:
    """The topic the clip lies within (``None``: it runs out of every topic) and its IoU."""
    ious = [_iou((start, end), t) for t in talk.topics]
    k = int(np.argmax(ious))
    a, b = talk.topics[k]
    inside = start >= a - EDGE_TOLERANCE and end <= b + EDGE_TOLERANCE
    return (k if inside else None), ious[k]


def test_top_clips_are_the_topics(talk, found):
    """At least 4 of the top 5 clips each lie within one topic and cover 60% of it (IoU)."""
    assert len(found.clips) == 5
    hits = []
    for c in found.clips:
        k, iou = topic_of(talk, c.start, c.end)
        if k is not None and iou >= 0.6:
            hits.append(k)
    assert len(hits) >= 4, [(c.start, c.end, c.title) for c in found.clips]
    assert len(set(hits)) == len(hits)  # each a different topic


def test_every_clip_edge_is_a_sentence_edge(talk, found):
    edges = np.array(talk.boundaries())
    for c in found.clips:
        for t in (c.start, c.end):
            assert np.min(np.abs(edges - t)) <= EDGE_TOLERANCE, (c.start, c.end, c.title)
        assert 15.0 <= c.duration <= 60.0


def test_clips_do_not_overlap_and_are_ranked(found):
    spans = sorted((c.start, c.end) for c in found.clips)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert [c.rank for c in found.clips] == [1, 2, 3, 4, 5]
    scores = [c.score for c in found.clips]
    assert scores == sorted(scores, reverse=True)


def test_each_clip_explains_its_score(found):
    from creator_tools.clips.score import WEIGHTS, total

    for c in found.clips:
        assert list(c.parts) == PARTS
        assert c.score == pytest.approx(total(c.parts))
        assert 0.0 <= c.score <= sum(WEIGHTS.values())
        assert c.reasons and all(isinstance(r, str) and r for r in c.reasons)
        assert c.title and len(c.title) <= 61
        # The hook is the clip's first sentence, the title comes from its words.
        assert c.transcript.startswith(c.hook)
        first_word = c.title.split()[0].strip(",.?!").lower()
        assert first_word in c.transcript.lower()


def test_the_clips_open_on_the_hook_lines(talk, found):
    """A clip that is a topic starts where the topic does: on its hook line."""
    opened = 0
    for c in found.clips:
        k, iou = topic_of(talk, c.start, c.end)
        opened += k is not None and iou >= 0.6 and \
            abs(c.start - talk.topics[k][0]) <= EDGE_TOLERANCE
    assert opened >= 3


def test_same_input_same_clips(talk, found, cache_env):
    from creator_tools.clips import ClipSettings, find_clips

    again = find_clips(talk.path, ClipSettings(count=5))
    assert again.to_dict() == found.to_dict()


def test_cli_json_is_one_object_of_the_documented_shape(talk, found, cache_env):
    r = run_cli("clips", str(talk.path), "--json", env=cache_env)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert list(data) == ["source", "duration", "clips"]
    assert data["source"] == str(talk.path)
    assert data["duration"] == pytest.approx(talk.duration, abs=0.05)
    assert len(data["clips"]) == 5
    for rank, c in enumerate(data["clips"], 1):
        assert list(c) == CLIP_KEYS
        assert c["rank"] == rank
        for key in ("start", "end", "duration"):
            assert round(c[key], 3) == c[key]
        assert c["duration"] == pytest.approx(c["end"] - c["start"], abs=0.002)
        assert list(c["parts"]) == PARTS
    assert data == json.loads(json.dumps(found.to_dict()))


def test_cli_table_and_count(talk, cache_env):
    r = run_cli("clips", str(talk.path), "--count", "2", env=cache_env)
    assert r.returncode == 0, r.stderr
    assert "score" in r.stdout and r.stdout.count("\n") > 4
    r = run_cli("clips", str(talk.path), "--count", "2", "--json", env=cache_env)
    assert len(json.loads(r.stdout)["clips"]) == 2


def test_shorter_clips_are_inside_topics_too(talk, cache_env):
    from creator_tools.clips import ClipSettings, find_clips

    result = find_clips(talk.path, ClipSettings(count=8, min_seconds=15, max_seconds=25))
    edges = np.array(talk.boundaries())
    assert len(result.clips) >= 5
    for c in result.clips:
        assert 15 <= c.duration <= 25
        assert np.min(np.abs(edges - c.start)) <= EDGE_TOLERANCE
        assert np.min(np.abs(edges - c.end)) <= EDGE_TOLERANCE


def test_min_above_max_is_a_usage_error(tmp_path):
    clip = mediagen.simple_clip("clips-short", duration=2.0)
    r = run_cli("clips", str(clip), "--min", "40", "--max", "30")
    assert r.returncode == 2
    assert_one_clean_error(r.stderr, "--min", "--max")
    assert r.stdout == ""


def test_source_shorter_than_min_is_bad_input(tmp_path):
    clip = mediagen.simple_clip("clips-short", duration=2.0)
    r = run_cli("clips", str(clip), "--json", env={"CREATOR_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 3
    assert_one_clean_error(r.stderr, "shorter than --min")
    assert r.stdout == ""


def test_not_media_is_bad_input(tmp_path):
    bad = tmp_path / "talk.mp4"
    bad.write_text("not a video\n")
    r = run_cli("clips", str(bad), env={"CREATOR_CACHE_DIR": str(tmp_path / "c")})
    assert r.returncode == 3
    assert_one_clean_error(r.stderr, "talk.mp4")


def test_no_speech_gets_clips_from_energy_and_shots(tmp_path):
    """Music-like sound and hard cuts, no words: clips from the sound and the shots, with a
    note; their edges lie on cuts or sound pauses."""
    cuts = tuple(range(240, 3600, 360))  # a cut every 12 s at 30 fps
    clip = mediagen.cut_clip(cuts, frames=3600, size="160x120")
    r = run_cli("clips", str(clip.path), "--json", "--count", "3",
                env={"CREATOR_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    assert "no speech heard" in r.stderr
    data = json.loads(r.stdout)
    assert 1 <= len(data["clips"]) <= 3
    times = np.array([0.0, *clip.cut_times, 120.0])
    for c in data["clips"]:
        assert c["title"] == "" and c["hook"] == "" and c["transcript"] == ""
        assert 15 <= c["duration"] <= 60
        assert np.min(np.abs(times - c["start"])) < 0.1  # on a cut (or the start)
        assert np.min(np.abs(times - c["end"])) < 0.1
        assert c["parts"]["visual"] == 1.0 or c["start"] < 0.1


def test_windowed_analysis_matches_one_pass(talk, cache_env):
    """The source read in 60 s windows gives the curves and cuts of one pass over it."""
    from creator_tools.clips.signals import source_signals, windows

    assert windows(1000.0, 600.0) == [(0.0, 500.0), (500.0, 500.0)]
    assert sum(d for _, d in windows(talk.duration, 60.0)) == pytest.approx(talk.duration)
    whole = source_signals(talk.path, window=3600.0, use_cache=False)
    parts = source_signals(talk.path, window=60.0, use_cache=False)
    n = len(whole.audio_db)
    assert abs(len(parts.audio_db) - n) <= 1
    assert np.median(np.abs(np.array(parts.audio_db[:n]) - np.array(whole.audio_db[:n]))) < 0.5
    assert parts.cuts == pytest.approx(whole.cuts, abs=0.05)
    assert whole.cuts == pytest.approx(talk.cuts, abs=0.05)
    speech = sum(b - a for a, b in whole.speech)
    assert sum(b - a for a, b in parts.speech) == pytest.approx(speech, rel=0.03)
    # The same stretches of speech, at the same times.
    starts = np.array([a for a, _ in whole.speech])
    near = [np.min(np.abs(starts - a)) < 0.05 for a, _ in parts.speech]
    assert sum(near) >= 0.9 * len(near)


def test_long_audio_is_transcribed_in_chunks(talk, tmp_path, monkeypatch):
    """Chunks of 60 s read from one stream give the words of one pass: nothing lost or
    repeated at the joins, and as close to the script."""
    from creator_tools.captions.transcribe import WhisperSettings, transcribe
    from creator_tools.captions.transcript import word_error_rate

    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path))
    script = " ".join(s.text for s in talk.sentences)
    whole = transcribe(talk.path)
    chunked = transcribe(talk.path, settings=WhisperSettings(chunk_seconds=60.0))
    starts = [w.start for w in chunked.words]
    assert starts == sorted(starts)
    assert abs(len(chunked.words) - len(whole.words)) <= 0.03 * len(whole.words)
    assert chunked.duration == pytest.approx(whole.duration, abs=0.01)
    assert word_error_rate(script, chunked.text) <= word_error_rate(script, whole.text) + 0.05


def test_python_api(talk, found, tmp_path, cache_env):
    from creator_tools.clips import ClipsResult

    data = found.to_dict()
    back = ClipsResult.from_dict(json.loads(json.dumps(data)))
    assert back.to_dict() == data
    assert Path(data["source"]) == talk.path


def test_a_comma_and_three_bins_of_quiet_end_a_sentence():
    """A comma followed by quiet for CLAUSE_PAUSE (three 0.1 s bins of the level curve) ends
    a sentence: the bins' edges (57.5, 57.8) once made 0.29999999 s, and Whisper's "beans,
    why do most people..." stayed one sentence across two topics."""
    from creator_tools.captions.transcript import Word
    from creator_tools.clips.sentences import CLAUSE_PAUSE, Quiet, split_sentences

    rate = 10.0
    db = np.full(1000, -80.0)
    db[560:575] = db[578:589] = -20.0  # speech, with quiet from 57.5 to 57.8 s between
    words = [Word(56.0, 56.9, "tell"), Word(56.96, 57.56, "beans,"),
             Word(58.10, 58.18, "why"), Word(58.2, 58.9, "money?")]
    got = split_sentences(words, Quiet(db, rate))
    assert [s.text for s in got] == ["tell beans,", "why money?"], got
    assert abs(CLAUSE_PAUSE - 0.3) < 1e-9  # the quiet above lasts exactly CLAUSE_PAUSE
    assert got[0].end == pytest.approx(57.5) and got[1].start == pytest.approx(57.8)
