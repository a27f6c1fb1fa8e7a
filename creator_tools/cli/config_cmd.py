"""``creator config``: the creator profile and the layered settings (config, creator.toml)."""

from __future__ import annotations

from typing import Annotated

import typer

from creator_tools.cli.boundary import command, command_group
from creator_tools.cli.console import emit_json, err, out

config_app = command_group("config", "Your profile and settings: defaults every command uses. "
                           "Layers: built-in < user config < creator.toml < --preset < flags.")


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")


@command(config_app, "set")
def set_command(
    key: Annotated[str, typer.Argument(help="niche, region, language or platform.")],
    value: Annotated[str, typer.Argument(help="The value.")],
) -> int:
    """Set a profile value in your user config (creator config set niche food)."""
    from creator_tools.settings import config_path, set_value

    v = set_value(key, value)
    err.print(f"{key} = {v}  ({config_path()})")
    return 0


@command(config_app, "unset")
def unset_command(key: Annotated[str, typer.Argument(help="The setting to remove.")]) -> int:
    """Remove a profile value."""
    from creator_tools.settings import unset_value

    unset_value(key)
    return 0


@command(config_app, "get")
def get_command(key: Annotated[str, typer.Argument(help="The setting.")]) -> int:
    """Print one profile value (nothing when unset)."""
    from creator_tools.errors import UsageError
    from creator_tools.settings.profile import KEYS, load_profile

    if key not in KEYS:
        raise UsageError(f"unknown setting {key!r} (known: {', '.join(KEYS)})")
    value = load_profile().get(key)
    if value is not None:
        typer.echo(value)
    return 0


def _text(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if value != "" else '""'


@command(config_app, "show")
def show_command(
    preset: Annotated[str | None, typer.Option("--preset", metavar="<name>",
                                               help="Show the settings with this preset.")
                      ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
) -> int:
    """Show every effective setting, its value and where it comes from."""
    from rich.markup import escape

    from creator_tools.settings import load_sources, preset_names, resolve_settings

    sources = load_sources()
    values, origin = resolve_settings(preset=preset, sources=sources)
    user = next((f for f in sources.files if f.path == sources.user_path), None)
    if json_out:
        emit_json({"path": str(sources.user_path),
                   "project": None if sources.project_path is None else str(sources.project_path),
                   "profile": dict(user.profile) if user else {},
                   "presets": preset_names(sources),
                   "settings": {k: {"value": values[k], "source": origin[k]} for k in values}})
        return 0
    out.print(f"[dim]user config[/] {escape(str(sources.user_path))}"
              + ("" if user else " [dim](none yet)[/]"), soft_wrap=True)
    project = "-" if sources.project_path is None else str(sources.project_path)
    out.print(f"[dim]project    [/] {escape(project)}", soft_wrap=True)
    out.print(f"[dim]presets    [/] {', '.join(preset_names(sources))}\n")
    width = max(len(_text(v)) for v in values.values())
    for key, value in values.items():
        out.print(f"{key:<14} {escape(f'{_text(value):<{width}}')}  [dim]{escape(origin[key])}[/]",
                  soft_wrap=True)
    return 0


@command(config_app, "path")
def path_command(
    json_out: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
) -> int:
    """Print the user config file and the project creator.toml found from here."""
    from creator_tools.settings import config_path, find_project_file

    user, project = config_path(), find_project_file()
    if json_out:
        emit_json({"user": str(user), "user_exists": user.is_file(),
                   "project": None if project is None else str(project)})
        return 0
    typer.echo(f"user     {user}" + ("" if user.is_file() else "  (none yet)"))
    typer.echo(f"project  {project if project else '-  (no creator.toml here or above)'}")
    return 0
