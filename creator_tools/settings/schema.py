"""Every setting a creator can choose, once: name, type, default, choices, range and help.

The config files' ``[profile]``, ``[edit]`` and ``[preset.NAME]`` tables
(:mod:`creator_tools.settings.layers`), the built-in presets, the options of ``creator edit``,
``plan`` and ``batch``, ``creator config show`` and :class:`EditChoices` are all derived from
:data:`PROFILE_OPTIONS` and :data:`EDIT_OPTIONS`. No numpy here: ``--help`` and ``creator
config`` stay fast.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from creator_tools.errors import OptionError
from creator_tools.settings.platforms import ASPECTS, PLATFORMS

NICHES = ("food", "fitness", "beauty", "fashion", "comedy", "education", "travel", "gaming",
          "pets", "tech", "finance", "diy", "music", "dance", "sports", "parenting",
          "lifestyle", "vlog")
CUT_MODES = ("silence", "fillers", "none")
REFRAME_CHOICES = ("auto", "crop", "fill", "letterbox", "none")
CAPTION_STYLES = ("bold", "boxed", "minimal")

_KINDS = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
          dict: "a table", list: "an array"}


def kind_name(value: object) -> str:
    """The TOML name of a value's type, for messages (``an integer``, ``a table``...)."""
    return _KINDS.get(type(value), type(value).__name__)


@dataclass(frozen=True, slots=True)
class Option:
    """One setting.

    ``type`` is ``str``, ``float`` or ``bool``; ``default`` may be ``None`` ("not set") when
    ``optional``. ``choices`` close a string's values (matched after ``normalize``); ``low`` and
    ``high`` bound a number; ``path``: a value may name a file, relative to the config file
    that sets it. ``help`` is one sentence without the default, which front ends add.
    ``check`` validates a string further (raise :class:`ValueError` with the reason).
    """

    name: str
    type: type
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    optional: bool = False
    path: bool = False
    normalize: Callable[[str], str] | None = None
    check: Callable[[str], None] | None = None

    @property
    def annotation(self) -> object:
        """The Python type of the value (``str | None`` when optional)."""
        return self.type | None if self.optional else self.type

    def default_text(self) -> str:
        """The default as a person reads it: ``on``/``off``, ``none``, the value."""
        if isinstance(self.default, bool):
            return "on" if self.default else "off"
        return "none" if self.default in (None, "") else str(self.default)

    def validate(self, value: object) -> object:
        """``value`` checked and normalised, or :class:`OptionError` naming this option.

        The reason reads after the option's name: ``{cut} must be one of ...``.
        """
        name = "{" + self.name + "}"
        if value is None and self.optional:
            return None
        if self.type is bool:
            if not isinstance(value, bool):
                raise OptionError(f"{name} must be true or false, not {kind_name(value)}",
                                  options=self.name)
            return value
        if self.type is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise OptionError(f"{name} must be a number, not {kind_name(value)}",
                                  options=self.name)
            lo, hi = self.low, self.high
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                bounds = (f"at least {lo}" if hi is None else f"at most {hi}" if lo is None
                          else f"between {lo} and {hi}")
                raise OptionError(f"{name} must be {bounds}, not {value}", options=self.name)
            return float(value)
        if not isinstance(value, str):
            raise OptionError(f"{name} must be a string, not {kind_name(value)}",
                              options=self.name)
        text = self.normalize(value.strip()) if self.normalize else value
        if self.choices and text not in self.choices:
            raise OptionError(f"{name} must be one of {', '.join(self.choices)}, not {value!r}",
                              options=self.name)
        if self.path and not text.strip():
            raise OptionError(f"{name} must not be empty", options=self.name)
        if self.check is not None:
            try:
                self.check(text)
            except ValueError as exc:
                raise OptionError(f"{name} {exc}, not {value!r}", options=self.name) from None
        return text


def _region(value: str) -> None:
    if not (value == "GLOBAL" or (len(value) == 2 and value.isalpha())):
        raise ValueError("must be a two-letter country code or GLOBAL")


def _language(value: str) -> None:
    if not (len(value) == 2 and value.isalpha()):
        raise ValueError("must be a two-letter code")


PLATFORM = Option("platform", str, "tiktok", "tiktok, reels or shorts.",
                  choices=tuple(PLATFORMS), normalize=str.lower)
NICHE = Option("niche", str, None, "Your content niche (" + ", ".join(NICHES) + ").",
               choices=NICHES, optional=True, normalize=str.lower)

REGION = Option("region", str, None, "Two-letter country code or GLOBAL, for trends.",
                optional=True, normalize=str.upper, check=_region)

