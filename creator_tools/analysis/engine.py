"""One decode, every analysis: :func:`analyze` composes the detectors over a single pass."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from creator_tools.analysis.advice import AdviceLimits, collect_advice
from creator_tools.analysis.audio_features import AudioFeatureExtractor, AudioFeatures
from creator_tools.analysis.camera import CameraPath, camera_path, cumulative
from creator_tools.analysis.color import count_flashes, summarize_color
from creator_tools.analysis.hook import score_hook
from creator_tools.analysis.motion import MotionSettings, MotionSummary, summarize_motion
from creator_tools.analysis.result import (
    FORMAT_VERSION,
    Analysis,
    Levels,
    LoudnessReport,
    resample_curve,
)
from creator_tools.analysis.shots import (
    FrameFeatures,
    ShotResult,
    ShotSettings,
    detect_shots,
    shot_stats,
)
from creator_tools.analysis.spans import Span
from creator_tools.analysis.subject import subject_track
from creator_tools.analysis.video_features import VideoFeatureExtractor, VideoFeatures
from creator_tools.media.decode import AudioSpec, DecodePass, VideoSpec
from creator_tools.media.probe import MediaInfo, probe
from creator_tools.system import cpu_count

#: Values per second of the compact level curves stored in the result.
LEVEL_RATE = 10.0
#: ``progress(done_seconds, total_seconds)``
Progress = Callable[[float, float], None]


#: Bumped when a detector changes its results (2: motion subject track from moving blobs;
#: 3: the track holds still in shots without one moving subject; 4: it holds where most of
#: the shot's evidence is; 5: or at the centre when the motion is everywhere; 6: decode
#: errors that ffmpeg 9 logs with two contexts count as problems; 7: a true peak over 0 dBTP
#: is clipping; 8: the camera's motion path, subject boxes, faces at every subject sample,
#: profile faces, several faces framed together or the one talking; 9: a skimmed first pass
#: only finds where cuts may be, stretches decoded again in full decide them, so skimming
#: never changes the cut list; fades through black or white and dissolves of real footage are
#: transitions, not cuts; 10: faces looked for once a second while none has been seen for 2 s;
#: 11: and then in coarser size steps, the profile cascade every third time; 12: shake is
#: measured within each shot, never across a cut; 13: idle, the profile cascade looks one
#: way at a time; 14: a thing that made a strong move is held by its look before and after
#: it; 15: a shot held still has a box over all that moves in it).
ANALYZER_REVISION = 15


@dataclass(frozen=True)
class AnalysisSettings:
    """Every parameter that changes an analysis result (and so its cache key)."""

    width: int = 320
    audio_rate: int = 16000
    min_silence: float = 0.4
    face_hz: float = 3.0
    #: Decode only reference frames on the first pass of HD and larger sources (about half
    #: the work with B-frames). That pass only finds where a cut may be: those stretches are
    #: decoded again in full and decided there, so the cuts are those of a full decode.
    #: Smaller sources decode cheaply and are always decoded in full.
    skim: bool = True
    skim_min_pixels: int = 1280 * 720
    subject_rate: float = 5.0
    shots: ShotSettings = field(default_factory=ShotSettings)
    motion: MotionSettings = field(default_factory=MotionSettings)
    advice: AdviceLimits = field(default_factory=AdviceLimits)

    def key(self) -> str:
        """A stable digest of these settings, the analysis format version and the analyzer
        revision (so a fixed detector does not serve results cached before the fix)."""
        blob = json.dumps({"v": FORMAT_VERSION, "rev": ANALYZER_REVISION, **asdict(self)},
                          sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def analyze(
    path: str | Path,
    *,
    settings: AnalysisSettings = AnalysisSettings(),
    info: MediaInfo | None = None,
    progress: Progress | None = None,
    window: tuple[float, float] | None = None,
) -> Analysis:
    """Analyze a clip in one decode pass.

    Parameters
    ----------
    path
        A media file with video, audio or both.
    settings
        Analysis parameters.
    info
        The file's probe record, when already known.
    progress
        Called now and then with (seconds decoded, clip duration).
    window
        ``(start, duration)`` in seconds: analyze only that stretch, as a clip of its own.
        Times in the result count from ``start``; its ``media`` is the file's record with the
        stretch's duration. Memory then depends on the stretch, not on the file.

    Raises
    ------
    creator_tools.errors.InputError
        The file cannot be read as media.
    """
    info = info or probe(path)
    origin = 0.0
    if window is not None:
        origin = max(0.0, window[0])
        info = replace(info, duration=max(0.0, min(window[1], info.duration - origin)))
    audio_ex = AudioFeatureExtractor(sr=settings.audio_rate) if info.audio else None
    video_ex: VideoFeatureExtractor | None = None
    video = None
    if info.video is not None:
        big = info.video.width * info.video.height >= settings.skim_min_pixels
        video = VideoSpec(settings.width, "rgb24", skim=settings.skim and big)
    audio = AudioSpec(settings.audio_rate, 0.5, loudness=True) if info.audio else None
    with DecodePass(path, video=video, audio=audio, info=info,
                    on_audio=audio_ex.push if audio_ex else None,
                    window=None if window is None else (origin, info.duration)) as dp:
        if video is not None:
            video_ex = VideoFeatureExtractor(fps=dp.fps, face_hz=settings.face_hz)
            every = max(1, round(dp.fps))
            for frame in dp.frames():
                video_ex.push(frame.index, frame.t, frame.image)
                if progress and frame.index % every == 0:
                    progress(frame.t, info.duration)
        report = dp.wait()
    if progress:
        progress(info.duration, info.duration)
    vf = video_ex.finish() if video_ex else None
    af = audio_ex.finish() if audio_ex else None
    loud = report.loudness
    # A skimmed pass only finds where cuts may be; they are decided on stretches decoded again.
    skimmed = vf is not None and video is not None and video.skim
    refine = (lambda ranges: _full_rate(path, info, vf, ranges, settings, origin)
              ) if skimmed else None
    steady = (lambda shift, spans: _full_rate_shift(path, info, vf, shift, spans, settings,
                                                    origin)) if vf else None
    return _assemble(info, vf, af, loud, report.problems, settings, refine, steady)


#: Width (pixels) of the frames shaky stretches are measured again on.
STEADY_WIDTH = 480
#: Stretches decoded again in full (where a skimmed pass saw a possible cut) at once, at most.
MAX_REFINE_WORKERS = 4


def _full_rate(path: str | Path, info: MediaInfo, vf: VideoFeatures,
               ranges: list[tuple[int, int]], settings: AnalysisSettings,
               origin: float = 0.0) -> list[FrameFeatures | None]:
    """The per-frame features of each ``[start, stop)`` range of frames, decoded in full.

    A skimmed first pass only finds where a cut may be (see :mod:`~creator_tools.analysis.
    shots`); these stretches are decoded again without skipping, with the same frame size and
    features as a full first pass, so that the cut test decides on what it would have seen.
    """
    from creator_tools.errors import CreatorError
    from creator_tools.media.decode import iter_frames

    def decode(r: tuple[int, int]) -> FrameFeatures | None:
        a, b = r
        ex = VideoFeatureExtractor(fps=vf.fps, color_hz=1e-6, subject_hz=1e-6, face_hz=0)
        try:
            for f in iter_frames(path, width=settings.width, pix_fmt="rgb24", fps=vf.fps,
                                 info=info, start=origin + a / vf.fps, frames=b - a):
                ex.push(f.index, f.t, f.image)
        except CreatorError:
            return None
        return ex.finish()

    # Each stretch is a short ffmpeg run, mostly seeking and decoding up to it: run a few
    # side by side.
    workers = min(len(ranges), cpu_count(), MAX_REFINE_WORKERS)
    if workers <= 1:
        return [decode(r) for r in ranges]
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="refine-cut")
    try:
        return list(pool.map(decode, ranges))
    finally:
        # On an interrupt, windows not started yet are dropped rather than run.
        pool.shutdown(wait=True, cancel_futures=True)


def _full_rate_shift(path: str | Path, info: MediaInfo, vf: VideoFeatures, shift: np.ndarray,
                     spans: list[Span], settings: AnalysisSettings, origin: float = 0.0
                     ) -> np.ndarray:
    """``shift`` with the camera's motion measured again at every frame inside ``spans``.

    The first pass measures it on small frames (a pixel there is a dozen of a 1080p source's)
    and, when it skims, only between the frames it decoded, which cannot follow a hand's 2-9
    Hz shake. The shaky stretches are decoded again in full, grey, :data:`STEADY_WIDTH`
    pixels wide, so that the virtual camera can hold them still to a pixel or two.
    """
    from creator_tools.analysis.camera import frame_shifts
    from creator_tools.media.decode import iter_frames

    out = shift.copy()
    n = out.shape[0]
    for span in spans:
        a = max(0, int(np.floor(span.start * vf.fps)))
        b = min(n, int(np.ceil(span.end * vf.fps)) + 1)
        if b - a < 2:
            continue
        width = min(STEADY_WIDTH, info.video.display_width if info.video else STEADY_WIDTH)
        # Measured as the frames come: the phase correlation runs while ffmpeg decodes.
        steps = frame_shifts(f.image for f in iter_frames(
            path, width=max(2, width), pix_fmt="gray", fps=vf.fps, info=info,
            start=origin + a / vf.fps, frames=b - a))
        out[a + 1 : a + len(steps)] = steps[1:]
    return out


def _camera(vf: VideoFeatures, motion: MotionSummary, cut_frames: list[int], duration: float,
            steady: Callable[[np.ndarray, list[Span]], np.ndarray] | None) -> CameraPath:
    """The camera's path: every frame of the shots where the footage shakes (measured again,
    frame by frame), a few samples a second elsewhere. The whole shot: a skimmed first pass
    averages a 2-9 Hz shake over the frames it skipped and sees only part of it."""
    starts = [0, *cut_frames, vf.n_frames]
    dense: list[Span] = []
    for a, b in itertools.pairwise(starts):
        shot = Span(a / vf.fps, b / vf.fps)
        if any(s.start < shot.end and s.end > shot.start for s in motion.shaky):
            dense.append(shot)
    shift = motion.shift
    if steady is not None and dense:
        shift = steady(shift, dense)
    return camera_path(cumulative(shift, starts=cut_frames), fps=vf.fps, dense=dense)


def _assemble(info: MediaInfo, vf: VideoFeatures | None, af: AudioFeatures | None,
              loud: object, problems: list[str], s: AnalysisSettings,
              refine: Callable[[list[tuple[int, int]]], list[FrameFeatures | None]] | None = None,
              steady: Callable[[np.ndarray, list[Span]], np.ndarray] | None = None) -> Analysis:
    from creator_tools.analysis.rhythm import estimate_rhythm
    from creator_tools.analysis.speech import detect_speech

    duration = info.duration
    # -- video ------------------------------------------------------------------------------
    shots = ShotResult([], [], [], [])
    motion = color = None
    flashes = (0, 0.0)
    subject = subject_track([], duration=duration, shots=[])
    camera = CameraPath([], [], [], [])
    if vf is not None and vf.n_frames:
        shots = detect_shots(vf.hist, vf.diff, vf.luma, fps=vf.fps, decoded=vf.decoded,
                             blocks=vf.blocks, settings=s.shots, full_rate=refine)
        motion = summarize_motion(vf.diff, vf.shift, fps=vf.fps, cut_frames=shots.cut_frames,
                                  luma=vf.luma, decoded=vf.decoded, settings=s.motion)
        camera = _camera(vf, motion, shots.cut_frames, duration, steady)
        color = summarize_color(vf.color, shots.shots)
        flashes = count_flashes(vf.luma, fps=vf.fps)
    # -- audio ------------------------------------------------------------------------------
    speech: list[Span] = []
    silences: list[Span] = []
    dead_start = dead_end = 0.0
    tempo, beats = None, []
    loudness = None
    clipping_at = None
    has_speech = False
    if af is not None and af.n_frames:
        act = detect_speech(af, min_silence=s.min_silence)
        speech, silences = act.speech, act.silences
        has_speech = act.has_speech
        dead_start, dead_end = act.dead_air_start, act.dead_air_end
        rhythm = estimate_rhythm(af.onset, frame_rate=af.frame_rate)
        tempo, beats = rhythm.tempo_bpm, [float(b) for b in rhythm.beats]
        clipped = np.flatnonzero(af.peak >= 0.99)
        peak = getattr(loud, "true_peak_dbtp", None)
        if clipped.size > max(3, 0.001 * af.n_frames) and (peak is None or peak > -0.5):
            clipping_at = float(clipped[0] / af.frame_rate)
        elif peak is not None and peak > 0.0:  # over full scale: it clips wherever it plays
            clipping_at = float(np.argmax(af.peak) / af.frame_rate)
        loudness = LoudnessReport(
            integrated_lufs=getattr(loud, "integrated_lufs", None),
            true_peak_dbtp=peak,
            lra=getattr(loud, "lra", None),
            clipping=clipping_at is not None,
        )
    if vf is not None and vf.n_frames:  # who to frame: the speech says who is talking
        subject = subject_track(vf.subjects, duration=vf.duration, shots=shots.shots,
                                rate=s.subject_rate, speech=speech if has_speech else [])
    # -- judgement --------------------------------------------------------------------------
    energy = motion.energy if motion is not None else np.zeros(0)
    fps = vf.fps if vf is not None else 1.0
    hook = score_hook(
        first_speech_at=speech[0].start if has_speech and speech else None,
        first_cut_at=shots.cuts[0] if shots.cuts else None,
        motion_energy=energy,
        fps=fps,
        dead_air_start=dead_start if has_speech else 0.0,
        has_audio=info.audio is not None,
    )
    inner = [(g.start, g.end) for g in silences
             if g.start > 0.05 and g.end < duration - 0.05 and has_speech]
    v = info.video
    advice = collect_advice(
        duration=duration,
        has_video=v is not None,
        has_audio=info.audio is not None,
        landscape=v is not None and v.display_width > v.display_height,
        hdr=bool(v and v.hdr),
        vfr=bool(v and v.variable_fps),
        dead_air_start=dead_start if has_speech else None,
        pauses=inner,
        static=[(x.start, x.end) for x in motion.static] if motion else [],
        integrated_lufs=loudness.integrated_lufs if loudness else None,
        clipping_at=clipping_at,
        low_light=bool(color and color.low_light),
        overexposed=bool(color and color.overexposed),
        shaky_at=motion.shaky[0].start if motion and motion.shaky else None,
        flashes=flashes,
        decode_problems=len(problems),
        limits=s.advice,
    )
    return Analysis(
        media=info,
        shots=shots.shots,
        cuts=shots.cuts,
        transitions=shots.transitions,
        speech=speech,
        silences=silences,
        dead_air_end=dead_end,
        loudness=loudness,
        tempo_bpm=tempo,
        beats=beats,
        motion=motion,
        color=color,
        subject=subject,
        camera=camera,
        hook=hook,
        advice=advice,
        stats=shot_stats(shots.shots, duration),
        levels=Levels(
            rate=LEVEL_RATE,
            audio_db=resample_curve(np.maximum(af.rms_db, -90.0), af.frame_rate, LEVEL_RATE,
                                    how="max") if af is not None else [],
            motion=resample_curve(energy, fps, LEVEL_RATE) if energy.size else [],
        ),
        problems=problems,
    )


def analyze_cached(
    path: str | Path,
    *,
    settings: AnalysisSettings = AnalysisSettings(),
    progress: Progress | None = None,
    use_cache: bool = True,
) -> tuple[Analysis, bool]:
    """:func:`analyze` through the per-user cache; returns (analysis, came_from_cache)."""
    from creator_tools import cache

    info = probe(path)
    key = cache.input_key(path, "analysis", settings.key())
    if use_cache:
        data = cache.load("analysis", key)
        if data is not None and data.get("version") == FORMAT_VERSION:
            try:
                result = Analysis.from_dict(data)
            except (KeyError, TypeError, ValueError):
                result = None
            if result is not None:
                result.media = info  # the path as given this time
                return result, True
    result = analyze(path, settings=settings, info=info, progress=progress)
    record = result.to_dict()
    if use_cache:
        cache.store("analysis", key, record)
    # Hand back exactly what the cache will give next time, so a fresh and a cached run of a
    # later step (suggest, plan) see the same numbers.
    fresh = Analysis.from_dict(record)
    fresh.media = info
    return fresh, False
