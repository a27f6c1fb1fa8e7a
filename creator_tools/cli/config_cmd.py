"""``creator config``: the creator profile (niche, region, language, platform)."""

from __future__ import annotations

from typing import Annotated

import typer

from creator_tools.cli.boundary import guarded
from creator_tools.cli.console import emit_json, err, out

config_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                         help="Your profile: defaults every command uses (flags override).")


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")


@config_app.command("set")
@guarded
def set_command(
    key: Annotated[str, typer.Argument(help="niche, region, language or platform.")],
    value: Annotated[str, typer.Argument(help="The value.")],
) -> int:
    """Set a profile value, e.g. ``creator config set niche food``."""
    from creator_tools.config import config_path, set_value

    v = set_value(key, value)
    err.print(f"{key} = {v}  ({config_path()})")
    return 0


@config_app.command("unset")
@guarded
def unset_command(key: Annotated[str, typer.Argument(help="The setting to remove.")]) -> int:
    """Remove a profile value."""
    from creator_tools.config import unset_value

    unset_value(key)
    return 0


@config_app.command("get")
@guarded
def get_command(key: Annotated[str, typer.Argument(help="The setting.")]) -> int:
    """Print one profile value (nothing when unset)."""
    from creator_tools.config import KEYS, load_profile
    from creator_tools.errors import UsageError

    if key not in KEYS:
        raise UsageError(f"unknown setting {key!r} (known: {', '.join(KEYS)})")
    value = load_profile().get(key)
    if value is not None:
        typer.echo(value)
    return 0


@config_app.command("show")
@guarded
def show_command(
    json_out: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
) -> int:
    """Show the profile and where it is stored."""
    from creator_tools.config import KEYS, config_path, load_profile

    settings = load_profile()
    if json_out:
        emit_json({"path": str(config_path()), "profile": settings})
        return 0
    out.print(f"[dim]{config_path()}[/]")
    for key, meaning in KEYS.items():
        out.print(f"{key:<9} {settings.get(key, '-'):<10} [dim]{meaning}[/]")
    return 0