#: The creator profile (``[profile]``, ``creator config set``): defaults for every command.
PROFILE_OPTIONS: tuple[Option, ...] = (
    NICHE,
    REGION,
    Option("language", str, None, "Two-letter language code (captions, hashtags).",
           optional=True, normalize=str.lower, check=_language),
    PLATFORM,
)

#: The options that shape an edit (``[edit]``, ``[preset.NAME]``, ``creator edit`` flags).
EDIT_OPTIONS: tuple[Option, ...] = (
    PLATFORM,
    Option("aspect", str, "9:16", "9:16, 1:1, 4:5 or 16:9.", choices=tuple(ASPECTS)),
    Option("cut", str, "silence", "silence (trim dead air, shorten pauses), fillers (also "
           "um/uh and repeated words; needs captions) or none.", choices=CUT_MODES),
    Option("max_pause", float, 0.6, "Pauses longer than this are shortened (s).", low=0.2),
    Option("reframe", str, "auto", "auto, crop (follow the subject), fill, letterbox, none.",
           choices=REFRAME_CHOICES),
    Option("look", str, "auto", "auto, none, a look name or a .cube file.", path=True),
    Option("look_strength", float, 0.8, "Mix of the look with the original.", low=0.0,
           high=1.0),
    Option("music", str, "auto", "auto, none, a bundled track id or an audio file.",
           path=True),
    Option("enhance", bool, True, "Exposure, white balance, denoise, stabilization."),
    Option("stabilize", bool, True, "Stabilize shaky footage (when the analysis finds "
           "shake)."),
    Option("stabilize_zoom", float, 1.08, "The most the camera zooms in to make room to "
           "steady a shaky shot (1: never).", low=1.0, high=1.25),
    Option("keep_resolution", bool, False, "Output at the source's resolution class (360, "
           "540, 720 or 1080 lines) instead of upscaling a small source to 1080."),
    Option("denoise", bool, True, "Denoise low-light footage (when it is dark)."),
    Option("voice_cleanup", bool, True, "High-pass, noise reduction, gentle compression."),
    Option("caption", str, "", "What the clip is about (caption text)."),
    NICHE,
    REGION,
    # None: burn captions in when faster-whisper can be imported (it is a dependency).
    Option("captions", bool, None, "Burn in word-timed captions (default: on).", optional=True),
    Option("caption_style", str, "bold", "bold, boxed or minimal.", choices=CAPTION_STYLES),
    Option("snap_beats", bool, False, "Move each cut onto a beat of the music bed, inside the "
           "removed silence."),
)

#: Every setting by name, profile keys first (the order ``creator config show`` lists).
OPTIONS: dict[str, Option] = {o.name: o for o in (*PROFILE_OPTIONS, *EDIT_OPTIONS)}
#: Every setting's built-in default.
DEFAULTS: dict[str, object] = {name: o.default for name, o in OPTIONS.items()}
#: The edit options' built-in defaults.
EDIT_DEFAULTS: dict[str, object] = {o.name: o.default for o in EDIT_OPTIONS}
#: Built-in presets: one per platform.
BUILTIN_PRESETS: dict[str, dict[str, object]] = {p: {"platform": p} for p in PLATFORMS}


def validate_setting(name: str, value: object) -> object:
    """``value`` of setting ``name`` checked and normalised (:class:`OptionError`)."""
    if name not in OPTIONS:
        raise OptionError(f"unknown setting {name!r} (known: {', '.join(OPTIONS)})", options=())
    return OPTIONS[name].validate(value)


def _post_init(self: Any) -> None:
    for option in EDIT_OPTIONS:
        value = option.validate(getattr(self, option.name))
        object.__setattr__(self, option.name, value)


def _to_dict(self: Any) -> dict[str, object]:
    return dataclasses.asdict(self)


def _fingerprint(self: Any) -> str:
    """A short hash of the choices (a changed choice means a stale output)."""
    blob = json.dumps(self.to_dict(), sort_keys=True).encode()
    return hashlib.sha1(blob).hexdigest()[:12]


#: What the creator asked for: one field per edit option (values as typed, ``auto`` resolved
#: per clip), frozen and picklable. Built from :data:`EDIT_OPTIONS`; every value is validated
#: on construction (:class:`OptionError`). ``fingerprint()`` is a short hash of the choices.
EditChoices = dataclasses.make_dataclass(
    "EditChoices",
    [(o.name, o.annotation, dataclasses.field(default=o.default)) for o in EDIT_OPTIONS],
    frozen=True,
    namespace={"__post_init__": _post_init, "to_dict": _to_dict, "fingerprint": _fingerprint,
               "__doc__": "What the creator asked for: one field per edit option."},
)
EditChoices.__module__ = __name__  # pickled by name (batch workers, Dask)
