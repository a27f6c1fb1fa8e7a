"""The trained topic model as plain arrays: probabilities per niche and the words behind them.

The model is linear: ``score = x . coef + intercept`` per niche, where ``x`` holds the text's
features (see :mod:`creator_tools.topics.features`) as TF-IDF values, each block divided by
``max(its norm, norm0)`` (so a text with little to go on stays unsure), and a fitted sigmoid
turns the score into a calibrated probability: ``p = 1 / (1 + exp(a * score + b))``.

Stored as one ``.npz`` file (numpy only: loading it needs neither scikit-learn nor pickle).
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from creator_tools.errors import DataFileError
from creator_tools.resources import asset_path
from creator_tools.topics import features
from creator_tools.topics.features import CHAR_BLOCK, TextFeatures, block_of, text_features

#: The shipped model, built by ``tools/train_topics.py``.
SHIPPED_MODEL = ("topics", "model.npz")
FORMAT = 1


@dataclass(slots=True)
class TopicModel:
    """Per-niche calibrated linear scores over word and character features."""

    labels: tuple[str, ...]
    features: dict[str, int]
    idf: np.ndarray
    blocks: np.ndarray
    norm0: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    cal_a: np.ndarray
    cal_b: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def vector(self, feats: TextFeatures) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """The known features of ``feats``: their rows, their values and their names."""
        names = [f for f in feats.counts if f in self.features]
        rows = np.fromiter((self.features[f] for f in names), dtype=np.int64, count=len(names))
        counts = np.fromiter((feats.counts[f] for f in names), dtype=np.float64,
                             count=len(names))
        values = tf_idf(counts, self.idf[rows])
        blocks = self.blocks[rows]
        for b in (0, CHAR_BLOCK):
            sel = blocks == b
            if sel.any():
                norm = float(np.sqrt(np.sum(values[sel] ** 2)))
                values[sel] *= features.BLOCK_SCALE[b] / max(norm, float(self.norm0[b]))
        return rows, values, names

    def scores(self, feats: TextFeatures) -> np.ndarray:
        """Raw linear scores per label."""
        rows, values, _ = self.vector(feats)
        return values @ self.coef[rows].astype(np.float64) + self.intercept

    def probabilities(self, feats: TextFeatures) -> np.ndarray:
        """Calibrated probability per label (independent: several may be high)."""
        s = self.scores(feats)
        return 1.0 / (1.0 + np.exp(np.clip(self.cal_a * s + self.cal_b, -50, 50)))

    def predict(self, text: str) -> dict[str, float]:
        """Label -> probability for ``text``."""
        p = self.probabilities(text_features(text))
        return {lab: float(v) for lab, v in zip(self.labels, p, strict=True)}

    def evidence(self, feats: TextFeatures, label: str, *, limit: int = 3
                 ) -> list[tuple[str, float]]:
        """The words that push ``label`` up most, with their share of the push."""
        k = self.labels.index(label)
        rows, values, names = self.vector(feats)
        push = values * self.coef[rows, k]
        per_word: dict[str, float] = {}
        for name, v in zip(names, push, strict=True):
            if v <= 0:
                continue
            words = feats.words[name]
            for w in words:
                per_word[w] = per_word.get(w, 0.0) + float(v) / len(words)
        total = sum(per_word.values()) or 1.0
        ranked = sorted(per_word.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(w, v / total) for w, v in ranked[:limit]]


def tf_idf(counts: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """Sub-linear term frequency (weighted counts above 1 grow as ``1 + log``) times IDF."""
    tf = np.where(counts > 1.0, 1.0 + np.log(np.maximum(counts, 1.0)), counts)
    return tf * idf


def save_model(model: TopicModel, path: Path) -> None:
    """Write ``model`` to ``path`` (``.npz``, compressed)."""
    names = sorted(model.features, key=model.features.__getitem__)
    meta = {**model.meta, "format": FORMAT}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        np.savez_compressed(
            fh, labels=np.array(model.labels), features=np.array(names),
            idf=model.idf.astype(np.float32), blocks=model.blocks.astype(np.int8),
            norm0=model.norm0.astype(np.float32), coef=model.coef.astype(np.float16),
            intercept=model.intercept.astype(np.float64), cal_a=model.cal_a.astype(np.float64),
            cal_b=model.cal_b.astype(np.float64), meta=np.array(json.dumps(meta)))
    os.replace(tmp, path)  # a reader never sees half a model


def load_model(path: Path) -> TopicModel:
    """Read a model written by :func:`save_model` (:class:`DataFileError` when unusable)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("format") != FORMAT:
                raise DataFileError(f"topic model format {meta.get('format')} is not "
                                    f"{FORMAT}: retrain it", path=path)
            names = z["features"].tolist()
            return TopicModel(
                labels=tuple(z["labels"].tolist()), features={f: i for i, f in enumerate(names)},
                idf=z["idf"].astype(np.float64), blocks=z["blocks"].astype(np.int8),
                norm0=z["norm0"].astype(np.float64), coef=z["coef"].astype(np.float32),
                intercept=z["intercept"], cal_a=z["cal_a"], cal_b=z["cal_b"], meta=meta)
    except DataFileError:
        raise
    except (OSError, ValueError, KeyError) as exc:
        raise DataFileError(f"not a usable topic model: {exc}", path=path) from None


@functools.cache
def shipped_model() -> TopicModel:
    """The model that ships with creator-tools (loaded once per process)."""
    return load_model(asset_path(*SHIPPED_MODEL))


def blocks_of(names: list[str]) -> np.ndarray:
    return np.array([block_of(f) for f in names], dtype=np.int8)

