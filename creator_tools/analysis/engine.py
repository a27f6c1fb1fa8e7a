"""One decode, every analysis: :func:`analyze` composes the detectors over a single pass."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from creator_tools.analysis.advice import AdviceLimits, collect_advice
from creator_tools.analysis.audio_features import AudioFeatureExtractor, AudioFeatures
from creator_tools.analysis.color import count_flashes, summarize_color
from creator_tools.analysis.hook import score_hook
from creator_tools.analysis.motion import MotionSettings, summarize_motion
from creator_tools.analysis.result import (
    FORMAT_VERSION,
    Analysis,
    Levels,
    LoudnessReport,
    resample_curve,
)
from creator_tools.analysis.shots import (
    ShotResult,
    ShotSettings,
    detect_shots,
    shot_stats,
    with_cuts,
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
#: is clipping).
ANALYZER_REVISION = 7


@dataclass(frozen=True)
class AnalysisSettings:
    """Every parameter that changes an analysis result (and so its cache key)."""

    width: int = 320
    audio_rate: int = 16000
    min_silence: float = 0.4
    face_hz: float = 0.5
    #: Decode only reference frames on the first pass of HD and larger sources (about half
    #: the work with B-frames); cuts that land in a gap of skipped frames are then refined
    #: frame by frame. Smaller sources decode cheaply and are always decoded in full.
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

    Raises
    ------
    creator_tools.errors.InputError
        The file cannot be read as media.
    """
    info = info or probe(path)
    audio_ex = AudioFeatureExtractor(sr=settings.audio_rate) if info.audio else None
    video_ex: VideoFeatureExtractor | None = None
    video = None
    if info.video is not None:
        big = info.video.width * info.video.height >= settings.skim_min_pixels
        video = VideoSpec(settings.width, "rgb24", skim=settings.skim and big)
    audio = AudioSpec(settings.audio_rate, 0.5, loudness=True) if info.audio else None
    with DecodePass(path, video=video, audio=audio, info=info,
                    on_audio=audio_ex.push if audio_ex else None) as dp:
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
    refine = (lambda cuts: _refine_cuts(path, info, vf, cuts, settings)) if vf else None
    return _assemble(info, vf, af, loud, report.problems, settings, refine)


#: Cut-refining windows decoded at once, at most.
MAX_REFINE_WORKERS = 4


def _refine_cuts(path: str | Path, info: MediaInfo, vf: VideoFeatures, cuts: list[int],
                 settings: AnalysisSettings) -> list[int]:
    """Place each cut on its exact frame when skimming left a gap of undecoded frames before it.

    The first pass sees the change at the first decoded frame of the new shot; the true first
    frame may be one of the skipped frames just before. Decode that short window in full and
    take the frame where the picture changes most.
    """
    from creator_tools.analysis.shots import hist_distance
    from creator_tools.analysis.video_features import frame_histogram, thumbnail
    from creator_tools.media.decode import iter_frames

    decoded = np.flatnonzero(vf.decoded)

    def refine(c: int) -> int:
        k = int(np.searchsorted(decoded, c))
        prev = int(decoded[k - 1]) if k > 0 else c - 1
        if c - prev <= 1:
            return c
        frames = list(iter_frames(path, width=settings.width, pix_fmt="rgb24", fps=vf.fps,
                                  info=info, start=prev / vf.fps, frames=c - prev + 1))
        if len(frames) < 2:
            return c
        hists = np.array([frame_histogram(thumbnail(f.image)) for f in frames])
        jumps = hist_distance(hists[1:], hists[:-1])
        # The first big change: after a cut into busy content more big changes follow.
        return prev + 1 + int(np.flatnonzero(jumps >= 0.5 * jumps.max())[0])

    # Each window is a short ffmpeg run, mostly starting up and seeking: run a few side by side.
    workers = min(len(cuts), cpu_count(), MAX_REFINE_WORKERS)
    if workers <= 1:
        return [refine(c) for c in cuts]
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="refine-cut")
    try:
        return list(pool.map(refine, cuts))
    finally:
        # On an interrupt, windows not started yet are dropped rather than run.
        pool.shutdown(wait=True, cancel_futures=True)


def _assemble(info: MediaInfo, vf: VideoFeatures | None, af: AudioFeatures | None,
              loud: object, problems: list[str], s: AnalysisSettings,
              refine: Callable[[list[int]], list[int]] | None = None) -> Analysis:
    from creator_tools.analysis.rhythm import estimate_rhythm
    from creator_tools.analysis.speech import detect_speech

    duration = info.duration
    # -- video ------------------------------------------------------------------------------
    shots = ShotResult([], [], [], [])
    motion = color = None
    flashes = (0, 0.0)
    subject = subject_track([], duration=duration, shots=[])
    if vf is not None and vf.n_frames:
        shots = detect_shots(vf.hist, vf.diff, vf.luma, fps=vf.fps, decoded=vf.decoded,
                             blocks=vf.blocks, settings=s.shots)
        if refine is not None and shots.cut_frames:
            exact = refine(shots.cut_frames)
            if exact != shots.cut_frames:
                shots = with_cuts(shots, exact, fps=vf.fps, n=vf.n_frames)
        motion = summarize_motion(vf.diff, vf.shift, fps=vf.fps, cut_frames=shots.cut_frames,
                                  luma=vf.luma, decoded=vf.decoded, settings=s.motion)
        color = summarize_color(vf.color, shots.shots)
        flashes = count_flashes(vf.luma, fps=vf.fps)
        subject = subject_track(vf.subjects, duration=vf.duration, shots=shots.shots,
                                rate=s.subject_rate)
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
