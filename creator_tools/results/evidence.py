"""Evidence first: which features move the target, with intervals and permutation tests.

The features tried (:func:`candidates`): every feature most videos have (at least
:data:`MIN_PRESENT` of them; the few without get the median), that varies (numbers: three
values or more; yes/no features and each frequent value of a category: at least
:data:`MIN_GROUP` videos on each side). A feature that moves with an earlier one (|r| >=
:data:`DUPLICATE_R`, as ``hook.first_speech_at`` with ``hook.dead_air_start``) is tried once,
as the earlier one, and named beside it.

Selection (:func:`weigh`) is forward and tested at each step by permutation: with the
platforms (and the features already in) as the base model, the residuals of the target are
permuted (Freedman-Lane) :data:`PERMUTATIONS` times, and the step's p-value is the share of
permutations whose largest |t| over all the features tried beats the observed largest |t|
(max-T: corrected for the number of features tried, and for how they correlate). A feature
enters when p < :data:`ALPHA`; at most :data:`MAX_FEATURES` do, and one per 8 videos.

The effects are the least-squares coefficients of the features that entered, with the
platforms held fixed, and their 95% confidence intervals (HC3 standard errors, robust to
unequal noise) made simultaneous over the features tried (Bonferroni). A **finding** needs at
least :data:`MIN_VIDEOS` videos, p < ALPHA and an interval that excludes zero, also with any
one video left out (no single video carries it). Otherwise the strongest lead is reported
with the number of videos its effect, if real, would need to pass.

Rank (Spearman) correlations of each feature tried with the target are reported beside, as a
description, uncorrected.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from creator_tools.results.features import FEATURES

MIN_VIDEOS = 12
ALPHA = 0.1
CI_LEVEL = 0.95
PERMUTATIONS = 1999
MIN_PRESENT = 0.8
MIN_GROUP = 4
DUPLICATE_R = 0.98
MAX_FEATURES = 3
#: Largest number of videos a lead's estimate looks for.
MAX_NEEDED = 5000


@dataclass(frozen=True)
class Candidate:
    """A feature tried: its key (``look.name=warm`` for one value of a category), its values
    over the videos, and the keys of features that move with it."""

    key: str
    values: np.ndarray
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Effect:
    """A feature that entered the model."""

    key: str
    effect: float
    ci: tuple[float, float]
    p: float
    also: tuple[str, ...]
    finding: bool


@dataclass(frozen=True)
class Lead:
    """The strongest feature when nothing is found: its partial correlation with the target
    and how many videos an effect that size would need (``None``: more than MAX_NEEDED)."""

    key: str
    r: float
    p: float
    needed: int | None


@dataclass
class Evidence:
    """What the table says."""

    n: int
    tried: list[Candidate]
    skipped: dict[str, str]
    effects: list[Effect]
    lead: Lead | None
    correlations: list[dict[str, Any]]
    fitted: np.ndarray
    base_columns: int = 1
    seed: int = 0
    #: The final least-squares model: base columns, then the features that entered.
    coef: np.ndarray = field(default_factory=lambda: np.zeros(0))
    selected: list[str] = field(default_factory=list)
    #: The platforms of the base (the first is the baseline) and their shares of the videos.
    platforms: list[str] = field(default_factory=list)
    platform_share: dict[str, float] = field(default_factory=dict)
    residual_sd: float = 0.0

    @property
    def findings(self) -> list[Effect]:
        return [e for e in self.effects if e.finding]

    def predict(self, values: dict[str, Any], platform: str | None = None) -> float:
        """The final model's prediction for a clip's feature ``values`` (a category value
        as ``{"look.name": "warm"}``); ``platform`` ``None`` or unknown: the platforms'
        average."""
        row = [1.0]
        for kind in self.platforms[1:]:
            known = platform in self.platforms
            row.append(float(platform == kind) if known else self.platform_share[kind])
        for key in self.selected:
            name, _, level = key.partition("=")
            value = values.get(name)
            row.append(float(str(value) == level) if level else float(value or 0.0))
        return float(np.asarray(row) @ self.coef)

    @property
    def more_needed(self) -> int | None:
        """More videos before a finding may show (``None``: unknown, no lead)."""
        short = max(0, MIN_VIDEOS - self.n)
        if self.findings:
            return 0
        if self.lead is None or self.lead.needed is None:
            return short or None
        return max(short, self.lead.needed - self.n)


# -- the features tried ----------------------------------------------------------------------

def candidates(rows: list[dict[str, Any]]) -> tuple[list[Candidate], dict[str, str]]:
    """The features tried over ``rows`` (one feature dict per video), and why the others
    were not."""
    n = len(rows)
    out: list[Candidate] = []
    skipped: dict[str, str] = {}
    for f in FEATURES:
        raw = [r.get(f.key) for r in rows]
        present = [v for v in raw if v is not None]
        if n == 0 or len(present) < MIN_PRESENT * n:
            skipped[f.key] = f"known for {len(present)} of {n} videos"
            continue
        if f.kind == "category":
            levels = sorted({str(v) for v in present})
            for level in levels:
                x = np.array([1.0 if v is not None and str(v) == level else 0.0 for v in raw])
                if min(x.sum(), n - x.sum()) >= MIN_GROUP:
                    out.append(Candidate(f"{f.key}={level}", x))
                else:
                    skipped[f"{f.key}={level}"] = f"{int(x.sum())} of {n} videos"
            continue
        median = float(np.median(np.array(present, dtype=float)))
        x = np.array([median if v is None else float(v) for v in raw])
        distinct = len(np.unique(x))
        if f.kind == "flag":
            if min(x.sum(), n - x.sum()) < MIN_GROUP:
                skipped[f.key] = f"{int(x.sum())} of {n} videos have it"
                continue
        elif distinct < 3:
            skipped[f.key] = "the same for (almost) every video"
            continue
        out.append(Candidate(f.key, x))
    return _merge_duplicates(out), skipped


def _merge_duplicates(found: list[Candidate]) -> list[Candidate]:
    kept: list[Candidate] = []
    for c in found:
        for i, k in enumerate(kept):
            if abs(_corr(c.values, k.values)) >= DUPLICATE_R:
                kept[i] = Candidate(k.key, k.values, (*k.also, c.key))
                break
        else:
            kept.append(c)
    return kept


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    den = np.sqrt((a @ a) * (b @ b))
    return float(a @ b / den) if den > 0 else 0.0


def platform_base(platforms: list[str]) -> np.ndarray:
    """Intercept and one indicator per platform present beyond the first."""
    kinds = sorted(set(platforms))
    cols = [np.ones(len(platforms))]
    cols += [np.array([float(p == k) for p in platforms]) for k in kinds[1:]]
    return np.column_stack(cols)


# -- the statistics ---------------------------------------------------------------------------

def _t_crit(df: int, tried: int) -> float:
    from scipy import stats

    return float(stats.t.ppf(1 - (1 - CI_LEVEL) / (2 * max(tried, 1)), max(df, 1)))


def _residualizer(base: np.ndarray) -> Any:
    q, _ = np.linalg.qr(base)
    return lambda m: m - q @ (q.T @ m)


def _t_stats(xr: np.ndarray, xx: np.ndarray, e: np.ndarray, df: int) -> np.ndarray:
    """|t| of each candidate column (residualized ``xr``) for each target column ``e``."""
    num = xr.T @ e
    ee = (e * e).sum(axis=0)
    s2 = np.maximum(ee[None, :] - num**2 / xx[:, None], 1e-300) / df
    return np.abs(num) / np.sqrt(s2 * xx[:, None])


def max_t_step(y: np.ndarray, base: np.ndarray, x: np.ndarray, rng: np.random.Generator,
               permutations: int = PERMUTATIONS) -> tuple[int, float, float, float] | None:
    """The best candidate column of ``x`` given ``base``: (index, |t|, signed partial r,
    max-T permutation p); ``None`` when no column is left or too few degrees of freedom."""
    n = len(y)
    df = n - base.shape[1] - 1
    if df < 2 or x.shape[1] == 0:
        return None
    resid = _residualizer(base)
    xr = resid(x)
    xx = (xr * xr).sum(axis=0)
    usable = xx > 1e-9 * np.maximum((x * x).sum(axis=0), 1e-12)
    if not usable.any():
        return None
    xr, xx = xr[:, usable], xx[usable]
    r = resid(y)
    observed = _t_stats(xr, xx, r[:, None], df)[:, 0]
    best = int(np.argmax(observed))
    index = int(np.flatnonzero(usable)[best])
    order = rng.permuted(np.tile(np.arange(n), (permutations, 1)), axis=1)
    e = resid(r[order].T)
    beaten = int((_t_stats(xr, xx, e, df).max(axis=0) >= observed[best] - 1e-12).sum())
    p = (1 + beaten) / (permutations + 1)
    t = float(observed[best])
    sign = float(np.sign(xr[:, best] @ r)) or 1.0
    return index, t, sign * t / np.sqrt(t * t + df), p


def needed_videos(r: float, extra_columns: int, tried: int) -> int | None:
    """Videos an effect of partial correlation ``r`` needs before its simultaneous interval
    excludes zero (``extra_columns``: intercept and platforms)."""
    if not 0 < abs(r) < 1:
        return None
    for n in range(MIN_VIDEOS, MAX_NEEDED + 1):
        df = n - extra_columns - 1
        if df >= 2 and abs(r) * np.sqrt(df / (1 - r * r)) >= _t_crit(df, tried):
            return n
    return None


def weigh(y: np.ndarray, base: np.ndarray, tried: list[Candidate], *, seed: int | None = None,
          permutations: int = PERMUTATIONS) -> Evidence:
    """Forward selection with max-T permutation tests, then the effects (module notes)."""
    n = len(y)
    y = np.asarray(y, dtype=float)
    if seed is None:
        seed = int.from_bytes(hashlib.sha256(y.tobytes()).digest()[:8], "little")
    rng = np.random.default_rng(seed)
    x = np.column_stack([c.values for c in tried]) if tried else np.zeros((n, 0))
    selected: list[int] = []
    p_of: dict[int, float] = {}
    lead: Lead | None = None
    steps = min(MAX_FEATURES, max(1, (n - base.shape[1]) // 8))
    for _ in range(steps):
        rest = [j for j in range(x.shape[1]) if j not in selected]
        design = np.column_stack([base, x[:, selected]]) if selected else base
        step = max_t_step(y, design, x[:, rest], rng, permutations)
        if step is None:
            break
        j, _t, r, p = step
        j = rest[j]
        if lead is None:
            lead = Lead(tried[j].key, round(r, 4), round(p, 4),
                        needed_videos(r, base.shape[1], len(tried)))
        if p >= ALPHA:
            break
        selected.append(j)
        p_of[j] = p
    design = np.column_stack([base, x[:, selected]]) if selected else base
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    fitted = design @ coef
    effects: list[Effect] = []
    if selected:
        crit = _t_crit(n - design.shape[1], len(tried))
        cols = list(range(base.shape[1], design.shape[1]))
        b, lo, hi = _intervals(design, y, cols, crit)
        stable = _stable(design, y, cols, len(tried))
        for k, j in enumerate(selected):
            excludes = bool(lo[k] > 0 or hi[k] < 0)
            effects.append(Effect(tried[j].key, float(b[k]), (float(lo[k]), float(hi[k])),
                                  p_of[j], tried[j].also,
                                  finding=n >= MIN_VIDEOS and p_of[j] < ALPHA and excludes
                                  and bool(stable[k])))
    df = max(n - design.shape[1], 1)
    return Evidence(n=n, tried=tried, skipped={}, effects=effects,
                    lead=None if any(e.finding for e in effects) else lead,
                    correlations=rank_correlations(y, tried), fitted=fitted,
                    base_columns=base.shape[1], seed=seed, coef=coef,
                    selected=[tried[j].key for j in selected],
                    residual_sd=float(np.sqrt(((y - fitted) ** 2).sum() / df)))


def hc3_covariance(design: np.ndarray, resid: np.ndarray) -> np.ndarray:
    """The coefficients' covariance, robust to unequal noise and to single influential videos
    (MacKinnon-White HC3: each residual scaled by its leverage)."""
    inv = np.linalg.pinv(design.T @ design)
    leverage = np.einsum("ij,jk,ik->i", design, inv, design)
    scaled = resid / np.maximum(1.0 - leverage, 1e-6)
    meat = (design * (scaled**2)[:, None]).T @ design
    return inv @ meat @ inv


def _intervals(design: np.ndarray, y: np.ndarray, cols: list[int], crit: float
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coefficients of ``cols`` and their intervals (HC3 standard errors times ``crit``)."""
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    cov = hc3_covariance(design, y - design @ coef)
    se = np.sqrt(np.maximum(np.diag(cov)[cols], 0.0))
    return coef[cols], coef[cols] - crit * se, coef[cols] + crit * se


