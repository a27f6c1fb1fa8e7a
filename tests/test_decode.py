"""Streaming frame and audio readers over one ffmpeg decode."""

from __future__ import annotations

import numpy as np
import pytest

from creator_tools.errors import MediaError
from creator_tools.media.decode import (
    AudioSpec,
    DecodePass,
    VideoSpec,
    decode_problem,
    iter_audio_blocks,
    iter_frames,
    read_audio,
)
from tests import mediagen


def test_frames_count_size_and_times(cut_clip):
    frames = list(iter_frames(cut_clip.path, width=160))
    assert len(frames) == cut_clip.frames
    assert frames[0].image.shape == (120, 160)
    assert frames[0].image.dtype == np.uint8
    assert [f.index for f in frames[:3]] == [0, 1, 2]
    assert frames[30].t == pytest.approx(1.0)


def test_frames_rgb_and_reduced_rate(cut_clip):
    frames = list(iter_frames(cut_clip.path, width=64, pix_fmt="rgb24", fps=10))
    assert frames[0].image.shape == (48, 64, 3)
    assert len(frames) == pytest.approx(cut_clip.frames / 3, abs=1)
    assert frames[5].t == pytest.approx(0.5)


def test_rotation_applied_to_frames():
    frame = next(iter(iter_frames(mediagen.rotated_clip(90), width=108)))
    assert frame.image.shape == (192, 108)  # portrait, as displayed


def test_variable_rate_comes_out_constant():
    frames = list(iter_frames(mediagen.vfr_clip(), width=64, fps=30))
    assert len(frames) == pytest.approx(60, abs=1)
    assert np.allclose(np.diff([f.t for f in frames]), 1 / 30)


def test_odd_size_source():
    path = mediagen.simple_clip("odd", size="333x187", vcodec=("ffv1", "-pix_fmt", "yuv444p"),
                                ext="mkv")
    frame = next(iter(iter_frames(path, width=1000)))
    assert frame.image.shape == (188, 334)  # never upscaled beyond the source, even sizes


def test_audio_whole_and_blocks(speech_clip):
    y = read_audio(speech_clip.path, sample_rate=16000)
    assert y.dtype == np.float32 and y.ndim == 1
    assert len(y) / 16000 == pytest.approx(speech_clip.duration, abs=0.05)
    blocks = list(iter_audio_blocks(speech_clip.path, sample_rate=8000, block_seconds=0.5))
    assert all(len(b) == 4000 for b in blocks[:-1])
    assert sum(map(len, blocks)) / 8000 == pytest.approx(speech_clip.duration, abs=0.05)


def test_stopping_early_ends_the_decoder(speech_clip):
    gen = iter_audio_blocks(speech_clip.path, block_seconds=0.1)
    next(gen)
    gen.close()
    frames = iter_frames(speech_clip.path)
    next(frames)
    frames.close()


def test_one_pass_gives_frames_audio_and_loudness(speech_clip):
    blocks: list[np.ndarray] = []
    with DecodePass(speech_clip.path, video=VideoSpec(96), audio=AudioSpec(16000, 1.0, True),
                    on_audio=blocks.append) as dp:
        n = sum(1 for _ in dp.frames())
    assert n == pytest.approx(speech_clip.duration * 30, abs=1)
    assert sum(map(len, blocks)) == pytest.approx(speech_clip.duration * 16000, abs=800)
    loud = dp.report.loudness
    assert loud is not None and -40 < loud.integrated_lufs < -10
    assert loud.true_peak_dbtp < 0


def test_no_audio_stream_is_an_error():
    with pytest.raises(MediaError, match="no audio"):
        read_audio(mediagen.simple_clip("noaudio", audio=False))


@pytest.mark.shared_media
def test_damaged_stream_yields_frames_and_reports(shared_media):
    with DecodePass(shared_media / "video/box.mp4", video=VideoSpec(160)) as dp:
        n = sum(1 for _ in dp.frames())
    assert n > 400  # 15.2 s at 29.97 fps: the damaged frames are concealed, not fatal
    assert dp.report.returncode == 0
    assert dp.report.problems, "the decode errors of box.mp4 should be reported"


@pytest.mark.parametrize(("line", "skimming", "problem"), [
    ("[h264 @ 0x55eb43b58500] [error] A non-intra slice in an IDR NAL unit.", False,
     "A non-intra slice in an IDR NAL unit."),
    # ffmpeg 9 names a decoder twice: the input stream and the decoder.
    ("[vist#0:1/h264 @ 0x5594c1a0] [dec:h264 @ 0x5594c2b0] [error] Error submitting packet to "
     "decoder: Invalid data found when processing input", False,
     "Error submitting packet to decoder: Invalid data found when processing input"),
    ("[fatal] Conversion failed!", False, "Conversion failed!"),
    ("[h264 @ 0x55eb43b58500] [warning] frame size changed", False, None),
    ("[h264 @ 0x55eb43b58500] [error] mmco: unref short failure", True, None),
    ("[h264 @ 0x55eb43b58500] [error] mmco: unref short failure", False,
     "mmco: unref short failure"),
    ("    I:         -15.3 LUFS", False, None),
])
def test_decode_problems_are_read_from_ffmpeg_log_lines(line, skimming, problem):
    assert decode_problem(line, skimming=skimming) == problem
