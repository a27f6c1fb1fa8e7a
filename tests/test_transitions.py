"""Real footage: skimming never loses a cut; fades and dissolves are transitions, not cuts; the
plan never cuts inside one."""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import pytest

from creator_tools.analysis.engine import AnalysisSettings, analyze
from creator_tools.analysis.shots import Transition, detect_shots
from creator_tools.edit.planner import EditOptions, make_plan
from creator_tools.media.probe import probe
from tests import mediagen
from tests.test_shots import features


def frames_of(times: list[float], fps: float) -> list[int]:
    return [round(t * fps) for t in times]


@pytest.mark.shared_media
def test_skimming_keeps_every_cut_of_reencoded_real_footage(shared_media):
    # bikes.mp4 upscaled and re-encoded with B-frames (x264 medium): the skimmed first pass
    # decodes a quarter of the frames, with drift, and used to miss the cut at 3.04 s.
    clip = mediagen.reencoded("bikes.mp4", size="1280x720", fps=30, preset="medium")
    v = probe(clip).video
    assert v.width * v.height >= AnalysisSettings().skim_min_pixels  # it is skimmed
    # First frame at 30 fps that shows each cut's first 25 fps frame.
    truth = [math.ceil((round(t * 25) - 0.5) * 30 / 25) for t in mediagen.BIKES_CUTS]
    skimmed = analyze(clip, settings=AnalysisSettings(face_hz=0))
    full = analyze(clip, settings=AnalysisSettings(face_hz=0, skim=False))
    assert frames_of(full.cuts, 30) == truth
    assert frames_of(skimmed.cuts, 30) == frames_of(full.cuts, 30)


def test_skimmed_features_decide_cuts_as_a_full_decode_does(cut_clip):
    # A skimming decode sees one frame in four (the rest repeat it) and slightly wrong
    # pictures; where a cut may be, the stretch is looked at again in full.
    vf = features(cut_clip.path)
    n = vf.n_frames
    rng = np.random.default_rng(1)
    keep = np.zeros(n, dtype=bool)
    keep[::4] = True
    keep[list(cut_clip.cuts)] = True  # as an encoder puts a keyframe on a cut
    src = np.maximum.accumulate(np.where(keep, np.arange(n), 0))
    hist = vf.hist[src] * rng.uniform(0.9, 1.1, vf.hist.shape)
    hist /= hist.sum(axis=1, keepdims=True)
    skim = SimpleNamespace(hist=hist, luma=vf.luma[src], blocks=vf.blocks[src],
                           diff=np.where(keep, vf.diff * 2.5, 0.0), decoded=keep)
    looked: list[tuple[int, int]] = []

    def full_rate(ranges):
        looked.extend(ranges)
        return [SimpleNamespace(hist=vf.hist[a:b], luma=vf.luma[a:b], blocks=vf.blocks[a:b],
                                diff=np.concatenate([[0.0], vf.diff[a + 1 : b]]),
                                decoded=vf.decoded[a:b]) for a, b in ranges]

    want = detect_shots(vf.hist, vf.diff, vf.luma, fps=vf.fps, decoded=vf.decoded,
                        blocks=vf.blocks)
    got = detect_shots(skim.hist, skim.diff, skim.luma, fps=vf.fps, decoded=skim.decoded,
                       blocks=skim.blocks, full_rate=full_rate)
    assert got.cut_frames == want.cut_frames == list(cut_clip.cuts)
    assert sum(b - a for a, b in looked) < n / 2  # a second look, not a second decode


def iou(a: tuple[float, float], b: tuple[float, float]) -> float:
    inter = max(0.0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


@pytest.mark.shared_media
def test_fades_and_dissolves_of_real_footage_are_transitions_not_cuts(shared_media):
    clip = mediagen.xfade_clip()
    vf = features(clip.path)
    result = detect_shots(vf.hist, vf.diff, vf.luma, fps=vf.fps, decoded=vf.decoded,
                          blocks=vf.blocks)
    found = [(t.start, t.end, t.kind) for t in result.transitions]
    hits = 0
    for start, end, xfade in clip.transitions:
        best = max(found, key=lambda f: iou((start, end), f[:2]), default=None)
        if best and iou((start, end), best[:2]) >= 0.5:
            assert best[2] == mediagen.XFADE_KINDS[xfade], (start, end, xfade, best)
            hits += 1
    assert hits >= 0.9 * len(clip.transitions), (hits, found)
    unmatched = [f for f in found if max(iou(f[:2], t[:2]) for t in clip.transitions) == 0]
    assert unmatched == []
    # Not reported as cuts: no cut inside a transition; the footage's own cuts are found.
    inside = [c for c in result.cuts
              if any(a < c < b for a, b, _ in clip.transitions)]
    assert len(inside) <= 0.1 * len(clip.transitions), inside
    assert [c for c in result.cuts if c not in inside] == pytest.approx(list(clip.cuts),
                                                                         abs=1.5 / clip.fps)


def test_plan_never_cuts_inside_a_transition(speech_clip):
    a = analyze(speech_clip.path)
    plain = make_plan(a, EditOptions(look=EditOptions().look))
    tb = plain.timebase
    assert len(plain.segments) >= 2
    # A transition across every boundary between kept segments.
    edges = [s.end for s in plain.segments[:-1]] + [s.start for s in plain.segments[1:]]
    transitions = [Transition(float(e * tb) - 0.3, float(e * tb) + 0.2, "dissolve")
                   for e in edges]
    plan = make_plan(replace(a, transitions=transitions), EditOptions(look=EditOptions().look))
    spans = [(Fraction(t.start).limit_denominator(10**6),
              Fraction(t.end).limit_denominator(10**6)) for t in transitions]
    for seg in plan.segments:
        for tick in (seg.start, seg.end):
            assert not any(lo < tick * tb < hi for lo, hi in spans), (tick, spans)
    # Moved out to the transition's edge: nothing kept before is dropped.
    kept = {t for s in plan.segments for t in range(s.start, s.end)}
    assert all(t in kept for s in plain.segments for t in range(s.start, s.end))
    assert sum(s.end - s.start for s in plan.segments) <= sum(
        s.end - s.start for s in plain.segments) + len(edges) * 0.5 / tb
