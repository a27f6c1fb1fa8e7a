"""Suggestions: hashtags (labelled sets, broad tags never count), looks, music, config, CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from creator_tools.analysis.engine import analyze
from creator_tools.errors import UsageError
from creator_tools.settings import load_profile, set_value, unset_value
from creator_tools.suggest.catalog import shipped_looks
from creator_tools.suggest.engine import suggest
from creator_tools.suggest.hashtags import RIVAL_SHARE, rank_tags, suggest_hashtags, tag_docs
from creator_tools.suggest.looks import suggest_looks
from creator_tools.suggest.music import suggest_music
from creator_tools.topics.model import shipped_model
from creator_tools.topics.reading import Topic, read_topic
from creator_tools.trends.store import TrendIndex
from tests import mediagen
from tests.conftest import run_cli

DATA = Path(__file__).parent / "data"
CASES = json.loads((DATA / "hashtag_cases.json").read_text())
HELDOUT = Path(__file__).parent.parent / "benchmarks" / "data" / "suggest_heldout.csv"
#: Share of the 5 slots filled by an accepted topical tag (broad tags never count): measured
#: 0.64 with the topic model; the floor leaves room for corpus and index edits.
PRECISION_FLOOR = 0.56
#: The held-out benchmark (benchmarks/bench_suggest.py, docs/benchmarks.md), each floor a
#: margin below what was measured on 2026-12-06 (14,436 corpus rows): the first set 3.66
#: topical tags, 94.0% with 2+, 4.5% with an unrelated tag; set 5 (its misses read) 3.60,
#: 92.9%, 6.2%; the blind sets 2, 3, 4, 6, 7, 8, 9: 3.81, 98.6%, 1.4%; 3.68, 95.7%, 5.7%;
#: 3.68, 95.8%, 6.2%; 3.80, 97.5%, 4.6%; 3.61, 94.0%, 5.6%; 3.75, 96.4%, 5.2%; 3.73, 95.6%,
#: 5.2%. The issue's goals (3.0, 95%, 5%) are met on sets 2 and 6, not on all.
HELDOUT_FLOORS = {
    "suggest_heldout.csv": {"mean_topical": 3.45, "two_topical": 0.89, "unrelated": 0.08},
    "suggest_heldout2.csv": {"mean_topical": 3.6, "two_topical": 0.93, "unrelated": 0.06},
    "suggest_heldout3.csv": {"mean_topical": 3.45, "two_topical": 0.9, "unrelated": 0.1},
    "suggest_heldout4.csv": {"mean_topical": 3.45, "two_topical": 0.89, "unrelated": 0.11},
    "suggest_heldout5.csv": {"mean_topical": 3.35, "two_topical": 0.87, "unrelated": 0.13},
    "suggest_heldout6.csv": {"mean_topical": 3.6, "two_topical": 0.93, "unrelated": 0.09},
    "suggest_heldout7.csv": {"mean_topical": 3.4, "two_topical": 0.89, "unrelated": 0.11},
    "suggest_heldout8.csv": {"mean_topical": 3.55, "two_topical": 0.92, "unrelated": 0.1},
    "suggest_heldout9.csv": {"mean_topical": 3.5, "two_topical": 0.91, "unrelated": 0.1},
    "suggest_heldout10.csv": {"mean_topical": 3.45, "two_topical": 0.91, "unrelated": 0.1},
    # place tags its writer did not list count as wrong here (bench_suggest also judges them)
    "suggest_heldout11.csv": {"mean_topical": 3.35, "two_topical": 0.9, "unrelated": 0.17},
    "suggest_heldout12.csv": {"mean_topical": 3.5, "two_topical": 0.93, "unrelated": 0.09},
}


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CREATOR_INDEX", str(tmp_path / "index.sqlite"))
    monkeypatch.setenv("CREATOR_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    with TrendIndex(tmp_path_factory.mktemp("idx") / "t.sqlite") as idx:
        yield idx


@pytest.fixture(scope="module")
def niche_of(index):
    return {it.item: it.fields.get("category") or "" for it in index.current("hashtags")}


def tags_for(index, caption: str, niche: str | None = None, top: int = 5):
    return suggest_hashtags(None, caption=caption, niche=niche, index=index, top=top)


def test_labelled_set_is_big_and_uses_real_tags(niche_of):
    assert len(CASES["cases"]) >= 40
    for case in CASES["cases"]:
        assert set(case["accept"]) <= set(niche_of), case


def test_hashtag_precision_at_5_holds_its_floor(index):
    hits = 0
    for case in CASES["cases"]:
        tags = tags_for(index, case["caption"], case["niche"])
        hits += sum(t.kind == "place" or t.tag in case["accept"]
                    for t in tags if t.kind != "broad")  # broad tags are never hits
    assert hits / (5 * len(CASES["cases"])) >= PRECISION_FLOOR


def test_every_heldout_set_has_its_floors_and_its_description():
    import importlib.util

    from tools.corpus_overlap import heldout_sets

    assert [p.name for p in heldout_sets()] == list(HELDOUT_FLOORS)
    spec = importlib.util.spec_from_file_location(
        "bench_suggest", HELDOUT.parents[1] / "bench_suggest.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert sorted(bench._set_file(n) for n in bench.SETS) == sorted(HELDOUT_FLOORS)


@pytest.mark.parametrize("heldout", [HELDOUT.with_name(n) for n in HELDOUT_FLOORS],
                         ids=lambda p: p.stem)
def test_heldout_captions_hold_the_benchmark_floors(index, niche_of, heldout):
    floors = HELDOUT_FLOORS[heldout.name]
    with heldout.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    topical_counts, unrelated = [], 0
    for row in rows:
        labels, places = set(row["labels"].split(";")), set(filter(None,
                                                                  row["places"].split(";")))
        tags = [t for t in tags_for(index, row["caption"]) if t.kind != "broad"]
        ok = [t for t in tags if (t.tag in places if t.kind == "place"
                                  else niche_of[t.tag] in labels)]
        topical_counts.append(len(ok))
        unrelated += len(ok) < len(tags)
    n = len(rows)
    assert sum(topical_counts) / n >= floors["mean_topical"]
    assert sum(c >= 2 for c in topical_counts) / n >= floors["two_topical"]
    assert unrelated / n <= floors["unrelated"]


def test_the_issues_captions_get_place_and_travel_tags(index, niche_of):
    lisbon = [t.tag for t in tags_for(index, "3 days in lisbon: hidden viewpoints and where "
                                             "to eat")]
    assert {"#lisbon", "#portugal"} <= set(lisbon)
    vietnam = tags_for(index, "two weeks backpacking through vietnam on a budget")
    assert {"#vietnam", "#backpacking"} <= {t.tag for t in vietnam}
    rainier = tags_for(index, "sunrise hike to the top of mount rainier")
    for tags in (lisbon, [t.tag for t in vietnam], [t.tag for t in rainier]):
        assert 3 <= len(tags) <= 5
        assert all(t.startswith("#") for t in tags)
    assert all(niche_of.get(t.tag, "travel") in ("travel", "general") for t in rainier)
    reasons = {t.tag: t.reason for t in vietnam}
    assert reasons["#vietnam"] == "caption: 'vietnam' -> place Vietnam"
    assert "topic travel" in reasons["#backpacking"] and "'backpacking'" in \
        reasons["#backpacking"]


def test_a_place_is_read_by_the_gazetteer_not_the_model(index, niche_of):
    """A city a corpus row or two tied to another niche does not move the caption there,
    and a generic word ('free') never names a tag."""
    tags = tags_for(index, "city cycling through amsterdam at rush hour")
    assert {t.tag for t in tags if t.kind == "place"} == {"#amsterdam", "#netherlands"}
    assert {niche_of[t.tag] for t in tags if t.kind == "niche"} == {"travel"}
    potatoes = tags_for(index, "free tips for crispy roast potatoes, boiled in salted water")
    assert not [t for t in potatoes if "'free'" in t.reason]


def test_a_close_rival_that_the_words_name_leads_and_a_weak_one_gives_nothing(index,
                                                                               niche_of):
    """One niche gives the tags: a rival nearly as likely leads instead when the words name
    its tags outright ('fortnite' -> #fortnite); a weak one gives no tags at all."""
    docs = tag_docs(index.current("hashtags"))
    text = "this fortnite season is actually cooked"

    def niches(scores: dict[str, float]) -> set[str]:
        tags = rank_tags(docs, Topic(scores=scores), text=text)
        return {niche_of[t.tag] for t in tags if t.kind != "broad"}

    assert niches({"food": 0.72, "gaming": 0.6, "comedy": 0.2}) == {"gaming"}
    weak = 0.9 * RIVAL_SHARE * 0.72
    assert niches({"food": 0.72, "gaming": weak, "comedy": 0.2}) == {"food"}
    # a keyword met by one word ('interest' in #funfacts) does not outweigh a near-certain
    # niche whose tags the words do not name
    compound = rank_tags(docs, Topic(scores={"finance": 0.99, "education": 0.91}),
                         text="compound interest will make you cry (happy tears)")
    assert {niche_of[t.tag] for t in compound if t.kind != "broad"} == {"finance"}
    # without a named tag the likelier niche keeps the lead
    assert {niche_of[t.tag] for t in rank_tags(docs, Topic(scores={"food": 0.72,
                                                                  "gaming": 0.6}),
                                               text="this season is cooked")
            if t.kind != "broad"} == {"food"}


def test_a_sub_topic_tag_needs_the_clip_to_be_about_it(index):
    """Inside the right niche, a sub-topic's tag the clip does not name ranks below the
    niche's general tags, and one whose words go with the clip's comes first."""
    dog = [t.tag for t in tags_for(index, "my golden retriever meets snow for the first time")]
    assert "#petsoftiktok" in dog
    assert not {"#catsoftiktok", "#cattok", "#kitten", "#catlife"} & set(dog), dog
    hike = [t.tag for t in tags_for(index, "sunrise hike to the top of mount rainier")]
    assert "#beachvibes" not in hike and {"#travel", "#traveltok"} <= set(hike), hike


def test_a_topic_tag_needs_the_clip_to_name_it(index, niche_of):
    """A tag of one thing within a niche (a game, a sport, a diet: ``kind`` topic in the
    index) appears only when the clip names it: by a word of its name, or by a keyword no
    other topic tag of the niche has. A keyword two games share names neither."""
    kinds = {it.item: it.fields.get("kind") for it in index.current("hashtags")}
    games = {t for t, k in kinds.items() if k == "topic" and niche_of.get(t) == "gaming"}
    build = [t.tag for t in tags_for(index, "minecraft castle build, 3 weeks of work")]
    assert "#minecraft" in build and not (games - {"#minecraft"}) & set(build), build
    boss = [t.tag for t in tags_for(index, "finally beat the final boss after 40 tries")]
    assert {"#gaming"} <= set(boss) and not games & set(boss), boss
    pasta = [t.tag for t in tags_for(index, "fresh pasta without a machine, be gentle")]
    assert not {"#vegan", "#airfryer", "#highprotein", "#dessert"} & set(pasta), pasta
    assert sum(niche_of.get(t) == "food" for t in pasta) >= 2, pasta


def test_tags_mix_kinds_no_duplicates_no_spam_one_broad(index):
    tags = tags_for(index, "follow for follow like4like meal prep for the week", "food", top=8)
    names = [t.tag for t in tags]
    assert len(names) == len(set(names)) >= 3
    assert not {"#followforfollow", "#like4like", "#f4f"} & set(names)
    assert [t.kind for t in tags].count("broad") == 1
    assert "#mealprep" in names[:3]
    assert all(t.reason for t in tags)
    reels = tags_for(index, "meal prep for the week", "food")
    assert "#reels" not in [t.tag for t in reels]
    reels = suggest_hashtags(None, caption="meal prep for the week", index=index,
                             platform="reels")
    assert "#reels" in [t.tag for t in reels]


def test_a_niche_the_model_rates_below_0_1_never_appears(index, niche_of):
    model = shipped_model()
    for caption in ("gel nail art at home for beginners", "insane clutch in valorant ranked",
                    "my rescue dog learns a new trick", "paying off my credit card debt"):
        topic = read_topic(model, caption=caption)
        for t in tags_for(index, caption):
            if t.kind in ("niche", "trending"):
                assert topic.scores[niche_of[t.tag]] >= 0.1, (caption, t)


@pytest.mark.parametrize("caption", [
    "", "   ", "😂🔥💯✨", "recette de pâtes faciles à la maison pour toute la famille",
    "ich liebe dieses Rezept für Apfelkuchen mit Zimt", "sourdough " * 700,
    "#travel #lisbon #portugal #fyp #viral #wanderlust sunset at the miradouro",
    "#fyp #foryou #viral", "!!!???", "a" * 5000])
def test_bad_captions_give_sensible_tags(index, caption):
    tags = tags_for(index, caption)
    names = [t.tag for t in tags]
    assert 1 <= len(names) <= 5 and len(names) == len(set(names))
    have = {w.lower() for w in caption.split() if w.startswith("#")}
    assert not have & set(names), "a tag the caption already has"
    kinds = [t.kind for t in tags]
    assert kinds.count("broad") <= 1 or set(kinds) == {"broad"}
    if set(kinds) == {"broad"}:
        assert all(t.reason.startswith("broad discovery tag: ") for t in tags)


def test_music_and_looks_follow_the_topic(speech_clip):
    a = analyze(speech_clip.path)
    model = shipped_model()
    travel = read_topic(model, caption="slow travel vlog through the villages of tuscany")
    workout = read_topic(model, caption="leg day workout, heavy squats and deadlifts")
    calm = suggest_music(a, topic=travel, top=30)
    punchy = suggest_music(a, topic=workout, top=30)
    score_calm = {m.id: m.score for m in calm}
    score_punchy = {m.id: m.score for m in punchy}
    for energetic in ("house-night-drive", "trap-heavy-crown"):
        assert score_punchy[energetic] > score_calm[energetic]
    for gentle in ("acoustic-morning-walk", "lofi-late-night"):
        assert score_calm[gentle] > score_punchy[gentle]
    assert punchy[0].id in ("house-night-drive", "trap-heavy-crown")
    assert any("topic travel" in r for m in calm[:3] for r in m.reasons)
    assert any("fitness" in r for m in punchy[:3] for r in m.reasons)
    looks = suggest_looks(a, topic=travel, top=10)
    assert any("suits travel content (topic travel" in r for lk in looks for r in lk.reasons)


def test_edit_auto_music_and_look_follow_the_caption(speech_clip):
    """``creator edit --music auto --look auto`` reads the caption's topic as suggest does,
    and its plan says why it chose what it did."""
    from creator_tools.pipeline.job import analyze_and_plan
    from creator_tools.settings.schema import EditChoices

    def chosen(caption: str):
        c = EditChoices(music="auto", look="auto", captions=False, caption=caption)
        return analyze_and_plan(speech_clip.path, c)[1]

    calm = chosen("slow travel vlog through the villages of tuscany")
    punchy = chosen("leg day workout, heavy squats and deadlifts")
    assert punchy.audio.music is not None and calm.audio.music is not None
    assert punchy.audio.music.id in ("house-night-drive", "trap-heavy-crown")
    assert calm.audio.music.id != punchy.audio.music.id
    notes = " | ".join(calm.notes)
    assert "music auto:" in notes and "topic travel" in notes, calm.notes
    assert "look auto:" in notes
    assert any(n.startswith("music auto:") and "fitness" in n for n in punchy.notes)


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



def test_an_edit_that_lifts_a_dim_clip_does_not_pick_a_look_to_lift_it_again():
    """With the exposure fix on (the edit's default), a dim clip is lifted to mid-grey before
    the look; bright-lift on top washed it out (gamma 1.9 and bright-lift at 80% on the
    bench_clips talk)."""
    from creator_tools.looks.tone import UNDEREXPOSED

    dark = analyze(mediagen.simple_clip(
        "dark", vcodec=("libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-vf",
                        "scale=320:240,eq=brightness=-0.4:contrast=0.5")))
    assert dark.color.overall.brightness < UNDEREXPOSED
    lifting = {lk.name for lk in shipped_looks().values()
               if lk.lifts_shadows or lk.brightness > 0}
    fixed = suggest_looks(dark, top=1, exposure_fixed=True)[0]
    assert fixed.name not in lifting, fixed
    assert not any("underexposed" in r for r in fixed.reasons)
    assert suggest_looks(dark, top=1)[0].name in lifting  # without the fix, one that lifts

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


def test_suggest_reads_the_topic_with_the_regions_ignored_tags(speech_clip, tmp_path):
    """``suggest`` (all at once), ``suggest_hashtags`` and ``read_clip_topic`` read the caption
    without the same tags: the broad and banned ones of the region asked for, not of every
    region (a tag that is broad in Germany is a word of the caption in the US)."""
    from creator_tools.suggest.hashtags import read_clip_topic

    export = tmp_path / "de.csv"
    export.write_text("tag,category,region,kind,as_of,source\n"
                      "#sourdough,general,DE,broad,2026-11-20,test\n", encoding="utf-8")
    a = analyze(speech_clip.path)
    caption = "#sourdough"
    with TrendIndex(tmp_path / "t.sqlite") as idx:
        idx.import_file(export)
        for region, food in (("US", True), ("DE", False)):
            whole = suggest(a, caption=caption, region=region, index=idx).topic
            alone = read_clip_topic(caption=caption, region=region, index=idx)
            assert whole is not None and whole.scores == alone.scores, region
            assert (whole.main() == "food") is food, (region, whole.ranked()[:2])
            tags = suggest_hashtags(None, caption=caption, region=region, index=idx)
            assert any(t.niche == "food" for t in tags) is food, region


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
    assert d["topic"]["niches"][0]["niche"] == "education"
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
    tags = suggest_hashtags(a, top=4)
    assert [t.tag for t in tags] == ["#fyp", "#foryou", "#foryoupage", "#viral"]
    assert {t.kind for t in tags} == {"broad"}
    assert all("no caption and no speech" in t.reason for t in tags)
    with TrendIndex() as idx:
        s = suggest(a, index=idx)
    assert any("broad tags only: no caption and no speech" in w for w in s.warnings)


def test_an_edit_reads_the_hashtags_of_its_region(speech_clip, tmp_path, monkeypatch):
    """``creator edit --region`` (or the profile's region) reads the caption line's tags as
    ``creator suggest --region`` does: a tag that is broad in Germany is a topic word in the
    US."""
    from creator_tools.pipeline.job import edit_options
    from creator_tools.settings import EditChoices

    export = tmp_path / "de.csv"
    export.write_text("tag,category,region,kind,as_of,source\n"
                      "#sourdough,general,DE,broad,2026-11-20,test\n", encoding="utf-8")
    monkeypatch.setenv("CREATOR_INDEX", str(tmp_path / "t.sqlite"))
    with TrendIndex() as idx:
        idx.import_file(export)
    a = analyze(speech_clip.path)
    for region, food in (("US", True), ("DE", False)):
        o = edit_options(a, EditChoices(caption="#sourdough", region=region, music="none",
                                        look="none", captions=False))
        want = {t.tag for t in suggest_hashtags(None, caption="#sourdough", region=region)}
        assert set(o.hashtags) == want, region
        assert bool(want & {"#breadtok", "#baking", "#homebaking", "#foodtok", "#recipe",
                            "#easyrecipe", "#cooking"}) is food, (region, want)
