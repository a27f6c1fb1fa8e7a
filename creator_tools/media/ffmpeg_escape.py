"""Quote file names and other strings for use inside an ffmpeg filtergraph.

A value inside ``-vf``/``-filter_complex`` is unescaped twice by ffmpeg (see "Notes on
filtergraph escaping" in the ffmpeg-filters manual):

1. the filtergraph parser cuts the graph into filters at ``[ ] , ;`` and reads each filter's
   argument string as a token: ``'...'`` quotes anything literally and ``\\`` escapes one
   character outside quotes; both are removed;
2. the filter then splits that string into options at ``:`` (and ``=``) with the same token
   rules, removing a second level of quotes and backslashes.

:func:`quote_token` produces one level (single quotes, with each ``'`` spelt ``'\\''``: close the
quote, an escaped quote, reopen); :func:`escape_filter_path` applies it twice, so every
character of the name (spaces, quotes, colons, commas, brackets, backslashes, ``%``, non-ASCII)
reaches the filter unchanged::

    f"lut3d=file={escape_filter_path(path)}:interp=trilinear"

No shell is involved anywhere: the graph is passed to ffmpeg as one argument.
"""

from __future__ import annotations

import os


def quote_token(value: str) -> str:
    """One level of ffmpeg token quoting (``av_get_token``): ``value`` in single quotes.

    Parameters
    ----------
    value
        Any text.

    Returns
    -------
    str
        ``'value'``, each ``'`` inside written as ``'\\''``. Read back by one ``av_get_token``
        pass, it yields ``value`` exactly, whatever separators that pass stops at.
    """
    return "'" + value.replace("'", "'\\''") + "'"


def escape_filter_value(value: str) -> str:
    """Escape ``value`` for use as a filter option value inside a filtergraph string.

    The two levels of :func:`quote_token` (filtergraph, then option list); the result goes
    right after ``option=``.
    """
    return quote_token(quote_token(value))


def escape_filter_path(path: str | os.PathLike[str]) -> str:
    """Escape a file name for a filter option inside a filtergraph (``lut3d=file=...``).

    Parameters
    ----------
    path
        The file name, relative or absolute.

    Returns
    -------
    str
        The escaped value, to be written right after ``file=`` (or another option's ``=``).

    Raises
    ------
    ValueError
        When the name holds a NUL character (no file can be named so).
    """
    text = os.fspath(path)
    if isinstance(text, bytes):  # pragma: no cover - os.PathLike[bytes] is not accepted
        text = os.fsdecode(text)
    if "\0" in text:
        raise ValueError("file name holds a NUL character")
    return escape_filter_value(text)
