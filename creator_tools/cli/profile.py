"""Option defaults from the creator's settings (flags win)."""

from __future__ import annotations


def profile_default(value: str | None, key: str, fallback: str | None = None) -> str | None:
    """``value`` if given on the command line, else the setting ``key``, else ``fallback``.

    The setting comes from the user config and the project ``creator.toml``
    (:func:`creator_tools.settings.resolve_settings`, without a preset).
    """
    if value is not None:
        return value
    from creator_tools.settings import resolve_settings

    setting = resolve_settings()[0].get(key)
    return fallback if setting is None else str(setting)
