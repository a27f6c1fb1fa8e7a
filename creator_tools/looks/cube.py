"""Read, write, preview and blend 3D LUTs in the Adobe/Resolve ``.cube`` format.

A ``.cube`` file is text: optional keyword lines (``TITLE "name"``, ``LUT_3D_SIZE n``,
``DOMAIN_MIN r g b``, ``DOMAIN_MAX r g b``), ``#`` comments and blank lines, then ``n**3``
rows of three numbers, the output RGB of each grid point, with **red varying fastest**, then
green, then blue. :class:`Lut3D` keeps that order: ``table[b, g, r]`` is the output colour of the
grid point at input red index ``r``, green index ``g`` and blue index ``b``, so
``table.reshape(-1, 3)`` is exactly the file's rows.

:func:`apply_lut` is a small numpy trilinear interpolator for previews and tests; rendering goes
through ffmpeg's ``lut3d`` filter, which reads the same files and agrees with it to within one
8-bit level (ffmpeg truncates where :func:`apply_lut` rounds).

Note that ffmpeg's ``lut3d`` (7.x to 9.x) reads ``DOMAIN_MIN``/``DOMAIN_MAX`` only after
``LUT_3D_SIZE`` (as :func:`write_cube` writes them) and honours only domains that start at 0 and
span at least 1 (``0..1``, ``0..2``); for other domains it ignores the offset, so such LUTs
render differently there than here (and than in Resolve). The bundled looks all use ``0..1``.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from creator_tools.errors import DataFileError

#: Grid sizes accepted (ffmpeg's ``lut3d`` accepts up to 256 too).
MIN_SIZE = 2
MAX_SIZE = 256

Triple = tuple[float, float, float]

_KEYWORD = re.compile(r"[A-Z][A-Z0-9_]*")
_TITLE = re.compile(r'^TITLE\s*(?:"(?P<quoted>[^"]*)"|(?P<bare>.*?))\s*$')
_CHUNK = 1 << 18  # pixels interpolated at once by apply_lut (bounds temporary memory)
_FLOAT32_MAX = float(np.finfo(np.float32).max)
#: Characters ``str.splitlines`` ends a line at: a title must not hold one.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass(frozen=True, eq=False)
class Lut3D:
    """A 3D colour lookup table.

    Attributes
    ----------
    size
        Grid points per axis, 2..256.
    table
        Output RGB of each grid point, float32, shape ``(size, size, size, 3)``, indexed
        ``[b, g, r]`` (the ``.cube`` row order, red fastest). Read-only.
    title
        Human-readable name (the ``TITLE`` line); may be empty.
    domain_min, domain_max
        Input values mapped to the first and last grid point of each axis (``DOMAIN_MIN`` and
        ``DOMAIN_MAX``), ``(r, g, b)``; ``(0, 0, 0)`` and ``(1, 1, 1)`` for normal LUTs.

    Notes
    -----
    Compare two tables with :func:`numpy.allclose`: ``==`` on LUTs is identity.
    """

    size: int
    table: np.ndarray
    title: str = ""
    domain_min: Triple = (0.0, 0.0, 0.0)
    domain_max: Triple = (1.0, 1.0, 1.0)

    def __post_init__(self) -> None:
        if not (isinstance(self.size, int | np.integer) and MIN_SIZE <= self.size <= MAX_SIZE):
            raise ValueError(f"size must be an integer in {MIN_SIZE}..{MAX_SIZE}, got {self.size}")
        table = np.array(self.table, dtype=np.float32)  # a private copy
        n = int(self.size)
        if table.shape != (n, n, n, 3):
            raise ValueError(f"table must have shape {(n, n, n, 3)}, got {table.shape}")
        if not np.all(np.isfinite(table)):
            raise ValueError("table holds non-finite values")
        table.setflags(write=False)
        lo = tuple(float(v) for v in self.domain_min)
        hi = tuple(float(v) for v in self.domain_max)
        if len(lo) != 3 or len(hi) != 3:
            raise ValueError("domain_min and domain_max need three values each")
        if not all(math.isfinite(a) and math.isfinite(b) and a < b
                   for a, b in zip(lo, hi, strict=True)):
            raise ValueError(f"need finite domain_min < domain_max, got {lo} and {hi}")
        object.__setattr__(self, "size", n)
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "title", str(self.title))
        object.__setattr__(self, "domain_min", lo)
        object.__setattr__(self, "domain_max", hi)

    def grid(self) -> np.ndarray:
        """Input RGB of each grid point, float32, shape ``(size, size, size, 3)``, ``[b, g, r]``.

        The identity LUT over this LUT's domain is ``Lut3D(size, lut.grid(), ...)``.
        """
        return _grid(self.size, self.domain_min, self.domain_max)


def _grid(size: int, lo: Triple = (0.0, 0.0, 0.0), hi: Triple = (1.0, 1.0, 1.0)) -> np.ndarray:
    steps = np.linspace(0.0, 1.0, size)
    b, g, r = np.meshgrid(steps, steps, steps, indexing="ij")
    unit = np.stack([r, g, b], axis=-1)
    lo_a = np.asarray(lo, dtype=np.float64)
    hi_a = np.asarray(hi, dtype=np.float64)
    return (lo_a + unit * (hi_a - lo_a)).astype(np.float32)


def identity(size: int) -> Lut3D:
    """The LUT that leaves every colour as it is, ``size`` points per axis (2..256)."""
    return Lut3D(size, _grid(size), title=f"identity {size}")


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------

def _numbers(parts: list[str], *, path: Path, row: int, what: str) -> Triple:
    if len(parts) != 3:
        raise DataFileError(f"{what} needs 3 numbers, found {len(parts)}", path=path, row=row)
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise DataFileError(f"{what}: not a number in {' '.join(parts)!r}", path=path,
                            row=row) from None
    if not all(math.isfinite(v) for v in values):
        raise DataFileError(f"{what}: non-finite value in {' '.join(parts)!r}", path=path,
                            row=row)
    return values  # type: ignore[return-value]


def _parse_table(rows: list[list[str]], lines: list[int], *, path: Path) -> np.ndarray:
    """Rows of three number strings to a float64 array ``(n, 3)``, naming the bad line.

    Values must also fit the float32 table (``|v| <= 3.4e38``).
    """
    try:
        data = np.array(rows, dtype=np.float64)
    except ValueError:
        data = None
    if data is None or not np.all(np.abs(data) <= _FLOAT32_MAX):  # also false for NaN
        for parts, lineno in zip(rows, lines, strict=True):
            values = _numbers(parts, path=path, row=lineno, what="table row")
            if not all(abs(v) <= _FLOAT32_MAX for v in values):
                raise DataFileError(f"table row: value out of range in {' '.join(parts)!r}",
                                    path=path, row=lineno)
        raise DataFileError("unreadable table", path=path)  # pragma: no cover - found above
    return data


def read_cube(path: str | os.PathLike[str]) -> Lut3D:
    """Read a 3D LUT from an Adobe/Resolve ``.cube`` file.

    Understood: ``#`` comments (whole lines, or after a table row), blank lines, CRLF or CR line
    ends, a UTF-8 byte-order mark, ``TITLE``, ``LUT_3D_SIZE``, ``DOMAIN_MIN``, ``DOMAIN_MAX``
    and Resolve's ``LUT_3D_INPUT_RANGE min max``. Other upper-case keywords before the table
    are ignored.

    Parameters
    ----------
    path
        The ``.cube`` file.

    Returns
    -------
    Lut3D
        The table, its title and its input domain.

    Raises
    ------
    DataFileError
        When the file cannot be read, holds a 1D LUT or shaper (``LUT_1D_SIZE``), lacks
        ``LUT_3D_SIZE`` or gives a size outside 2..256, has a row that is not three finite
        numbers, or has a number of rows other than ``size**3``. ``row`` is the 1-based line.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DataFileError(f"cannot read: {exc.strerror or exc}", path=p) from None
    except ValueError:  # a NUL in the name
        raise DataFileError("cannot read: the file name holds a NUL character", path=p) from None
    text = raw.decode("utf-8-sig", errors="replace")

    title = ""
    size: int | None = None
    lo: Triple = (0.0, 0.0, 0.0)
    hi: Triple = (1.0, 1.0, 1.0)
    domain_line: int | None = None
    rows: list[list[str]] = []
    row_lines: list[int] = []
    last_line = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        last_line = lineno
        head = s.split(None, 1)[0]
        if _KEYWORD.fullmatch(head):
            if rows:
                raise DataFileError(f"keyword {head} after the table rows", path=p, row=lineno)
            if head == "TITLE":
                m = _TITLE.match(s)
                title = (m["quoted"] if m and m["quoted"] is not None else
                         (m["bare"] if m else "")) or ""
                continue
            args = s.split("#", 1)[0].split()[1:]
            if head.startswith("LUT_1D"):
                raise DataFileError("1D LUTs and shapers (LUT_1D_SIZE) are not supported; "
                                    "need a 3D LUT (LUT_3D_SIZE)", path=p, row=lineno)
            if head == "LUT_3D_SIZE":
                if size is not None:
                    raise DataFileError("LUT_3D_SIZE given twice", path=p, row=lineno)
                if len(args) != 1 or not (args[0].isascii() and args[0].isdigit()):
                    raise DataFileError(f"LUT_3D_SIZE needs one whole number, got "
                                        f"{' '.join(args)!r}", path=p, row=lineno)
                digits = args[0].lstrip("0") or "0"
                if len(digits) > 9:  # never parse (or allocate for) an absurd size
                    raise DataFileError(f"LUT_3D_SIZE {digits[:9]}... is outside "
                                        f"{MIN_SIZE}..{MAX_SIZE}", path=p, row=lineno)
                size = int(digits)
                if not MIN_SIZE <= size <= MAX_SIZE:
                    raise DataFileError(f"LUT_3D_SIZE {size} is outside {MIN_SIZE}..{MAX_SIZE}",
                                        path=p, row=lineno)
            elif head == "DOMAIN_MIN":
                lo, domain_line = _numbers(args, path=p, row=lineno, what=head), lineno
            elif head == "DOMAIN_MAX":
                hi, domain_line = _numbers(args, path=p, row=lineno, what=head), lineno
            elif head == "LUT_3D_INPUT_RANGE":
                if len(args) != 2:
                    raise DataFileError(f"{head} needs 2 numbers, found {len(args)}", path=p,
                                        row=lineno)
                a, b, _ = _numbers([*args, "0"], path=p, row=lineno, what=head)
                lo, hi, domain_line = (a, a, a), (b, b, b), lineno
            continue  # other keywords (LUT_IN_VIDEO_RANGE, ...) do not change the table
        if size is None:
            raise DataFileError("table row before LUT_3D_SIZE", path=p, row=lineno)
        parts = s.split("#", 1)[0].split()
        if len(parts) != 3:
            raise DataFileError(f"table row needs 3 numbers, found {len(parts)}", path=p,
                                row=lineno)
        if len(rows) == size**3:
            raise DataFileError(f"more than {size**3} table rows (LUT_3D_SIZE {size})", path=p,
                                row=lineno)
        rows.append(parts)
        row_lines.append(lineno)

    if size is None:
        raise DataFileError("no LUT_3D_SIZE line: not a 3D .cube LUT", path=p)
    if len(rows) != size**3:
        raise DataFileError(f"expected {size**3} table rows for LUT_3D_SIZE {size}, found "
                            f"{len(rows)}", path=p, row=last_line or None)
    if not all(a < b for a, b in zip(lo, hi, strict=True)):
        raise DataFileError(f"DOMAIN_MIN {lo} must be below DOMAIN_MAX {hi}", path=p,
                            row=domain_line)
    table = _parse_table(rows, row_lines, path=p).reshape(size, size, size, 3)
    return Lut3D(size, table, title=title, domain_min=lo, domain_max=hi)


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------

