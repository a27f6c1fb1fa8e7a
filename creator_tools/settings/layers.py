"""Layered settings: built-in defaults < user config < project ``creator.toml`` < preset < flags.

The files (:mod:`creator_tools.settings.files`) are the user config and the project
``creator.toml``; within one file, ``[edit]`` wins over ``[profile]``.

This module is light (no numpy): ``creator config`` uses it without loading the editor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from creator_tools.errors import UsageError
from creator_tools.settings.files import (
    ConfigFile,
    config_path,
    find_project_file,
    load_config_file,
)
from creator_tools.settings.schema import BUILTIN_PRESETS, DEFAULTS, EDIT_DEFAULTS, OPTIONS


@dataclass(frozen=True)
class Sources:
    """The files in play: the user config path, the project file found, the files read."""

    user_path: Path
    project_path: Path | None
    files: tuple[ConfigFile, ...]


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
    given; each is validated, :class:`OptionError` naming it). Sources are ``default``,
    ``user config <path>``, ``project <path>``, ``preset NAME (built-in)``,
    ``preset NAME (<path>)`` and ``flag``. An unknown preset raises :class:`UsageError` listing
    the known ones.
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
    put({k: OPTIONS[k].validate(v) for k, v in given.items()}, "flag")
    return values, origin


def resolve_edit_settings(flags: Mapping[str, object] | None = None, preset: str | None = None,
                          cwd: str | Path | None = None,
                          ) -> tuple[dict[str, object], dict[str, str]]:
    """:func:`resolve_settings` restricted to the edit options (``EditChoices(**values)``)."""
    values, origin = resolve_settings(flags, preset, cwd)
    return ({k: values[k] for k in EDIT_DEFAULTS}, {k: origin[k] for k in EDIT_DEFAULTS})
