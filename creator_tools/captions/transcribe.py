"""Speech to text with word times: :func:`transcribe` and its cached form.

The audio is decoded by our own ffmpeg pipe (:func:`creator_tools.media.decode.read_audio`,
16 kHz mono float32, the first audio stream of a video or audio file) and handed to
faster-whisper as an array. faster-whisper is imported only when a model is loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from creator_tools.captions.model import ModelRef, load_model
from creator_tools.captions.transcript import FORMAT_VERSION, Segment, Transcript, Word
from creator_tools.errors import MediaError, OptionError, UsageError

if TYPE_CHECKING:
    import numpy as np

    from creator_tools.media.probe import MediaInfo

#: Whisper's input rate.
SAMPLE_RATE = 16000
#: ``progress(seconds_done, total_seconds)``
Progress = Callable[[float, float], None]


@dataclass(frozen=True, slots=True)
class WhisperSettings:
    """faster-whisper decoding settings (part of the cache key).

    The defaults were chosen on ``pyannote_sample.wav`` (a 30 s phone call, speech from
    6.68 s) and a 60 s loop of it, with the bundled ``tiny.en`` (int8) on 2 cores; WER over
    lower-cased words without punctuation (``benchmarks/bench_captions.py``):

    * ``vad_filter`` on: Silero VAD (ONNX, shipped with faster-whisper) drops the silences
      before decoding. Without it the 30 s sample's first word lands 0.66 s late (a
      "hello" invented in the dead air) and WER is 0.17 instead of 0.12, and the 60 s loop
      takes about twice the CPU time (4.4x real time in CPU seconds instead of 8x).
    * ``vad_speech_pad_ms`` 400 (faster-whisper's default): 200 ms puts the first word
      0.1-0.2 s closer but cuts words at chunk edges (WER 0.15-0.16 instead of 0.12-0.13).
    * ``beam_size`` 5: greedy decoding (1) saves a fifth to a third of the CPU time but makes
      more mistakes (WER 0.16-0.17 instead of 0.12-0.13); 2 was as accurate on this sample
      and 10-20 % cheaper: the choice if speed matters more than robustness.
    * ``condition_on_previous_text`` off: on, two runs of the grid went wrong on the 60 s
      loop (a repetition loop at WER 0.47; temperature fallbacks taking 3.6x the CPU time);
      off, none did, and it was no worse anywhere else.
    * Temperature fallback only where it can help: a window is first decoded at temperature
      0; one that fails Whisper's checks (``compression_ratio_threshold``,
      ``log_prob_threshold``) is decoded again at ``fallback_temperatures``, as Whisper
      does, *unless* the model also judged it not speech (``no_speech_threshold``): a
      confident repetition loop over non-speech ("we are here, we are here...") is a
      hallucination, and dropped at once. Whisper would try five more temperatures on it
      (best of 5 each) before dropping it: on the 60 s benchmark clip's synthetic babble
      that took 33 CPU-s instead of 14 for the same empty result. Real speech is unchanged
      (no window there fails the checks).
    * ``chunk_seconds`` 300: a longer file is transcribed in chunks of about 5 minutes, read
      from one streaming decode, each ending at a pause between two segments (the last
      :data:`CHUNK_MARGIN` seconds of a chunk are decoded again as the start of the next), so
      memory stays flat whatever the length: faster-whisper computes its features of the
      whole array at once. A file up to this long is decoded in one piece, as before. On a
      10 minute talk (2 cores): peak RSS 912 MB in one piece of 600 s, 662 MB in chunks of
      300 s, 428 MB of 120 s; 27.4, 28.6 and 32.9 s (a margin is decoded twice).
    """

    beam_size: int = 5
    vad_filter: bool = True
    vad_min_silence_ms: int = 2000
    vad_speech_pad_ms: int = 400
    condition_on_previous_text: bool = False
    fallback_temperatures: tuple[float, ...] = (0.2, 0.4, 0.6, 0.8, 1.0)
    no_speech_threshold: float = 0.6
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0
    chunk_seconds: float = 300.0

    def key(self) -> str:
        """A digest of these settings and the transcript format version."""
        blob = json.dumps({"v": FORMAT_VERSION, **asdict(self)}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def transcribe(
    path: str | os.PathLike[str],
    *,
    model: str | os.PathLike[str] | None = None,
    language: str | None = "en",
    settings: WhisperSettings = WhisperSettings(),
    progress: Progress | None = None,
    info: MediaInfo | None = None,
) -> Transcript:
    """Transcribe the first audio stream of a video or audio file, with word times.

    Parameters
    ----------
    path
        A media file with an audio stream.
    model
        See :func:`creator_tools.captions.model.resolve_model` (``None``: the bundled
        ``tiny.en``).
    language
        Two-letter code of the spoken language; ``None`` detects it (multilingual models).
    settings
        Decoding settings.
    progress
        Called now and then with (seconds transcribed, clip duration).
    info
        The file's probe record, when already known.

    Raises
    ------
    creator_tools.captions.model.CaptionsUnavailable
        faster-whisper or the model is missing (exit 2).
    creator_tools.errors.UsageError
        An English-only model with another language (exit 2).
    creator_tools.errors.InputError
        The file cannot be read as media or has no audio stream (exit 3).
    """
    info = _probe_audio(path, info)
    wm, ref = load_model(model)
    lang = _check_language(language, wm, ref)
    from creator_tools.media.decode import iter_audio_blocks

    blocks = iter_audio_blocks(path, sample_rate=SAMPLE_RATE, block_seconds=4.0, info=info)
    out, detected, duration = decode_chunks(wm, blocks, language=lang, settings=settings,
                                            progress=progress, total=info.duration)
    if progress:
        progress(duration, duration)
    return Transcript(detected or lang or "en", duration, tuple(out), ref.name)


#: Seconds at the end of a chunk whose segments are left to the next chunk (see
#: :class:`WhisperSettings`): a segment cut off by the chunk's end is decoded again whole.
CHUNK_MARGIN = 20.0


def decode_chunks(wm: Any, blocks: Iterator[np.ndarray], *, language: str | None,
                  settings: WhisperSettings = WhisperSettings(),
                  progress: Progress | None = None, total: float = 0.0
                  ) -> tuple[list[Segment], str | None, float]:
    """Segments of a stream of 16 kHz mono ``blocks`` (file times), decoded chunk by chunk
    (``settings.chunk_seconds``); the language detected; the audio's length in seconds."""
    import numpy as np

    chunk = max(SAMPLE_RATE, int(settings.chunk_seconds * SAMPLE_RATE))
    pending: list[np.ndarray] = []
    have = start = 0  # samples buffered; the file sample where the buffer starts
    eof = False
    out: list[Segment] = []
    detected: str | None = None
    while True:
        while not eof and have < chunk:
            block = next(blocks, None)
            if block is None:
                eof = True
            else:
                pending.append(block)
                have += block.size
        audio = np.concatenate(pending) if pending else np.zeros(0, np.float32)
        piece = audio if eof else audio[:chunk]
        t0 = start / SAMPLE_RATE
        segs: list[Segment] = []
        if piece.size >= SAMPLE_RATE // 10:  # less is nothing Whisper could hear
            tick = None if progress is None else (
                lambda done, _n, t0=t0: progress(t0 + done, max(total, t0 + done)))
            found, lang = decode_segments(wm, piece, language=language, settings=settings,
                                          progress=tick)
            detected = detected or lang
            language = language or lang  # one language for the whole file
            segs = [_shifted(seg, t0) for seg in found]
        if eof:
            return out + segs, detected, (start + audio.size) / SAMPLE_RATE
        limit = t0 + piece.size / SAMPLE_RATE - CHUNK_MARGIN
        keep = [seg for seg in segs if seg.end <= limit]
        cut = keep[-1].end if keep else t0
        later = segs[len(keep):]
        if later and later[0].start > cut:  # the middle of the pause before the next one
            cut = (cut + later[0].start) / 2
        if cut <= t0 + 1.0:  # no pause found: move on by the chunk, less the margin
            cut = limit
        out += keep
        drop = min(audio.size, max(1, round((cut - t0) * SAMPLE_RATE)))
        pending, have, start = [audio[drop:]], audio.size - drop, start + drop


