"""Command parameters made from data: the settings schema's edit options, the global options
that every command also accepts after its name, and the flag each parameter is spelled as."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

import typer

from creator_tools.settings.schema import EDIT_OPTIONS, Option

F = TypeVar("F", bound=Callable[..., Any])


def add_parameters(func: F, extra: Sequence[inspect.Parameter],
                   take: Callable[[dict[str, Any]], None], *, hide: Sequence[str] = ()) -> F:
    """``func`` with keyword parameters ``extra`` added to its signature (typer reads it), and
    its parameters named in ``hide`` taken out of it.

    Before each call, ``take`` receives the keyword arguments, removes the values of ``extra``
    and puts in the hidden ones.
    """
    sig = inspect.signature(func, eval_str=True)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        take(kwargs)
        return func(*args, **kwargs)

    params = [p for p in sig.parameters.values() if p.name not in hide]
    wrapper.__signature__ = sig.replace(parameters=[*params, *extra])  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in (*params, *extra)}
    return wrapper  # type: ignore[return-value]


def flag(option: Option) -> str:
    """``--max-pause`` for ``max_pause``."""
    return "--" + option.name.replace("_", "-")


def _help(option: Option) -> str:
    """The option's help with its default: ``tiktok, reels or shorts (default: tiktok).``"""
    if "(default" in option.help:
        return option.help
    return f"{option.help.removesuffix('.')} (default: {option.default_text()})."


def edit_parameter(option: Option) -> inspect.Parameter:
    """The command parameter of one edit option; ``None`` (its default) means "not given"."""
    name = flag(option)
    if option.type is bool:
        info = typer.Option(f"{name}/--no-{name[2:]}", help=_help(option))
    elif option.type is float:
        info = typer.Option(name, help=_help(option), min=option.low, max=option.high)
    else:
        info = typer.Option(name, help=_help(option), metavar="TEXT")
    return inspect.Parameter(option.name, inspect.Parameter.KEYWORD_ONLY, default=None,
                             annotation=Annotated[option.type | None, info])  # type: ignore[operator]


_PRESET = inspect.Parameter(
    "preset", inspect.Parameter.KEYWORD_ONLY, default=None,
    annotation=Annotated[str | None, typer.Option(
        "--preset", metavar="NAME", help="A preset from creator.toml or your config, or "
                                         "tiktok, reels, shorts (see: creator config show).")])


def with_edit_options(func: F) -> F:
    """Give a command ``--preset`` and every edit option of the schema.

    The command receives them resolved as ``choices`` (an
    :class:`~creator_tools.settings.EditChoices`): built-in default < user config < project
    ``creator.toml`` < ``--preset`` < flag.
    """

    def take(kwargs: dict[str, Any]) -> None:
        from creator_tools.settings import EditChoices, resolve_edit_settings

        flags = {o.name: kwargs.pop(o.name) for o in EDIT_OPTIONS}
        settings, _ = resolve_edit_settings(flags, kwargs.pop("preset"))
        kwargs["choices"] = EditChoices(**settings)

    return add_parameters(func, [_PRESET, *map(edit_parameter, EDIT_OPTIONS)], take,
                          hide=("choices",))


def flags_of(func: Callable[..., Any]) -> dict[str, str]:
    """Each parameter's flag as the command spells it (``exports`` -> ``--export``)."""
    out = {}
    for name, param in inspect.signature(func, eval_str=True).parameters.items():
        decls: tuple[str, ...] = ()
        for extra in getattr(param.annotation, "__metadata__", ()):
            decls = tuple(d for decl in getattr(extra, "param_decls", None) or ()
                          for d in decl.split("/")) or decls
            if isinstance(getattr(extra, "default", None), str) and \
                    str(extra.default).startswith("-"):  # typer.Option("--x") keeps it here
                decls = (str(extra.default), *decls)
        long = [d for d in decls if d.startswith("--")]
        out[name] = long[0] if long else "--" + name.replace("_", "-")
    return out
