"""``creator insights`` and "for your audience": planted effects are recovered, noise gives no
finding, and without imported results (or without a finding) nothing changes.

The 24 planted clips (:mod:`tests.results_media`) are real clips whose analyses differ in the
silence before the first word and in cuts per minute; the exports put them on YouTube, TikTok
and Instagram (8 each) with a target that is a known function of those plus noise.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from creator_tools.results.evidence import table_evidence
from creator_tools.results.features import extract
from tests import mediagen
from tests.conftest import run_cli
from tests.results_media import (
    ANALYSIS_CACHE,
    FOLDER,
    PlantedClip,
    Target,
    instagram_csv,
    noise,
    one_effect,
    planted_clips,
    tiktok_csv,
    two_effects,
    youtube_csv,
)

#: The planted effects: feature -> points of average % viewed per unit.
PLANTED_TWO = {"hook.dead_air_start": -7.0, "stats.cuts_per_minute": 0.6}
PLANTED_ONE = {"hook.dead_air_start": -7.0}


def _env(home: Path) -> dict[str, str]:
    return {"CREATOR_RESULTS": str(home / "results.sqlite"),
            "CREATOR_CACHE_DIR": str(ANALYSIS_CACHE),  # the planted clips' analyses, kept
            "CREATOR_CONFIG": str(home / "config.toml"),
            "CREATOR_INDEX": str(home / "index.sqlite"),
            "XDG_DATA_HOME": str(home / "xdg-data")}


def _import_all(home: Path, target: Target) -> dict[str, str]:
    """The planted clips' exports, 8 per platform, imported into a store in ``home``."""
    clips = planted_clips()
    env = _env(home)
    exports = {"yt.csv": youtube_csv(clips[:8], target), "tt.csv": tiktok_csv(clips[8:16], target),
               "ig.csv": instagram_csv(clips[16:], target)}
    for name, text in exports.items():
        (home / name).write_text(text)
        r = run_cli("results", "import", str(home / name), "--match", str(FOLDER), "--json",
                    env=env)
        assert r.returncode == 0, r.stderr
        summary = json.loads(r.stdout)
        assert len(summary["matched"]) == 8 and not summary["unmatched"], summary
    return env


@pytest.fixture(scope="module")
def two_effect_store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _import_all(tmp_path_factory.mktemp("two"), two_effects)


@pytest.fixture(scope="module")
def noise_store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _import_all(tmp_path_factory.mktemp("noise"), noise)


