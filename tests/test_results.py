"""``creator results``: each platform's export shape, localized headers, bad rows (nothing
imported), re-imports (dated snapshots, no duplicates) and matching rows to clips."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from creator_tools.errors import DataFileError, OptionError
from creator_tools.results import values
from creator_tools.results.clips import SeenClip
from creator_tools.results.importers import parse_mapping, parse_results
from creator_tools.results.matching import Match, Miss, match_rows
from tests import mediagen
from tests.conftest import assert_one_clean_error, run_cli
from tests.results_media import planted_clips, tiktok_csv, two_effects, youtube_csv

YOUTUBE = """\
Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,\
Impressions,Impressions click-through rate (%),Average view duration,\
Average percentage viewed (%),Likes (vs. dislikes) (%)
Total,,,,"12,345",40.2,12,"250,000",4.9,0:00:21,48.3,98
dQw4w9WgXcQ,Three knife tricks,"Mar 5, 2024",34,"1,234",7.1,3,"20,100",5.2,0:00:21,61.76,97.5
aBcDeFgHiJk,Morning routine,"Feb 29, 2024",58,987,4.0,0,"15,000",3.10%,0:01:05,112.07,99
"""

TIKTOK = """\
Video title,Video link,Post time,Total views,Total likes,Total comments,Total shares,\
Average watch time,Watched full video (%)
Knife tricks #cooking #fyp,https://www.tiktok.com/@me/video/7312345678901234567,\
2024-03-05 18:22,"12,345",1.020,14,3,6.2s,21.5%
No link here,,2024-03-06 09:00,800,40,2,0,4.5,10%
"""

INSTAGRAM = """\
Post ID,Account ID,Account username,Account name,Description,Duration (sec),Publish time,\
Permalink,Post type,Data comment,Date,Views,Reach,Likes,Shares,Follows,Comments,Saves
17912345678901234,17841400001,me,Me,"Line one
line two #vlog",12.4,04/14/2025 16:09,https://www.instagram.com/reel/Cabc/,IG reel,,Lifetime,\
1500,1200,80,3,1,4,9
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A results store, analysis cache and user folders inside ``tmp_path``."""
    return {
        "CREATOR_RESULTS": str(tmp_path / "results.sqlite"),
        "CREATOR_CACHE_DIR": str(tmp_path / "cache"),
        "CREATOR_CONFIG": str(tmp_path / "config.toml"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
    }


@pytest.fixture(autouse=True)
def _isolated(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)


# -- each platform's shape ------------------------------------------------------------------------

def test_youtube_table_data_shape():
    r = parse_results(YOUTUBE, name="Table data.csv")
    assert r.platform == "youtube" and r.skipped_total and r.whole_seconds
    assert [row["video_id"] for row in r.rows] == ["dQw4w9WgXcQ", "aBcDeFgHiJk"]
    first, second = r.rows
    assert first["row"] == 3 and first["title"] == "Three knife tricks"
    assert first["published"] == "2024-03-05" and first["duration"] == 34
    assert first["views"] == 1234 and first["impressions"] == 20100
    assert first["avg_view_duration"] == 21 and first["avg_pct_viewed"] == 61.76
    assert second["published"] == "2024-02-29" and second["avg_view_duration"] == 65
    assert second["ctr"] == 3.10 and second["avg_pct_viewed"] == 112.07  # Shorts that loop
    assert r.ignored_columns == []  # a known column this project does not use is dropped


def test_tiktok_studio_shape():
    r = parse_results(TIKTOK, name="tiktok.csv")
    assert r.platform == "tiktok" and not r.skipped_total
    linked, unlinked = r.rows
    assert linked["video_id"] == "7312345678901234567"
    assert linked["published"] == "2024-03-05T18:22"
    assert linked["views"] == 12345 and linked["likes"] == 1020
    assert linked["avg_view_duration"] == 6.2 and linked["watched_full"] == 21.5
    assert linked["avg_pct_viewed"] is None and linked["duration"] is None
    # No link: an id from the title and time, the same in every export.
    assert unlinked["video_id"].startswith("t-")
    again = parse_results(TIKTOK.replace("800,40", "900,44"), name="later.csv")
    assert again.rows[1]["video_id"] == unlinked["video_id"]


def test_instagram_content_export_shape():
    r = parse_results(INSTAGRAM, name="instagram.csv")
    assert r.platform == "instagram"
    (row,) = r.rows
    assert row["video_id"] == "17912345678901234" and row["row"] == 2
    assert row["title"] == "Line one line two #vlog"
    assert row["published"] == "2025-04-14T16:09" and row["duration"] == 12.4
    assert row["reach"] == 1200 and row["saves"] == 9 and row["subscribers"] == 1
    assert r.ignored_columns == []  # Account ID, Date ("Lifetime")... are known and unused
    assert not r.teaches  # no watch figure: kept, but teaches nothing


@pytest.mark.parametrize(("text", "expected"), [
    # French Studio export: semicolons, narrow no-break spaces, decimal commas, fractions.
    ("Contenu;Titre de la vidéo;Vues;Durée moyenne de visionnage;Pourcentage moyen regardé (%)\n"
     "Total;;1\u202f333;1:00;15 %\n"
     "-Abc_def12X;Un titre;1\u202f234;1:11:11,270;14,82 %\n",
     {"video_id": "-Abc_def12X", "title": "Un titre", "views": 1234,
      "avg_view_duration": 4271.27, "avg_pct_viewed": 14.82}),
    # Spanish: thousands with dots.
    ("ID del vídeo;Título del vídeo;Impresiones;CTR de las impresiones (%);Visualizaciones;"
     "Duración media de la visualización;Porcentaje medio visto (%)\n"
     "xYz12345678;La noche;28.500;4,8;1.310;1:32;39,2\n",
     {"video_id": "xYz12345678", "impressions": 28500, "ctr": 4.8, "views": 1310,
      "avg_view_duration": 92, "avg_pct_viewed": 39.2}),
    # Portuguese (Brazil): commas, a localized date.
    ("Conteúdo,Título do vídeo,Horário de publicação do vídeo,Duração,Visualizações,"
     "Porcentagem média visualizada (%)\n"
     "Total,,,,1000,40\n"
     'abc12345xyz,Porsche 911,"26 de ago. de 2026",85,389,"27,42"\n',
     {"video_id": "abc12345xyz", "published": "2026-08-26", "duration": 85, "views": 389,
      "avg_pct_viewed": 27.42}),
    # German: the content column is "Videos", the total row "Gesamt".
    ("Videos,Videotitel,Veröffentlichungszeitpunkt des Videos,Dauer,Aufrufe,"
     "Durchschnittliche Wiedergabedauer\n"
     "Gesamt,,,,5000,0:00:30\n"
     "Q1w2E3r4T5y,Mein Video,05.03.2024,41,\"4,321\",0:00:19\n",
     {"video_id": "Q1w2E3r4T5y", "published": "2024-03-05", "views": 4321,
      "avg_view_duration": 19}),
    # Japanese.
    ("コンテンツ,視聴回数,平均視聴時間,平均視聴率 (%)\n"
     "合計,100,0:00:10,30\n"
     "JpVideo0001,\"1,500\",0:00:12,45.5\n",
     {"video_id": "JpVideo0001", "views": 1500, "avg_view_duration": 12, "avg_pct_viewed": 45.5}),
], ids=["fr", "es", "pt", "de", "ja"])
def test_localized_youtube_headers(text, expected):
    r = parse_results(text.encode("utf-8"), name="Table data.csv")
    assert r.platform == "youtube"
    row = r.rows[-1]
    assert {k: row[k] for k in expected} == expected


@pytest.mark.parametrize(("cell", "kind", "expected"), [
    ("1,438,625", "count", 1438625), ("1.310", "count-comma", 1310), ("28 500", "count", 28500),
    ("6,58 %", "percent-comma", 6.58), ("4.34%", "percent", 4.34), ("-", "count", None),
    ("0:00:34", "seconds", 34), ("47:08.743", "seconds", 2828.743), ("1m 5s", "seconds", 65),
    ("12.3s", "seconds", 12.3), ("34", "seconds", 34),
])
def test_numbers_and_durations(cell, kind, expected):
    decimal = "," if kind.endswith("-comma") else "."
    parse = {"count": values.parse_count, "percent": values.parse_percent,
             "seconds": values.parse_seconds}[kind.split("-")[0]]
    assert parse(cell, decimal=decimal) == expected


@pytest.mark.parametrize(("cell", "expected"), [
    ("Mar 5, 2024", "2024-03-05"), ("5 mars 2024", "2024-03-05"), ("2024-03-05", "2024-03-05"),
    ("2024-03-05T18:22:10Z", "2024-03-05T18:22"), ("04/14/2025 16:09", "2025-04-14T16:09"),
    ("14/04/2025", "2025-04-14"), ("2024年3月5日", "2024-03-05"), ("Mar 5, 2024 6:05 PM",
                                                                "2024-03-05T18:05"),
])
def test_dates(cell, expected):
    assert values.parse_when(cell) == expected


@pytest.mark.parametrize(("cell", "reason"), [
    ("12.5", "whole number"), ("1,23,4", "number"), ("lots", "number")])
def test_bad_counts_say_why(cell, reason):
    with pytest.raises(ValueError, match=reason):
        values.parse_count(cell)


def test_map_names_other_columns():
    text = "id,name,pct kept\nv1,Clip one,40.5\n"
    with pytest.raises(DataFileError, match="cannot tell YouTube"):
        parse_results(text, name="custom.csv")
    mapping = parse_mapping(["id=video_id", "name=title", "pct kept=avg_pct_viewed"])
    r = parse_results(text, name="custom.csv", platform="youtube", mapping=mapping)
    assert r.rows[0]["video_id"] == "v1" and r.rows[0]["avg_pct_viewed"] == 40.5
    with pytest.raises(OptionError, match="unknown field"):
        parse_mapping(["id=identifier"])
    with pytest.raises(DataFileError, match="no such column"):
        parse_results(text, name="custom.csv", platform="youtube",
                      mapping=parse_mapping(["vid=video_id"]))


# -- bad rows: nothing is imported ------------------------------------------------------------

def _store_counts(path: str) -> tuple[int, int, int]:
    with sqlite3.connect(path) as con:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("imports", "videos", "snapshots"))


@pytest.mark.parametrize(("bad", "row", "column"), [
    ("61.76", "row 3", "Average percentage viewed (%)"),  # -> "lots"
    ('"Mar 5, 2024"', "row 3", "Video publish time"),     # -> "someday"
])
def test_a_bad_row_imports_nothing(bad, row, column, env, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(YOUTUBE)
    r = run_cli("results", "import", str(good), env=env)
    assert r.returncode == 0, r.stderr
    before = _store_counts(env["CREATOR_RESULTS"])
    assert before == (1, 2, 2)
    broken = tmp_path / "Table data.csv"
    broken.write_text(YOUTUBE.replace("61.76", "lots") if bad == "61.76"
                      else YOUTUBE.replace('"Mar 5, 2024"', "someday"))
    r = run_cli("results", "import", str(broken), env=env)
    assert r.returncode == 3
    assert_one_clean_error(r.stderr, str(broken), row, f"column '{column}'")
    assert _store_counts(env["CREATOR_RESULTS"]) == before


def test_a_bad_first_import_creates_no_store(env, tmp_path):
    broken = tmp_path / "tiktok.csv"
    broken.write_text(TIKTOK.replace("6.2s", "six"))
    r = run_cli("results", "import", str(broken), env=env)
    assert r.returncode == 3
    assert_one_clean_error(r.stderr, "row 2", "column 'Average watch time'")
    assert not Path(env["CREATOR_RESULTS"]).exists()


# -- re-imports: dated snapshots, no duplicates -------------------------------------------------

def test_a_newer_export_adds_a_snapshot_and_no_duplicates(env, tmp_path):
    first, newer = tmp_path / "week1.csv", tmp_path / "week2.csv"
    first.write_text(YOUTUBE)
    newer.write_text(YOUTUBE.replace('"1,234"', '"2,500"').replace("61.76", "58.10"))
    for path, day in ((first, "2024-03-10"), (newer, "2024-03-17"), (newer, "2024-03-17")):
        r = run_cli("results", "import", str(path), "--as-of", day, env=env)
        assert r.returncode == 0, r.stderr
    assert _store_counts(env["CREATOR_RESULTS"]) == (3, 2, 4)  # 3 imports, 2 videos, 2 days
    r = run_cli("results", "list", "--json", env=env)
    videos = {v["video_id"]: v for v in map(json.loads, r.stdout.splitlines())}
    assert set(videos) == {"dQw4w9WgXcQ", "aBcDeFgHiJk"}
    knife = videos["dQw4w9WgXcQ"]
    assert knife["snapshot_count"] == 2 and knife["as_of"] == "2024-03-17"
    assert knife["views"] == 2500 and knife["avg_pct_viewed"] == 58.10
    from creator_tools.results.store import ResultsStore

    with ResultsStore(env["CREATOR_RESULTS"], create=False) as store:
        history = store.history("youtube", "dQw4w9WgXcQ")
    assert [(h["as_of"], h["views"]) for h in history] == [("2024-03-10", 1234),
                                                           ("2024-03-17", 2500)]


# -- matching ----------------------------------------------------------------------------------

def _clip(name: str, duration: float, made: dt.date, *, titles: tuple[str, ...] = (),
          plan: bool = False) -> SeenClip:
    path = Path(f"/clips/{name}.mp4")
    return SeenClip(path, path.with_suffix(".plan.json") if plan else None,
                    (*titles, name), duration, made)


def test_match_rules_title_then_duration_and_date():
    day = dt.date(2024, 3, 1)
    clips = [_clip("knife", 20.0, day, titles=("Three knife tricks",), plan=True),
             _clip("knife-raw", 31.0, day, titles=("Three knife tricks",)),
             _clip("walk", 12.3, day), _clip("run", 12.6, day), _clip("late", 40.2, day)]
    rows = [
        {"title": "three  KNIFE tricks #cooking", "duration": None, "published": None},
        {"title": "something else", "duration": 40.0, "published": "2024-03-02"},
        {"title": "something else", "duration": 12.4, "published": "2024-03-02"},
        {"title": "old post", "duration": 40.0, "published": "2024-02-01"},
        {"title": "no clue", "duration": None, "published": "2024-03-02"},
    ]
    got = match_rows(rows, clips)
    assert isinstance(got[0], Match) and got[0].by == "title"
    assert got[0].clip.video.name == "knife.mp4"  # the edit beats its raw clip
    assert isinstance(got[1], Match) and got[1].by == "duration"
    assert got[1].clip.video.name == "late.mp4"
    assert isinstance(got[2], Miss) and "2 clips" in got[2].reason  # 12.3 and 12.6 both fit
    assert isinstance(got[3], Miss)  # published before any clip of that length was made
    assert isinstance(got[4], Miss) and "no duration" in got[4].reason
    # Whole seconds (YouTube): 40 also matches a 40.7 s clip, rounded down.
    assert isinstance(match_rows([{"title": "x", "duration": 40.0, "published": "2024-03-02"}],
                                 [_clip("long", 40.7, day)], whole_seconds=True)[0], Match)
    assert isinstance(match_rows([{"title": "x", "duration": 40.0, "published": "2024-03-02"}],
                                 [_clip("long", 40.7, day)])[0], Miss)


def _edit(clip: Path, out: Path, caption: str, env: dict[str, str]) -> Path:
    r = run_cli("edit", str(clip), "-o", str(out), "--caption", caption, "--no-captions",
                "--music", "none", "--look", "none", "--reframe", "fill", env=env)
    assert r.returncode == 0, r.stderr
    return out


def test_rows_match_edits_by_caption_and_duration_and_by_hand(env, tmp_path):
    edits = tmp_path / "edits"
    edits.mkdir()
    knife = mediagen.speech_clip(((0.9, 2.4), (2.8, 4.4)), duration=5.0, seed=1)
    walk = mediagen.speech_clip(((0.3, 3.5), (3.9, 7.5)), duration=8.0, seed=2)
    a = _edit(knife.path, edits / "knife.edited.mp4", "Three knife tricks", env)
    b = _edit(walk.path, edits / "walk.edited.mp4", "A walk in town", env)
    loose = tmp_path / "other.mp4"
    shutil.copy(mediagen.simple_clip("loose", duration=3.0), loose)
    plan_b = json.loads((edits / "walk.edited.plan.json").read_text())
    length_b = sum(s["end"] - s["start"] for s in plan_b["segments"]) / 30
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    export = tmp_path / "tiktok.csv"
    export.write_text(
        "Video title,Video link,Post time,Duration,Total views,Average watch time\n"
        f"Three knife tricks #cooking #fyp,https://www.tiktok.com/@me/video/111,{tomorrow},,"
        "900,2.5\n"
        f"walking,https://www.tiktok.com/@me/video/222,{tomorrow} 10:00,{length_b - 0.3:.2f},"
        "800,4.0\n"
        f"my other clip,https://www.tiktok.com/@me/video/333,{tomorrow},,700,1.5\n")
    r = run_cli("results", "import", str(export), "--match", str(edits), "--json", env=env)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    matched = {m["video_id"]: (Path(m["clip"]).name, m["by"]) for m in summary["matched"]}
    assert matched == {"111": (a.name, "title"), "222": (b.name, "duration")}
    assert [u["video_id"] for u in summary["unmatched"]] == ["333"]
    # Listed, and matched later by hand.
    r = run_cli("results", "list", "--unmatched", "--json", env=env)
    assert [json.loads(x)["video_id"] for x in r.stdout.splitlines()] == ["333"]
    r = run_cli("results", "match", "333", str(loose), env=env)
    assert r.returncode == 0, r.stderr
    r = run_cli("results", "list", "--json", env=env)
    clips = {v["video_id"]: v["clip"] for v in map(json.loads, r.stdout.splitlines())}
    assert clips["333"] == str(loose.resolve())
    r = run_cli("results", "match", "999", str(loose), env=env)
    assert r.returncode == 3 and "no imported video '999'" in r.stderr
    # The matched clips were analyzed for their features.
    with sqlite3.connect(env["CREATOR_RESULTS"]) as con:
        feats = dict(con.execute("SELECT video_id, features FROM videos").fetchall())
    knife_features = json.loads(feats["111"])
    assert knife_features["captions.burn"] == 0.0 and knife_features["look.name"] == "none"
    assert knife_features["hook.dead_air_start"] < 0.3  # the edit opens on the first word


def test_a_second_import_keeps_earlier_matches(env, tmp_path):
    clips = planted_clips()[:4]
    folder = tmp_path / "posted"
    folder.mkdir()
    for c in clips:
        os.symlink(c.path, folder / c.path.name)
    export = tmp_path / "yt.csv"
    export.write_text(youtube_csv(clips, two_effects))
    for expected_new in (4, 0):
        r = run_cli("results", "import", str(export), "--match", str(folder), "--json",
                    env=env)
        assert r.returncode == 0, r.stderr
        summary = json.loads(r.stdout)
        assert len(summary["matched"]) == expected_new
        assert summary["already_matched"] == 4 - expected_new
    # TikTok is another platform: the same clips match its rows too.
    export = tmp_path / "tt.csv"
    export.write_text(tiktok_csv(clips, two_effects))
    r = run_cli("results", "import", str(export), "--match", str(folder), "--json", env=env)
    assert len(json.loads(r.stdout)["matched"]) == 4


def test_option_errors_name_the_flags(env, tmp_path):
    export = tmp_path / "Table data.csv"
    export.write_text(YOUTUBE)
    for args, code, words in ((["--map", "foo"], 2, "--map expects COLUMN=FIELD"),
                              (["--map", "Views=viewz"], 2, "unknown field 'viewz'"),
                              (["--as-of", "soon"], 2, "--as-of expects a date"),
                              (["--match", str(tmp_path / "nope")], 3, "--match expects a folder"),
                              (["--platform", "tiktok"], 3, "no video id, link or title")):
        r = run_cli("results", "import", str(export), *args, env=env)
        assert r.returncode == code, (args, r.stderr)
        assert_one_clean_error(r.stderr, words)
    assert not Path(env["CREATOR_RESULTS"]).exists()
