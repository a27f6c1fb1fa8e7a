"""Reading review pages in tests: their marks and data, and what they should hold."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from creator_tools.edit.plan import EditPlan


class _Marks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict[str, str]] = []
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if "data-kind" in a:
            self.marks.append(a)


def parse(html: str) -> _Marks:
    p = _Marks()
    p.feed(html)
    return p


def marks_of(html: str) -> list[tuple[str, str, str]]:
    """``(kind, start, end)`` of every timeline mark, as the page writes them."""
    return [(m["data-kind"], m["data-start"], m["data-end"]) for m in parse(html).marks]


def by_kind(marks: list[tuple[str, str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Marks grouped by kind, each kind's in page order."""
    out: dict[str, list[tuple[str, str]]] = {}
    for kind, start, end in marks:
        out.setdefault(kind, []).append((start, end))
    return out


def data_of(html: str) -> dict[str, Any]:
    """The page's JSON data block."""
    m = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def f3(x: float) -> str:
    return f"{x:.3f}"


def expected_marks(a: dict[str, Any], plan: EditPlan | None) -> list[tuple[str, str, str]]:
    """The marks a page must show for analysis record ``a`` (its JSON) and ``plan``."""
    d = a["media"]["duration"]
    out = [("shot", f3(s["start"]), f3(s["end"])) for s in a["shots"]]
    out += [("speech", f3(s["start"]), f3(s["end"])) for s in a["speech"]]
    out += [("silence", f3(s["start"]), f3(s["end"])) for s in a["silences"]]
    if plan is not None:
        at, total = 0, plan.source("main").duration
        for seg in plan.segments:
            if seg.start > at:
                out.append(("removed", f3(plan.seconds(at)), f3(plan.seconds(seg.start))))
            at = seg.end
        if at < total:
            out.append(("removed", f3(plan.seconds(at)), f3(plan.seconds(total))))
    out += [("cut", f3(c), f3(c)) for c in a["cuts"]]
    out += [("beat", f3(b), f3(b)) for b in a["beats"]]
    out.append(("hook", "0.000", f3(min(3.0, d))))
    out += [("advice", f3(x["at"]), f3(x["at"])) for x in a["advice"] if x["at"] is not None]
    return out


def plan_dict_for_page(plan_file: Path) -> dict[str, Any]:
    """The plan as the page offers it unchanged: absolute paths, no ``origin``."""
    from creator_tools.edit.plan import load_plan
    from creator_tools.review.subject import portable_plan

    return portable_plan(load_plan(plan_file)).to_dict()


def long_record(seconds: float = 600.0, *, fps: int = 30) -> dict[str, Any]:
    """An analysis record of a dense ``seconds``-long talk: a shot every 4 s, speech and
    silence alternating (3.2 s / 0.8 s), a beat every 0.5 s, advice every 30 s, and the
    curves at their full rates."""
    shots = [{"start": round(t, 3), "end": round(min(seconds, t + 4.0), 3)}
             for t in _range(0.0, seconds, 4.0)]
    speech = [{"start": round(t + 0.8, 3), "end": round(t + 4.0, 3)}
              for t in _range(0.0, seconds, 4.0)]
    silences = [{"start": round(t, 3), "end": round(t + 0.8, 3)} for t in _range(0.0, seconds, 4.0)]
    n_track = int(seconds * 5)
    n_levels = int(seconds * 10)
    stats = {"brightness": 0.5, "contrast": 0.2, "saturation": 0.4, "temperature_k": 6500.0,
             "white_balance": "neutral", "clipped_highlights": 0.0, "crushed_shadows": 0.0}
    return {
        "version": 1,
        "media": {"path": "/nonexistent/long talk.mp4", "duration": seconds,
                  "container": "mov,mp4,m4a,3gp,3g2,mj2",
                  "video": {"codec": "h264", "width": 1920, "height": 1080,
                            "display_width": 1920, "display_height": 1080, "rotation": 0,
                            "fps": float(fps), "variable_fps": False,
                            "frames": int(seconds * fps), "pix_fmt": "yuv420p",
                            "bit_depth": 8, "hdr": False, "matrix": "", "full_range": False},
                  "audio": {"codec": "aac", "sample_rate": 48000, "channels": 2}},
        "shots": shots, "cuts": [s["start"] for s in shots[1:]], "transitions": [],
        "speech": speech, "silences": silences, "dead_air_end": 0.0,
        "loudness": {"integrated_lufs": -18.2, "true_peak_dbtp": -2.1, "lra": 5.3,
                     "clipping": False},
        "tempo_bpm": 120.0, "beats": [round(t, 3) for t in _range(0.25, seconds, 0.5)],
        "motion": {"per_second": [0.2] * int(seconds), "mean": 0.2, "static": [],
                   "shakiness": 0.2, "shaky": []},
        "color": {"overall": stats, "shots": [stats for _ in shots], "low_light": False,
                  "overexposed": False},
        "subject": {"source": "face", "faces_found": 100,
                    "track": [{"t": round(i / 5, 3), "x": round(0.3 + 0.4 * (i % 97) / 97, 4),
                               "y": 0.45} for i in range(n_track)]},
        "hook": {"score": 61, "first_speech_at": 0.8, "first_cut_at": 4.0,
                 "first_motion_at": 0.0, "dead_air_start": 0.8,
                 "reasons": ["first word at 0.8 s"]},
        "advice": [{"code": "LONG_PAUSE", "message": f"0.8 s pause at {t:.0f} s: tighten it",
                    "at": t} for t in _range(30.0, seconds, 30.0)],
        "stats": {"cuts_per_minute": 15.0, "average_shot": 4.0, "longest_shot": 4.0},
        "levels": {"rate": 10.0, "audio_db": [round(-20.0 - (i % 37) / 2, 2)
                                              for i in range(n_levels)],
                   "motion": [0.2] * n_levels},
        "problems": [],
    }


def _range(a: float, b: float, step: float) -> list[float]:
    out, i = [], 0
    while a + i * step < b - 1e-9:
        out.append(a + i * step)
        i += 1
    return out