def _insights(env: dict[str, str], *args: str) -> dict:
    r = run_cli("insights", "--json", *args, env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _assert_recovered(report: dict, planted: dict[str, float]) -> None:
    found = {f["feature"]: f for f in report["findings"]}
    assert set(found) == set(planted), report["message"]
    for key, truth in planted.items():
        f = found[key]
        assert np.sign(f["effect"]) == np.sign(truth), f
        assert abs(f["effect"] - truth) <= 0.3 * abs(truth), f
        lo, hi = f["ci"]
        assert lo < f["effect"] < hi and (lo > 0 or hi < 0)
        assert f["p"] < 0.1 and "24 videos" in f["message"]


def test_two_planted_effects_are_recovered(two_effect_store):
    report = _insights(two_effect_store)
    assert report["videos"] == 24 and report["target"] == "average_percentage_viewed"
    assert report["platforms"] == {"youtube": 8, "tiktok": 8, "instagram": 8}
    _assert_recovered(report, PLANTED_TWO)
    dead_air = next(f for f in report["findings"] if f["feature"] == "hook.dead_air_start")
    assert dead_air["unit"] == "points per s"
    assert dead_air["message"].startswith("each second of silence before the first word costs "
                                          "about ")
    assert "hook.first_speech_at" in dead_air["moves_with"]  # the same thing, told once
    # The online model equals a refit on all data.
    assert report["model"]["rows"] == 24 and report["model"]["refit_gap"] < 1e-6
    assert len(report["worst_fit"]) == 3


def test_one_planted_effect_and_a_newer_export(tmp_path):
    env = _import_all(tmp_path, one_effect)
    _assert_recovered(_insights(env), PLANTED_ONE)
    # A newer YouTube export replaces those 8 rows in the online model (out, then in).
    newer = tmp_path / "yt-newer.csv"
    newer.write_text(youtube_csv(planted_clips()[:8], one_effect, seed=7, views=4000))
    tomorrow = (np.datetime64("today") + 1).astype(str)
    r = run_cli("results", "import", str(newer), "--as-of", tomorrow, env=env)
    assert r.returncode == 0, r.stderr
    report = _insights(env)
    _assert_recovered(report, PLANTED_ONE)
    assert report["model"]["updates"] == 24 + 2 * 8
    assert report["model"]["refit_gap"] < 1e-6


def _feature_table() -> tuple[list[dict], list[PlantedClip]]:
    from creator_tools.analysis.engine import analyze_cached

    clips = planted_clips()
    old = os.environ.get("CREATOR_CACHE_DIR")
    os.environ["CREATOR_CACHE_DIR"] = str(ANALYSIS_CACHE)
    try:
        rows = [extract(analyze_cached(c.path)[0].to_dict()) for c in clips]
    finally:
        if old is None:
            del os.environ["CREATOR_CACHE_DIR"]
        else:
            os.environ["CREATOR_CACHE_DIR"] = old
    return rows, clips


def test_pure_noise_gives_no_finding_in_95_of_100_runs():
    rows, clips = _feature_table()
    platforms = ["youtube"] * 8 + ["tiktok"] * 8 + ["instagram"] * 8
    found = 0
    for seed in range(100):
        rng = np.random.default_rng(1000 + seed)
        y = [noise(c, rng) for c in clips]
        ev = table_evidence(rows, y, platforms, seed=seed, permutations=999)
        found += bool(ev.findings)
    assert found <= 5, f"{found} of 100 noise runs reported a finding"


def test_insights_on_noise_says_not_enough_evidence(noise_store, tmp_path):
    report = _insights(noise_store)
    assert report["videos"] == 24 and report["findings"] == []
    assert report["message"].startswith("not enough evidence yet")
    assert report["more_videos_needed"] is None or report["more_videos_needed"] > 0
    r = run_cli("insights", "--plot", str(tmp_path / "noise.png"), env=noise_store)
    assert r.returncode == 0 and "not enough evidence yet" in r.stdout
    assert (tmp_path / "noise.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_insights_before_any_import(tmp_path):
    env = _env(tmp_path)
    report = _insights(env)
    assert report["videos"] == 0 and report["findings"] == []
    assert report["message"].startswith("no results imported yet")
    assert not Path(env["CREATOR_RESULTS"]).exists()


def _plan(clip: Path, env: dict[str, str]) -> dict:
    r = run_cli("plan", str(clip), "--music", "none", "--no-captions", env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_for_your_audience_line_and_planner_defaults(two_effect_store):
    clip = planted_clips()[4]  # 2.27 s of silence before the first word
    r = run_cli("analyze", str(clip.path), env=two_effect_store)
    assert r.returncode == 0, r.stderr
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("for your audience"))
    assert "(24 videos)" in line and "% viewed" in line
    assert "cut the silence before the first word (2.3 → " in line
    tuned = _plan(clip.path, two_effect_store)
    plain = _plan(clip.path, {**two_effect_store, "CREATOR_RESULTS": "none"})
    notes = "\n".join(tuned["notes"])
    assert "opening cut to 0.05 s before the first word" in notes
    assert "for your audience (24 videos): this edit about" in notes
    first_word = clip.dead_air * 30  # ticks of 1/30 s
    assert tuned["segments"][0]["start"] == int((clip.dead_air - 0.05) * 30)
    assert plain["segments"][0]["start"] == int((clip.dead_air - 0.12) * 30)
    assert tuned["segments"][0]["start"] < first_word
    assert not any("for your audience" in n for n in plain["notes"])


def test_without_results_nothing_changes(noise_store, tmp_path, monkeypatch):
    """No store (or one without a finding): plans and reports are exactly as before."""
    clip = mediagen.speech_clip().path
    missing = {**noise_store, "CREATOR_RESULTS": str(tmp_path / "none-yet.sqlite"),
               "CREATOR_CACHE_DIR": str(tmp_path / "cache")}
    plans = [_plan(clip, missing), _plan(clip, {**missing, "CREATOR_RESULTS": "none"}),
             _plan(clip, {**missing, "CREATOR_RESULTS": noise_store["CREATOR_RESULTS"]})]
    assert plans[0] == plans[1] == plans[2]
    assert not Path(missing["CREATOR_RESULTS"]).exists()  # never created by plan or analyze
    # ... and it is the plan the planner makes from the options alone (the path before).
    from creator_tools.analysis.engine import analyze_cached
    from creator_tools.edit.planner import make_plan
    from creator_tools.pipeline.job import edit_options
    from creator_tools.settings import EditChoices

    for key, value in missing.items():
        monkeypatch.setenv(key, value)
    a = analyze_cached(clip)[0]
    direct = make_plan(a, edit_options(a, EditChoices(music="none", captions=False)))
    assert plans[0] == json.loads(direct.to_json())
    reports = [run_cli("analyze", str(clip), env=e).stdout
               for e in (missing, {**missing, "CREATOR_RESULTS": noise_store["CREATOR_RESULTS"]})]
    assert reports[0] == reports[1] and "for your audience" not in reports[0]
    assert not Path(missing["CREATOR_RESULTS"]).exists()


def test_planner_defaults_follow_only_their_findings():
    from creator_tools.results.audience import TIGHT_MAX_PAUSE, planner_tuning
    from creator_tools.results.insights import Finding, Insights

    def insights(*findings: Finding) -> Insights:
        return Insights(target="viewed", videos=30, platforms={"youtube": 30},
                        findings=list(findings), message="", more_needed=0, evidence=None,
                        observations=[], online=None, model={}, worst=[])

    pauses = Finding("speech.longest_pause", -4.0, "points per s", (-6.0, -2.0), 0.01,
                     "each second of your longest pause costs about 4.0 points")
    tuned = planner_tuning(insights(pauses))
    assert tuned.max_pause == TIGHT_MAX_PAUSE and tuned.pre_roll is None
    assert "pauses shortened" in tuned.notes[0]
    assert planner_tuning(insights(pauses), max_pause_is_default=False).max_pause is None
    longer = Finding("speech.longest_pause", 4.0, "points per s", (2.0, 6.0), 0.01, "")
    assert planner_tuning(insights(longer)) == planner_tuning(insights())
    cuts = Finding("stats.cuts_per_minute", 0.6, "points per cuts/min", (0.4, 0.8), 0.01, "")
    assert planner_tuning(insights(cuts)).notes == ()
