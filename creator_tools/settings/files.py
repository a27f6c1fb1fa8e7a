"""The settings files: the user config and a project ``creator.toml``, read and validated.

Both share one TOML format (documented in ``docs/config.md``)::

    [profile]            # niche, region, language, platform
    [edit]               # defaults for any edit option (settings.schema.EDIT_OPTIONS)
    [preset.NAME]        # a named set of edit options, chosen with --preset NAME

The user config is :func:`config_path` (``CREATOR_CONFIG`` names another file). The project
file is the first ``creator.toml`` found in the current folder or its parents; the search stops
at the first folder that holds ``.git`` (the repository root, inclusive) or at the filesystem
root. Every value is validated on load: a bad file raises :class:`DataFileError` naming the
file and the key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from creator_tools.errors import DataFileError, OptionError
from creator_tools.settings.schema import EDIT_OPTIONS, OPTIONS, PROFILE_OPTIONS

PROJECT_FILE = "creator.toml"
_TABLES = ("profile", "edit", "preset")
_EDIT = {o.name: o for o in EDIT_OPTIONS}
_PROFILE = tuple(o.name for o in PROFILE_OPTIONS)


@dataclass(frozen=True)
class ConfigFile:
    """One parsed, validated settings file."""

    path: Path
    label: str  # "user config <path>" or "project <path>"
    profile: dict[str, str] = field(default_factory=dict)
    edit: dict[str, object] = field(default_factory=dict)
    presets: dict[str, dict[str, object]] = field(default_factory=dict)


def config_path() -> Path:
    """Where the profile is read from and written to."""
    env = os.environ.get("CREATOR_CONFIG")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_config_dir("creator-tools", appauthor=False)) / "config.toml"


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


def _fail(path: Path, where: str, message: str) -> DataFileError:
    return DataFileError(f"{where}: {message}", path=path)


def _checked(path: Path, where: str, key: str, value: object) -> object:
    """A validated (normalised) setting from a file, or :class:`DataFileError` at ``where``."""
    option = OPTIONS[key]
    try:
        checked = option.validate(value)
    except OptionError as exc:  # "{key} must be ...": the reason, after the key
        raise _fail(path, where, exc.template.removeprefix("{" + key + "} ")) from None
    if option.path and isinstance(checked, str):
        return _relative_to(path, checked.strip())
    return checked


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
        if key not in _EDIT:
            raise _fail(path, f"{where}.{key}", f"unknown key (known: {', '.join(_EDIT)})")
        out[key] = _checked(path, f"{where}.{key}", key, value)
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
        if key not in _PROFILE:
            raise _fail(path, where, f"unknown key (known: {', '.join(_PROFILE)})")
        profile[key] = str(_checked(path, where, key, value))
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


