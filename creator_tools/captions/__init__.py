"""Captions: speech to text with word times (faster-whisper, the ``captions`` extra), subtitle
files (SRT, WebVTT, JSON), filler-word spans, and burned-in short-form captions (ASS).

Importing this package is cheap: faster-whisper, numpy and Pillow are imported only when used.
"""

from creator_tools.captions.ass import (
    CAPTION_STYLES,
    FONT_NAME,
    CaptionLayout,
    CaptionStyle,
    ass_document,
    build_ass,
    escape_text,
    font_dir,
    group_words,
    layout_captions,
    safe_zone,
)
from creator_tools.captions.fillers import filler_spans, is_filler
from creator_tools.captions.model import (
    CaptionsUnavailable,
    ModelRef,
    captions_available,
    load_model,
    resolve_model,
)
from creator_tools.captions.transcribe import WhisperSettings, transcribe, transcribe_cached
from creator_tools.captions.transcript import Cue, Segment, Transcript, Word

__all__ = [
    "CAPTION_STYLES",
    "FONT_NAME",
    "CaptionLayout",
    "CaptionStyle",
    "CaptionsUnavailable",
    "Cue",
    "ModelRef",
    "Segment",
    "Transcript",
    "WhisperSettings",
    "Word",
    "ass_document",
    "build_ass",
    "captions_available",
    "escape_text",
    "filler_spans",
    "font_dir",
    "group_words",
    "is_filler",
    "layout_captions",
    "load_model",
    "resolve_model",
    "safe_zone",
    "transcribe",
    "transcribe_cached",
]
