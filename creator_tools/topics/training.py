"""Training the topic model with scikit-learn (``tools/train_topics.py``, ``creator trends
retrain``).

Per niche, a linear SVM (``LinearSVC``) on the features of
:mod:`creator_tools.topics.features`, and a naive Bayes over the word and word-pair features
(shared by all niches); a sigmoid over both scores (``p = 1 / (1 + exp(a * svm + c * nb + b))``,
see :mod:`creator_tools.topics.model`) fitted on their 5-fold out-of-fold scores (stacking):
one linear model, one naive Bayes table and one sigmoid per niche, exported as arrays
(:class:`~creator_tools.topics.model.TopicModel`). ``estimator="logreg"`` trains a logistic
regression instead of the SVM (compared in the training script).
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
from creator_tools.topics.model import (
    TopicModel,
    blocks_of,
    nb_counts,
    nb_log_ratio,
    save_model,
    tf_idf,
)

SEED = 15
#: Character n-grams seen in fewer training rows than this are left out (word features: 1).
CHAR_MIN_DF = 2
#: ``norm0`` per block: this percentile of the training rows' norms.
NORM0_PERCENTILE = 25
ESTIMATORS = ("svm", "logreg")
FOLDS = 5
#: Naive Bayes smoothing: pseudo-count added to every (feature, niche) count.
NB_ALPHA = 0.1


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
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    if estimator == "logreg":
        return LogisticRegression(C=8.0, solver="liblinear", random_state=seed)
    return LinearSVC(C=0.5, random_state=seed)


def _nb_matrix(feats: list[TextFeatures], nb_index: dict[str, int]) -> Any:
    """The rows' word and word-pair features as naive Bayes counts them (CSR)."""
    from scipy.sparse import csr_matrix

    data, cols, ptr = [], [], [0]
    for f in feats:
        names = [n for n in f.counts if n in nb_index]
        cols.extend(nb_index[n] for n in names)
        data.extend(nb_counts(np.array([f.counts[n] for n in names])).tolist())
        ptr.append(len(cols))
    return csr_matrix((data, cols, ptr), shape=(len(feats), len(nb_index)))


def _nb_table(xnb: Any, y: np.ndarray) -> np.ndarray:
    """``log P(feature | niche)`` (features x niches), smoothed by :data:`NB_ALPHA`."""
    counts = np.asarray((xnb.T @ y).astype(np.float64))
    counts += NB_ALPHA
    return np.log(counts / counts.sum(axis=0, keepdims=True))


def _sigmoid(svm: np.ndarray, nb: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """``a, c, b`` of ``p = 1 / (1 + exp(a * svm + c * nb + b))`` fitted on out-of-fold
    scores, with Platt's smoothed targets (so a separable niche's slope stays finite)."""
    from scipy.optimize import minimize

    pos = int(y.sum())
    t = np.where(y == 1, (pos + 1.0) / (pos + 2.0), 1.0 / (len(y) - pos + 2.0))
    x = np.column_stack([svm, nb, np.ones(len(y))])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        ll = np.logaddexp(0.0, z) - (1.0 - t) * z  # -log-likelihood of t under sigmoid(-z)
        grad = x.T @ (1.0 / (1.0 + np.exp(-z)) - (1.0 - t))
        return float(ll.sum()), grad

    w = minimize(loss, np.array([-1.0, -0.1, 0.0]), jac=True, method="L-BFGS-B").x
    return float(w[0]), float(w[1]), float(w[2])


def train(rows: list[Row], *, seed: int = SEED, estimator: str = "svm",
          meta: dict[str, Any] | None = None) -> TopicModel:
    """A topic model trained on ``rows`` (each niche needs a few rows of its own)."""
    from sklearn.model_selection import KFold

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
    y = np.array([[lab in r.labels for lab in labels] for r in rows], dtype=int)
    nb_rows = np.flatnonzero(blocks != CHAR_BLOCK)
    xnb = _nb_matrix(feats, {names[i]: j for j, i in enumerate(nb_rows)})
    # Out-of-fold scores of both parts, the same folds for every niche.
    svm_oof = np.zeros(y.shape)
    nb_oof = np.zeros(y.shape)
    folds = KFold(n_splits=FOLDS, shuffle=True, random_state=seed).split(np.zeros(len(rows)))
    for fit, held in folds:
        nb_oof[held] = nb_log_ratio(xnb[held] @ _nb_table(xnb[fit], y[fit]))
        for k in range(len(labels)):
            clf = _classifier(estimator, seed).fit(x[fit], y[fit, k])
            svm_oof[held, k] = clf.decision_function(x[held])
    coef = np.zeros((len(names), len(labels)))
    intercept, cal_a, cal_b, cal_c = (np.zeros(len(labels)) for _ in range(4))
    for k in range(len(labels)):
        clf = _classifier(estimator, seed).fit(x, y[:, k])
        coef[:, k] = clf.coef_.ravel()
        intercept[k] = float(clf.intercept_[0])
        cal_a[k], cal_c[k], cal_b[k] = _sigmoid(svm_oof[:, k], nb_oof[:, k], y[:, k])
    import sklearn

    info = {"estimator": estimator, "seed": seed, "rows": len(rows), "features": len(names),
            "sklearn": sklearn.__version__,
            "train_seconds": round(time.perf_counter() - start, 2), **(meta or {})}
    return TopicModel(labels, index, idf, blocks, norm0, coef, intercept, cal_a, cal_b, info,
                      nb_rows=nb_rows, nb=_nb_table(xnb, y), cal_c=cal_c)


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