def _fmt(values: np.ndarray) -> np.ndarray:
    # Round first so that tiny negatives print as 0.000000, not -0.000000.
    return np.round(values.astype(np.float64), 6) + 0.0


def _domain_text(values: Triple) -> str:
    """6 decimals when they are exact, else the shortest text that reads back the same value
    (a domain must survive writing: rounding could make ``DOMAIN_MIN`` reach ``DOMAIN_MAX``)."""
    out = []
    for v in values:
        text = f"{v + 0.0:.6f}"
        out.append(text if float(text) == v else repr(v))
    return " ".join(out)


def format_cube(lut: Lut3D) -> str:
    """The ``.cube`` text of ``lut`` (LF line ends, 6 decimals), as :func:`write_cube` writes.

    Keywords come in the order ffmpeg's ``lut3d`` needs: ``TITLE``, ``LUT_3D_SIZE``, then
    ``DOMAIN_MIN``/``DOMAIN_MAX`` (ffmpeg only reads the domain after the size). In the title,
    double quotes become single quotes and line breaks become spaces. The domain is written
    exactly (6 decimals, or more when needed).
    """
    title = _LINE_BREAKS.sub(" ", lut.title.replace('"', "'"))
    head = [
        f'TITLE "{title}"',
        f"LUT_3D_SIZE {lut.size}",
        f"DOMAIN_MIN {_domain_text(lut.domain_min)}",
        f"DOMAIN_MAX {_domain_text(lut.domain_max)}",
    ]
    rows = _fmt(lut.table.reshape(-1, 3))
    # One format operation for the whole table: half the time of a format per row.
    body = ("%.6f %.6f %.6f\n" * len(rows)) % tuple(rows.ravel().tolist())
    return "\n".join(head) + "\n" + body


