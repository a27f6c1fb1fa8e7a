"""The layers of docs/architecture.md hold: no import points upward or sideways, no cycles."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "creator_tools"


def layers() -> dict[str, int]:
    """Package (or top-level module) -> layer, from the ``text layers`` block of the doc."""
    doc = (ROOT / "docs" / "architecture.md").read_text()
    block = re.search(r"```text layers\n(.*?)```", doc, re.S)
    assert block, "docs/architecture.md has no ```text layers block"
    out: dict[str, int] = {}
    for line in block.group(1).splitlines():
        m = re.match(r"\s*(\d+)\s{2,}(.+?)\s{2,}", line)
        if m:
            for name in m.group(2).split():
                out[name] = int(m.group(1))
    return out


def modules() -> dict[str, Path]:
    out = {}
    for f in PACKAGE.rglob("*.py"):
        parts = f.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = f
    return out


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere (module level or in a function)."""
    edges: dict[str, set[str]] = defaultdict(set)
    for name, f in mods.items():
        here = name if f.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(f.read_text(), str(f))):
            found: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                found = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base
                         for a in node.names]
            elif isinstance(node, ast.Import):
                found = [a.name for a in node.names]
            edges[name].update(t for t in found if t in mods and t != name)
    return edges


def package_of(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def test_every_package_has_a_layer():
    known = layers()
    missing = {package_of(m) for m in modules()} - set(known)
    assert not missing, f"add {sorted(missing)} to the layers in docs/architecture.md"


def test_imports_point_down():
    known = layers()
    wrong = []
    for src, targets in imports(modules()).items():
        a = package_of(src)
        for dst in targets:
            b = package_of(dst)
            if a != b and known[b] >= known[a]:
                wrong.append(f"{src} -> {dst} ({a} is layer {known[a]}, {b} is {known[b]})")
    assert not wrong, "imports that point up or sideways:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles():
    edges = imports(modules())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in modules():
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_the_check_catches_an_upward_import(tmp_path):
    """The parser sees what it must: a lazy import inside a function counts."""
    f = tmp_path / "m.py"
    f.write_text("def f():\n    from creator_tools.cli import app\n")
    cli = PACKAGE / "cli" / "__init__.py"
    edges = imports({"creator_tools.media.m": f, "creator_tools.cli": cli})
    assert edges["creator_tools.media.m"] == {"creator_tools.cli"}
    assert layers()["cli"] > layers()["media"]


def test_only_the_cli_imports_typer_and_rich():
    offenders = []
    for name, f in modules().items():
        if package_of(name) == "cli":
            continue
        for node in ast.walk(ast.parse(f.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{name}: {n}" for n in names if n.split(".")[0] in ("typer", "rich")]
    assert not offenders, offenders
