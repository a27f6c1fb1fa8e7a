"""Where the benchmarks' figures go: a JSON file under ``benchmarks/results/`` and the script's
own section of ``docs/benchmarks.md``, between ``<!-- NAME -->`` and ``<!-- /NAME -->``.

A ``--quick`` run checks the plumbing only: its JSON goes to ``benchmarks/.work/results/`` and
its section to ``benchmarks/.work/benchmarks.quick.md`` (a copy of the doc), so that the
committed figures are always those of a full run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DOC = HERE.parent / "docs" / "benchmarks.md"
QUICK = HERE / ".work"


def write_results(name: str, result: dict, *, quick: bool) -> Path:
    """``result`` as ``results/NAME.json`` (``.work/results/`` when ``quick``)."""
    folder = QUICK / "results" if quick else RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(result, indent=1, default=str) + "\n")
    return path


def replace_section(text: str, name: str, body: str) -> str:
    """``text`` with what lies between the ``name`` markers replaced by ``body``; the
    section is added at the end when the markers are missing."""
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text, count=1)
    return text.rstrip("\n") + "\n\n" + block + "\n"


def write_section(name: str, body: str, *, quick: bool) -> Path:
    """Put ``body`` (markdown) between the ``name`` markers of docs/benchmarks.md (of its copy
    in ``.work/`` when ``quick``); nothing else in the file changes."""
    target = QUICK / "benchmarks.quick.md" if quick else DOC
    source = target if target.exists() else DOC
    text = source.read_text(encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(replace_section(text, name, body), encoding="utf-8")
    return target


def table(head: list[str], rows: list[list[object]]) -> str:
    """A markdown table."""
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def verdict(value: float | None, goal: float, *, at_most: bool = True) -> str:
    if value is None:
        return "n/a"
    ok = value <= goal if at_most else value >= goal
    return "met" if ok else "**not met**"