def write_cube(lut: Lut3D, path: str | os.PathLike[str]) -> Path:
    """Write ``lut`` as a ``.cube`` file (6 decimals); return the path written.

    The file is written next to its final name and renamed into place, so a reader never sees
    half a file.
    """
    p = Path(path)
    tmp = p.with_name(f".{p.name}.tmp")
    try:
        tmp.write_text(format_cube(lut), encoding="utf-8", newline="\n")
        os.replace(tmp, p)
    finally:
        if tmp.exists():
            tmp.unlink()
    return p


# ---------------------------------------------------------------------------------------
# Applying and blending
# ---------------------------------------------------------------------------------------

def apply_lut(lut: Lut3D, rgb: np.ndarray) -> np.ndarray:
    """Map 8-bit RGB pixels through ``lut`` with trilinear interpolation (as ffmpeg's ``lut3d``
    with ``interp=trilinear``).

    Parameters
    ----------
    lut
        The LUT. Inputs are scaled to its domain; values outside it are clamped to the edge.
    rgb
        uint8 RGB pixels, shape ``(..., 3)`` (an image is ``(H, W, 3)``).

    Returns
    -------
    numpy.ndarray
        uint8, the shape of ``rgb``; outputs are rounded and clipped to 0..255.

    Raises
    ------
    ValueError
        When ``rgb`` is not uint8 with a last axis of 3.
    """
    rgb = np.asarray(rgb)
    if rgb.dtype != np.uint8 or rgb.ndim < 1 or rgb.shape[-1] != 3:
        raise ValueError(f"rgb must be uint8 with shape (..., 3), got {rgb.dtype} {rgb.shape}")
    n = lut.size
    levels = np.arange(256, dtype=np.float64) / 255.0
    # Per channel and per 8-bit level: lower grid index and fraction (a 256-entry table each).
    lo = np.asarray(lut.domain_min)[:, None]
    hi = np.asarray(lut.domain_max)[:, None]
    pos = np.clip((levels[None, :] - lo) / (hi - lo), 0.0, 1.0) * (n - 1)
    base = np.minimum(pos.astype(np.intp), n - 2)  # pos >= 0, so this is floor
    frac = (pos - base).astype(np.float32)
    stride = np.array([1, n, n * n], dtype=np.intp)  # r, g, b offsets into the flat table
    flat = lut.table.reshape(-1, 3)

    pixels = rgb.reshape(-1, 3)
    out = np.empty(pixels.shape, dtype=np.uint8)
    for start in range(0, pixels.shape[0], _CHUNK):
        px = pixels[start : start + _CHUNK].astype(np.intp)
        idx = [base[c][px[:, c]] * stride[c] for c in range(3)]
        f = [frac[c][px[:, c]][:, None] for c in range(3)]
        acc = _trilinear(flat, idx[0] + idx[1] + idx[2], f, stride)
        out[start : start + _CHUNK] = np.clip(np.rint(acc * 255.0), 0, 255).astype(np.uint8)
    return out.reshape(rgb.shape)


