"""The creator profile: ``[profile]`` defaults (niche, region, language, platform) in the user
config file.

The file lives in the user config folder (``CREATOR_CONFIG`` names another file). Its
``[profile]`` table is read and written here; the same file may also hold ``[edit]`` and
``[preset.NAME]`` tables, which :mod:`creator_tools.settings.layers` reads and layers with a
project ``creator.toml``. Command-line flags override all of them.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from creator_tools.errors import DataFileError, OptionError
from creator_tools.settings.files import config_path, load_config_file
from creator_tools.settings.schema import OPTIONS, PROFILE_OPTIONS

#: The profile's keys.
KEYS = tuple(o.name for o in PROFILE_OPTIONS)


def validate(key: str, value: str) -> str:
    """A profile value checked and normalised (:class:`OptionError` names the key)."""
    if key not in KEYS:
        raise OptionError(f"unknown setting {key!r} (known: {', '.join(KEYS)})", options=())
    return str(OPTIONS[key].validate(value))


def load_profile(path: Path | None = None) -> dict[str, str]:
    """The user config's ``[profile]`` settings (empty when there is no file).

    The whole file is validated (:class:`DataFileError` names the file and the bad key).
    """

    p = path or config_path()
    parsed = load_config_file(p, f"user config {p}")
    return dict(parsed.profile) if parsed is not None else {}


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_HEADER = "# creator-tools profile: defaults for every command (flags override them)"
_PROFILE_HEADER = re.compile(r"\s*\[\s*profile\s*\]\s*(#.*)?")


def _is_header(line: str) -> bool:
    return line.lstrip().startswith("[")


def _replace_profile(text: str, table: list[str]) -> str:
    """``text`` with its ``[profile]`` table replaced by ``table`` (other lines kept as is)."""
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if _PROFILE_HEADER.fullmatch(ln)), None)
    if start is None:  # no table yet: put it before the first table
        first = next((i for i, ln in enumerate(lines) if _is_header(ln)), len(lines))
        head, tail = lines[:first], lines[first:]
        while head and not head[-1].strip():
            head.pop()
        return "\n".join([*head, *table, *([""] if tail else []), *tail]) + "\n"
    end = next((i for i in range(start + 1, len(lines)) if _is_header(lines[i])), len(lines))
    if end < len(lines):  # keep the blank lines and comments that introduce the next table
        while end > start + 1 and (not lines[end - 1].strip()
                                   or lines[end - 1].lstrip().startswith("#")):
            end -= 1
    return "\n".join([*lines[:start], *table, *lines[end:]]) + "\n"


def save_profile(settings: dict[str, str], path: Path | None = None) -> Path:
    """Write the profile (atomically), replacing the ``[profile]`` table.

    The rest of the file (``[edit]``, ``[preset.NAME]``, comments) is kept as it is.
    """
    from creator_tools.fs import atomic_output

    p = path or config_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    table = ["[profile]", *(f"{k} = {_toml_string(v)}" for k, v in sorted(settings.items()))]
    try:
        text = p.read_text(encoding="utf-8")
        old = tomllib.loads(text)
    except FileNotFoundError:
        text, old = _HEADER + "\n", {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"bad config file: {exc}", path=p) from None
    if "profile" in old and not any(_PROFILE_HEADER.fullmatch(ln) for ln in text.splitlines()):
        raise DataFileError("profile is not written as a [profile] table: edit it by hand",
                            path=p)
    new = _replace_profile(text, table)
    try:
        new_data = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        new_data = {}
    rest = {k: v for k, v in old.items() if k != "profile"}
    if {k: v for k, v in new_data.items() if k != "profile"} != rest or \
            new_data.get("profile") != settings:  # never write what reads back differently
        raise DataFileError("cannot update [profile] safely: edit the file by hand", path=p)
    with atomic_output(p, force=True) as tmp:
        tmp.write_text(new, encoding="utf-8")
    return p


def set_value(key: str, value: str, path: Path | None = None) -> str:
    """Set one setting; returns the normalised value."""
    settings = load_profile(path)
    settings[key] = validate(key, value)
    save_profile(settings, path)
    return settings[key]


def unset_value(key: str, path: Path | None = None) -> None:
    """Remove one setting."""
    if key not in KEYS:
        raise OptionError(f"unknown setting {key!r} (known: {', '.join(KEYS)})", options=())
    settings = load_profile(path)
    settings.pop(key, None)
    save_profile(settings, path)
