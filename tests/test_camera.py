"""The virtual camera on exact inputs: steadying, the zoom that makes room, who is framed, and
what a small source is shown at. (Real footage and composited fixtures: test_camera_operator.)"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from creator_tools.analysis.camera import CameraPath, cumulative
from creator_tools.analysis.spans import Span
from creator_tools.analysis.subject import TrackPoint, subject_track
from creator_tools.analysis.subject_locate import SubjectSample
from creator_tools.edit.camera import CameraSettings, frame_shots
from creator_tools.edit.planner import _output_size
from creator_tools.edit.reframe import CropGeometry

GEO = CropGeometry.for_aspect(1920, 1080, 1080, 1920)  # 9:16 of 16:9: full height


def _shake(t: np.ndarray, seed: int, amp: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    s = sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 6.3)) for f in (2.3, 4.1, 7.7))
    return amp * s / np.abs(s).max()


def test_the_window_holds_a_shaken_picture_still():
    fps = 30.0
    t = np.arange(0.0, 6.0, 1 / fps)
    cx, cy = _shake(t, 1, 0.02), _shake(t, 2, 0.03)  # up to 2% and 3% of the frame
    camera = CameraPath(list(t), list(cx), list(cy), [Span(0.0, 6.0)])
    # A still subject in the scene: in the frame it moves with the shake.
    track = [TrackPoint(float(a), 0.5 + float(np.interp(a, t, cx)),
                        0.5 + float(np.interp(a, t, cy)), 0.1, 0.2, "face") for a in t[::6]]
    (f,) = frame_shots(track, GEO, shots=[Span(0.0, 6.0)], duration=6.0, camera=camera,
                       fps=fps)
    # Full height in 9:16 leaves no room up and down: a zoom makes some, within the limit.
    assert 1.0 < f.zoom <= CameraSettings().max_zoom
    k = np.array(f.keys)
    ux, uy = np.interp(t, k[:, 0], k[:, 1]), np.interp(t, k[:, 0], k[:, 2])
    # The window moves with the picture's content: what it shows holds still.
    assert np.std(ux - cx) < 0.02 * np.std(cx)
    assert np.std(uy - cy) < 0.1 * np.std(cy)
    # Without steadying the window holds still in the frame and the shake shows.
    (g,) = frame_shots(track, GEO, shots=[Span(0.0, 6.0)], duration=6.0, camera=camera,
                       fps=fps, settings=CameraSettings(stabilize=False))
    assert g.zoom == 1.0 and len({k[1] for k in g.keys}) == 1


def test_a_swaying_close_up_gets_a_still_window():
    """A face that fills 65% of the window and sways by 1.2% of the frame (a presenter in a
    close-up) stays inside a window that holds still; a small face walking still moves it."""
    t = np.arange(0.0, 20.0, 0.2)
    close_up = [TrackPoint(float(a), 0.5 + 0.012 * float(np.sin(1.3 * a)), 0.5, 0.206, 0.37,
                           "face") for a in t]
    (f,) = frame_shots(close_up, GEO, shots=[Span(0.0, 20.0)], duration=20.0)
    xs = [x for _, x, _ in f.keys]
    assert max(xs) - min(xs) < 1e-3, f.keys
    for p in close_up:  # the face is whole inside the still window
        assert abs(p.x - xs[0]) + p.w / 2 <= GEO.width / 2
    walker = [TrackPoint(float(a), 0.2 + 0.03 * float(a), 0.5, 0.05, 0.1, "face") for a in t]
    (g,) = frame_shots(walker, GEO, shots=[Span(0.0, 20.0)], duration=20.0)
    assert g.keys[-1][1] - g.keys[0][1] > 0.4


def test_cumulative_restarts_at_each_shot():
    shift = np.tile([0.01, -0.02], (10, 1))
    path = cumulative(shift, starts=[5])
    assert path[4] == pytest.approx([0.04, -0.08]) and path[5] == pytest.approx([0.0, 0.0])
    assert path[9] == pytest.approx([0.04, -0.08])


def _faces(t: float, mouths: tuple[float, float]) -> SubjectSample:
    a, b = (0.25, 0.5, 0.1, 0.2, mouths[0]), (0.75, 0.5, 0.1, 0.2, mouths[1])
    return SubjectSample(t, 0.5, 0.5, 0.6, 0.2, "face", 0.8, (a, b))


@pytest.mark.parametrize(("speech", "mouths", "centre"), [
    ([Span(0.0, 6.0)], (0.0, 0.3), 0.75),  # the right one talks: framed alone
    ([Span(0.0, 6.0)], (0.1, 0.12), 0.5),  # unclear: both
    ([], (0.0, 0.3), 0.5),  # nobody talks: both
])
def test_two_people_the_one_talking_or_both(speech, mouths, centre):
    samples = [_faces(float(t), mouths) for t in np.arange(0.0, 6.0, 1 / 3)]
    track = subject_track(samples, duration=6.0, shots=[Span(0.0, 6.0)], speech=speech)
    mid = [p for p in track.track if 2.0 < p.t < 4.0]
    assert np.median([p.x for p in mid]) == pytest.approx(centre, abs=0.02)
    assert {p.kind for p in mid} == {"face"}


def test_people_wider_than_the_window_are_shown_whole():
    track = [TrackPoint(float(t), 0.5, 0.5, 0.7, 0.3, "face") for t in np.arange(0, 4, 0.2)]
    (f,) = frame_shots(track, GEO, shots=[Span(0.0, 4.0)], duration=4.0)
    assert not f.fits
    # A thing that moves has a tight box: wider than the window for most of the shot (a box
    # turned in the hands), it is shown whole too ...
    moving = [TrackPoint(p.t, p.x, p.y, p.w, p.h, "motion") for p in track]
    (g,) = frame_shots(moving, GEO, shots=[Span(0.0, 4.0)], duration=4.0)
    assert not g.fits
    # ... but not for a moment of it (a cup swung wide once): the window keeps what it can.
    brief = [replace(p, w=p.w if p.t < 1.0 else 0.2) for p in moving]
    (h,) = frame_shots(brief, GEO, shots=[Span(0.0, 4.0)], duration=4.0)
    assert h.fits
    # A shot held still because things hop about: shown whole when they spread wider than
    # the window, held on the busiest when they fit.
    held = [replace(p, kind="held") for p in track]
    assert not frame_shots(held, GEO, shots=[Span(0.0, 4.0)], duration=4.0)[0].fits
    narrow = [replace(p, w=0.25) for p in held]
    assert frame_shots(narrow, GEO, shots=[Span(0.0, 4.0)], duration=4.0)[0].fits


def test_a_small_source_is_noted_and_can_keep_its_size():
    notes: list[str] = []
    assert _output_size(640, 272, (1080, 1920), keep=False, notes=notes) == (1080, 1920)
    assert "shown 7.1x bigger" in notes[0] and "--keep-resolution" in notes[0]
    notes = []
    assert _output_size(640, 272, (1080, 1920), keep=True, notes=notes) == (360, 640)
    assert notes == []  # 2.4x: no longer soft enough to mention
    notes = []
    assert _output_size(1920, 1080, (1080, 1920), keep=True, notes=notes) == (1080, 1920)
    assert notes == []


def _program_cost(t, p, target, size, zone_lower, zone_upper, s):
    """The objective of ``camera._axis``'s linear program for path ``p`` (scene coordinates)."""
    dt = np.diff(t)
    h = float(np.median(dt))
    w = np.concatenate([[dt[0]], 0.5 * (dt[:-1] + dt[1:]), [dt[-1]]])
    slack = np.maximum.reduce([np.zeros(p.size), p - zone_upper, zone_lower - p])
    return (s.motion * np.abs(np.diff(p)).sum()
            + s.acceleration / h * np.abs(np.diff(p, 2)).sum()
            + s.jerk / h**2 * np.abs(np.diff(p, 3)).sum()
            + s.subject * (w * slack).sum() + s.centring * (w * np.abs(p - target)).sum())


