"""What a creator chooses and where it is kept.

- :mod:`~creator_tools.settings.schema`: every option once (name, type, default, choices,
  range, help) and :class:`EditChoices`, the choices of one edit;
- :mod:`~creator_tools.settings.platforms`: the platforms (length, loudness, safe zones, broad
  tag) and the output sizes;
- :mod:`~creator_tools.settings.files`: the user config and a project ``creator.toml``, read
  and validated;
- :mod:`~creator_tools.settings.profile`: the creator profile (``creator config set``);
- :mod:`~creator_tools.settings.layers`: built-in < user config < ``creator.toml`` < preset <
  flags.

No numpy anywhere in this package: ``creator config`` and ``--help`` use it without loading the
editor.
"""

from creator_tools.settings.files import config_path, find_project_file, load_config_file
from creator_tools.settings.layers import (
    load_sources,
    preset_names,
    resolve_edit_settings,
    resolve_settings,
)
from creator_tools.settings.platforms import ASPECTS, PLATFORMS, Platform, SafeZone
from creator_tools.settings.profile import load_profile, set_value, unset_value
from creator_tools.settings.schema import (
    CAPTION_STYLES,
    CUT_MODES,
    DEFAULTS,
    EDIT_DEFAULTS,
    EDIT_OPTIONS,
    NICHES,
    OPTIONS,
    PROFILE_OPTIONS,
    REFRAME_CHOICES,
    EditChoices,
    Option,
)

__all__ = [
    "ASPECTS", "CAPTION_STYLES", "CUT_MODES", "DEFAULTS", "EDIT_DEFAULTS", "EDIT_OPTIONS",
    "NICHES", "OPTIONS", "PLATFORMS", "PROFILE_OPTIONS", "REFRAME_CHOICES", "EditChoices",
    "Option", "Platform", "SafeZone", "config_path", "find_project_file", "load_config_file",
    "load_profile", "load_sources", "preset_names", "resolve_edit_settings", "resolve_settings",
    "set_value", "unset_value",
]
