"""Speech spans, silences and dead air (:func:`detect_speech`) on clips with known truth."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import numpy as np
import pytest

from creator_tools.analysis.audio_features import AudioFeatures, audio_features
from creator_tools.analysis.spans import Span, overlap, spans_to_mask
from creator_tools.analysis.speech import SpeechActivity, detect_speech
from creator_tools.media.decode import read_audio
from tests import mediagen
from tests.measure import rttm_turns
from tools.synth import room_tone, speech_like

EDGE_TOL = 0.05  # seconds
SR = 16000


def analyse(path: Path, **kwargs: float) -> tuple[AudioFeatures, SpeechActivity]:
    """The real pipeline: decode, frame features, speech detection."""
    features = audio_features(read_audio(path, sample_rate=SR), sr=SR)
    return features, detect_speech(features, **kwargs)


def true_silences(clip: mediagen.SpeechClip, min_silence: float = 0.4) -> list[tuple[float, float]]:
    return [(a, b) for a, b in clip.silences if b - a >= min_silence - 1e-9]


def synth_clip(path: Path, speech: tuple[tuple[float, float], ...], duration: float, *,
               level_db: float, noise_db: float, seed: int) -> mediagen.SpeechClip:
    """Like :func:`mediagen.speech_clip`, with the speaker's level as a parameter (WAV)."""
    sr = 48000
    y = speech_like(duration, speech, sr=sr, level_db=level_db, seed=seed)
    y += room_tone(duration, sr=sr, noise_db=noise_db, hum_db=-50.0, seed=seed + 1)
    mediagen.write_wav(path, y, sr)
    return mediagen.SpeechClip(path, duration, speech)


def check_against_truth(clip: mediagen.SpeechClip, features: AudioFeatures,
                        result: SpeechActivity) -> None:
    """Assert the acceptance criteria of speech, silences, dead air and levels."""
    truth = true_silences(clip)
    assert result.has_speech
    assert len(result.silences) == len(truth), (result.silences, truth)
    for (a, b), found in zip(truth, result.silences, strict=True):
        assert abs(found.start - a) <= EDGE_TOL, ((a, b), found)
        assert abs(found.end - b) <= EDGE_TOL, ((a, b), found)
    # Pauses shorter than min_silence belong to the speech around them.
    ref: list[Span] = []
    for a, b in clip.speech:
        if ref and a - ref[-1].end < 0.4 - 1e-9:
            ref[-1] = Span(ref[-1].start, b)
        else:
            ref.append(Span(a, b))
    ref_total = sum(s.duration for s in ref)
    found_total = sum(s.duration for s in result.speech)
    covered = overlap(result.speech, ref)
    assert covered >= ref_total - EDGE_TOL * len(ref), (covered, ref_total)
    assert found_total - covered <= EDGE_TOL * len(result.speech), (found_total, covered)
    assert result.dead_air_start == pytest.approx(clip.speech[0][0], abs=EDGE_TOL)
    assert result.dead_air_end == pytest.approx(clip.duration - clip.speech[-1][1], abs=EDGE_TOL)
    assert result.speech_level_db is not None
    assert result.speech_level_db > result.noise_floor_db + 12
    # The noise floor is the room tone's level: that of the frames well inside the silences.
    t = features.times()
    room = np.zeros(t.size, dtype=bool)
    for a, b in truth:
        room |= (t > a + 0.05) & (t < b - 0.05)
    assert result.noise_floor_db == pytest.approx(np.median(features.speech_db[room]), abs=3)


def check_consistent(result: SpeechActivity, end: float, min_silence: float = 0.4) -> None:
    """Speech spans are sorted and disjoint; silences are the gaps between them, long ones."""
    spans = result.speech
    assert all(s.end > s.start for s in spans)
    assert all(a.end < b.start for a, b in itertools.pairwise(spans))
    bounds = [0.0, *(t for s in spans for t in (s.start, s.end)), end]
    gaps = [Span(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True)]
    assert result.silences == [g for g in gaps if g.duration >= min_silence - 1e-9]
    assert all(s.duration >= min_silence - 1e-9 for s in result.silences)


# --- generated clips with known speech ------------------------------------------------------

