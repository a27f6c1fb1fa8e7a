"""The review page assembled from its template (``assets/review/``), escaped throughout.

Text from files and plans reaches the page two ways, both inert: as HTML-escaped text and
attributes in the server-written parts (the title, the timeline marks), and inside the JSON
data block with ``<``, ``>``, ``&`` and the JavaScript line separators written as ``\\uXXXX``,
which the script reads with ``JSON.parse`` and puts on the page as text only. A Content
Security Policy lets nothing run but the page's own script (by its hash) and load nothing
but local files.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Sequence
from typing import Any

from creator_tools.review.marks import Mark

#: The timeline lanes written with the page: name, label, and the kinds of mark they hold.
LANES = (
    ("edit", "edit", ("removed",)),
    ("shots", "shots", ("shot", "cut")),
    ("sound", "speech", ("speech", "silence")),
    ("beats", "beats", ("beat",)),
    ("hook", "hook", ("hook",)),
    ("advice", "advice", ("advice",)),
)
#: Marks reached with Tab; the rest (many points) by mouse, touch or the shot keys.
_FOCUSABLE = {"removed", "shot", "speech", "silence", "hook", "advice"}
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                 "\u2029": "\\u2029"}


def json_for_html(data: Any) -> str:
    """JSON that is safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def _attr(value: object) -> str:
    return html.escape(str(value), quote=True)


def mark_html(m: Mark) -> str:
    """One mark as a button: ``data-kind``, ``data-start``/``data-end`` (3 decimals)."""
    extra = "".join(f' data-{k}="{_attr(v)}"' for k, v in m.attrs)
    tab = "" if m.kind in _FOCUSABLE else ' tabindex="-1"'
    label = _attr(m.label)
    return (f'<button type="button" class="mark" data-kind="{m.kind}" '
            f'data-start="{m.start:.3f}" data-end="{m.end:.3f}"{extra}{tab} '
            f'title="{label}" aria-label="{label}"></button>')


def lanes_html(marks: Sequence[Mark], *, with_plan: bool) -> str:
    """The timeline lanes holding ``marks`` (the edit lane only with a plan)."""
    out = []
    for name, label, kinds in LANES:
        if name == "edit" and not with_plan:
            continue
        inner = "".join(mark_html(m) for m in marks if m.kind in kinds)
        if not inner:
            inner = f'<span class="none">{"nothing removed" if name == "edit" else "none"}</span>'
        out.append(f'<div class="lane" data-lane="{name}"><span class="lane-label">'
                   f'{html.escape(label)}</span><div class="track">{inner}</div></div>')
    return "\n".join(out)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def render_page(template: str, style: str, script: str, *, title: str, heading: str,
                lanes: str, data: Any, generator: str) -> str:
    """The page: ``template`` with its ``{{name}}`` places filled in, in one pass."""
    csp = ("default-src 'none'; "
           f"script-src {_hash(script)}; style-src {_hash(style)}; "
           "img-src 'self' file: data: blob:; media-src 'self' file: blob:; "
           "base-uri 'none'; form-action 'none'")
    values = {"csp": _attr(csp), "title": html.escape(title), "heading": html.escape(heading),
              "generator": _attr(generator), "style": style, "script": script,
              "lanes": lanes, "data": json_for_html(data)}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
