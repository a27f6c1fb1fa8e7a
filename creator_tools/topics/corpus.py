"""The labeled corpus the topic model learns from: the shipped rows and the creator's own.

A corpus is a CSV file with a header: ``text`` (a caption or a few sentences of speech),
``labels`` (one or more niches of :data:`~creator_tools.settings.schema.NICHES`, separated by
``;``) and optionally ``kind`` (``caption`` or ``speech``). The shipped corpus is
``assets/topics/corpus.csv``; a creator's rows live in ``topics.csv`` in the folder of the
trend index (the user data folder unless ``--index`` or ``$CREATOR_INDEX`` says otherwise).
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from creator_tools.errors import DataFileError
from creator_tools.resources import asset_path
from creator_tools.settings.schema import NICHES

#: The creator's own labeled rows and the model retrained with them, beside the trend index.
USER_ROWS = "topics.csv"
USER_MODEL = "topics-model.npz"
KINDS = ("caption", "speech", "terms")


@dataclass(frozen=True, slots=True)
class Row:
    """One labeled example."""

    text: str
    labels: tuple[str, ...]
    kind: str = "caption"


def shipped_corpus_path() -> Path:
    return asset_path("topics", "corpus.csv")


def file_digest(path: Path) -> str:
    """A short SHA-256 of a file's bytes (which corpus a model was trained on)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def parse_labels(value: str) -> tuple[str, ...]:
    """``"food; travel"`` -> ``("food", "travel")``; :class:`ValueError` for unknown niches."""
    labels = tuple(dict.fromkeys(x for x in re.split(r"[;,\s]+", value.strip().lower()) if x))
    if not labels:
        raise ValueError("no labels (niches separated by ';')")
    unknown = [x for x in labels if x not in NICHES]
    if unknown:
        raise ValueError(f"unknown niche {unknown[0]!r} (known: {', '.join(NICHES)})")
    return labels


def read_corpus(path: Path) -> list[Row]:
    """The rows of a corpus CSV (:class:`DataFileError` with the row and column when bad)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            missing = [c for c in ("text", "labels") if c not in fields]
            if missing:
                raise DataFileError(f"missing column {missing[0]!r} (columns: text, labels, "
                                    "kind)", path=path, row=1)
            rows = []
            for n, raw in enumerate(reader, start=2):
                rec = {(k or "").strip().lower(): (v or "") for k, v in raw.items()}
                text = rec["text"].strip()
                if not text:
                    raise DataFileError("empty text", path=path, row=n, column="text")
                try:
                    labels = parse_labels(rec["labels"])
                except ValueError as exc:
                    raise DataFileError(str(exc), path=path, row=n, column="labels") from None
                kind = rec.get("kind", "").strip().lower() or "caption"
                if kind not in KINDS:
                    raise DataFileError(f"kind must be caption or speech, not {kind!r}",
                                        path=path, row=n, column="kind")
                rows.append(Row(text, labels, kind))
            return rows
    except FileNotFoundError:
        raise DataFileError("no such corpus file", path=path) from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataFileError(f"unreadable corpus: {exc}", path=path) from None


def shipped_corpus() -> list[Row]:
    """The corpus that ships with creator-tools."""
    return read_corpus(shipped_corpus_path())


def user_rows_path(folder: Path) -> Path:
    """Where a creator's own labeled rows live: ``FOLDER/topics.csv``."""
    return folder / USER_ROWS


def user_model_path(folder: Path) -> Path:
    """Where ``creator trends retrain`` writes the model: ``FOLDER/topics-model.npz``."""
    return folder / USER_MODEL
