"""Layered settings: built-in defaults < user config < project ``creator.toml`` < preset < flags.

Both files share one TOML format (documented in ``docs/config.md``)::

    [profile]            # niche, region, language, platform
    [edit]               # defaults for any edit option (the EditChoices fields)
    [preset.NAME]        # a named set of edit options, chosen with --preset NAME

The user config is :func:`creator_tools.config.config_path` (``CREATOR_CONFIG`` names another
file). The project file is the first ``creator.toml`` found in the current folder or its
parents; the search stops at the first folder that holds ``.git`` (the repository root,
inclusive) or at the filesystem root. Within one file, ``[edit]`` wins over ``[profile]``.
Every value is validated on load: a bad file raises :class:`DataFileError` naming the file
and the key.

This module is light (no numpy): ``creator config`` uses it without loading the editor.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from creator_tools.config import KEYS as PROFILE_KEYS
from creator_tools.config import PLATFORMS, config_path, validate
from creator_tools.errors import DataFileError, UsageError

PROJECT_FILE = "creator.toml"

#: Kept equal to ``creator_tools.edit.job`` (a test checks): importing it here would load numpy.
CUT_MODES = ("silence", "fillers", "none")
REFRAME_CHOICES = ("auto", "crop", "fill", "letterbox", "none")

#: The edit options (the fields of ``EditChoices``) and their built-in defaults.
EDIT_DEFAULTS: dict[str, object] = {
    "platform": "tiktok", "aspect": "9:16", "cut": "silence", "max_pause": 0.6,
    "reframe": "auto", "look": "auto", "look_strength": 0.8, "music": "auto", "enhance": True,
    "stabilize": True, "denoise": True, "voice_cleanup": True, "caption": "", "niche": None,
    # None: burn captions in when the captions extra is installed.
    "captions": None, "caption_style": "bold", "snap_beats": False,
}
#: Every setting, profile keys first, with its built-in default.
DEFAULTS: dict[str, object] = {"niche": None, "region": None, "language": None,
                               "platform": "tiktok", **EDIT_DEFAULTS}
#: Built-in presets: one per platform (reels and shorts differ only in platform today).
BUILTIN_PRESETS: dict[str, dict[str, object]] = {p: {"platform": p} for p in PLATFORMS}

_TABLES = ("profile", "edit", "preset")
_BOOLS = ("enhance", "stabilize", "denoise", "voice_cleanup", "captions", "snap_beats")
_RANGES = {"max_pause": (0.2, None), "look_strength": (0.0, 1.0)}
_PATH_KEYS = ("look", "music")  # relative file paths are relative to the config file


@dataclass(frozen=True)
class ConfigFile:
    """One parsed, validated settings file."""

    path: Path
    label: str  # "user config <path>" or "project <path>"
    profile: dict[str, str] = field(default_factory=dict)
    edit: dict[str, object] = field(default_factory=dict)
    presets: dict[str, dict[str, object]] = field(default_factory=dict)


@dataclass(frozen=True)
class Sources:
    """The files in play: the user config path, the project file found, the files read."""

    user_path: Path
    project_path: Path | None
    files: tuple[ConfigFile, ...]


def find_project_file(cwd: str | Path | None = None) -> Path | None:
    """The first ``creator.toml`` in ``cwd`` or its parents, stopping at a git root.

    The folder holding ``.git`` is searched, its parents are not; without a git repository
    the search goes up to the filesystem root.
    """
    here = Path(cwd if cwd is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_FILE
        try:
            if candidate.is_file():
                return candidate
            if (folder / ".git").exists():
                return None
        except OSError:  # a folder we may not search (EACCES): nothing to find there
            continue
    return None


def _kind(value: object) -> str:
    """The TOML name of a value's type, for messages."""
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
             dict: "a table", list: "an array"}
    return names.get(type(value), type(value).__name__)


def _fail(path: Path, where: str, message: str) -> DataFileError:
    return DataFileError(f"{where}: {message}", path=path)


def _check_edit_value(path: Path, where: str, key: str, value: object) -> object:
    """A validated (normalised) edit value, or :class:`DataFileError`."""
    from creator_tools.edit.plan import ASPECTS

    if key in ("niche", "platform"):
        if not isinstance(value, str):
            raise _fail(path, where, f"must be a string, not {_kind(value)}")
        try:
            return validate(key, value)
        except UsageError as exc:
            raise _fail(path, where, exc.message) from None
    if key in _BOOLS:
        if not isinstance(value, bool):
            raise _fail(path, where, f"must be true or false, not {_kind(value)}")
        return value
    if key in _RANGES:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(path, where, f"must be a number, not {_kind(value)}")
        lo, hi = _RANGES[key]
        if value < lo or (hi is not None and value > hi):
            bounds = f"at least {lo}" if hi is None else f"between {lo} and {hi}"
            raise _fail(path, where, f"must be {bounds}, not {value}")
        return float(value)
    if not isinstance(value, str):
        raise _fail(path, where, f"must be a string, not {_kind(value)}")
    from creator_tools.captions.ass import CAPTION_STYLES

    choices = {"aspect": tuple(ASPECTS), "cut": CUT_MODES, "reframe": REFRAME_CHOICES,
               "caption_style": tuple(CAPTION_STYLES)}.get(key)
    if choices is not None and value not in choices:
        raise _fail(path, where, f"must be one of {', '.join(choices)}, not {value!r}")
    if key in _PATH_KEYS:
        if not value.strip():
            raise _fail(path, where, "must not be empty")
        return _relative_to(path, value.strip())
    return value


