"""Shot detection on clips with known cuts, fades, flashes and pans."""

from __future__ import annotations

import numpy as np
import pytest

from creator_tools.analysis.shots import detect_shots, shot_stats
from creator_tools.analysis.video_features import VideoFeatureExtractor
from creator_tools.media.decode import iter_frames
from creator_tools.media.probe import probe
from tests import mediagen


def features(path):
    fps = probe(path).video.fps
    ex = VideoFeatureExtractor(fps=fps, face_hz=0)
    for f in iter_frames(path, width=320, pix_fmt="rgb24"):
        ex.push(f.index, f.t, f.image)
    return ex.finish()


def shots_of(path):
    vf = features(path)
    return detect_shots(vf.hist, vf.diff, vf.luma, fps=vf.fps, decoded=vf.decoded,
                        blocks=vf.blocks), vf


def test_every_hard_cut_at_its_frame_and_no_extra(cut_clip):
    result, _ = shots_of(cut_clip.path)
    assert result.cut_frames == list(cut_clip.cuts)
    assert result.transitions == []
    assert len(result.shots) == len(cut_clip.cuts) + 1
    assert result.shots[0].start == 0.0
    assert result.shots[-1].end == pytest.approx(cut_clip.frames / cut_clip.fps)


def test_other_cut_positions_at_25_fps():
    clip = mediagen.cut_clip(cuts=(13, 31, 90, 117), frames=150, fps=25)
    result, _ = shots_of(clip.path)
    assert result.cut_frames == [13, 31, 90, 117]


@pytest.mark.parametrize("kind", ["fade", "dissolve"])
def test_gradual_transition_is_one_event(kind):
    result, _ = shots_of(mediagen.transition_clip(kind))
    assert result.cuts == []
    assert len(result.transitions) == 1
    tr = result.transitions[0]
    assert tr.kind == kind
    assert tr.start == pytest.approx(2.5, abs=0.25)
    assert tr.end == pytest.approx(3.5, abs=0.25)
    assert len(result.shots) == 2


@pytest.mark.parametrize("make", [mediagen.flash_clip, mediagen.strobe_clip, mediagen.pan_clip,
                                  mediagen.shaky_clip])
def test_flashes_pans_and_shake_are_not_cuts(make):
    result, _ = shots_of(make())
    assert result.cuts == []
    assert result.transitions == []
    assert len(result.shots) == 1


def test_shot_stats():
    from creator_tools.analysis.spans import Span

    stats = shot_stats([Span(0, 2), Span(2, 8), Span(8, 12)], 12.0)
    assert stats == {"cuts_per_minute": 10.0, "average_shot": 4.0, "longest_shot": 6.0}


def test_synthetic_features_single_spike():
    n, fps = 120, 30.0
    rng = np.random.default_rng(0)
    hist = np.zeros((n, 128), np.float32)
    hist[:60, :8] = 1 / 8
    hist[60:, 64:72] = 1 / 8
    diff = rng.uniform(0.005, 0.01, n).astype(np.float32)
    diff[60] = 0.3
    luma = np.full(n, 0.3, np.float32)
    result = detect_shots(hist, diff, luma, fps=fps)
    assert result.cut_frames == [60]


@pytest.mark.shared_media
def test_real_footage_without_cuts_has_none(shared_media):
    for name in ("video/cup.mp4", "video/tree.avi", "video/carphone_pristine.mp4"):
        result, _ = shots_of(shared_media / name)
        assert result.cuts == [], name


@pytest.mark.shared_media
def test_bikes_has_its_shots(shared_media):
    result, _ = shots_of(shared_media / "video/bikes.mp4")
    # Five hard cuts, checked frame by frame by eye on the 25 fps source.
    assert result.cut_frames == [30, 76, 137, 187, 242]
