"""The trained topic model as plain arrays: probabilities per niche and the words behind them.

The model is linear: ``score = x . coef + intercept`` per niche, where ``x`` holds the text's
features (see :mod:`creator_tools.topics.features`) as TF-IDF values, each block divided by
``max(its norm, norm0)`` (so a text with little to go on stays unsure), and a fitted sigmoid
turns the score into a calibrated probability: ``p = 1 / (1 + exp(a * score + c * nb + b))``.

``nb`` is a second opinion on the same words, a naive Bayes over the word and word-pair
features: the log of its posterior for the niche over the uniform one (``log(18 p)``). The SVM
shares a niche's push among the words that go together in the corpus, so a word that names the
topic outright but came with plainer cues in training ("hamster", "gravy") gets little of it,
and a generic word that a few rows of one niche happened to use ("technique", "challenge") can
outweigh it; naive Bayes counts every word on its own. ``a``, ``c`` and ``b`` are fitted together
on 5-fold out-of-fold scores (stacking), so each niche weighs the two as the corpus supports.

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
FORMAT = 4
#: Formats this version reads (1: no naive Bayes part; 2: float16 weights; 3: the feature
#: names as a fixed-width string array).
READ_FORMATS = (1, 2, 3, 4)
#: The naive Bayes log-ratio is kept above ``-NB_CLIP`` (one missing word cannot veto a niche).
NB_CLIP = 6.0


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
    #: The naive Bayes part: the feature rows it knows, their ``log P(feature | niche)``, and
    #: its weight per niche in the calibration (empty and 0 in a format-1 model).
    nb_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    nb: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    cal_c: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _nb_of: np.ndarray | None = field(default=None, repr=False, compare=False)

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

    def nb_scores(self, feats: TextFeatures) -> np.ndarray:
        """The naive Bayes part's log posterior per label over the uniform one (0 when it
        knows none of the words, or the model has no such part)."""
        if not len(self.nb_rows):
            return np.zeros(len(self.labels))
        if self._nb_of is None:
            self._nb_of = np.full(len(self.features), -1, dtype=np.int64)
            self._nb_of[self.nb_rows] = np.arange(len(self.nb_rows))
        names = [f for f in feats.counts if f in self.features]
        at = self._nb_of[[self.features[f] for f in names]] if names else np.zeros(0, int)
        known = at >= 0
        if not known.any():
            return np.zeros(len(self.labels))
        counts = np.array([feats.counts[f] for f in names])[known]
        return nb_log_ratio(nb_counts(counts) @ self.nb[at[known]].astype(np.float64))

    def probabilities(self, feats: TextFeatures) -> np.ndarray:
        """Calibrated probability per label (independent: several may be high)."""
        z = self.cal_a * self.scores(feats) + self.cal_b
        if len(self.nb_rows):
            z = z + self.cal_c * self.nb_scores(feats)
        return 1.0 / (1.0 + np.exp(np.clip(z, -50, 50)))

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


def nb_counts(counts: np.ndarray) -> np.ndarray:
    """What naive Bayes counts of a feature: its weighted count, at most 1 (a word said twice
    is not twice the evidence)."""
    return np.minimum(counts, 1.0)


def nb_log_ratio(loglik: np.ndarray) -> np.ndarray:
    """Log-likelihoods per label (rows: texts) -> ``log(L * posterior)`` under a uniform prior,
    kept above ``-NB_CLIP``."""
    z = loglik - loglik.max(axis=-1, keepdims=True)
    log_post = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return np.maximum(log_post + np.log(loglik.shape[-1]), -NB_CLIP)


def tf_idf(counts: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """Sub-linear term frequency (weighted counts above 1 grow as ``1 + log``) times IDF."""
    tf = np.where(counts > 1.0, 1.0 + np.log(np.maximum(counts, 1.0)), counts)
    return tf * idf


def quantize(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``weights`` (features x labels) as int8 steps of one scale per label, and the scales:
    the file a quarter of float16's (most weights are near zero and compress to nothing),
    every weight within half a step (1/254 of its label's largest)."""
    scale = np.abs(weights).max(axis=0) / 127.0
    scale = np.where(scale > 0, scale, 1.0)
    return np.round(weights / scale).astype(np.int8), scale.astype(np.float32)


def _weights(z: np.lib.npyio.NpzFile, name: str) -> np.ndarray:
    """A weight matrix of a model file: int8 steps times their scales, or plain floats."""
    if f"{name}_scale" in z.files:
        return z[name].astype(np.float32) * z[f"{name}_scale"].astype(np.float32)
    return z[name].astype(np.float32)


def save_model(model: TopicModel, path: Path) -> None:
    """Write ``model`` to ``path`` (``.npz``, compressed; the linear weights as
    :func:`quantize`, the naive Bayes log-probabilities as float16)."""
    names = sorted(model.features, key=model.features.__getitem__)
    meta = {**model.meta, "format": FORMAT}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    coef, coef_scale = quantize(model.coef)
    with tmp.open("wb") as fh:
        np.savez_compressed(
            fh, labels=np.array(model.labels), feature_text=_name_bytes(names),
            idf=model.idf.astype(np.float32), blocks=model.blocks.astype(np.int8),
            norm0=model.norm0.astype(np.float32), coef=coef, coef_scale=coef_scale,
            intercept=model.intercept.astype(np.float64), cal_a=model.cal_a.astype(np.float64),
            cal_b=model.cal_b.astype(np.float64), nb_rows=model.nb_rows.astype(np.int32),
            nb=model.nb.astype(np.float16), cal_c=model.cal_c.astype(np.float64),
            meta=np.array(json.dumps(meta)))
    os.replace(tmp, path)  # a reader never sees half a model


def _name_bytes(names: list[str]) -> np.ndarray:
    """Feature names as one UTF-8 text, a name a line (no name holds a line break): read
    back in a third of the time of a fixed-width string array, which stores each name as
    wide as the longest (172,636 names: 1.9 MB to unpack instead of 21 MB, 0.03 s instead of
    0.1 s of every cold start)."""
    assert not any("\n" in n for n in names)
    return np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8)


def load_model(path: Path) -> TopicModel:
    """Read a model written by :func:`save_model` (:class:`DataFileError` when unusable)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("format") not in READ_FORMATS:
                raise DataFileError(f"topic model format {meta.get('format')} is not "
                                    f"{FORMAT}: retrain it", path=path)
            names = (z["feature_text"].tobytes().decode("utf-8").split("\n")
                     if "feature_text" in z.files else z["features"].tolist())
            index = dict(zip(names, range(len(names)), strict=True))
            model = TopicModel(
                labels=tuple(z["labels"].tolist()), features=index,
                idf=z["idf"].astype(np.float64), blocks=z["blocks"].astype(np.int8),
                norm0=z["norm0"].astype(np.float64), coef=_weights(z, "coef"),
                intercept=z["intercept"], cal_a=z["cal_a"], cal_b=z["cal_b"], meta=meta)
            if "nb" in z.files:
                model.nb_rows = z["nb_rows"].astype(np.int64)
                model.nb = z["nb"].astype(np.float32)
                model.cal_c = z["cal_c"].astype(np.float64)
            return model
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

