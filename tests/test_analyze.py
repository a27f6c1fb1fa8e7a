"""The analysis engine and ``creator analyze`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from creator_tools.analysis.engine import AnalysisSettings, analyze, analyze_cached
from creator_tools.analysis.result import Analysis
from tests import mediagen
from tests.conftest import assert_one_clean_error, run_cli

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.mp4"
TOP_KEYS = {"version", "media", "shots", "cuts", "transitions", "silences", "speech",
            "dead_air_end", "loudness", "tempo_bpm", "beats", "motion", "color", "subject",
            "camera", "hook", "advice", "stats", "levels", "problems"}


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def demo() -> Analysis:
    return analyze(DEMO)


def codes(a: Analysis) -> set[str]:
    return {x.code for x in a.advice}


def test_demo_matches_its_ground_truth(demo):
    truth = json.loads((ROOT / "examples" / "demo.json").read_text())
    assert len(demo.cuts) == len(truth["cuts"])
    for got, want in zip(demo.cuts, truth["cuts"], strict=True):
        assert got == pytest.approx(want, abs=1.5 / 30)
    assert len(demo.speech) == len(truth["speech"])
    for span, (a, b) in zip(demo.speech, truth["speech"], strict=True):
        assert span.start == pytest.approx(a, abs=0.05)
        assert span.end == pytest.approx(b, abs=0.05)
    assert demo.hook.dead_air_start == pytest.approx(truth["speech"][0][0], abs=0.05)
    assert demo.tempo_bpm is None
    assert {"DEAD_AIR_START", "LANDSCAPE_SOURCE"} <= codes(demo)


def test_skimmed_hd_decode_still_finds_every_cut_exactly():
    # B-frames and no scene-cut keyframes: the worst case for a reference-frames-only pass.
    clip = mediagen.cut_clip(cuts=(37, 80, 131), frames=170, size="1280x720",
                             x264=("-preset", "veryfast", "-bf", "3", "-x264-params",
                                   "scenecut=0"))
    a = analyze(clip.path)
    assert a.cuts == pytest.approx(clip.cut_times, abs=1e-6)
    full = analyze(clip.path, settings=AnalysisSettings(skim=False))
    assert full.cuts == a.cuts


def test_json_round_trip(demo):
    d = demo.to_dict()
    assert set(d) == TOP_KEYS
    text = json.dumps(d, allow_nan=False)
    assert Analysis.from_dict(json.loads(text)).to_dict() == d


@pytest.mark.parametrize(
    ("name", "expr", "volume"),
    [
        ("sine1k", "sine=f=1000:sample_rate=48000", "0.3"),
        ("pink", "anoisesrc=color=pink:amplitude=0.2:sample_rate=44100", "1.0"),
        ("sweep", "aevalsrc='0.5*sin(2*PI*(200+300*t)*t)':s=48000", "1.0"),
    ],
)
def test_loudness_agrees_with_ffmpeg_ebur128(name, expr, volume):
    path = mediagen.tone_clip(name, expr, volume=volume)
    a = analyze(path)
    i, tp = mediagen.ebur128(path)
    assert a.loudness.integrated_lufs == pytest.approx(i, abs=0.5)
    assert a.loudness.true_peak_dbtp == pytest.approx(tp, abs=0.5)
    assert a.loudness.clipping is False


def test_loudness_of_speech_clip_agrees(speech_clip):
    a = analyze(speech_clip.path)
    i, tp = mediagen.ebur128(speech_clip.path)
    assert a.loudness.integrated_lufs == pytest.approx(i, abs=0.5)
    assert a.loudness.true_peak_dbtp == pytest.approx(tp, abs=0.5)


def test_clipped_and_quiet_audio():
    loud = analyze(mediagen.tone_clip("clipped", "sine=f=220:sample_rate=48000", volume="8.0"))
    assert loud.loudness.clipping
    assert "CLIPPING" in codes(loud)
    quiet = analyze(mediagen.tone_clip("quiet", "sine=f=440:sample_rate=48000", volume="0.01"))
    assert quiet.loudness.integrated_lufs < -35
    assert "QUIET_AUDIO" in codes(quiet)
    assert "CLIPPING" not in codes(quiet)


def test_video_without_audio_and_audio_without_video(speech_clip):
    silent = analyze(mediagen.simple_clip("noaudio", audio=False))
    assert silent.loudness is None and silent.speech == []
    assert "NO_AUDIO" in codes(silent)
    wav = mediagen.speech_clip(video=False)
    audio = analyze(wav.path)
    assert audio.shots == [] and audio.motion is None
    assert len(audio.speech) == len(wav.speech)


def test_static_flashing_shaky_vfr_and_hdr_advice():
    assert "LONG_STATIC_SHOT" in codes(analyze(mediagen.static_clip()))
    strobe = analyze(mediagen.strobe_clip())
    flashing = [x for x in strobe.advice if x.code == "FLASHING"]
    assert flashing and 1.8 <= flashing[0].at <= 3.0
    assert "FLASHING" not in codes(analyze(mediagen.flash_clip()))  # two flashes, 2 s apart
    shaky = analyze(mediagen.shaky_clip())
    assert "SHAKY" in codes(shaky)
    assert "SHAKY" not in codes(analyze(mediagen.pan_clip()))
    assert "VFR_SOURCE" in codes(analyze(mediagen.vfr_clip()))
    hdr = mediagen.simple_clip(
        "hdr10", size="320x240", audio=False,
        vcodec=("libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
                "-color_primaries", "bt2020", "-color_trc", "smpte2084",
                "-colorspace", "bt2020nc", "-x265-params",
                "log-level=error:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc"))
    assert "HDR_SOURCE" in codes(analyze(hdr))


def test_motion_per_second_and_static():
    static = analyze(mediagen.static_clip())
    assert static.motion.mean < 0.05
    assert static.motion.static and static.motion.static[0].duration > 7
    moving = analyze(mediagen.cut_clip().path)
    assert moving.motion.mean > 0.2
    assert len(moving.motion.per_second) == 9
    assert all(0 <= v <= 1 for v in moving.motion.per_second)


def test_subject_track_follows_a_moving_subject():
    a = analyze(mediagen.moving_subject_clip())
    track = a.subject.track
    assert track and a.subject.source in {"motion", "mixed", "saliency"}
    for p in track:
        if 0.5 <= p.t <= 3.5:
            true_x = (50 + 120 * p.t + 30) / 640
            assert p.x == pytest.approx(true_x, abs=0.08), p
            assert p.y == pytest.approx(180 / 360, abs=0.1), p
    xs = [p.x for p in track]
    assert xs[-1] > xs[0] + 0.4


def test_rotated_source_is_analyzed_as_displayed():
    a = analyze(mediagen.rotated_clip(90))
    assert "LANDSCAPE_SOURCE" not in codes(a)
    assert a.media.video.display_height == 1920


def test_color_flags_low_light():
    dark = mediagen.simple_clip(
        "dark", vcodec=("libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-vf",
                        "scale=320:240,eq=brightness=-0.4:contrast=0.5"))
    a = analyze(dark)
    assert a.color.low_light
    assert "LOW_LIGHT" in codes(a)
    assert not analyze(mediagen.cut_clip().path).color.low_light


def test_cache_reuses_results(tmp_path):
    clip = mediagen.cut_clip().path
    first, cached = analyze_cached(clip)
    assert not cached
    second, cached = analyze_cached(clip)
    assert cached
    assert second.to_dict() == first.to_dict()
    _, cached = analyze_cached(clip, settings=AnalysisSettings(min_silence=0.8))
    assert not cached


def test_cli_json_plot_and_report(tmp_path):
    plot = tmp_path / "pacing.png"
    r = run_cli("analyze", "--json", "--plot", str(plot), str(DEMO))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 1
    assert set(json.loads(lines[0])) == TOP_KEYS
    import cv2

    img = cv2.imread(str(plot))
    assert img is not None and img.shape[1] == 1600 and img.shape[0] > 300
    assert float(img.std()) > 10  # something was drawn
    r = run_cli("analyze", str(DEMO), "--plot", str(plot))
    assert r.returncode == 5 and "output exists (use --force to overwrite)" in r.stderr
    r = run_cli("analyze", str(DEMO))
    assert r.returncode == 0
    assert "advice" in r.stdout and "DEAD_AIR_START" in r.stdout and "hook" in r.stdout


def test_cli_bad_inputs_do_not_stop_the_others(tmp_path):
    bad = [mediagen.not_media_file(), mediagen.empty_file(), tmp_path / "gone.mp4"]
    r = run_cli("analyze", "--json", str(bad[0]), str(mediagen.static_clip()), *map(str, bad[1:]))
    assert r.returncode == 3
    assert len(r.stdout.splitlines()) == 1
    assert_one_clean_error(r.stderr, *(str(p) for p in bad))


@pytest.mark.shared_media
def test_real_speech_dead_air(shared_media):
    a = analyze(shared_media / "speech/pyannote_sample.wav")
    assert a.hook.dead_air_start == pytest.approx(6.68, abs=0.3)
    assert a.tempo_bpm is None


@pytest.mark.shared_media
def test_damaged_stream_is_analyzed(shared_media):
    a = analyze(shared_media / "video/box.mp4")
    assert a.problems
    assert "DECODE_ERRORS" in codes(a)
    assert a.motion is not None and len(a.motion.per_second) >= 15


def test_levels_are_compact():
    a = analyze(mediagen.cut_clip().path)
    assert a.levels.rate == 10.0
    assert len(a.levels.motion) == pytest.approx(a.duration * 10, abs=1)
    assert np.all(np.asarray(a.levels.motion) <= 1.0)
