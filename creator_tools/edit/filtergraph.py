"""Build the pieces of the render filtergraph from a plan: segment cuts, crop path, look."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

import numpy as np

from creator_tools.edit.plan import EditPlan, Keyframe


def _fmt(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".") or "0"


def cut_and_join(head: str, pieces: Sequence[str], *, audio: bool, out: str) -> list[str]:
    """Chains that cut one stream into segments and join them again as ``[out]``.

    ``head`` is the chain that prepares the stream (it starts with the input's label);
    its output is split into one branch per segment, branch ``i`` runs through ``pieces[i]``
    (the filters that keep that segment), and ``concat`` joins the branches in order.
    """
    n = len(pieces)
    a = "a" if audio else ""
    branch, cut = ("as", "a") if audio else ("vs", "v")
    chains = [head + (f",{a}split={n}" if n > 1 else "")
              + "".join(f"[{branch}{i}]" for i in range(n))]
    chains += [f"[{branch}{i}]{piece}[{cut}{i}]" for i, piece in enumerate(pieces)]
    if n > 1:
        chains.append("".join(f"[{cut}{i}]" for i in range(n))
                      + f"concat=n={n}:v={0 if audio else 1}:a={1 if audio else 0}[{out}]")
    else:
        chains.append(f"[{cut}0]{a}null[{out}]")
    return chains


def source_path_value(plan: EditPlan, t: int, axis: str) -> float:
    """The crop centre (``x`` or ``y``) at source tick ``t``, interpolating the keyframes."""
    keys: list[Keyframe] = plan.reframe.keyframes
    if not keys:
        return 0.5
    return float(np.interp(t, [k.t for k in keys], [getattr(k, axis) for k in keys]))


def output_path_points(plan: EditPlan, axis: str) -> list[list[tuple[float, float]]]:
    """Per kept segment, the crop-centre curve as (output seconds, value) points."""
    keys = plan.reframe.keyframes
    kt = np.array([k.t for k in keys], dtype=np.int64)
    kv = np.array([getattr(k, axis) for k in keys]) if keys else np.full(1, 0.5)
    out: list[list[tuple[float, float]]] = []
    offset = 0
    for seg in plan.segments:
        a, b = np.searchsorted(kt, seg.start, "right"), np.searchsorted(kt, seg.end, "left")
        ticks = np.concatenate([[seg.start], kt[a:b], [seg.end]])
        values = np.interp(ticks, kt, kv) if keys else np.full(ticks.size, 0.5)
        out.append([(plan.seconds(offset + int(t) - seg.start), float(v))
                    for t, v in zip(ticks, values, strict=True)])
        offset += seg.end - seg.start
    return out


def source_zoom(plan: EditPlan, t: int) -> float:
    """The window's steadying zoom at source tick ``t`` (a keyframe's zoom holds until the
    next keyframe's)."""
    keys = plan.reframe.keyframes
    if not keys:
        return 1.0
    return keys[max(0, bisect.bisect_right([k.t for k in keys], t) - 1)].zoom


def zoom_changes(plan: EditPlan) -> list[tuple[float, float]]:
    """The window's zoom over the output: ``(output seconds, zoom)`` where it changes, from
    0."""
    keys = plan.reframe.keyframes
    kt = [k.t for k in keys]
    out: list[tuple[float, float]] = []
    offset = 0
    for seg in plan.segments:
        a, b = bisect.bisect_right(kt, seg.start), bisect.bisect_left(kt, seg.end)
        first = keys[a - 1].zoom if a > 0 else (keys[0].zoom if keys else 1.0)
        for t, z in [(seg.start, first), *((k.t, k.zoom) for k in keys[a:b])]:
            if not out or z != out[-1][1]:
                out.append((plan.seconds(offset + t - seg.start), z))
        offset += seg.end - seg.start
    return out


def layout_runs(plan: EditPlan) -> list[tuple[float, float | None, str]]:
    """The output as runs of one layout: ``(start, end, mode)`` in output seconds (the last
    run's end is ``None``)."""
    r = plan.reframe
    starts: list[tuple[float, str]] = []
    offset = 0
    for seg in plan.segments:
        ticks = [seg.start, *(s.t for s in r.layout if seg.start < s.t < seg.end)]
        for t in ticks:
            mode = r.mode_at(t)
            if not starts or mode != starts[-1][1]:
                starts.append((plan.seconds(offset + t - seg.start), mode))
        offset += seg.end - seg.start
    ends: list[float | None] = [s for s, _ in starts[1:]]
    return [(s, e, m) for (s, m), e in zip(starts, [*ends, None], strict=True)]


def piecewise_expr(pieces: list[list[tuple[float, float]]], scale: float, shift: float,
                   lo: float, hi: float) -> str:
    """An ffmpeg expression of ``t`` for a piecewise-linear curve, in pixels.

    The pieces form a balanced tree of ``if(lt(t,m),LEFT,RIGHT)``: ffmpeg evaluates about
    log2(n) comparisons a frame, and the nesting stays shallow for thousands of pieces (a flat
    sum of products is refused by ffmpeg's parser from about 98 terms on, and a 10 min clip
    has hundreds of pieces). The first piece also covers any time before it and the last any
    time after it. Values are ``v * scale + shift``, clamped to ``[lo, hi]``.
    """
    flat = [(a, b) for piece in pieces for a, b in itertools.pairwise(piece)]
    if not flat:
        v = pieces[0][0][1] if pieces and pieces[0] else 0.5
        return _fmt(min(max(v * scale + shift, lo), hi))

    def body(i: int) -> str:
        (t0, v0), (t1, v1) = flat[i]
        p0 = min(max(v0 * scale + shift, lo), hi)
        p1 = min(max(v1 * scale + shift, lo), hi)
        if abs(p1 - p0) < 0.5 or t1 <= t0:
            return _fmt(round(p0))
        return f"({_fmt(p0)}+{_fmt((p1 - p0) / (t1 - t0))}*(t-{_fmt(t0)}))"

    def tree(a: int, b: int) -> str:
        if b - a == 1:
            return body(a)
        m = (a + b) // 2
        return f"if(lt(t,{_fmt(flat[m][0][0])}),{tree(a, m)},{tree(m, b)})"

    return tree(0, len(flat))


#: Largest code value of the 16-bit RGB the curves of a separable look run on.
MAX16 = 65535


def curve_expr(curve: np.ndarray) -> str:
    """``lutrgb``'s expression of ``val`` (a 16-bit code) for ``curve`` (outputs 0..1 at
    evenly spaced inputs 0..1, linearly interpolated): a balanced tree of
    ``if(lt(val,m),LEFT,RIGHT)``, clamped, rounded to the nearest code. (``lutrgb`` itself
    caps 16-bit outputs at 65280, a code value of white in 8 bits.)"""
    n = len(curve)
    xs = [i / (n - 1) * MAX16 for i in range(n)]
    ys = [float(y) * MAX16 for y in curve]

    def piece(i: int) -> str:
        slope = (ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i])
        return f"({ys[i]:.4f}+{slope:.8f}*(val-{xs[i]:.4f}))"

    def tree(a: int, b: int) -> str:  # pieces a..b-1; past the last input: the last output
        if b - a == 1:
            return piece(a) if a < n - 1 else f"{ys[-1]:.4f}"
        m = (a + b) // 2
        return f"if(lt(val,{xs[m]:.4f}),{tree(a, m)},{tree(m, b)})"

    return f"clip(floor({tree(0, n)}+0.5),0,{MAX16})"
