"""Suggestions: hashtags (labelled set, precision@5), looks, music, config, creator suggest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from creator_tools.analysis.engine import analyze
from creator_tools.errors import UsageError
from creator_tools.settings import load_profile, set_value, unset_value
from creator_tools.suggest.engine import suggest
from creator_tools.suggest.hashtags import clip_words, rank_tags, tag_docs
from creator_tools.suggest.looks import suggest_looks
from creator_tools.suggest.music import suggest_music
from creator_tools.trends.store import TrendIndex
from tests import mediagen
from tests.conftest import run_cli

CASES = json.loads((Path(__file__).parent / "data" / "hashtag_cases.json").read_text())
#: Measured 0.897 when the set was written; the floor leaves room for index edits.
PRECISION_FLOOR = 0.85


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CREATOR_INDEX", str(tmp_path / "index.sqlite"))
    monkeypatch.setenv("CREATOR_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    with TrendIndex(tmp_path_factory.mktemp("idx") / "t.sqlite") as idx:
        return tag_docs(idx.current("hashtags"))


def precision_at_5(docs) -> float:
    hits = total = 0
    for case in CASES["cases"]:
        query = clip_words(None, caption=case["caption"], niche=case["niche"])
        tags = rank_tags(docs, query, niche=case["niche"], top=5)
        ok = set(case["accept"]) | set(CASES["broad_ok"])
        hits += sum(t.tag in ok for t in tags)
        total += len(tags)
    return hits / total


def test_labelled_set_is_big_and_uses_real_tags(docs):
    assert len(CASES["cases"]) >= 40
    known = {d.tag for d in docs}
    for case in CASES["cases"]:
        assert set(case["accept"]) <= known, case


def test_hashtag_precision_at_5_holds_its_floor(docs):
    assert precision_at_5(docs) >= PRECISION_FLOOR


def test_tags_mix_kinds_no_duplicates_no_spam(docs):
    q = clip_words(None, caption="follow for follow like4like meal prep", niche="food")
    tags = rank_tags(docs, q, niche="food", top=8)
    names = [t.tag for t in tags]
    assert len(names) == len(set(names)) == 8
    assert not {"#followforfollow", "#like4like", "#f4f"} & set(names)
    assert [t.kind for t in tags].count("broad") == 1
    assert "#mealprep" in names[:3]
    assert all(t.reason for t in tags)
    reels = rank_tags(docs, q, niche="food", top=5, platform="reels")
    assert "#reels" in [t.tag for t in reels]


def test_looks_follow_the_clip_colour():
    dark = analyze(mediagen.simple_clip(
        "dark", vcodec=("libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-vf",
                        "scale=320:240,eq=brightness=-0.4:contrast=0.5")))
    best = suggest_looks(dark, top=1)[0]
    assert best.name == "bright-lift"
    assert any("underexposed" in r for r in best.reasons)
    warm = analyze(mediagen.simple_clip(
        "warmclip", vcodec=("libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-vf",
                            "scale=320:240,colorchannelmixer=rr=1.0:gg=0.85:bb=0.55")))
    assert warm.color.overall.white_balance == "warm"
    ranked = suggest_looks(warm, top=10)
    names = [s.name for s in ranked]
    assert names.index("cool") < names.index("warm")
    assert any("already warm" in r for r in ranked[names.index("warm")].reasons)


def test_music_fits_pacing_and_marks_in_app_sounds(speech_clip):
    a = analyze(speech_clip.path)
    ranked = suggest_music(a, niche="education", top=30)
    assert ranked == suggest_music(a, niche="education", top=30)  # deterministic
    local = [m for m in ranked if m.file]
    in_app = [m for m in ranked if m.file is None]
    assert local and in_app
    assert all(m.to_dict()["where"] == "add in the app" for m in in_app)
    # A talking clip wants a calm bed: the calmest tracks rank above the loudest.
    ids = [m.id for m in local]
    assert ids.index("lofi-late-night") < ids.index("trap-heavy-crown")


def test_suggest_json_keys_and_cli(speech_clip):
    r = run_cli("suggest", str(speech_clip.path), "--caption", "study tips for exams",
                "--niche", "education", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert set(d) >= {"music", "looks", "hashtags", "caption"}
    assert set(d["music"][0]) >= {"id", "title", "score", "reasons", "file"}
    assert set(d["looks"][0]) >= {"name", "score", "reasons", "file"}
    assert set(d["hashtags"][0]) >= {"tag", "score", "kind", "reason"}
    assert d["caption"].startswith("study tips for exams #")
    again = run_cli("suggest", str(speech_clip.path), "--caption", "study tips for exams",
                    "--niche", "education", "--json")
    assert again.stdout == r.stdout


def test_profile_feeds_defaults(speech_clip, tmp_path):
    assert set_value("niche", "Fitness") == "fitness"
    set_value("region", "us")
    assert load_profile() == {"niche": "fitness", "region": "US"}
    with pytest.raises(UsageError):
        set_value("niche", "astrology")
    with pytest.raises(UsageError):
        set_value("colour", "red")
    a = analyze(speech_clip.path)
    with TrendIndex() as idx:
        s = suggest(a, caption="", niche=load_profile()["niche"], index=idx)
    assert any(t.tag in {"#fitness", "#gymtok", "#workout"} for t in s.hashtags)
    r = run_cli("config", "show", "--json")
    assert json.loads(r.stdout)["profile"]["niche"] == "fitness"
    r = run_cli("suggest", str(speech_clip.path), "--json")
    assert "#fitness" in r.stdout or "#gymtok" in r.stdout or "#workout" in r.stdout
    unset_value("niche")
    assert "niche" not in load_profile()
    r = run_cli("config", "set", "platform", "myspace")
    assert r.returncode == 2 and "platform" in r.stderr


def test_music_add_and_list(tmp_path):
    clicks = mediagen.click_clip(120, duration=12.0)
    track = tmp_path / "My Beat.wav"
    track.write_bytes(clicks.read_bytes())
    r = run_cli("music", "add", str(track), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["bpm"] == pytest.approx(120, abs=1)
    assert d["id"] == "my-beat" and d["duration"] == pytest.approx(12.0, abs=0.05)
    r = run_cli("music", "list", "--json")
    ids = [json.loads(line)["id"] for line in r.stdout.splitlines()]
    assert "my-beat" in ids and "pop-sunny-side" in ids
    bad = run_cli("music", "add", str(mediagen.not_media_file()))
    assert bad.returncode == 3 and "Traceback" not in bad.stderr


def test_no_caption_no_niche_gives_broad_tags_only(speech_clip):
    a = analyze(speech_clip.path)
    from creator_tools.suggest.hashtags import suggest_hashtags

    tags = suggest_hashtags(a, top=4)
    assert [t.tag for t in tags] == ["#fyp", "#foryou", "#foryoupage", "#viral"]
    assert {t.kind for t in tags} == {"broad"}
