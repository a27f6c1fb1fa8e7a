"""The sound of an edit: the mix (cuts, voice clean-up, ducked music) and its mastering.

The sound is made in two short ffmpeg passes that run beside the picture's encode:

1. **mix**: the source audio cut by the plan's segments, the voice cleaned up and brought to
   the target loudness (from the analysis's measurement), the music bed looped, faded and
   ducked under it. ``ebur128`` measures the mix (integrated loudness, true peak) while it is
   written to a float WAV.
2. **master**: one linear gain that puts the measured mix on the target, and a lookahead
   limiter only where that gain would lift the true peak over the ceiling; then AAC.

A linear gain from a measurement of the finished mix is exact (the voice compressor and the
music move the loudness in ways no prediction from the source gets within a fraction of a LU)
and leaves the dynamics alone, where a one-pass ``loudnorm`` rides the level like an AGC and
costs more than the rest of the audio together (it works at 192 kHz).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from creator_tools.edit.filtergraph import cut_and_join
from creator_tools.edit.plan import EditPlan
from creator_tools.errors import InputError
from creator_tools.media.ffmpeg import input_path_arg
from creator_tools.media.loudness import SILENCE_LUFS, Loudness
from creator_tools.media.probe import AudioInfo, MediaInfo

#: Sample rate of the mix, Hz.
MIX_RATE = 48000
#: The label of the mix graph's output.
MIX_OUT = "mix"
#: How far below the plan's true-peak limit the master aims (dB): AAC encoding adds overshoot.
TRUE_PEAK_MARGIN_DB = 0.5
#: The limiter's ceiling is on sample peaks: this much lower again leaves room for the peaks
#: between samples (dB).
INTER_SAMPLE_MARGIN_DB = 0.5
#: A limited master within this of the target loudness (LU) is kept; further, it is redone
#: with a corrected gain.
LOUDNESS_TOLERANCE_LU = 0.4
#: Largest gain the master applies, either way (dB).
MAX_GAIN_DB = 30.0
#: The sample format and layout of the mix and the master.
STEREO_FLOAT = "aformat=sample_fmts=fltp:channel_layouts=stereo"


@dataclass(frozen=True, slots=True)
class MixPass:
    """What pass 1 reads (ffmpeg input arguments) and the graph that ends in ``[mix]``."""

    inputs: list[str]
    graph: str


def mix_pass(plan: EditPlan, info: MediaInfo) -> MixPass | None:
    """The mix of ``plan``'s sound; ``None`` when it has none (no source audio, no music).

    Raises
    ------
    InputError
        The plan's music file does not exist.
    """
    src = plan.source("main")
    has_audio = src.has_audio and info.audio is not None
    music = plan.audio.music
    if music is not None and not Path(music.file).is_file():
        raise InputError("music file not found", path=music.file)
    if not has_audio and music is None:
        return None
    inputs: list[str] = []
    chains: list[str] = []
    label = None
    total = plan.duration
    if has_audio:
        inputs += ["-i", input_path_arg(src.path)]
        chains += _speech(plan, info.audio)
        label = "speech"
    if music is not None:
        idx = 1 if has_audio else 0
        inputs += ["-stream_loop", "-1", "-i", input_path_arg(music.file)]
        fade_out_start = max(0.0, total - music.fade_out)
        chains.append(
            f"[{idx}:a:0]aresample={MIX_RATE},{STEREO_FLOAT},"
            f"atrim=start={music.offset:.3f}:duration={total:.6f},asetpts=PTS-STARTPTS,"
            f"volume={music.gain_db:.2f}dB,afade=t=in:d={music.fade_in:.3f},"
            f"afade=t=out:st={fade_out_start:.3f}:d={music.fade_out:.3f}[music]")
        if label is not None:
            if music.duck:
                ratio = max(2.0, min(20.0, music.duck_db / 1.5))
                # Both inputs padded without end, the result trimmed: sidechaincompress ends
                # at the first EOF it sees and drops the samples it has not paired yet, so
                # when the decoder threads delivered the last frames decided how much of the
                # bed's end survived (up to 70 ms; the render was not reproducible).
                chains.append("[speech]asplit=2[sp][sc]")
                chains.append("[music]apad[mp]")
                chains.append("[sc]apad[scp]")
                chains.append(f"[mp][scp]sidechaincompress=threshold=0.015:ratio={ratio:.1f}:"
                              f"attack=20:release=400:knee=4,atrim=end={total:.6f}[ducked]")
                chains.append("[sp][ducked]amix=inputs=2:duration=first:normalize=0[mixed]")
            else:
                chains.append("[speech][music]amix=inputs=2:duration=first:normalize=0[mixed]")
            label = "mixed"
        else:
            label = "music"
    chains.append(f"[{label}]apad=whole_dur={total:.6f},ebur128=peak=true:framelog=quiet,"
                  f"{STEREO_FLOAT}[{MIX_OUT}]")
    return MixPass(inputs, ";\n".join(chains))


def _speech(plan: EditPlan, audio: AudioInfo) -> list[str]:
    """Input 0's audio cut by the segments, cleaned up and levelled: ``[speech]``.

    The clean-up runs at the source's own rate and channel count where they are lower than
    the mix's (a phone's 16 kHz mono costs a sixth of 48 kHz stereo); the result is then
    brought to the mix's rate and layout."""
    # The source's sound on the picture's timeline: silence where the stream starts late, has
    # a gap (over 0.1 s) or ends early, so that every segment lasts as long as its picture
    # and no cut's sound slides onto another's.
    end = plan.seconds(max(seg.end for seg in plan.segments))
    pieces = []
    for seg in plan.segments:
        a, b = plan.seconds(seg.start), plan.seconds(seg.end)
        d = b - a
        fade = min(0.01, d / 4)
        pieces.append(f"atrim=start={a:.6f}:end={b:.6f},asetpts=PTS-STARTPTS,"
                      f"afade=t=in:d={fade:.4f},afade=t=out:st={d - fade:.6f}:d={fade:.4f}")
    rate = min(audio.sample_rate, MIX_RATE) if audio.sample_rate > 0 else MIX_RATE
    layout = "mono" if audio.channels == 1 else "stereo"
    own = rate != MIX_RATE or layout != "stereo"
    chains = cut_and_join(f"[0:a:0]aresample={rate}:async=1:first_pts=0,"
                          f"aformat=sample_fmts=fltp:channel_layouts={layout},"
                          f"apad=whole_dur={end:.6f}", pieces, audio=True, out="acat")
    steps = []
    if plan.enhance.voice_cleanup:
        steps += ["highpass=f=80", "afftdn=nr=10:nf=-50:tn=1",
                  "acompressor=threshold=-20dB:ratio=2.5:attack=10:release=200"]
    measured = plan.audio.measured_lufs
    # Speech is levelled before the music goes under it, so that the music's gain in the plan
    # is relative to speech at the target. Silence (at the gate) gets no gain.
    if measured is not None and measured > SILENCE_LUFS:
        gain = max(-20.0, min(24.0, plan.audio.target_lufs - measured))
        steps.append(f"volume={gain:.2f}dB")
    if own:
        steps += [f"aresample={MIX_RATE}", STEREO_FLOAT]
    chains.append("[acat]" + (",".join(steps) if steps else "anull") + "[speech]")
    return chains


