"""``creator probe`` and :func:`creator_tools.media.probe.probe` on media with known facts."""

from __future__ import annotations

import json

import pytest

from creator_tools.errors import InputError
from creator_tools.media.probe import probe
from tests import mediagen
from tests.conftest import assert_one_clean_error, run_cli

KEYS = {"path", "duration", "container", "video", "audio"}
VIDEO_KEYS = {"codec", "width", "height", "display_width", "display_height", "rotation", "fps",
              "variable_fps", "frames", "pix_fmt", "bit_depth", "hdr", "matrix", "full_range"}
AUDIO_KEYS = {"codec", "sample_rate", "channels"}


def test_plain_clip_facts():
    info = probe(mediagen.simple_clip("plain", size="640x360", fps=25, duration=2.0))
    assert info.duration == pytest.approx(2.0, abs=0.05)
    assert info.container.startswith("mov")
    v = info.video
    assert (v.codec, v.width, v.height) == ("h264", 640, 360)
    assert (v.display_width, v.display_height, v.rotation) == (640, 360, 0)
    assert v.fps == pytest.approx(25.0)
    assert v.frames == 50
    assert not v.variable_fps
    assert (v.pix_fmt, v.bit_depth, v.hdr) == ("yuv420p", 8, False)
    a = info.audio
    assert (a.codec, a.sample_rate, a.channels) == ("aac", 48000, 1)


@pytest.mark.parametrize("rotation", [90, 270, 180])
def test_rotation_tag_gives_display_size(rotation):
    v = probe(mediagen.rotated_clip(rotation)).video
    assert (v.width, v.height) == (1920, 1080)
    assert v.rotation == rotation
    if rotation == 180:
        assert (v.display_width, v.display_height) == (1920, 1080)
    else:
        assert (v.display_width, v.display_height) == (1080, 1920)


def test_variable_frame_rate_detected():
    info = probe(mediagen.vfr_clip())
    assert info.video.variable_fps
    assert info.video.frames == 90  # 30 frames in the first second, 60 in the second
    assert probe(mediagen.cut_clip().path).video.variable_fps is False


def test_no_audio_and_audio_only():
    assert probe(mediagen.simple_clip("noaudio", audio=False)).audio is None
    info = probe(mediagen.simple_clip("audioonly", video=False, ext="m4a"))
    assert info.video is None
    assert info.audio.codec == "aac"
    assert info.duration == pytest.approx(2.0, abs=0.05)


def test_odd_dimensions_and_short_clip():
    odd = probe(mediagen.simple_clip(
        "odd", size="333x187", vcodec=("ffv1", "-pix_fmt", "yuv444p"), ext="mkv"))
    assert (odd.video.width, odd.video.height) == (333, 187)
    assert odd.video.pix_fmt == "yuv444p"
    short = probe(mediagen.simple_clip("short", duration=0.3))
    assert short.duration == pytest.approx(0.3, abs=0.05)
    assert short.video.frames == 9


def test_ten_bit_and_hdr_flags():
    path = mediagen.simple_clip(
        "hdr10", size="320x240", audio=False,
        vcodec=("libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
                "-color_primaries", "bt2020", "-color_trc", "smpte2084",
                "-colorspace", "bt2020nc", "-x265-params",
                "log-level=error:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc"))
    v = probe(path).video
    assert v.codec == "hevc"
    assert v.bit_depth == 10
    assert v.hdr is True


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (mediagen.empty_file, "empty"),
        (mediagen.not_media_file, "not a readable media file"),
        (mediagen.truncated_clip, "not a readable media file"),
        (mediagen.truncated_faststart_clip, "truncated"),
    ],
)
def test_bad_files_raise_input_error(make, needle):
    with pytest.raises(InputError, match=needle):
        probe(make())


def test_missing_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        probe(tmp_path / "nope.mp4")
    with pytest.raises(InputError, match="directory"):
        probe(tmp_path)


def test_cli_json_records_and_bad_files_in_one_call(tmp_path):
    good = mediagen.simple_clip("plain", size="640x360", fps=25, duration=2.0)
    noaudio = mediagen.simple_clip("noaudio", audio=False)
    bad = [mediagen.empty_file(), mediagen.not_media_file(), mediagen.truncated_clip(),
           tmp_path / "missing.mp4", tmp_path]
    r = run_cli("probe", "--json", str(good), *map(str, bad), str(noaudio))
    assert r.returncode == 3
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert [rec["path"] for rec in records] == [str(good), str(noaudio)]
    for rec in records:
        assert set(rec) == KEYS
        assert set(rec["video"]) == VIDEO_KEYS
    assert set(records[0]["audio"]) == AUDIO_KEYS
    assert records[1]["audio"] is None
    assert_one_clean_error(r.stderr, *(str(p) for p in bad))
    assert len([ln for ln in r.stderr.splitlines() if ln.startswith("error:")]) == len(bad)


def test_cli_human_table():
    r = run_cli("probe", str(mediagen.rotated_clip(90)))
    assert r.returncode == 0, r.stderr
    assert "1080x1920" in r.stdout
    assert "rot 90" in r.stdout


def test_cli_usage_error_exit_2():
    r = run_cli("probe", "--no-such-option")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr


@pytest.mark.shared_media
def test_shared_media_probe(shared_media):
    expected = {
        "video/vtest.avi": (768, 576, 10.0, False),
        "video/tree.avi": (320, 240, 15.0, False),
        "video/box.mp4": (640, 480, 29.97, True),
        "video/cup.mp4": (640, 480, 26.777, True),
        "video/bikes.mp4": (640, 272, 25.0, False),
        "video/carphone_pristine.mp4": (176, 144, 29.97, False),
    }
    for name, (w, h, fps, has_audio) in expected.items():
        info = probe(shared_media / name)
        assert (info.video.display_width, info.video.display_height) == (w, h), name
        assert info.video.fps == pytest.approx(fps, rel=2e-3), name
        assert (info.audio is not None) == has_audio, name
    speech = probe(shared_media / "speech/pyannote_sample.wav")
    assert speech.video is None
    assert (speech.audio.sample_rate, speech.audio.channels) == (16000, 1)
    assert speech.duration == pytest.approx(30.0, abs=0.01)
    for name in ("music/hr3-desert.ogg", "music/hr-domina-hunting.ogg"):
        m = probe(shared_media / name)
        assert m.video is None
        assert (m.audio.sample_rate, m.audio.channels) == (44100, 2)
    r = run_cli("probe", "--json", *(str(p) for p in sorted(shared_media.glob("*/*.*"))
                                     if p.suffix in {".avi", ".mp4", ".wav", ".ogg"}))
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 9
