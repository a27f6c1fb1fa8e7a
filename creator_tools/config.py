"""The creator profile: defaults (niche, region, language, platform) in a TOML file.

The file lives in the user config folder (``CREATOR_CONFIG`` names another file). Command-line
flags override it.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from creator_tools.errors import DataFileError, UsageError

PLATFORMS = ("tiktok", "reels", "shorts")
NICHES = ("food", "fitness", "beauty", "fashion", "comedy", "education", "travel", "gaming",
          "pets", "tech", "finance", "diy", "music", "dance", "sports", "parenting",
          "lifestyle", "vlog")
KEYS = {
    "niche": "your content niche (" + ", ".join(NICHES) + ")",
    "region": "two-letter country code or GLOBAL, for trends",
    "language": "two-letter language code (captions, hashtags)",
    "platform": "default platform: " + ", ".join(PLATFORMS),
}


def config_path() -> Path:
    """Where the profile is read from and written to."""
    env = os.environ.get("CREATOR_CONFIG")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_config_dir("creator-tools", appauthor=False)) / "config.toml"


def validate(key: str, value: str) -> str:
    """Normalise a profile value or raise :class:`UsageError`."""
    if key not in KEYS:
        raise UsageError(f"unknown setting {key!r} (known: {', '.join(KEYS)})")
    v = value.strip()
    if key == "niche":
        v = v.lower()
        if v not in NICHES:
            raise UsageError(f"unknown niche {value!r} (one of: {', '.join(NICHES)})")
    elif key == "platform":
        v = v.lower()
        if v not in PLATFORMS:
            raise UsageError(f"unknown platform {value!r} (one of: {', '.join(PLATFORMS)})")
    elif key == "region":
        v = v.upper()
        if not (v == "GLOBAL" or (len(v) == 2 and v.isalpha())):
            raise UsageError(f"region must be a two-letter country code or GLOBAL, not {value!r}")
    elif key == "language":
        v = v.lower()
        if not (len(v) == 2 and v.isalpha()):
            raise UsageError(f"language must be a two-letter code, not {value!r}")
    return v


def load_profile(path: Path | None = None) -> dict[str, str]:
    """The profile's settings (empty when there is no file)."""
    p = path or config_path()
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"bad config file: {exc}", path=p) from None
    section = data.get("profile", {})
    if not isinstance(section, dict):
        raise DataFileError("[profile] must be a table", path=p)
    out = {}
    for k, v in section.items():
        if k in KEYS and isinstance(v, str):
            try:
                out[k] = validate(k, v)
            except UsageError as exc:
                raise DataFileError(str(exc), path=p) from None
    return out


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def save_profile(settings: dict[str, str], path: Path | None = None) -> Path:
    """Write the profile (atomically), replacing the file."""
    from creator_tools.fs import atomic_output

    p = path or config_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# creator-tools profile: defaults for every command (flags override them)",
             "[profile]"]
    lines += [f"{k} = {_toml_string(v)}" for k, v in sorted(settings.items())]
    with atomic_output(p, force=True) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
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
        raise UsageError(f"unknown setting {key!r} (known: {', '.join(KEYS)})")
    settings = load_profile(path)
    settings.pop(key, None)
    save_profile(settings, path)
