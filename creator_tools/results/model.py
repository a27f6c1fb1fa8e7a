"""The online model: a Bayesian linear model kept as sufficient statistics.

The state is the Gram matrix ``G = sum of z zᵀ`` over the learning rows ``z`` (intercept,
platform indicators, the core features, the target: :data:`~creator_tools.results.table.LAYOUT`).
A new export updates it row by row: a new video adds its row, a newer snapshot of a video
takes the old row out and puts the new one in, nothing else is revisited. Any linear model of
the rows can be solved from ``G`` alone; this one standardizes the features (means and
variances come from ``G`` too) and puts a Gaussian prior on their coefficients (ridge,
precision :data:`PRIOR_PRECISION` per video-equivalent), which keeps it defined with more
features than videos and shrinks what the data do not support.

Because ``G`` is exact, the online model equals a refit on all the rows up to rounding;
:func:`refit_gap` measures how far it drifted (``creator insights --json`` reports it).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Prior precision of each standardized coefficient, in units of one video's information.
PRIOR_PRECISION = 2.0


class GramModel:
    """Sufficient statistics of the learning rows of ``layout``."""

    def __init__(self, layout: Sequence[str], gram: np.ndarray | None = None,
                 updates: int = 0) -> None:
        self.layout = tuple(layout)
        size = len(self.layout)
        self.gram = np.zeros((size, size)) if gram is None else np.asarray(gram, dtype=float)
        self.updates = updates
        #: False when a stored state had another layout and was dropped.
        self.fresh = True

    @classmethod
    def from_state(cls, state: Sequence[Any] | None, layout: Sequence[str]) -> GramModel:
        """The model stored as ``(layout JSON, gram JSON, updates)``, or an empty one."""
        if state is None:
            return cls(layout)
        stored_layout, gram, updates = state
        if tuple(json.loads(stored_layout)) != tuple(layout):
            model = cls(layout)
            model.fresh = False
            return model
        return cls(layout, np.array(json.loads(gram), dtype=float), int(updates))

    @classmethod
    def refit(cls, rows: Sequence[Sequence[float]], layout: Sequence[str]) -> GramModel:
        """The statistics computed at once from all ``rows``."""
        z = np.asarray(rows, dtype=float).reshape(-1, len(layout))
        return cls(layout, z.T @ z, updates=len(z))

    def add(self, z: Sequence[float]) -> None:
        v = np.asarray(z, dtype=float)
        self.gram += np.outer(v, v)
        self.updates += 1

    def remove(self, z: Sequence[float]) -> None:
        v = np.asarray(z, dtype=float)
        self.gram -= np.outer(v, v)
        self.updates += 1

    def gram_list(self) -> list[list[float]]:
        return self.gram.tolist()

    @property
    def rows(self) -> int:
        """How many rows the statistics hold."""
        return int(round(self.gram[0, 0]))

    def fit(self) -> LinearFit | None:
        """The posterior mean and spread; ``None`` with fewer than 3 rows."""
        n = self.gram[0, 0]
        if n < 3:
            return None
        g = self.gram / n
        mean = g[0, 1:-1]
        cov = g[1:-1, 1:-1] - np.outer(mean, mean)
        y_mean = g[0, -1]
        cov_y = g[1:-1, -1] - mean * y_mean
        var_y = max(g[-1, -1] - y_mean**2, 0.0)
        var = np.diag(cov).copy()
        keep = var > 1e-9 * np.maximum(1.0, mean**2)
        sd = np.sqrt(np.where(keep, var, 1.0))
        c = cov / np.outer(sd, sd)
        cy = cov_y / sd
        idx = np.flatnonzero(keep)
        precision = n * c[np.ix_(idx, idx)] + PRIOR_PRECISION * np.eye(len(idx))
        beta_std = np.zeros(len(mean))
        if len(idx):
            beta_std[idx] = np.linalg.solve(precision, n * cy[idx])
        explained = float(beta_std[idx] @ cy[idx]) if len(idx) else 0.0
        dof = n - 1 - (np.trace(np.linalg.solve(precision, n * c[np.ix_(idx, idx)]))
                       if len(idx) else 0.0)
        sigma2 = max(n * (var_y - explained), 0.0) / max(dof, 1.0)
        coef = np.where(keep, beta_std / sd, 0.0)
        return LinearFit(names=self.layout[1:-1], coef=coef,
                         intercept=float(y_mean - coef @ mean), mean=mean, sd=sd, keep=keep,
                         precision=precision, idx=idx, sigma2=sigma2, n=int(round(n)),
                         y_mean=float(y_mean))


@dataclass(frozen=True)
class LinearFit:
    """A solved model: ``intercept + coef · x`` with a predictive spread."""

    names: tuple[str, ...]
    coef: np.ndarray
    intercept: float
    mean: np.ndarray
    sd: np.ndarray
    keep: np.ndarray
    precision: np.ndarray
    idx: np.ndarray
    sigma2: float
    n: int
    y_mean: float

    def predict(self, x: Sequence[float]) -> tuple[float, float]:
        """Prediction for the row ``x`` (its ``layout`` without ``1`` and ``y``) and its
        predictive standard deviation."""
        v = np.asarray(x, dtype=float)
        xs = ((v - self.mean) / self.sd)[self.idx]
        var = self.sigma2 * (1.0 + 1.0 / self.n
                             + float(xs @ np.linalg.solve(self.precision, xs)))
        return float(self.intercept + self.coef @ v), float(np.sqrt(var))

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "intercept": round(self.intercept, 4),
                "coefficients": {k: round(float(c), 6) for k, c, keep
                                 in zip(self.names, self.coef, self.keep, strict=True) if keep},
                "residual_sd": round(float(np.sqrt(self.sigma2)), 4)}


def refit_gap(online: GramModel, rows: Sequence[Sequence[float]]) -> float | None:
    """The largest difference between the online model's predictions for ``rows`` and those
    of a model refit on them (target units); ``None`` when either cannot be solved."""
    if not rows:
        return None
    a, b = online.fit(), GramModel.refit(rows, online.layout).fit()
    if a is None or b is None:
        return None
    x = np.asarray(rows, dtype=float)[:, 1:-1]
    return float(np.max(np.abs((x @ a.coef + a.intercept) - (x @ b.coef + b.intercept))))