@dataclass(frozen=True, slots=True)
class Master:
    """The master's linear gain (dB) and the limiter's sample-peak ceiling (dBFS, or none)."""

    gain_db: float = 0.0
    limit_db: float | None = None

    def filters(self, *, measure: bool) -> str:
        """The ``-af`` chain; with ``measure`` it ends in an ``ebur128`` that logs the result."""
        steps = [f"volume={self.gain_db:.3f}dB"]
        if self.limit_db is not None:
            steps.append(f"alimiter=limit={10 ** (self.limit_db / 20):.6f}:attack=5:release=50:"
                         "level=false:latency=true")
        if measure:
            steps.append("ebur128=peak=true:framelog=quiet")
        steps.append(STEREO_FLOAT)
        return ",".join(steps)


def _bounded_gain(db: float) -> float:
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, db))


def ceiling_dbtp(plan: EditPlan) -> float:
    """The true peak the master aims at or under, dBTP."""
    return plan.audio.true_peak_db - TRUE_PEAK_MARGIN_DB


def plan_master(plan: EditPlan, mix: Loudness) -> Master:
    """The gain and limiter that bring a mix measured as ``mix`` to the plan's target.

    Silence (or a mix too short for the loudness gate, under 0.4 s) gets no gain; anything
    whose true peak would end over the ceiling gets the limiter.
    """
    i, tp = mix.integrated_lufs, mix.true_peak_dbtp
    gain = 0.0
    if i is not None and i > SILENCE_LUFS:
        gain = _bounded_gain(plan.audio.target_lufs - i)
    ceiling = ceiling_dbtp(plan)
    limit = None
    if tp is not None and tp + gain > ceiling:
        limit = ceiling - INTER_SAMPLE_MARGIN_DB
    return Master(gain, limit)


def master_miss(plan: EditPlan, result: Loudness) -> tuple[bool, float]:
    """How far a master measured as ``result`` is from the plan (smaller is better): whether
    its true peak is over the ceiling, then its distance from the target loudness (LU)."""
    i, tp = result.integrated_lufs, result.true_peak_dbtp
    over = tp is not None and tp > ceiling_dbtp(plan)
    off = abs(i - plan.audio.target_lufs) if i is not None and i > SILENCE_LUFS else 0.0
    return over, off


def correct_master(plan: EditPlan, master: Master, result: Loudness,
                   previous: tuple[Master, Loudness] | None = None) -> Master | None:
    """A better master when the limited one measured ``result`` missed; ``None``: keep it.

    Limiting lowers the loudness (more gain makes up for it: by the slope that ``previous``,
    the pass before, shows, since with the limiter each dB of gain adds less than a LU), and
    peaks between samples can pass a sample-peak limiter (a lower ceiling catches them).
    """
    if master.limit_db is None:
        return None  # a linear gain lands exactly where it was computed to
    gain, limit = master.gain_db, master.limit_db
    i, tp = result.integrated_lufs, result.true_peak_dbtp
    target = plan.audio.target_lufs
    if i is not None and i > SILENCE_LUFS and abs(i - target) > LOUDNESS_TOLERANCE_LU:
        slope = 1.0
        if previous is not None:
            (before, was) = previous
            # Only a change of gain alone tells the slope (a new ceiling moves loudness too).
            if (was.integrated_lufs is not None and before.gain_db != gain
                    and before.limit_db == limit):
                slope = (i - was.integrated_lufs) / (gain - before.gain_db)
                slope = max(0.2, min(1.0, slope))
        gain = _bounded_gain(gain + (target - i) / slope)
    ceiling = ceiling_dbtp(plan)
    if tp is not None and tp > ceiling:
        limit = max(-24.0, limit - (tp - ceiling) - 0.1)
    if (gain, limit) == (master.gain_db, master.limit_db):
        return None
    return Master(gain, limit)