def _relative_to(config: Path, value: str) -> str:
    """A file path value (``.cube`` LUT, audio file) made relative to the config's folder."""
    if value.lower() in ("auto", "none"):
        return value
    p = Path(value).expanduser()
    if p.is_absolute():
        return str(p)
    if p.suffix or "/" in value or "\\" in value:
        return str(config.parent / p)
    return value  # a shipped look name or a bundled track id


def _edit_table(path: Path, where: str, table: object) -> dict[str, object]:
    if not isinstance(table, dict):
        raise _fail(path, where, "must be a table")
    out = {}
    for key, value in table.items():
        if key not in EDIT_DEFAULTS:
            raise _fail(path, f"{where}.{key}",
                        f"unknown key (known: {', '.join(EDIT_DEFAULTS)})")
        out[key] = _check_edit_value(path, f"{where}.{key}", key, value)
    return out


def parse_config(data: Mapping[str, object], path: Path, label: str) -> ConfigFile:
    """Validate parsed TOML ``data`` read from ``path``."""
    for key in data:
        if key not in _TABLES:
            raise _fail(path, key, f"unknown table (known: {', '.join(_TABLES)})")
    profile_table = data.get("profile", {})
    if not isinstance(profile_table, dict):
        raise _fail(path, "profile", "must be a table")
    profile: dict[str, str] = {}
    for key, value in profile_table.items():
        where = f"profile.{key}"
        if key not in PROFILE_KEYS:
            raise _fail(path, where, f"unknown key (known: {', '.join(PROFILE_KEYS)})")
        if not isinstance(value, str):
            raise _fail(path, where, f"must be a string, not {_kind(value)}")
        try:
            profile[key] = validate(key, value)
        except UsageError as exc:
            raise _fail(path, where, exc.message) from None
    edit = _edit_table(path, "edit", data.get("edit", {}))
    preset_tables = data.get("preset", {})
    if not isinstance(preset_tables, dict):
        raise _fail(path, "preset", "must hold tables: [preset.NAME]")
    presets = {name: _edit_table(path, f"preset.{name}", table)
               for name, table in preset_tables.items()}
    return ConfigFile(path=path, label=label, profile=profile, edit=edit, presets=presets)


def load_config_file(path: str | Path, label: str | None = None) -> ConfigFile | None:
    """Read and validate one settings file (``None`` when it does not exist)."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"bad TOML: {exc}", path=p) from None
    except OSError as exc:
        raise DataFileError(f"cannot read config file: {exc.strerror or exc}", path=p) from None
    return parse_config(data, p, label or f"config {p}")


def load_sources(cwd: str | Path | None = None) -> Sources:
    """The user config and the project file (when found), parsed and validated."""
    user = config_path()
    project = find_project_file(cwd)
    if project is not None and user.exists() and project.resolve() == user.resolve():
        project = None  # CREATOR_CONFIG names the project file: read it once
    files = [load_config_file(user, f"user config {user}")]
    if project is not None:
        files.append(load_config_file(project, f"project {project}"))
    return Sources(user, project, tuple(f for f in files if f is not None))


def preset_names(sources: Sources) -> list[str]:
    """Every preset available: built-in and from the files."""
    names = set(BUILTIN_PRESETS)
    for f in sources.files:
        names.update(f.presets)
    return sorted(names)


def resolve_settings(flags: Mapping[str, object] | None = None, preset: str | None = None,
                     cwd: str | Path | None = None, *, sources: Sources | None = None,
                     ) -> tuple[dict[str, object], dict[str, str]]:
    """Every setting's effective value and where it came from.

    ``flags`` are the options given on the command line (``None`` values count as not
    given). Sources are ``default``, ``user config <path>``, ``project <path>``,
    ``preset NAME (built-in)``, ``preset NAME (<path>)`` and ``flag``. An unknown preset
    raises :class:`UsageError` listing the known ones.
    """
    src = sources if sources is not None else load_sources(cwd)
    values = dict(DEFAULTS)
    origin = dict.fromkeys(DEFAULTS, "default")

    def put(layer: Mapping[str, object], label: str) -> None:
        for key, value in layer.items():
            values[key], origin[key] = value, label

    for f in src.files:
        put(f.profile, f.label)
        put(f.edit, f.label)
    if preset is not None:
        if preset not in preset_names(src):
            raise UsageError(f"unknown preset {preset!r} (known: {', '.join(preset_names(src))})")
        put(BUILTIN_PRESETS.get(preset, {}), f"preset {preset} (built-in)")
        for f in src.files:
            put(f.presets.get(preset, {}), f"preset {preset} ({f.path})")
    given = {k: v for k, v in (flags or {}).items() if v is not None}
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise UsageError(f"unknown setting(s): {', '.join(unknown)}")
    put(given, "flag")
    return values, origin


def resolve_edit_settings(flags: Mapping[str, object] | None = None, preset: str | None = None,
                          cwd: str | Path | None = None,
                          ) -> tuple[dict[str, object], dict[str, str]]:
    """:func:`resolve_settings` restricted to the edit options (``EditChoices(**values)``)."""
    values, origin = resolve_settings(flags, preset, cwd)
    return ({k: values[k] for k in EDIT_DEFAULTS}, {k: origin[k] for k in EDIT_DEFAULTS})