def test_default_clip_mp4(speech_clip):
    features, result = analyse(speech_clip.path)
    check_against_truth(speech_clip, features, result)
    check_consistent(result, (features.n_frames - 1) / features.frame_rate)


GENERATED = {
    "noisy_room": dict(noise_db=-45.0),
    "no_hum": dict(hum=False),
    "long_dead_air_and_0.4s_gap": dict(
        speech=((4.0, 6.0), (6.4, 8.5), (9.3, 11.0)), duration=12.5, seed=3),
    "short_pauses_are_speech": dict(
        speech=((1.0, 3.0), (3.25, 5.0), (5.42, 7.5), (7.7, 9.0)), duration=9.6, seed=5,
        noise_db=-45.0, hum=False),
    "speech_from_the_start": dict(
        speech=((0.0, 2.2), (2.6, 5.0), (6.5, 8.0)), duration=8.0, seed=7),
    "noisy_seed_11": dict(noise_db=-45.0, seed=11),
}


@pytest.mark.parametrize("recipe", GENERATED.values(), ids=GENERATED.keys())
def test_generated_clips(recipe):
    clip = mediagen.speech_clip(video=False, **recipe)
    features, result = analyse(clip.path)
    check_against_truth(clip, features, result)
    check_consistent(result, (features.n_frames - 1) / features.frame_rate)


def test_gap_of_0_4s_found_and_0_25s_not():
    clip = mediagen.speech_clip(video=False, **GENERATED["short_pauses_are_speech"])
    _, result = analyse(clip.path)
    assert any(abs(s.start - 5.0) <= EDGE_TOL and abs(s.end - 5.42) <= EDGE_TOL
               for s in result.silences)
    assert not any(s.start < 3.25 and s.end > 3.0 for s in result.silences)  # 0.25 s pause
    assert not any(s.start < 7.7 and s.end > 7.5 for s in result.silences)  # 0.2 s pause
    # The speech spans bridge the short pauses.
    assert any(s.start <= 1.0 + EDGE_TOL and s.end >= 5.0 - EDGE_TOL for s in result.speech)


QUIET = {  # (speaker level, room tone) dBFS, seed; the default clip's speaker is at -18 dBFS
    "quiet_speaker": (-35.0, -58.0, 21),
    # In these two the words at the silence edges are /i/ or /u/ vowels, most of whose energy is
    # below 300 Hz: only the low band finds their edges in the noisier room.
    "quiet_speaker_noisy_room_7": (-30.0, -50.0, 7),
    "quiet_speaker_noisy_room_30": (-30.0, -50.0, 30),
}


@pytest.mark.parametrize("level_db,noise_db,seed", QUIET.values(), ids=QUIET.keys())
def test_quiet_speaker(tmp_path, level_db, noise_db, seed):
    clip = synth_clip(tmp_path / "quiet.wav", ((1.0, 3.0), (3.5, 5.5), (6.0, 8.0), (8.6, 10.5)),
                      11.5, level_db=level_db, noise_db=noise_db, seed=seed)
    features, result = analyse(clip.path)
    check_against_truth(clip, features, result)
    _, loud = analyse(mediagen.speech_clip(video=False).path)
    assert loud.speech_level_db is not None and result.speech_level_db is not None
    assert loud.speech_level_db - result.speech_level_db == pytest.approx(-18 - level_db, abs=3)


def test_min_silence_parameter(speech_clip):
    features, result = analyse(speech_clip.path, min_silence=1.0)
    truth = true_silences(speech_clip, 1.0)
    assert [(round(s.start, 1), round(s.end, 1)) for s in result.silences] == truth
    check_consistent(result, (features.n_frames - 1) / features.frame_rate, min_silence=1.0)


def test_to_dict_is_json(speech_clip):
    _, result = analyse(speech_clip.path)
    d = json.loads(json.dumps(result.to_dict()))
    assert d["has_speech"] is True
    assert len(d["silences"]) == len(result.silences)
    assert d["dead_air_start"] == pytest.approx(0.8, abs=EDGE_TOL)


# --- no speech -------------------------------------------------------------------------------

