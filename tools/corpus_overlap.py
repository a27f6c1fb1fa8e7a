"""Corpus rows that are near-copies of a held-out or tuning caption, found and taken out.

The corpus, the held-out sets and the tuning sets are written by different writers, who
still land on the same captions at times ("when the group project guy finally replies at
11:58pm" was in the corpus and in a tuning set, word for word but for an emoji). A caption
the model was trained on, near enough, measures memory, not understanding. Two texts are
near-copies when their sets of words (lower case, letters, digits and apostrophes) overlap
by :data:`NEAR` or more (Jaccard): the same template with one word changed ("things I wish
I knew before visiting Iceland" / "... Paris") counts.

Run: ``python tools/corpus_overlap.py`` (lists the counts), ``--prune`` (rewrites
``creator_tools/assets/topics/corpus.csv`` without those rows; retrain afterwards).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "creator_tools" / "assets" / "topics" / "corpus.csv"
#: Word-set overlap (Jaccard) from which two texts are near-copies.
NEAR = 0.7
_WORD = re.compile(r"[a-z0-9']+")


def words(text: str) -> frozenset[str]:
    """The set of words of ``text`` (lower case)."""
    return frozenset(_WORD.findall(text.lower()))


def near_copies(texts: Sequence[str], others: Iterable[str], *, near: float = NEAR
                ) -> set[int]:
    """Indices of ``texts`` that are near-copies of one of ``others``."""
    sets = [words(t) for t in texts]
    index: dict[str, list[int]] = {}
    for i, s in enumerate(sets):
        for w in s:
            index.setdefault(w, []).append(i)
    hit: set[int] = set()
    for other in others:
        o = words(other)
        if not o:
            continue
        for i in {i for w in o for i in index.get(w, ())}:
            s = sets[i]
            if len(s & o) >= near * len(s | o):
                hit.add(i)
    return hit


def set_number(path: Path) -> int:
    """The number of held-out set ``path``: ``suggest_heldoutN.csv`` is N, the first has none."""
    return int(path.stem.removeprefix("suggest_heldout") or 1)


def heldout_sets() -> list[Path]:
    """The benchmark's held-out caption files, the first set first (a second annotator's
    labels of a set repeat its captions and are not one)."""
    held = (ROOT / "benchmarks" / "data").glob("suggest_heldout*.csv")
    return sorted((p for p in held if not p.stem.endswith("_second")), key=set_number)


def unseen_sets() -> list[Path]:
    """The caption files training must not see: the held-out sets and the tuning sets."""
    return heldout_sets() + sorted((ROOT / "tools").glob("dev_captions*.csv"))


def captions(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [r["caption"] for r in csv.DictReader(fh)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prune", action="store_true", help="rewrite the corpus without them")
    args = ap.parse_args(argv)
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    texts = [r["text"] for r in rows]
    drop: set[int] = set()
    for path in unseen_sets():
        hit = near_copies(texts, captions(path))
        print(f"{path.relative_to(ROOT)}: {len(hit)} corpus rows near its captions")
        drop |= hit
    print(f"{len(drop)} of {len(rows)} corpus rows in all")
    if args.prune and drop:
        tmp = CORPUS.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            out = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
            out.writeheader()
            out.writerows(r for i, r in enumerate(rows) if i not in drop)
        tmp.replace(CORPUS)
        print(f"wrote {CORPUS.relative_to(ROOT)} without them: retrain "
              "(python tools/train_topics.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
