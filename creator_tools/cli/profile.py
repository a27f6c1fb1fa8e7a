"""Option defaults from the creator profile (flags win)."""

from __future__ import annotations


def profile_default(value: str | None, key: str, fallback: str | None = None) -> str | None:
    """``value`` if given on the command line, else the profile's ``key``, else ``fallback``."""
    if value is not None:
        return value
    from creator_tools.config import load_profile

    return load_profile().get(key, fallback)