@pytest.mark.parametrize("noise_db,hum_db", [(-58.0, -50.0), (-45.0, -50.0), (-70.0, None)])
def test_room_tone_only_has_no_speech(tmp_path, noise_db, hum_db):
    path = tmp_path / "room.wav"
    mediagen.write_wav(path, room_tone(6.0, sr=48000, noise_db=noise_db, hum_db=hum_db), 48000)
    _, result = analyse(path)
    assert not result.has_speech
    assert result.speech == []
    assert result.speech_level_db is None
    assert result.dead_air_start == pytest.approx(6.0, abs=0.02)
    assert result.silences == [Span(0.0, result.dead_air_start)]
    assert result.noise_floor_db == pytest.approx(noise_db - 10, abs=10)


def test_noise_bursts_and_rumble_are_not_speech():
    rng = np.random.default_rng(3)
    y = room_tone(8.0, sr=SR, noise_db=-58.0)
    y[SR : 2 * SR] += (0.05 * rng.standard_normal(SR)).astype(np.float32)  # hiss
    t = np.arange(2 * SR) / SR
    y[3 * SR : 5 * SR] += (0.3 * np.sin(2 * np.pi * 60 * t)).astype(np.float32)  # rumble
    y[6 * SR : 6 * SR + 40] += 0.5  # a click
    result = detect_speech(audio_features(y, sr=SR))
    assert not result.has_speech
    assert result.speech == []


@pytest.mark.parametrize("n", [0, 100, 5 * SR])
def test_digital_silence(n):
    features = audio_features(np.zeros(n, dtype=np.float32), sr=SR)
    result = detect_speech(features)
    assert not result.has_speech
    assert result.speech == []
    end = max(features.n_frames - 1, 0) / features.frame_rate
    assert result.dead_air_start == end
    assert result.dead_air_end == 0.0
    assert result.silences == ([Span(0.0, end)] if end >= 0.4 else [])


def test_digital_silence_before_speech_in_room_tone():
    speech = ((2.0, 4.0), (5.0, 7.0))
    y = speech_like(8.0, speech, sr=SR, seed=2) + room_tone(8.0, sr=SR, noise_db=-58.0)
    y = np.concatenate([np.zeros(3 * SR, dtype=np.float32), y])
    result = detect_speech(audio_features(y, sr=SR))
    assert result.has_speech
    assert [(round(s.start, 1), round(s.end, 1)) for s in result.speech] == [(5.0, 7.0),
                                                                             (8.0, 10.0)]
    assert result.dead_air_start == pytest.approx(5.0, abs=EDGE_TOL)


# --- real speech -----------------------------------------------------------------------------

def rttm_union(path: Path) -> list[Span]:
    """The union of the speaker turns of an RTTM file, sorted."""
    return [Span(a, b) for a, b in rttm_turns(path)]


@pytest.mark.shared_media
def test_pyannote_sample(shared_media):
    wav = shared_media / "speech" / "pyannote_sample.wav"
    features, result = analyse(wav)
    assert result.has_speech
    assert result.dead_air_start == pytest.approx(6.68, abs=0.3)
    assert result.silences[0].start == 0.0
    n = features.n_frames
    ref = spans_to_mask(rttm_union(wav.with_suffix(".rttm")), n, features.frame_rate)
    found = spans_to_mask(result.speech, n, features.frame_rate)
    agreement = float(np.mean(ref == found))
    assert agreement >= 0.90, agreement
    check_consistent(result, (n - 1) / features.frame_rate)


# --- speed -----------------------------------------------------------------------------------

def test_ten_minutes_of_frames_is_fast(speech_clip):
    f, one = analyse(speech_clip.path)
    reps = -(-60000 // f.n_frames)
    arrays = {k: np.tile(getattr(f, k), reps)[:60000]
              for k in ("rms_db", "speech_db", "low_db", "flatness", "onset", "peak")}
    big = AudioFeatures(frame_rate=f.frame_rate, **arrays)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        result = detect_speech(big)
        best = min(best, time.perf_counter() - t0)
    assert best < 0.2, best
    assert result.has_speech
    # Each copy of the clip brings its silences (the leading and trailing dead air of
    # neighbouring copies join into one gap).
    assert len(result.silences) >= (reps - 1) * (len(one.silences) - 1)