def _stable(design: np.ndarray, y: np.ndarray, cols: list[int], tried: int) -> np.ndarray:
    """Per column: its interval excludes zero, on the same side, with any one video left
    out (no single video carries the finding)."""
    n = len(y)
    crit = _t_crit(n - 1 - design.shape[1], tried)
    ok = np.ones(len(cols), dtype=bool)
    sign = np.sign(np.linalg.lstsq(design, y, rcond=None)[0][cols])
    for i in range(n):
        keep = np.arange(n) != i
        _, lo, hi = _intervals(design[keep], y[keep], cols, crit)
        ok &= np.where(sign > 0, lo > 0, hi < 0)
    return ok


def rank_correlations(y: np.ndarray, tried: list[Candidate]) -> list[dict[str, Any]]:
    """Spearman's rho and its (uncorrected) p for each feature tried, strongest first."""
    from scipy import stats

    out = []
    if len(y) < 4:
        return out
    for c in tried:
        if np.ptp(c.values) == 0 or np.ptp(y) == 0:
            continue
        rho, p = stats.spearmanr(c.values, y)
        if np.isfinite(rho):
            out.append({"feature": c.key, "rho": round(float(rho), 3), "p": round(float(p), 4)})
    return sorted(out, key=lambda d: -abs(d["rho"]))


def table_evidence(rows: list[dict[str, Any]], y: list[float], platforms: list[str], *,
                   seed: int | None = None, permutations: int = PERMUTATIONS) -> Evidence:
    """:func:`weigh` over feature dicts, targets and platforms, one per video."""
    tried, skipped = candidates(rows)
    ev = weigh(np.asarray(y, dtype=float), platform_base(platforms), tried, seed=seed,
               permutations=permutations)
    ev.skipped = skipped
    ev.platforms = sorted(set(platforms))
    ev.platform_share = {k: platforms.count(k) / len(platforms) for k in ev.platforms}
    return ev
