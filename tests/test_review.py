"""``creator review`` and ``creator edit --review``: the page's content, files and refusals.

What the page does in a browser is in ``test_review_browser.py``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shlex
import shutil
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from creator_tools.edit.plan import load_plan
from tests import mediagen
from tests.conftest import run_cli
from tests.review_page import (
    by_kind,
    data_of,
    expected_marks,
    long_record,
    marks_of,
    parse,
    plan_dict_for_page,
)

#: A caption that tries every way out of its place on the page.
NASTY_CAPTION = ("</script><script>alert('caption')</script> \"quoted\" 'single' & <b>bold</b> "
                 "\u2028 😀")
#: A file name that tries the same (no slash: a name cannot hold one).
NASTY_NAME = "<script>alert(\"x\") & 'q' 😀 #1?.mp4"


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text("[edit]\ncaptions = false\n", encoding="utf-8")  # no Whisper: faster
    return {"CREATOR_CACHE_DIR": str(tmp_path / "cache"), "CREATOR_INDEX": str(tmp_path / "ix"),
            "CREATOR_CONFIG": str(config)}


@pytest.fixture
def clip(tmp_path, cut_clip) -> Path:
    """A clip with hard cuts (and a steady tone)."""
    out = tmp_path / "cuts.mp4"
    shutil.copy(cut_clip.path, out)
    return out


@pytest.fixture
def talk(tmp_path, speech_clip) -> Path:
    """A clip with speech and pauses, which the edit removes."""
    out = tmp_path / "talk.mp4"
    shutil.copy(speech_clip.path, out)
    return out


def _plan(clip: Path, env: dict[str, str], *extra: str) -> Path:
    r = run_cli("edit", str(clip), "--plan-only", *extra, env=env)
    assert r.returncode == 0, r.stderr
    return clip.with_name(f"{clip.stem}.edited.plan.json")


def _analysis(clip: Path, env: dict[str, str]) -> dict:
    r = run_cli("analyze", str(clip), "--json", env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.parametrize("which", ["talk", "cuts"])
def test_a_plan_page_holds_every_mark_and_the_plan(which, request, env):
    clip = request.getfixturevalue({"cuts": "clip"}.get(which, which))
    plan_file = _plan(clip, env)
    r = run_cli("review", str(plan_file), "--json", env=env)
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    page = clip.with_name(f"{which}.edited.review.html")
    assert rec["page"] == str(page) and rec["kind"] == "plan"
    text = page.read_text(encoding="utf-8")
    plan = load_plan(plan_file)
    marks = by_kind(marks_of(text))
    assert marks == by_kind(expected_marks(_analysis(clip, env), plan))
    assert len(marks["removed"] if which == "talk" else marks["cut"]) >= 3
    data = data_of(text)
    assert data["edit"]["plan"] == plan_dict_for_page(plan_file)
    assert data["edit"]["download"] == f"{which}.reviewed.plan.json"
    out = clip.resolve().with_name(f"{which}.reviewed.mp4")
    assert data["edit"]["command"] == (
        f"creator render {which}.reviewed.plan.json -o {shlex.quote(str(out))}")
    assert data["source"]["href"] == f"{which}.mp4" and data["edited"] is None

    # thumbnails: JPEGs in a folder beside the page, at least one inside each shot
    folder = clip.with_name(f"{which}.edited.review.thumbs")
    assert rec["thumbnails"] == str(folder) and data["thumbs"]["folder"] == folder.name
    items = data["thumbs"]["items"]
    assert len(items) == rec["thumbnail_count"] > 0
    for _, name in items:
        assert (folder / name).read_bytes()[:3] == b"\xff\xd8\xff", name
    for shot in data["shots"]:
        assert any(shot[0] <= t < shot[1] for t, _ in items), shot


def test_the_page_is_one_self_contained_file(clip, env):
    plan_file = _plan(clip, env)
    assert run_cli("review", str(plan_file), env=env).returncode == 0
    text = clip.with_name("cuts.edited.review.html").read_text(encoding="utf-8")
    p = parse(text)
    for tag, attrs in p.elements:
        for key in ("src", "href"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(key, "")), (tag, attrs)
        assert not (tag == "script" and "src" in attrs), attrs
        assert not (tag == "link" and attrs.get("rel") == "stylesheet"), attrs
    assert "@import" not in text and "url(http" not in text
    scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    csp = next(a["content"] for t, a in p.elements
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp


def test_names_and_captions_are_text_on_the_page(tmp_path, clip, env):
    odd = tmp_path / NASTY_NAME
    shutil.copy(clip, odd)
    plan_file = _plan(odd, env, "--caption", NASTY_CAPTION)
    r = run_cli("review", str(plan_file), env=env)
    assert r.returncode == 0, r.stderr
    page = plan_file.with_name(plan_file.name.replace(".plan.json", ".review.html"))
    text = page.read_text(encoding="utf-8")
    # nothing but the page's own two script elements, however the names read
    assert sum(tag == "script" for tag, _ in parse(text).elements) == 2
    assert "<script>alert" not in text and "<b>bold" not in text
    assert html.escape(plan_file.name) in text  # the heading and the title, as text
    data = data_of(text)
    assert data["edit"]["plan"]["captions"]["text"] == NASTY_CAPTION
    assert data["source"]["name"] == NASTY_NAME
    assert data["source"]["href"] == "%3Cscript%3Ealert%28%22x%22%29%20%26%20%27q%27%20" \
                                     "%F0%9F%98%80%20%231%3F.mp4"


def test_refusals_and_replacing(tmp_path, clip, env):
    plan_file = _plan(clip, env)
    page = clip.with_name("cuts.edited.review.html")
    assert run_cli("review", str(plan_file), env=env).returncode == 0
    before = page.read_bytes()
    r = run_cli("review", str(plan_file), env=env)
    assert r.returncode == 5 and "--force" in r.stderr and page.read_bytes() == before
    assert run_cli("review", str(plan_file), "--force", env=env).returncode == 0
    r = run_cli("review", str(plan_file), "-o", str(tmp_path / "page.txt"), env=env)
    assert r.returncode == 2 and "--output" in r.stderr
    r = run_cli("review", str(tmp_path / "missing.plan.json"), env=env)
    assert r.returncode == 3 and "no such file" in r.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert run_cli("review", str(bad), env=env).returncode == 3
    # a folder of the user's own where the thumbnails would go is never replaced
    mine = tmp_path / "other.review.thumbs"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine", encoding="utf-8")
    r = run_cli("review", str(plan_file), "-o", str(tmp_path / "other.review.html"), "--force",
                env=env)
    assert r.returncode == 3 and "not made by creator review" in r.stderr
    assert (mine / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_creator_edit_review_writes_the_page_beside_the_plan(clip, env):
    r = run_cli("edit", str(clip), "--plan-only", "--review", "--json", env=env)
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    page = clip.with_name("cuts.edited.review.html")
    assert rec["review"] == str(page)
    data = data_of(page.read_text(encoding="utf-8"))
    assert data["edit"]["file"] == "cuts.edited.plan.json" and data["edited"] is None
    # refused before any work when the page exists
    r = run_cli("edit", str(clip), "--plan-only", "--review", env=env)
    assert r.returncode == 5 and "review.html" in r.stderr


def test_a_clip_page_uses_its_edit_sidecar_or_plans_afresh(tmp_path, clip, env):
    r = run_cli("review", str(clip), env=env)
    assert r.returncode == 0, r.stderr
    fresh = data_of(clip.with_name("cuts.review.html").read_text(encoding="utf-8"))
    assert fresh["kind"] == "clip" and fresh["edit"]["file"] is None
    plan_file = _plan(clip, env, "--look", "warm")
    assert run_cli("review", str(clip), "--force", env=env).returncode == 0
    data = data_of(clip.with_name("cuts.review.html").read_text(encoding="utf-8"))
    assert data["edit"]["file"] == plan_file.name
    assert data["edit"]["plan"]["look"]["name"] == "warm"
    looks = {o["key"]: o for o in data["edit"]["choices"]["looks"]}
    assert [k for k, o in looks.items() if o["current"]] == [
        next(k for k, o in looks.items() if o["look"]["name"] == "warm")]


def test_a_clips_file_page_lists_the_candidates(tmp_path, clip, env):
    clips = {"source": clip.name, "duration": 8.667, "clips": [
        {"rank": 2, "start": 4.5, "end": 8.0, "duration": 3.5, "score": 0.61,
         "title": "Second <i>best</i>", "hook": "and then", "reasons": ["a cut at 4.7 s"],
         "parts": {"hook": 0.4, "energy": 0.8}, "transcript": "and then"},
        {"rank": 1, "start": 0.5, "end": 4.0, "duration": 3.5, "score": 0.82,
         "title": "Best", "hook": "look", "reasons": ["starts on a word"],
         "parts": {"hook": 0.9, "energy": 0.7}, "transcript": "look at this"}]}
    f = tmp_path / "cuts.clips.json"
    f.write_text(json.dumps(clips), encoding="utf-8")
    r = run_cli("review", str(f), "--json", env=env)
    assert r.returncode == 0, r.stderr
    page = tmp_path / "cuts.clips.review.html"
    assert json.loads(r.stdout)["kind"] == "clips"
    text = page.read_text(encoding="utf-8")
    data = data_of(text)
    assert [c["rank"] for c in data["clips"]] == [1, 2]
    assert data["clips"][1]["parts"] == [["hook", 0.4], ["energy", 0.8]]
    assert data["edit"] is None and "<i>best" not in text
    assert by_kind(marks_of(text)) == by_kind(expected_marks(_analysis(clip, env), None))
    clips["clips"][0]["end"] = 4.0
    f.write_text(json.dumps(clips), encoding="utf-8")
    r = run_cli("review", str(f), "--force", env=env)
    assert r.returncode == 3 and "row 1" in r.stderr and "end must be greater" in r.stderr


def test_a_10_minute_source_makes_a_page_under_1_5_mb(tmp_path, monkeypatch):
    from creator_tools.analysis.result import Analysis
    from creator_tools.edit.plan import (
        Captions,
        CaptionWord,
        EditPlan,
        Keyframe,
        Reframe,
        Segment,
        Source,
    )
    from creator_tools.review.page import assemble_page
    from creator_tools.review.subject import ReviewSubject
    from creator_tools.review.thumbs import Thumb, thumb_times
    from creator_tools.settings import EditChoices

    monkeypatch.setenv("CREATOR_INDEX", str(tmp_path / "ix"))
    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))
    record = long_record(600.0)
    a = Analysis.from_dict(record)
    tick = 30
    segments = [Segment(round(s["start"] * tick), round(s["end"] * tick))
                for s in record["speech"]]
    words = [CaptionWord(round((s["start"] + 0.4 * k) * tick),
                         round((s["start"] + 0.4 * k + 0.35) * tick), f"word{k}")
             for s in record["speech"] for k in range(8)]
    keys = [Keyframe(round(s["start"] * tick) + d, 0.4, 0.5)
            for s in record["shots"] for d in (0, 60)]
    plan = EditPlan(Fraction(1, 30), [Source("main", "/nonexistent/long talk.mp4", 18000,
                                             True, True)], segments,
                    reframe=Reframe(keyframes=keys),
                    captions=Captions(text="A long talk", hashtags=["#talk"], burn=True,
                                      words=words))
    subject = ReviewSubject("plan", tmp_path / "long.edited.plan.json",
                            tmp_path / "long talk.mp4", a, EditChoices(), plan,
                            tmp_path / "long.edited.plan.json", tmp_path / "long.edited.mp4")
    times = thumb_times(a.shots)
    thumbs = [Thumb(t, f"{i + 1:04d}.jpg") for i, t in enumerate(times)]
    text = assemble_page(subject, tmp_path / "long.review.html", thumbs,
                         tmp_path / "long.review.thumbs")
    size = len(text.encode("utf-8"))
    marks = marks_of(text)
    assert len(marks) == len(expected_marks(record, plan)) > 1900
    assert len(thumbs) <= 240
    print(f"page for a 10 min source: {size} bytes")
    assert size <= 1_500_000, f"{size} bytes"


def test_open_hands_the_page_to_the_browser(tmp_path, clip, env):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.py"
    browser.write_text(f"import sys\nopen({str(opened)!r}, 'w').write(sys.argv[1])\n",
                       encoding="utf-8")
    r = run_cli("review", str(clip), "--open",
                env={**env, "BROWSER": f"{sys.executable} {browser} %s"})
    assert r.returncode == 0, r.stderr
    assert opened.read_text(encoding="utf-8") == clip.with_name("cuts.review.html").as_uri()


def test_a_sound_only_source_gets_a_page_without_pictures(tmp_path, env):
    wav = tmp_path / "voice.wav"
    shutil.copy(mediagen.speech_clip(video=False).path, wav)
    f = tmp_path / "voice.clips.json"
    f.write_text(json.dumps({"source": "voice.wav", "clips": [{"start": 0.8, "end": 5.5}]}),
                 encoding="utf-8")
    r = run_cli("review", str(f), "--json", env=env)
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["thumbnails"] is None and rec["thumbnail_count"] == 0
    text = (tmp_path / "voice.clips.review.html").read_text(encoding="utf-8")
    data = data_of(text)
    assert data["shots"] == [] and data["source"]["width"] is None
    assert data["clips"][0]["rank"] == 1 and data["clips"][0]["title"] == ""
    assert by_kind(marks_of(text)) == by_kind(expected_marks(_analysis(wav, env), None))
    assert not (tmp_path / "voice.clips.review.thumbs").exists()


def test_thumbnails_come_from_one_decode_at_the_times_asked(tmp_path, cut_clip):
    from creator_tools.analysis.spans import Span
    from creator_tools.errors import OutputExistsError
    from creator_tools.review.thumbs import MARKER, make_thumbnails, thumb_times

    times = [round(i * 0.085, 3) for i in range(100)]  # more than one select filter holds
    folder = tmp_path / "t.review.thumbs"
    thumbs = make_thumbnails(cut_clip.path, times, folder)
    assert [round(t.time * cut_clip.fps) for t in thumbs] == [
        -(-round(t * 1000) * cut_clip.fps // 1000) for t in times]  # the first frame at or after
    assert sorted(p.name for p in folder.iterdir()) == sorted([MARKER, *(t.file for t in thumbs)])
    with pytest.raises(OutputExistsError):
        make_thumbnails(cut_clip.path, times[:3], folder)
    assert len(make_thumbnails(cut_clip.path, times[:3], folder, force=True)) == 3
    assert len(list(folder.glob("*.jpg"))) == 3 and not list(tmp_path.glob(".*"))
    # spread over the shots, sparser on a long source
    assert thumb_times([Span(0, 1), Span(1, 9)]) == [0.5, 2.0, 4.0, 6.0, 8.0]
    many = thumb_times([Span(i * 2.0, i * 2.0 + 2.0) for i in range(600)])
    assert len(many) == 600
    assert len(thumb_times([Span(i * 20.0, i * 20.0 + 20.0) for i in range(30)])) <= 240