def _trilinear(flat: np.ndarray, origin: np.ndarray, f: list[np.ndarray], stride: np.ndarray
               ) -> np.ndarray:
    """Trilinear interpolation in a LUT's flat table (``(size**3, 3)``, red fastest):
    ``origin`` is each point's lower grid corner (flat index), ``f`` its fractions towards the
    upper corner per axis (r, g, b; each ``(N, 1)``) and ``stride`` the flat offsets of one
    step along r, g, b. The sum is taken in ``flat``'s dtype."""
    acc = np.zeros((origin.shape[0], 3), dtype=flat.dtype)
    for db in (0, 1):
        wb = f[2] if db else 1.0 - f[2]
        for dg in (0, 1):
            wg = f[1] if dg else 1.0 - f[1]
            for dr in (0, 1):
                wr = f[0] if dr else 1.0 - f[0]
                corner = origin + dr * stride[0] + dg * stride[1] + db * stride[2]
                acc += flat[corner] * (wr * wg * wb)
    return acc


def sample_lut(lut: Lut3D, rgb: np.ndarray) -> np.ndarray:
    """``lut`` at float RGB points, by trilinear interpolation.

    Parameters
    ----------
    lut
        The LUT. Inputs are scaled to its domain; values outside it are clamped to the edge
        (as ffmpeg's ``lut3d`` does).
    rgb
        Float RGB, shape ``(..., 3)``.

    Returns
    -------
    numpy.ndarray
        float64, the shape of ``rgb``: the LUT's output (not clipped).
    """
    rgb = np.asarray(rgb, dtype=np.float64)
    n = lut.size
    lo, hi = np.asarray(lut.domain_min), np.asarray(lut.domain_max)
    pos = np.clip((rgb.reshape(-1, 3) - lo) / (hi - lo), 0.0, 1.0) * (n - 1)
    base = np.minimum(pos.astype(np.intp), n - 2)
    frac = pos - base
    stride = np.array([1, n, n * n], dtype=np.intp)  # r, g, b offsets into the flat table
    flat = lut.table.reshape(-1, 3).astype(np.float64)
    out = _trilinear(flat, base @ stride, [frac[:, c, None] for c in range(3)], stride)
    return out.reshape(rgb.shape)