def _shifted(seg: Segment, offset: float) -> Segment:
    """``seg`` and its words ``offset`` seconds later."""
    if not offset:
        return seg
    words = tuple(Word(round(w.start + offset, 3), round(w.end + offset, 3), w.text,
                       w.probability) for w in seg.words)
    return Segment(round(seg.start + offset, 3), round(seg.end + offset, 3), seg.text, words)


def decode_segments(wm: Any, audio: Any, *, language: str | None,
                    settings: WhisperSettings = WhisperSettings(),
                    progress: Progress | None = None) -> tuple[list[Segment], str | None]:
    """Segments of 16 kHz mono ``audio`` from a loaded faster-whisper model ``wm``, at clip
    times, with the fallback rule of :class:`WhisperSettings`; and the language detected."""
    duration = audio.size / SAMPLE_RATE
    segments, fw_info = _decode(wm, audio, language, settings, (0.0,))
    out: list[Segment] = []
    for window in _windows(segments):  # a generator: decoding happens as it is consumed
        first = window[0]
        failed = (first.compression_ratio > settings.compression_ratio_threshold
                  or first.avg_logprob < settings.log_prob_threshold)
        if failed and first.no_speech_prob > settings.no_speech_threshold:
            pass  # a hallucination over non-speech: drop it
        elif failed and settings.fallback_temperatures:
            out += _retry(wm, audio, language, settings, window)
        else:
            out += [_segment(seg) for seg in window]
        if progress:
            progress(min(float(window[-1].end), duration), duration)
    return out, (str(fw_info.language) if fw_info.language else None)


