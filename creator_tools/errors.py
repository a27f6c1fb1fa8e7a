"""Exception types raised by the library.

Library code raises these and never prints or exits; the CLI's single error boundary turns
each into one line on stderr and the matching :class:`~creator_tools.exit_codes.ExitCode`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from creator_tools.exit_codes import ExitCode


class CreatorError(Exception):
    """Base class of all errors the library raises on purpose.

    ``message`` may name options as ``{name}`` (their Python parameter names, listed in
    ``options``), so that each front end words them its own way: ``str()`` gives the plain
    names (``cut must be ...``), the CLI its flags (``--cut must be ...``, :meth:`worded`).
    """

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, path: str | Path | None = None,
                 options: str | tuple[str, ...] = ()) -> None:
        self.options = (options,) if isinstance(options, str) else tuple(options)
        self.template = message
        self.message = self.worded(str)
        super().__init__(self.message)
        self.path = None if path is None else str(path)

    def worded(self, name: Callable[[str], str]) -> str:
        """The message with each ``{option}`` written as ``name(option)`` (no path)."""
        text = self.template
        for option in self.options:
            text = text.replace("{" + option + "}", name(option))
        return text

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Picklable whatever the subclass's __init__ takes (batch outcomes cross processes).
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[CreatorError], args: tuple[object, ...],
             state: dict[str, object]) -> CreatorError:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class UsageError(CreatorError):
    """The request cannot be carried out as asked (bad option value, missing extra)."""

    exit_code = ExitCode.USAGE


class OptionError(UsageError):
    """A bad option value or combination of options; ``options`` names them."""


class InputError(CreatorError):
    """An input (media file, data file, plan) is missing, unreadable or invalid."""

    exit_code = ExitCode.BAD_INPUT


class NotAFileError(InputError):
    """A folder (or other non-file) was given where a file is needed."""


class MediaError(InputError):
    """A media file cannot be opened or lacks what the operation needs."""


class NoVideoError(MediaError):
    """A media file without a picture was given where a video is needed."""


class OutputExistsError(CreatorError):
    """An output exists and may not be replaced (no ``force``): not the input's fault."""

    exit_code = ExitCode.OUTPUT_EXISTS

    def __init__(self, message: str = "output exists (use {force} to overwrite)", *,
                 path: str | Path | None = None) -> None:
        super().__init__(message, path=path, options="force")


class ProcessingError(CreatorError):
    """Processing or rendering failed on an input that looked valid."""

    exit_code = ExitCode.PROCESSING


class ToolNotFoundError(ProcessingError):
    """No usable ffmpeg binary was found."""


class DataFileError(InputError):
    """A data file (CSV/JSON import, ``.cube`` LUT, plan) is malformed.

    ``row`` (1-based line or record number) and ``column`` name where, when known.
    """

    def __init__(self, message: str, *, path: str | Path | None = None, row: int | None = None,
                 column: str | None = None, options: str | tuple[str, ...] = ()) -> None:
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message, path=path,
                         options=options)
        self.row = row
        self.column = column
