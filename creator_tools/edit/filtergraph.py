"""Build the pieces of the render filtergraph from a plan: segment cuts, crop path, look."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

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
    if t <= keys[0].t:
        return getattr(keys[0], axis)
    for a, b in itertools.pairwise(keys):
        if a.t <= t <= b.t:
            va, vb = getattr(a, axis), getattr(b, axis)
            return va + (vb - va) * (t - a.t) / max(b.t - a.t, 1)
    return getattr(keys[-1], axis)


def output_path_points(plan: EditPlan, axis: str) -> list[list[tuple[float, float]]]:
    """Per kept segment, the crop-centre curve as (output seconds, value) points."""
    out: list[list[tuple[float, float]]] = []
    offset = 0
    for seg in plan.segments:
        inside = [k.t for k in plan.reframe.keyframes if seg.start < k.t < seg.end]
        ticks = [seg.start, *inside, seg.end]
        pts = [(plan.seconds(offset + t - seg.start), source_path_value(plan, t, axis))
               for t in ticks]
        out.append(pts)
        offset += seg.end - seg.start
    return out


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
