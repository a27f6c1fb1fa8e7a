"""Reading a data file someone exported (CSV, JSON): its bytes, its text, its CSV rows.

Every problem is an :class:`~creator_tools.errors.InputError` naming the file, or a
:class:`~creator_tools.errors.DataFileError` naming the file, the row (the line) and the
column; the importers of the trend index and of the results store read through here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from creator_tools.errors import DataFileError, InputError

#: A CSV data row: its line in the file (where the row starts), {header: cell}.
CsvRecord = tuple[int, dict[str, str]]


def read_bytes(path: Path) -> bytes:
    """The bytes of the file at ``path``; :class:`InputError` when it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a directory", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None


def decode_text(data: bytes | str, name: str, *, utf16: bool = False) -> str:
    """The text of a file given as bytes (UTF-8, with or without a byte-order mark) or as
    text; ``utf16``: also UTF-16 that starts with its byte-order mark (spreadsheet exports).
    :class:`DataFileError` names the line of the first byte that is not UTF-8."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if utf16 and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DataFileError("not UTF-16 text", path=name, row=1) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise DataFileError("not UTF-8 text", path=name, row=row) from None


def read_csv(text: str, name: str, delimiter: str, *,
             same_column: Callable[[str], str] = str,
             trailing_separator: bool = False) -> tuple[list[str], list[CsvRecord]]:
    """The header and the data rows of CSV ``text``; blank lines are skipped.

    The header's names are stripped; none may be empty or appear twice (compared as
    ``same_column(name)``); ``trailing_separator``: empty names at the end of the header (a
    separator after the last column) are dropped first. A row with fewer fields than the
    header, or more that are not empty, is a :class:`DataFileError`.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records: list[CsvRecord] = []
    line = 0
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                while trailing_separator and header and not header[-1]:
                    header.pop()
                for i, col in enumerate(header):
                    if not col:
                        raise DataFileError("empty column name in the header", path=name,
                                            row=start, column=str(i + 1))
                    if same_column(col) in map(same_column, header[:i]):
                        raise DataFileError("column appears twice in the header", path=name,
                                            row=start, column=col)
                continue
            if len(cells) < len(header):
                raise DataFileError(
                    f"missing: the row has {len(cells)} fields, the header {len(header)}",
                    path=name, row=start, column=header[len(cells)])
            if any(c.strip() for c in cells[len(header):]):
                raise DataFileError(
                    f"extra field: the row has {len(cells)} fields, the header {len(header)}",
                    path=name, row=start, column=str(len(header) + 1))
            records.append((start, dict(zip(header, cells, strict=False))))
    except csv.Error as exc:
        raise DataFileError(f"bad CSV: {exc}", path=name, row=reader.line_num) from None
    if header is None:
        raise DataFileError("empty file: no header row", path=name, row=1)
    return header, records
