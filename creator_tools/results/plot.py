"""``creator insights --plot``: the target against each finding's feature (or, with no
finding, the features with the strongest rank correlations), one panel each, with the fitted
slope; and the online model's predictions against the actual values. Drawn with OpenCV."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from creator_tools.results.insights import Insights, core_row
from creator_tools.results.table import TARGET_UNITS

_BG = (24, 24, 28)
_GRID = (70, 70, 78)
_TEXT = (225, 225, 230)
_DOT = {"youtube": (80, 80, 235), "tiktok": (230, 200, 90), "instagram": (200, 110, 220)}
_LINE = (90, 200, 120)
_PANEL_W, _PANEL_H = 520, 380


def render_insights_plot(ins: Insights, path: str | Path) -> Path:
    """Draw ``ins`` into the PNG file ``path``."""
    import cv2

    keys = [f.feature for f in ins.findings][:3]
    if not keys and ins.evidence:
        keys = [c["feature"] for c in ins.evidence.correlations[:2]]
    panels = [_feature_panel(ins, k) for k in keys] + [_fit_panel(ins)]
    label = TARGET_UNITS[ins.target][1]
    head = np.full((70, _PANEL_W * len(panels), 3), _BG, dtype=np.uint8)
    title = f"{label}: {ins.videos} videos, {len(ins.findings)} finding(s)"
    cv2.putText(head, title, (16, 32), cv2.FONT_HERSHEY_SIMPLEX, 0.8, _TEXT, 2, cv2.LINE_AA)
    cv2.putText(head, ins.message[:160], (16, 58), cv2.FONT_HERSHEY_SIMPLEX, 0.42, _TEXT, 1,
                cv2.LINE_AA)
    x = head.shape[1] - 110 * len(ins.platforms) - 10
    for platform in ins.platforms:  # the legend: a dot per platform
        cv2.circle(head, (x, 26), 6, _DOT.get(platform, _TEXT), -1, cv2.LINE_AA)
        cv2.putText(head, platform, (x + 12, 31), cv2.FONT_HERSHEY_SIMPLEX, 0.45, _TEXT, 1,
                    cv2.LINE_AA)
        x += 110
    image = np.vstack([head, np.hstack(panels)])
    out = Path(path)
    ok, data = cv2.imencode(".png", image)
    if not ok:
        raise OSError("PNG encoding failed")
    out.write_bytes(data.tobytes())
    return out


def _axes(title: str, xs: np.ndarray, ys: np.ndarray, xlabel: str, ylabel: str
          ) -> tuple[np.ndarray, object]:
    import cv2

    img = np.full((_PANEL_H, _PANEL_W, 3), _BG, dtype=np.uint8)
    left, top, right, bottom = 60, 40, _PANEL_W - 20, _PANEL_H - 50
    cv2.rectangle(img, (left, top), (right, bottom), _GRID, 1)
    cv2.putText(img, title[:60], (left, 26), cv2.FONT_HERSHEY_SIMPLEX, 0.5, _TEXT, 1,
                cv2.LINE_AA)
    cv2.putText(img, xlabel[:60], (left, _PANEL_H - 14), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                _TEXT, 1, cv2.LINE_AA)
    cv2.putText(img, ylabel[:20], (4, top - 8), cv2.FONT_HERSHEY_SIMPLEX, 0.4, _TEXT, 1,
                cv2.LINE_AA)
    lo_x, hi_x = (float(xs.min()), float(xs.max())) if xs.size else (0.0, 1.0)
    lo_y, hi_y = (float(ys.min()), float(ys.max())) if ys.size else (0.0, 1.0)
    hi_x, hi_y = max(hi_x, lo_x + 1e-6), max(hi_y, lo_y + 1e-6)
    pad_x, pad_y = (hi_x - lo_x) * 0.05, (hi_y - lo_y) * 0.08
    x0, x1, y0, y1 = lo_x - pad_x, hi_x + pad_x, lo_y - pad_y, hi_y + pad_y

    def to_px(x: float, y: float) -> tuple[int, int]:
        return (int(left + (x - x0) / (x1 - x0) * (right - left)),
                int(bottom - (y - y0) / (y1 - y0) * (bottom - top)))

    for v in (lo_y, hi_y):
        cv2.putText(img, f"{v:.0f}", (8, to_px(lo_x, v)[1] + 4), cv2.FONT_HERSHEY_SIMPLEX, 0.4,
                    _TEXT, 1, cv2.LINE_AA)
    for v, shift in ((lo_x, 0), (hi_x, 40)):
        cv2.putText(img, f"{v:.3g}", (to_px(v, lo_y)[0] - shift, bottom + 16),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.4, _TEXT, 1, cv2.LINE_AA)
    return img, to_px


def _feature_panel(ins: Insights, key: str) -> np.ndarray:
    import cv2

    name, _, level = key.partition("=")
    xs, ys, plats = [], [], []
    for o in ins.observations:
        v = o.features.get(name)
        if v is None:
            continue
        xs.append(float(str(v) == level) if level else float(v))
        ys.append(o.target)
        plats.append(o.platform)
    x, y = np.array(xs), np.array(ys)
    finding = next((f for f in ins.findings if f.feature == key), None)
    title = (f"{key}: {finding.effect:+.2f} {finding.unit}" if finding
             else f"{key} (no finding)")
    img, to_px = _axes(title, x, y, key, TARGET_UNITS[ins.target][0])
    if finding is not None and x.size:
        mx, my = x.mean(), y.mean()
        a, b = x.min(), x.max()
        cv2.line(img, to_px(a, my + finding.effect * (a - mx)),
                 to_px(b, my + finding.effect * (b - mx)), _LINE, 2, cv2.LINE_AA)
    for xi, yi, p in zip(x, y, plats, strict=True):
        cv2.circle(img, to_px(xi, yi), 5, _DOT.get(p, _TEXT), -1, cv2.LINE_AA)
    return img


def _fit_panel(ins: Insights) -> np.ndarray:
    import cv2

    fit = ins.online
    actual = np.array([o.target for o in ins.observations])
    predicted = np.array([fit.predict(core_row(o.features, o.platform))[0]
                          for o in ins.observations]) if fit else np.zeros(0)
    both = np.concatenate([actual, predicted]) if predicted.size else actual
    img, to_px = _axes("online model: predicted vs actual", both, both, "predicted",
                       "actual")
    if both.size:
        lo, hi = float(both.min()), float(both.max())
        cv2.line(img, to_px(lo, lo), to_px(hi, hi), _GRID, 1, cv2.LINE_AA)
    for p, a, o in zip(predicted, actual, ins.observations, strict=False):
        cv2.circle(img, to_px(p, a), 5, _DOT.get(o.platform, _TEXT), -1, cv2.LINE_AA)
    return img
