"""The topic model: its corpus, reproducible training, generic words, places, retraining."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from creator_tools.settings.schema import NICHES
from creator_tools.text import stem
from creator_tools.topics.corpus import file_digest, shipped_corpus, shipped_corpus_path
from creator_tools.topics.features import text_features
from creator_tools.topics.model import shipped_model
from creator_tools.topics.places import find_places
from creator_tools.topics.reading import read_topic
from creator_tools.topics.words import split_hashtag, tokens, weight
from tests.conftest import run_cli
from tools.corpus_overlap import heldout_sets

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "benchmarks" / "data" / "suggest_heldout.csv"


def heldout(path: Path = HELDOUT) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_corpus_is_big_covers_every_niche_and_never_holds_the_heldout_set():
    rows = shipped_corpus()
    written = [r for r in rows if r.kind in ("caption", "speech")]
    assert len(written) >= 1500
    assert sum(r.kind == "speech" for r in rows) >= 300
    for niche in NICHES:
        assert sum(niche in r.labels for r in written) >= 60, niche
    assert sum(len(r.labels) > 1 for r in rows) >= 150  # several labels per row happen
    seen = {r.text.strip().lower() for r in rows}
    sets = heldout_sets()
    assert sets[0] == HELDOUT and len(sets) >= 9
    for path in sets:
        test = heldout(path)
        assert len(test) >= 150
        assert {n for r in test for n in r["labels"].split(";")} == set(NICHES)
        assert not [r["caption"] for r in test if r["caption"].strip().lower() in seen]


def test_no_corpus_row_is_a_near_copy_of_a_held_out_or_tuning_caption():
    from tools.corpus_overlap import captions, near_copies, unseen_sets

    texts = [r.text for r in shipped_corpus()]
    sets = unseen_sets()
    assert set(heldout_sets()) < set(sets) and ROOT / "tools" / "dev_captions4.csv" in sets
    for path in sets:
        near = near_copies(texts, captions(path))
        assert not near, (path.name, [texts[i] for i in sorted(near)][:5])
    # The measure finds what it looks for: a template with one word changed.
    assert near_copies(["things I wish I knew before visiting Paris", "leg day"],
                       ["Things I wish I knew before visiting Iceland!"]) == {0}


def test_shipped_model_was_built_from_the_shipped_corpus():
    model = shipped_model()
    assert model.meta["corpus"] == file_digest(shipped_corpus_path()), \
        "the corpus changed: run python tools/train_topics.py"
    assert model.labels == NICHES
    # About 2.1 MB at 14,400 rows (every word a creator's row names is kept: the names of
    # players, songs and products are what blind captions needed; int8 weights, the names
    # as one text): the wheel stays small.
    assert (ROOT / "creator_tools/assets/topics/model.npz").stat().st_size < 4_500_000


def test_training_is_reproducible(tmp_path):
    from creator_tools.topics.model import load_model, save_model
    from creator_tools.topics.training import SEED, train

    model = train(shipped_corpus(), seed=SEED)
    save_model(model, tmp_path / "model.npz")
    again, shipped = load_model(tmp_path / "model.npz"), shipped_model()
    assert again.labels == shipped.labels and again.features == shipped.features
    for row in heldout()[:40]:
        a, b = again.predict(row["caption"]), shipped.predict(row["caption"])
        assert np.allclose(list(a.values()), list(b.values()), atol=1e-6), row["caption"]
        # The file's int8 weights move a niche's probability by about a hundredth at most.
        c = model.predict(row["caption"])
        assert np.allclose(list(a.values()), list(c.values()), atol=0.03), row["caption"]


def test_generic_words_never_decide_and_stems_meet():
    assert weight("know") == weight("the") == 0.0
    assert weight("lisbon") == weight("sourdough") == 1.0
    assert 0 < weight("days") < 0.3
    assert stem("baking") == stem("bake")
    assert [t.stem for t in tokens("Baking bread")] == [stem("bake"), "bread"]
    model = shipped_model()
    for caption in ("the best day ever with my friends", "you know what, this is it",
                    "new video!! 🔥🔥", ""):
        topic = read_topic(model, caption=caption)
        assert not topic.known, (caption, topic.ranked()[:2])
        assert topic.note


def test_a_number_with_a_unit_reads_as_its_unit():
    """'10k' and '1k' meet as one stem with the unit's weight, so no round number a few
    corpus rows used decides a topic; ordinals say nothing."""
    assert tokens("1k streams")[0].stem == tokens("10k")[0].stem == "0k"
    assert tokens("20kg")[0].word == "20kg" and weight("20kg") == weight("kg") > 0.9
    assert weight("2nd") == weight("4th") == 0.0 and 0 < weight("2am") < 0.2
    assert tokens("ps5")[0].stem == "ps5"  # a name with a number is not a quantity
    assert text_features("my song hit 10k streams").counts == \
        text_features("my song hit 1k streams").counts


def test_hashtags_are_split_into_words():
    assert split_hashtag("hiddengems") == ["hidden", "gems"]
    assert split_hashtag("mealprep") == ["meal", "prep"]
    assert split_hashtag("fyp") == ["fyp"]
    words = [t.word for t in tokens("#MealPrepSunday is here")]
    assert words[:3] == ["meal", "prep", "sunday"]


def test_places_from_the_gazetteer():
    lisbon = find_places("3 days in lisbon: hidden viewpoints")
    assert [(p.name, p.tags) for p in lisbon] == [("Lisbon", ("#lisbon", "#portugal"))]
    assert find_places("two weeks backpacking through vietnam")[0].tags == ("#vietnam",)
    assert find_places("weekend in New York")[0].tags == ("#nyc", "#usa")
    # everyday words and given names are places only in travel context
    assert find_places("turkey recipe for thanksgiving") == []
    assert find_places("my trip to turkey")[0].name == "Turkey"
    assert find_places("my daughter charlotte loves it") == []
    assert find_places("a nice day reading a split pea soup recipe") == []
    assert find_places("#miami sunsets")[0].name == "Miami"
    # a wider region is not the country whose name it holds; a fruit is not a town
    assert find_places("backpacking across south america") == []
    assert find_places("mango sticky rice and a chia pudding") == []


@pytest.mark.parametrize("caption", [
    "chicago bulls 1996, the best team ever", "leeds united away days", "messi at inter miami",
    "bayern munich training ground tour", "real madrid comeback of the season",
    "new england clam chowder", "venice beach skatepark session", "paris hilton era makeup",
])
def test_a_place_inside_another_name_is_not_that_place(caption):
    """A club (its club word or a nickname beside the place), a region or a neighbourhood
    named after another place, a person."""
    assert find_places(caption) == []


def test_a_nickname_that_is_an_everyday_word_keeps_the_place():
    assert [p.name for p in find_places("houston heat is unreal in july")] == ["Houston"]
    assert [p.name for p in find_places("the real paris nobody shows you")] == ["Paris"]
    assert [p.name for p in find_places("3 days in chicago and the bulls game")] == ["Chicago"]


def test_countries_in_a_sports_caption_are_teams_unless_named_as_places():
    model = shipped_model()
    match = read_topic(model, caption="france vs ireland what a finish")
    assert match.main() == "sports" and match.places == []
    away = read_topic(model, caption="watching france vs ireland in dublin")
    assert away.main() == "sports" and [p.name for p in away.places] == ["Dublin"]
    trip = read_topic(model, caption="spain vs portugal for a first europe trip")
    assert trip.main() == "travel" and [p.name for p in trip.places] == ["Spain", "Portugal"]


def test_a_topic_word_is_not_a_small_town():
    # Mascara is a town in Algeria; "one mascara" is make-up. A place name the model reads as
    # evidence of a likelier niche counts only when written as a place, or when the place is
    # too big to mistake (Alexandria).
    model = shipped_model()
    lashes = read_topic(model, caption="everyday lashes with an eyelash curler and one mascara")
    assert lashes.main() == "beauty" and lashes.places == []
    trip = read_topic(model, caption="a week in mascara, algeria: markets and old town")
    assert [p.name for p in trip.places][:1] == ["Mascara"]
    library = read_topic(model, caption="the real reason the library of alexandria burned")
    assert [p.name for p in library.places] == ["Alexandria"]


def test_the_topic_model_loads_without_scikit_learn():
    code = ("import sys; from creator_tools.topics.model import shipped_model; "
            "p = shipped_model().predict('my sourdough starter'); "
            "print(max(p, key=p.get), 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.split() == ["food", "False"]


@pytest.mark.parametrize(("caption", "niche"), [
    ("budget challenge: a week of lentil curry for ten dollars", "food"),
    ("pov: the timing on this soft scramble", "food"),
    ("the technique for a glossy pan sauce, press the garlic first", "food"),
    ("hedgehog ranking his favourite treats", "pets"),
    ("ranking the pole laps of the grand prix weekend", "sports"),
])
def test_a_niches_own_word_beats_generic_cues_of_another(caption, niche):
    """"lentil", "scramble", "hedgehog" name the topic; "challenge", "dollars", "timing",
    "ranking" are cues that a few corpus rows of another niche happened to use. The naive Bayes
    part counts each word on its own, so the word that names the topic wins (or ties: a week
    of lentil curry for ten dollars is food and finance both, at 0.99 each), and the clip has
    a known topic (the soft scramble is food at 0.46, the next niche at 0.04)."""
    topic = read_topic(shipped_model(), caption=caption)
    scores = topic.scores
    assert topic.known and scores[niche] >= max(scores.values()) - 0.02, scores


def test_a_model_without_naive_bayes_still_loads(tmp_path):
    """A creator's model retrained by an older version (format 1: the SVM alone) is read."""
    from creator_tools.topics.model import load_model, save_model

    model = shipped_model()
    save_model(model, tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz") as z:
        arrays = {k: z[k] for k in z.files if k not in ("nb", "nb_rows", "cal_c")}
    meta = json.loads(str(arrays["meta"]))
    arrays["meta"] = np.array(json.dumps({**meta, "format": 1}))
    np.savez_compressed(tmp_path / "old.npz", **arrays)
    old = load_model(tmp_path / "old.npz")
    assert len(old.nb_rows) == 0 and not old.nb_scores(text_features("sourdough")).any()
    p = old.predict("my sourdough starter")
    assert max(p, key=p.get) == "food"
    # Saved again, the int8 weights come back to within float32 rounding of their scale.
    assert load_model(tmp_path / "m.npz").predict("my sourdough starter") == \
        pytest.approx(model.predict("my sourdough starter"), abs=1e-6)


def test_retrain_with_a_creators_own_rows(tmp_path, monkeypatch):
    index = tmp_path / "data" / "trends.sqlite"
    monkeypatch.setenv("CREATOR_INDEX", str(index))
    r = run_cli("trends", "retrain")
    assert r.returncode == 3 and "topics.csv" in r.stderr and "Traceback" not in r.stderr
    index.parent.mkdir(parents=True)
    own = index.parent / "topics.csv"
    own.write_text("text,labels\nmy zorblax loves belly rubs,astrology\n")
    r = run_cli("trends", "retrain")
    assert r.returncode == 3 and "row 2" in r.stderr and "astrology" in r.stderr
    rows = [f"zorblax {w} time with my zorblax,pets" for w in
            ("nap", "walk", "bath", "treat", "cuddle", "play", "zoomies", "vet")]
    own.write_text("text,labels\n" + "\n".join(rows) + "\n")
    r = run_cli("trends", "retrain", "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["own_rows"] == 8 and Path(info["model"]).parent == index.parent
    from creator_tools.suggest.topic import clip_topic

    class Index:
        path = index

    topic, notes = clip_topic(Index(), caption="zorblax")
    assert topic.main() == "pets" and "retrained" in topic.model and notes == []
    own.write_text(own.read_text() + "zorblax again,pets\n")
    _, notes = clip_topic(Index(), caption="zorblax")
    assert notes and "retrain" in notes[0]


@pytest.mark.parametrize("caption", ["3 days in lisbon: hidden viewpoints and where to eat",
                                     "two weeks backpacking through vietnam on a budget",
                                     "sunrise hike to the top of mount rainier"])
def test_the_issues_captions_are_travel(caption):
    topic = read_topic(shipped_model(), caption=caption)
    assert topic.main() == "travel"
    assert topic.evidence["travel"]


def test_suggest_reads_the_topic_from_speech_when_there_is_no_caption(tmp_path, monkeypatch):
    import shutil

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    from tests.mediagen import ffmpeg

    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CREATOR_INDEX", str(tmp_path / "index.sqlite"))
    monkeypatch.setenv("CREATOR_CONFIG", str(tmp_path / "config.toml"))
    wav, clip = tmp_path / "talk.wav", tmp_path / "bake.mp4"
    said = ("Today we are baking sourdough bread. My starter is bubbly, so I mix the flour, "
            "water and salt, fold the dough every hour, and bake the loaf in a hot oven.")
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), said], check=True)
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=12", "-i", str(wav), "-c:v",
           "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(clip))
    r = run_cli("suggest", str(clip), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["topic"]["sources"] == ["speech"]
    assert d["topic"]["niches"][0]["niche"] == "food"
    food = [t for t in d["hashtags"] if t["niche"] == "food"]
    assert len(food) >= 2 and "transcript: " in food[0]["reason"]
    assert any("food" in r for m in d["music"] for r in m["reasons"])
    quiet = run_cli("suggest", str(clip), "--no-transcribe", "--json")
    d = json.loads(quiet.stdout)
    assert {t["kind"] for t in d["hashtags"]} == {"broad"}
    assert "broad tags only: no caption and no speech" in quiet.stderr


def test_a_caption_of_many_middling_words_is_read():
    """No word weighs 0.3, but together they say parenting."""
    from creator_tools.topics.reading import read_topic

    topic = read_topic(shipped_model(), caption="family game night with a 4 and a 9 year old")
    assert topic.known and topic.ranked()[0][0] == "parenting", topic.ranked()[:3]
    assert not read_topic(shipped_model(), caption="so this happened today").known