def _decode(wm: Any, audio: Any, lang: str | None, settings: WhisperSettings,
            temperatures: tuple[float, ...]) -> tuple[Any, Any]:
    return wm.transcribe(
        audio,
        language=lang,
        beam_size=settings.beam_size,
        temperature=list(temperatures),
        word_timestamps=True,
        vad_filter=settings.vad_filter,
        vad_parameters={"min_silence_duration_ms": settings.vad_min_silence_ms,
                        "speech_pad_ms": settings.vad_speech_pad_ms},
        condition_on_previous_text=settings.condition_on_previous_text,
        no_speech_threshold=settings.no_speech_threshold,
        compression_ratio_threshold=settings.compression_ratio_threshold,
        log_prob_threshold=settings.log_prob_threshold,
    )


def _windows(segments: Any) -> Any:
    """faster-whisper's segments grouped by the 30 s window they were decoded in."""
    window: list[Any] = []
    for seg in segments:
        if window and seg.seek != window[0].seek:
            yield window
            window = []
        window.append(seg)
    if window:
        yield window


def _retry(wm: Any, audio: Any, lang: str | None, settings: WhisperSettings,
           window: list[Any]) -> list[Segment]:
    """The span of ``window`` decoded again with temperature fallback, at clip times."""
    pad = 0.2
    a = max(0.0, float(window[0].start) - pad)
    b = min(audio.size / SAMPLE_RATE, float(window[-1].end) + pad)
    part = audio[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)]
    segments, _ = _decode(wm, part, lang, settings, settings.fallback_temperatures)
    return [_segment(seg, offset=a) for seg in segments]


def transcribe_cached(
    path: str | os.PathLike[str],
    *,
    model: str | os.PathLike[str] | None = None,
    language: str | None = "en",
    settings: WhisperSettings = WhisperSettings(),
    progress: Progress | None = None,
    use_cache: bool = True,
) -> tuple[Transcript, bool]:
    """:func:`transcribe` through the per-user cache; returns (transcript, came_from_cache).

    The key is the input (path, size, mtime), the model (its file), the language and the
    settings.
    """
    from creator_tools import cache
    from creator_tools.captions.model import resolve_model

    info = _probe_audio(path)
    ref = resolve_model(model)
    key = cache.input_key(path, "transcript", _params(ref, language, settings))
    if use_cache:
        data = cache.load("transcript", key)
        if data is not None and data.get("version") == FORMAT_VERSION:
            try:
                return Transcript.from_dict(data), True
            except (KeyError, TypeError, ValueError):
                pass
    result = transcribe(path, model=model, language=language, settings=settings,
                        progress=progress, info=info)
    record = result.to_dict()
    if use_cache:
        cache.store("transcript", key, record)
    return Transcript.from_dict(record), False  # exactly what the cache gives next time


def _probe_audio(path: str | os.PathLike[str], info: MediaInfo | None = None) -> MediaInfo:
    from creator_tools.media.probe import probe

    info = info or probe(path)
    if info.audio is None:
        raise MediaError("no audio stream: nothing to transcribe", path=path)
    return info


def _params(ref: ModelRef, language: str | None, settings: WhisperSettings) -> str:
    return json.dumps({"model": ref.key, "language": language, "settings": settings.key()})


def _check_language(language: str | None, wm: Any, ref: ModelRef) -> str | None:
    lang = (language or "").strip().lower() or None
    if lang == "auto":
        lang = None
    if lang is not None and lang not in wm.supported_languages:
        if not wm.model.is_multilingual:
            raise OptionError(f"model {ref.name} understands English only; pass {{model}} with "
                              f"a multilingual model (e.g. small) for language {lang!r}",
                              options="model")
        raise UsageError(f"language {lang!r} is not one the model knows")
    return lang


def _segment(seg: Any, offset: float = 0.0) -> Segment:
    words = []
    for w in seg.words or ():
        text = w.word.strip()
        if text:
            words.append(Word(round(float(w.start) + offset, 3), round(float(w.end) + offset, 3),
                              text, round(float(w.probability), 3)))
    return Segment(round(float(seg.start) + offset, 3), round(float(seg.end) + offset, 3),
                   seg.text.strip(), tuple(words))
