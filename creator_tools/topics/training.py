"""Training the topic model with scikit-learn (``tools/train_topics.py``, ``creator trends
retrain``).

Per niche, a linear SVM (``LinearSVC``) on the features of
:mod:`creator_tools.topics.features` with a sigmoid (Platt) calibration fitted on 5-fold
out-of-fold scores (``CalibratedClassifierCV(ensemble=False)``): one linear model and one
sigmoid per niche, exported as arrays (:class:`~creator_tools.topics.model.TopicModel`).
``estimator="logreg"`` trains a logistic regression instead (compared in the training script).
Deterministic for a given corpus and ``seed``.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import numpy as np

from creator_tools.errors import InputError
from creator_tools.topics import features
from creator_tools.topics.corpus import (
    Row,
    file_digest,
    read_corpus,
    shipped_corpus,
    shipped_corpus_path,
    user_model_path,
    user_rows_path,
)
from creator_tools.topics.features import CHAR_BLOCK, TextFeatures, text_features
from creator_tools.topics.model import TopicModel, blocks_of, save_model, tf_idf

SEED = 15
#: Character n-grams seen in fewer training rows than this are left out (word features: 1).
CHAR_MIN_DF = 2
#: ``norm0`` per block: this percentile of the training rows' norms.
NORM0_PERCENTILE = 25
ESTIMATORS = ("svm", "logreg")


def _vocabulary(feats: list[TextFeatures]) -> tuple[list[str], np.ndarray]:
    df: dict[str, int] = {}
    for f in feats:
        for name in f.counts:
            df[name] = df.get(name, 0) + 1
    names = sorted(n for n, d in df.items() if d >= (CHAR_MIN_DF if n.startswith("c ") else 1))
    n = len(feats)
    idf = np.array([np.log((1 + n) / (1 + df[f])) + 1.0 for f in names])
    return names, idf


def _matrix(feats: list[TextFeatures], index: dict[str, int], idf: np.ndarray,
            blocks: np.ndarray, norm0: np.ndarray | None) -> tuple[Any, np.ndarray]:
    """The rows as a CSR matrix normalised like :meth:`TopicModel.vector`; the block norms."""
    from scipy.sparse import csr_matrix

    data, cols, ptr = [], [], [0]
    norms = np.zeros((len(feats), 2))
    for i, f in enumerate(feats):
        names = [n for n in f.counts if n in index]
        rows = np.array([index[n] for n in names], dtype=np.int64)
        values = tf_idf(np.array([f.counts[n] for n in names]), idf[rows])
        for b in (0, CHAR_BLOCK):
            sel = blocks[rows] == b
            norms[i, b] = float(np.sqrt(np.sum(values[sel] ** 2))) if sel.any() else 0.0
            if norm0 is not None and sel.any():
                values[sel] *= features.BLOCK_SCALE[b] / max(norms[i, b], norm0[b])
        data.extend(values.tolist())
        cols.extend(rows.tolist())
        ptr.append(len(cols))
    return csr_matrix((data, cols, ptr), shape=(len(feats), len(index))), norms


def _classifier(estimator: str, seed: int) -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    base: Any
    if estimator == "logreg":
        base = LogisticRegression(C=8.0, solver="liblinear", random_state=seed)
    else:
        base = LinearSVC(C=0.5, random_state=seed)
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    return CalibratedClassifierCV(base, method="sigmoid", cv=cv, ensemble=False)


def train(rows: list[Row], *, seed: int = SEED, estimator: str = "svm",
          meta: dict[str, Any] | None = None) -> TopicModel:
    """A topic model trained on ``rows`` (each niche needs a few rows of its own)."""
    from creator_tools.settings.schema import NICHES

    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}")
    start = time.perf_counter()
    feats = [text_features(r.text) for r in rows]
    names, idf = _vocabulary(feats)
    index = {n: i for i, n in enumerate(names)}
    blocks = blocks_of(names)
    _, norms = _matrix(feats, index, idf, blocks, None)
    norm0 = np.array([np.percentile(norms[norms[:, b] > 0, b], NORM0_PERCENTILE)
                      for b in (0, CHAR_BLOCK)])
    x, _ = _matrix(feats, index, idf, blocks, norm0)
    labels = tuple(n for n in NICHES if sum(n in r.labels for r in rows) >= 5)
    coef = np.zeros((len(names), len(labels)))
    intercept, cal_a, cal_b = (np.zeros(len(labels)) for _ in range(3))
    for k, label in enumerate(labels):
        y = np.array([label in r.labels for r in rows], dtype=int)
        clf = _classifier(estimator, seed).fit(x, y)
        fitted = clf.calibrated_classifiers_[0]
        coef[:, k] = fitted.estimator.coef_.ravel()
        intercept[k] = float(fitted.estimator.intercept_[0])
        cal_a[k] = float(fitted.calibrators[0].a_)
        cal_b[k] = float(fitted.calibrators[0].b_)
    import sklearn

    info = {"estimator": estimator, "seed": seed, "rows": len(rows), "features": len(names),
            "sklearn": sklearn.__version__,
            "train_seconds": round(time.perf_counter() - start, 2), **(meta or {})}
    return TopicModel(labels, index, idf, blocks, norm0, coef, intercept, cal_a, cal_b, info)


def train_shipped(path: Path, *, seed: int = SEED, estimator: str = "svm") -> TopicModel:
    """Train on the shipped corpus and write the model to ``path``."""
    model = train(shipped_corpus(), seed=seed, estimator=estimator,
                  meta={"corpus": file_digest(shipped_corpus_path()), "user_rows": 0})
    seconds = model.meta.pop("train_seconds")  # the file stays the same from run to run
    save_model(model, path)
    model.meta["train_seconds"] = seconds
    return model


def retrain(folder: Path, *, seed: int = SEED) -> tuple[TopicModel, Path, int]:
    """Train on the shipped corpus plus the creator's rows (``FOLDER/topics.csv``) and write
    ``FOLDER/topics-model.npz``; returns the model, its path and the number of own rows."""
    own_path = user_rows_path(folder)
    if not own_path.is_file():
        raise InputError("no labeled rows of your own to learn from: write a CSV with the "
                         "columns text,labels (niches separated by ';') here", path=own_path)
    own = read_corpus(own_path)
    if not own:
        raise InputError("the file has no rows (columns: text,labels)", path=own_path)
    model = train(shipped_corpus() + own, seed=seed,
                  meta={"corpus": file_digest(shipped_corpus_path()), "user_rows": len(own),
                        "user_digest": file_digest(own_path),
                        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
    out = user_model_path(folder)
    save_model(model, out)
    return model, out, len(own)