def compose(lut: Lut3D, before: Callable[[np.ndarray], np.ndarray], *, size: int) -> Lut3D:
    """One LUT doing ``before`` and then ``lut``: ``lut`` sampled at ``before`` of each point
    of a ``size`` grid over the unit cube.

    Parameters
    ----------
    lut
        The look applied second.
    before
        A colour transform on float RGB, shape ``(..., 3)`` in and out (0..1).
    size
        Grid points per axis of the result (a steep ``before`` needs more than the look).

    Returns
    -------
    Lut3D
        Over the unit domain, titled as ``lut``.
    """
    grid = _grid(size).astype(np.float64)
    table = sample_lut(lut, before(grid))
    return Lut3D(size, table.astype(np.float32), title=lut.title)


def blend(lut: Lut3D, strength: float) -> Lut3D:
    """Mix ``lut`` with the identity: 0 leaves colours unchanged, 1 is the full look.

    Parameters
    ----------
    lut
        The look.
    strength
        0..1.

    Returns
    -------
    Lut3D
        Same size and domain; ``table = identity + strength * (lut - identity)``.

    Raises
    ------
    ValueError
        When ``strength`` is outside 0..1.
    """
    s = float(strength)
    if not 0.0 <= s <= 1.0:
        raise ValueError(f"strength must be within 0..1, got {strength}")
    ident = lut.grid()
    table = ident + np.float32(s) * (lut.table - ident)
    title = lut.title if s == 1.0 else f"{lut.title} ({s:.0%})".strip()
    return Lut3D(lut.size, table, title=title, domain_min=lut.domain_min,
                 domain_max=lut.domain_max)


def separable_curves(lut: Lut3D, *, tol: float = 1e-5) -> np.ndarray | None:
    """The three per-channel curves of a LUT in which each output channel depends on its own
    input channel alone (white balance, gains, tone curves); ``None`` for any other LUT.

    Such a LUT's trilinear or tetrahedral interpolation is a linear interpolation of each
    curve, so the curves reproduce it exactly.

    Parameters
    ----------
    lut
        The LUT, over the unit domain (any other domain: ``None``).
    tol
        Largest deviation (output units, 0..1) of any grid point from its channel's curve.

    Returns
    -------
    numpy.ndarray or None
        Shape ``(3, size)``, float64: rows red, green, blue; column ``i`` is the output at
        input ``i / (size - 1)``.
    """
    if lut.domain_min != (0.0, 0.0, 0.0) or lut.domain_max != (1.0, 1.0, 1.0):
        return None
    t = lut.table.astype(np.float64)  # [b, g, r, channel]
    curves = np.stack([t[0, 0, :, 0], t[0, :, 0, 1], t[:, 0, 0, 2]])
    ok = (np.abs(t[..., 0] - curves[0][None, None, :]).max() <= tol
          and np.abs(t[..., 1] - curves[1][None, :, None]).max() <= tol
          and np.abs(t[..., 2] - curves[2][:, None, None]).max() <= tol)
    return curves if ok else None