@pytest.mark.parametrize("seed", range(12))
def test_a_still_window_is_chosen_only_where_the_program_agrees(seed, monkeypatch):
    """The shortcut that skips the linear program for a window that can hold still costs no
    more than the program's own optimum, on swaying, drifting and wandering subjects."""
    import creator_tools.edit.camera as cam

    rng = np.random.default_rng(seed)
    s = CameraSettings()
    seconds = float(rng.uniform(4, 45))
    t = np.arange(0.0, seconds, 1 / s.rate)
    drift = rng.uniform(-0.08, 0.08) * t / seconds
    centre = 0.5 + drift + rng.uniform(0.005, 0.04) * np.sin(rng.uniform(0.5, 3) * t)
    size = np.full(t.size, rng.uniform(0.05, 0.2))
    half = 0.5 * 9 / 16 * 9 / 16
    zero = np.zeros(t.size)
    still = cam._axis(t, zero, centre, size, half, s)
    monkeypatch.setattr(cam, "_still_framing", lambda *a, **k: None)
    solved = cam._axis(t, zero, centre, size, half, s)
    zone = np.full(t.size, s.comfort * half) * (1.0 - cam._lead_share(t, centre, half, s))
    args = (centre, size, centre + size / 2 - zone, centre - size / 2 + zone, s)
    assert _program_cost(t, still, *args) <= _program_cost(t, solved, *args) + 1e-6
    monkeypatch.undo()
    took = cam._still_framing(centre, centre + size / 2 - zone, centre - size / 2 + zone,
                              np.full(t.size, half), np.full(t.size, 1 - half),
                              np.full(t.size, 1 / s.rate), s)
    if took is not None:  # the shortcut was used: a window that holds still
        assert np.ptp(still) == 0.0
