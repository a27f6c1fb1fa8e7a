"""What the creator's results say: findings in plain words, the worst-fitting videos, the
online model and how far it is from a refit (``creator insights``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from creator_tools.errors import OptionError
from creator_tools.results.columns import PLATFORMS
from creator_tools.results.evidence import (
    MIN_VIDEOS,
    PERMUTATIONS,
    Effect,
    Evidence,
    table_evidence,
)
from creator_tools.results.features import feature
from creator_tools.results.model import GramModel, LinearFit, refit_gap
from creator_tools.results.store import ResultsStore, VideoRecord
from creator_tools.results.table import (
    LAYOUT,
    TARGET_UNITS,
    TARGETS,
    Observation,
    learning_row,
    observations,
)


@dataclass(frozen=True)
class Finding:
    """An effect the evidence supports, per unit of the feature."""

    feature: str
    effect: float
    unit: str
    ci: tuple[float, float]
    p: float
    message: str
    also: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "effect": round(self.effect, 4), "unit": self.unit,
                "ci": [round(self.ci[0], 4), round(self.ci[1], 4)], "p": round(self.p, 4),
                "message": self.message, "moves_with": list(self.also)}


@dataclass
class Insights:
    """The findings of one target over the matched videos (of one platform or all)."""

    target: str
    videos: int
    platforms: dict[str, int]
    findings: list[Finding]
    message: str
    more_needed: int | None
    evidence: Evidence | None
    observations: list[Observation]
    online: LinearFit | None
    model: dict[str, Any]
    worst: list[dict[str, Any]]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def target_name(self) -> str:
        return TARGETS[self.target]

    @property
    def confident(self) -> bool:
        """Whether anything is known well enough to act on."""
        return bool(self.findings)

    def to_dict(self) -> dict[str, Any]:
        ev = self.evidence
        lead = ev.lead if ev else None
        return {
            "videos": self.videos,
            "target": self.target_name,
            "findings": [f.to_dict() for f in self.findings],
            "message": self.message,
            "more_videos_needed": self.more_needed,
            "lead": None if lead is None else {"feature": lead.key, "r": lead.r, "p": lead.p,
                                               "videos_needed": lead.needed},
            "platforms": self.platforms,
            "counts": self.counts,
            "features_tried": [c.key for c in ev.tried] if ev else [],
            "features_skipped": ev.skipped if ev else {},
            "rank_correlations": ev.correlations if ev else [],
            "worst_fit": self.worst,
            "model": self.model,
        }


def _unit(key: str, target: str) -> str:
    f = feature(key)
    points = TARGET_UNITS[target][0]
    return f"{points} (yes vs no)" if f.kind != "number" else f"{points} per {f.unit}"


def finding_message(e: Effect, target: str, n: int) -> str:
    """``each second before your first word costs about 6.1 points of average % viewed, 95%
    CI 3.0-9.2, 24 videos``."""
    f = feature(e.key)
    points, label = TARGET_UNITS[target]
    step = f.step if f.kind == "number" else 1.0
    eff, lo, hi = e.effect * step, e.ci[0] * step, e.ci[1] * step
    mag, (a, b) = abs(eff), sorted((abs(lo), abs(hi)))
    tail = f"95% CI {a:.1f}-{b:.1f}, {n} videos"
    if f.kind == "number":
        verb = "costs" if eff < 0 else "adds"
        return f"{f.per} {verb} about {mag:.1f} {points} of {label}, {tail}"
    what = f.per if f.kind == "flag" else f"{f.per} {e.key.split('=', 1)[1]}"
    more = "less" if eff < 0 else "more"
    return f"videos with {what} get about {mag:.1f} {points} {more} {label}, {tail}"


def _no_finding_message(ev: Evidence | None, n: int, target: str) -> str:
    label = TARGET_UNITS[target][1]
    if n < MIN_VIDEOS:
        head = (f"not enough evidence yet: {n} matched videos with {label}; a finding needs "
                f"at least {MIN_VIDEOS}")
    else:
        head = f"not enough evidence yet: no feature beats chance over {n} videos"
    lead = ev.lead if ev else None
    if lead is None:
        more = max(0, MIN_VIDEOS - n)
        return head + (f" ({more} more)" if more else "; no feature shows a lead yet")
    if lead.needed is None:
        return head + f"; the strongest lead, {lead.key} (r = {lead.r:+.2f}), is too weak " \
                      "to be told from chance with any number of videos yet"
    more = max(lead.needed - n, MIN_VIDEOS - n, 1)
    return head + (f"; the strongest lead, {lead.key} (r = {lead.r:+.2f}), would need about "
                   f"{max(lead.needed, MIN_VIDEOS)} videos ({more} more) to tell from chance")


def online_fit(store: ResultsStore, target: str) -> tuple[GramModel, LinearFit | None]:
    """The online model of ``target`` as stored."""
    model = GramModel.from_state(store.model_state(target), LAYOUT)
    return model, model.fit()


def core_row(features: dict[str, Any], platform: str | None) -> list[float]:
    """A clip's features as the online model's input (its layout without ``1`` and ``y``);
    ``platform`` ``None`` leaves the platform indicators at 0 (YouTube's level)."""
    obs = Observation(platform or PLATFORMS[0], "", None, None, features, 0.0)
    return learning_row(obs)[1:-1]


def compute_insights(store: ResultsStore, *, target: str = "viewed",
                     platform: str | None = None, seed: int | None = None,
                     permutations: int = PERMUTATIONS) -> Insights:
    """Findings, worst fits and the online model from everything in ``store``."""
    if target not in TARGETS:
        raise OptionError(f"{{target}} must be one of {', '.join(TARGETS)}, not {target!r}",
                          options="target")
    if platform is not None and platform not in PLATFORMS:
        raise OptionError(f"{{platform}} must be one of {', '.join(PLATFORMS)}, not "
                          f"{platform!r}", options="platform")
    every = store.videos()
    videos = [v for v in every if platform is None or v.platform == platform]
    obs = observations(videos, target)
    counts = _counts(videos, obs)
    n = len(obs)
    ev = None
    if n >= 3:
        ev = table_evidence([o.features for o in obs], [o.target for o in obs],
                            [o.platform for o in obs], seed=seed, permutations=permutations)
    findings = [Finding(e.key, e.effect, _unit(e.key, target), e.ci, e.p,
                        finding_message(e, target, n), e.also)
                for e in (ev.findings if ev else [])]
    message = "; ".join(f.message for f in findings) if findings else \
        _no_finding_message(ev, n, target)
    model, fit = online_fit(store, target)
    all_rows = [learning_row(o) for o in observations(every, target)]
    gap = refit_gap(model, all_rows)
    model_info: dict[str, Any] = {
        "kind": "Bayesian linear model, ridge prior on standardized core features, "
                "updated online from its sufficient statistics",
        "rows": model.rows, "updates": model.updates,
        "refit_gap": None if gap is None else float(f"{gap:.3g}"),
        **(fit.to_dict() if fit else {}),
    }
    return Insights(target=target, videos=n,
                    platforms={p: sum(o.platform == p for o in obs) for p in PLATFORMS
                               if any(o.platform == p for o in obs)},
                    findings=findings, message=message,
                    more_needed=ev.more_needed if ev else max(0, MIN_VIDEOS - n) or None,
                    evidence=ev, observations=obs, online=fit, model=model_info,
                    worst=_worst(obs, fit), counts=counts)


def _counts(videos: list[VideoRecord], obs: list[Observation]) -> dict[str, int]:
    return {"videos": len(videos), "matched": sum(v.clip is not None for v in videos),
            "unmatched": sum(v.clip is None for v in videos),
            "not_analyzed": sum(v.clip is not None and not v.features for v in videos),
            "with_target": len(obs)}


def _worst(obs: list[Observation], fit: LinearFit | None, count: int = 3
           ) -> list[dict[str, Any]]:
    if fit is None or len(obs) < 3:
        return []
    scored = []
    for o in obs:
        predicted, _ = fit.predict(core_row(o.features, o.platform))
        scored.append((abs(o.target - predicted), o, predicted))
    scored.sort(key=lambda s: -s[0])
    return [{"platform": o.platform, "video_id": o.video_id, "title": o.title, "clip": o.clip,
             "actual": round(o.target, 2), "predicted": round(p, 2),
             "residual": round(o.target - p, 2)} for _, o, p in scored[:count]]


def no_results(target: str = "viewed") -> Insights:
    """The insights of a creator who imported nothing yet."""
    message = (f"no results imported yet: export your analytics (YouTube Studio, TikTok "
               f"Studio, Instagram) and run creator results import FILE.csv; a finding "
               f"needs at least {MIN_VIDEOS} matched videos")
    return Insights(target=target, videos=0, platforms={}, findings=[], message=message,
                    more_needed=MIN_VIDEOS, evidence=None, observations=[], online=None,
                    model={}, worst=[], counts={})
