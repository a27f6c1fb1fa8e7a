"""The local trend index and ``creator trends``: shipped data, imports, history, concurrency."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from creator_tools.errors import DataFileError, UsageError
from creator_tools.resources import asset_path
from creator_tools.settings import NICHES as SETTINGS_NICHES
from creator_tools.trends.export import export
from creator_tools.trends.fields import FIELDS
from creator_tools.trends.importers import load_import, parse_import
from creator_tools.trends.store import TrendIndex, index_path
from tests.conftest import assert_one_clean_error, run_cli
from tools.looks import looks as look_presets
from tools.music import tracks as music_tracks

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = asset_path("trends")
CC_HEADER = ("hashtag_id,hashtag_name,country,rank,video_views,publish_count,industry_value,"
             "crawl_date")
NICHES = ["food", "fitness", "beauty", "fashion", "comedy", "education", "travel", "gaming",
          "pets", "tech", "finance", "diy", "music", "dance", "sports", "parenting", "lifestyle",
          "vlog"]
LOOKS = ["warm", "cool", "teal-orange", "vintage-fade", "black-and-white", "vivid", "moody",
         "soft-pastel", "bright-lift"]



@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An index in tmp_path; user data, cache and config folders in tmp_path too."""
    return {
        "CREATOR_INDEX": str(tmp_path / "index.sqlite"),
        "CREATOR_CACHE_DIR": str(tmp_path / "cache"),
        "CREATOR_TRENDS_DIR": str(SHIPPED),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
    }


@pytest.fixture(autouse=True)
def _isolated(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process library calls see the same isolated locations as the CLI processes."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)


def trends(*args: str, env: dict[str, str], stdin: str | None = None
           ) -> subprocess.CompletedProcess[str]:
    return run_cli("trends", *args, env=env, stdin=stdin)


def ndjson(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def dump(db: str | Path) -> tuple[str, list[str]]:
    """The index file's bytes (hashed) and every row of every table, as SQL."""
    digest = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    con = sqlite3.connect(db)
    try:
        return digest, list(con.iterdump())
    finally:
        con.close()


def current(env: dict[str, str], kind: str | None = None, **filters: str) -> list:
    with TrendIndex(env["CREATOR_INDEX"]) as ix:
        return ix.current(kind, **filters)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- the shipped starter index ------------------------------------------------------------------

def _shipped_rows(name: str) -> list[dict[str, str]]:
    with (SHIPPED / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_shipped_index_is_valid_sourced_dated_and_invents_no_figures():
    readme = (SHIPPED / "README.md").read_text(encoding="utf-8")
    for kind in ("hashtags", "sounds", "looks"):
        parsed = load_import(SHIPPED / f"{kind}.csv", kind=kind)
        assert parsed.kind == kind and parsed.rows
        header = next(csv.reader((SHIPPED / f"{kind}.csv").open(encoding="utf-8")))
        assert set(header) <= {f.name for f in FIELDS[kind]}
        for column in header:
            assert f"`{column}`" in readme, f"{kind}.csv column {column} is not documented"
        for row in parsed.rows:
            assert row["source"] and row["as_of"]
            # no network access to real dashboards: no popularity figures in the starter list
            assert row.get("rank") is None and row.get("views") is None
            assert row.get("posts") is None and row.get("trend") is None

    tags = {r["tag"]: r for r in _shipped_rows("hashtags.csv")}
    for niche in NICHES:
        described = [r for r in tags.values()
                     if r["category"] == niche and r["description"] and r["keywords"]]
        assert 10 <= len(described) <= 20, niche
    for broad in ("#fyp", "#foryou", "#viral", "#trending"):
        assert tags[broad]["kind"] == "broad" and tags[broad]["banned"] == "0"
    for spam in ("#followforfollow", "#like4like", "#f4f"):
        assert tags[spam]["banned"] == "1"
    assert "meal prep" in tags["#mealprep"]["keywords"]

    looks = {r["name"]: r for r in _shipped_rows("looks.csv")}
    assert set(LOOKS) <= set(looks)
    assert all(r["lut_file"] == f"{name}.cube" for name, r in looks.items())
    sounds = {r["id"]: r for r in _shipped_rows("sounds.csv")}
    local = {sid for sid, r in sounds.items() if r["local_file"]}
    assert len(local) >= 6 and len(sounds) > len(local)  # plus in-app-only kinds of sounds
    assert all(sounds[sid]["local_file"] == f"assets/music/{sid}.m4a" for sid in local)


def test_shipped_index_names_the_bundled_tracks_and_looks():
    """The rows point at what the music generator and the look presets really make."""
    sounds = {r["id"]: r for r in _shipped_rows("sounds.csv") if r["local_file"]}
    assert set(sounds) == {t.id for t in music_tracks.TRACKS}
    for t in music_tracks.TRACKS:
        assert float(sounds[t.id]["bpm"]) == t.bpm
        assert abs(float(sounds[t.id]["duration"]) - t.duration) < 0.001
    looks = {r["name"] for r in _shipped_rows("looks.csv")}
    assert looks == {look.name for look in look_presets.LOOKS}
    assert set(SETTINGS_NICHES) == set(NICHES)


def test_first_use_creates_the_index_from_trends(env, tmp_path):
    r = trends("stats", "--json", env=env)
    assert r.returncode == 0, r.stderr
    stats = json.loads(r.stdout)
    assert Path(env["CREATOR_INDEX"]).is_file()
    assert "created the trend index" in r.stderr
    assert stats["snapshots"] == 3
    for kind in ("hashtags", "sounds", "looks"):
        assert stats["items"][kind] == len(_shipped_rows(f"{kind}.csv"))
    assert set(NICHES) <= set(stats["niches"]["hashtags"])
    assert stats["banned_hashtags"] >= 3
    assert stats["newest_as_of"] == max(r["as_of"] for r in _shipped_rows("hashtags.csv"))

    # default location: the user data folder (here XDG_DATA_HOME in tmp_path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CREATOR_INDEX", "")
        assert index_path() == tmp_path / "xdg-data" / "creator-tools" / "trends.sqlite"

    # --index on the sub-app (or on the command) wins over $CREATOR_INDEX
    other = tmp_path / "other.sqlite"
    r = trends("--index", str(other), "stats", "--json", env=env)
    assert r.returncode == 0 and json.loads(r.stdout)["index"] == str(other)


def test_a_new_starter_list_replaces_the_old_one_and_keeps_the_creators_imports(tmp_path):
    """A release with another starter list: opening an index filled from the old one puts
    the new rows in place of the old (a tag's new kind, a new tag, a dropped tag), once; the
    creator's own import stays current. An index made before the starter keys existed (its
    starter snapshots known by their import time) is refreshed too."""
    import shutil

    starter = tmp_path / "starter"
    shutil.copytree(asset_path("trends"), starter)
    db = tmp_path / "t.sqlite"
    mine = tmp_path / "mine.csv"
    mine.write_text("tag,category,views,as_of,source\n#fortnite,gaming,5000000,2026-12-01,me\n",
                    encoding="utf-8")
    with TrendIndex(db, seed_dir=starter) as idx:
        idx.import_file(mine)
        before = {it.item: it for it in idx.current("hashtags")}
    assert before["#fortnite"].fields["views"] == 5_000_000 and "#gaminghighlights" not in before

    rows = (starter / "hashtags.csv").read_text(encoding="utf-8").splitlines()
    rows = [r.replace(",topic,0", ",niche,0") if r.startswith("#minecraft,") else r
            for r in rows if not r.startswith("#roblox,")]
    rows.append("#gaminghighlights,gaming,GLOBAL,,,,,2026-12-05,test,Highlights,"
                "clips highlights,niche,0")
    (starter / "hashtags.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    def opened() -> dict:
        with TrendIndex(db, seed_dir=starter) as idx:
            return ({it.item: it for it in idx.current("hashtags")}, len(idx.snapshots()))

    for _ in range(2):  # the second opening finds nothing to do
        after, snapshots = opened()
        assert snapshots == 4  # three starter snapshots, refilled in place, and mine
        assert after["#minecraft"].fields["kind"] == "niche"
        assert "#gaminghighlights" in after and "#roblox" not in after
        assert after["#fortnite"].fields["views"] == 5_000_000
        assert after["#fortnite"].fields["kind"] == "topic"  # from the starter, inherited

    con = sqlite3.connect(db)  # as an index from before the starter keys
    with con:
        con.execute("DELETE FROM meta WHERE key LIKE 'starter_%'")
    con.close()
    (starter / "hashtags.csv").write_text("\n".join(r for r in rows
                                                    if not r.startswith("#gaminghighlights,"))
                                          + "\n", encoding="utf-8")
    after, snapshots = opened()
    assert snapshots == 4 and "#gaminghighlights" not in after and "#minecraft" in after


def test_an_index_from_an_earlier_release_follows_the_packages_starter_list(tmp_path):
    """An index filled by an earlier release from its checkout's ``trends/`` folder (beside
    the ``creator_tools`` package) takes the package's new starter rows; one filled from a
    creator's own folder does not."""
    import shutil

    def starter(folder: Path, drop: str = "") -> Path:
        shutil.copytree(asset_path("trends"), folder)
        rows = (folder / "hashtags.csv").read_text(encoding="utf-8").splitlines()
        (folder / "hashtags.csv").write_text(
            "\n".join(r for r in rows if not (drop and r.startswith(drop + ","))) + "\n",
            encoding="utf-8")
        return folder

    (tmp_path / "old" / "creator_tools").mkdir(parents=True)
    old = starter(tmp_path / "old" / "trends", drop="#roblox")
    mine = starter(tmp_path / "mine", drop="#roblox")
    package = starter(tmp_path / "new" / "creator_tools" / "assets" / "trends")
    for seeded, follows in ((old, True), (mine, False)):
        db = tmp_path / f"{seeded.parent.name}.sqlite"
        with TrendIndex(db, seed_dir=seeded) as idx:
            assert "#roblox" not in {it.item for it in idx.current("hashtags")}
        with TrendIndex(db, seed_dir=package) as idx:
            assert ("#roblox" in {it.item for it in idx.current("hashtags")}) is follows


def test_missing_local_files_are_marked_unavailable(tmp_path):
    (tmp_path / "assets" / "music").mkdir(parents=True)
    (tmp_path / "assets" / "music" / "lofi-late-night.m4a").write_bytes(b"\0")
    with TrendIndex(tmp_path / "ix.sqlite", assets_root=tmp_path) as ix:
        sounds = {it.item: it for it in ix.current("sounds")}
        looks = ix.current("looks")
    assert sounds["lofi-late-night"].available is True
    assert sounds["trap-heavy-crown"].available is False
    assert all(it.available is False for it in looks)


# -- imports ------------------------------------------------------------------------------------

def test_import_creative_center_csv(env, tmp_path):
    f = write(tmp_path / "cc.csv", f"""{CC_HEADER}
7001,MealPrep,us,1,"1,200,000",3400,Food & Beverage,2026-11-20
7002, #Gym Tok ,US,2,800000,2100,Sports & Outdoor,2026-11-20
7003,followforfollow,US,3,500,10,,2026-11-20T08:00:00Z
""")
    r = trends("import", str(f), "--json", env=env)
    assert r.returncode == 0, r.stderr
    snap = json.loads(r.stdout)
    assert snap["kind"] == "hashtags" and snap["row_count"] == 3
    assert snap["format"] == "creative-center" and snap["as_of"] == "2026-11-20"
    items = {it.item: it for it in current(env, "hashtags", region="US")}
    assert set(items) == {"#mealprep", "#gymtok", "#followforfollow"}
    meal = items["#mealprep"].fields
    assert (meal["rank"], meal["views"], meal["posts"]) == (1, 1_200_000, 3400)
    assert meal["external_id"] == "7001" and meal["source"] == "TikTok Creative Center export"
    # descriptive fields come from the editorial row when the export has none
    assert "meal prep" in meal["keywords"]
    # the spam tag stays banned although the export does not say so
    assert items["#followforfollow"].banned


def test_import_creative_center_json(env, tmp_path):
    songs = {"code": 0, "data": {"list": [
        {"rank": 1, "title": "Night Drive", "author": "Some Artist", "duration": 62,
         "country_code": "GB", "song_id": "7300000000000000001", "link": "https://example.com/1",
         "crawl_date": "2026-11-21"},
        {"rank": 2, "title": "Sunny Loop", "author": "Other", "duration": "0:45",
         "country_code": "GB", "song_id": "7300000000000000002", "crawl_date": "2026-11-21"},
    ]}}
    r = trends("import", "-", "--json", env=env, stdin=json.dumps(songs))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["kind"] == "sounds"
    hashtags = [{"hashtag_name": "BookTok", "country": "GB", "rank": 1, "video_views": 9000,
                 "publish_count": 300, "industry_value": "Education", "crawl_date": "2026-11-21"}]
    f = write(tmp_path / "tags.json", json.dumps(hashtags))
    with TrendIndex(env["CREATOR_INDEX"]) as ix:
        assert ix.import_file(f).format == "creative-center"

    sounds = {it.item: it.fields for it in current(env, "sounds", region="GB")}
    assert sounds["night-drive-some-artist"]["artist"] == "Some Artist"
    assert sounds["night-drive-some-artist"]["external_id"] == "7300000000000000001"
    assert sounds["sunny-loop-other"]["duration"] == 45
    (book,) = current(env, "hashtags", region="GB")
    assert (book.item, book.fields["views"], book.fields["kind"]) == ("#booktok", 9000, "trending")


def test_map_option_renames_columns(env, tmp_path):
    f = write(tmp_path / "mine.csv", "Name,Market,Position,Plays,Day\n"
                                     "Study With Me,DE,4,1000,2026-11-19\n")
    r = trends("import", str(f), "--map", "name=tag", "--map", "market=region",
               "--map", "position=rank", "--map", "plays=views", "--map", "day=as_of",
               "--source", "my spreadsheet", env=env)
    assert r.returncode == 0, r.stderr
    (it,) = current(env, "hashtags", region="DE")
    assert (it.item, it.fields["rank"], it.fields["views"]) == ("#studywithme", 4, 1000)
    assert (it.as_of, it.fields["source"]) == ("2026-11-19", "my spreadsheet")

    with pytest.raises(DataFileError, match="no such column") as info:
        load_import(f, mapping={"nosuch": "tag"})
    assert (info.value.row, info.value.column) == (1, "nosuch")


def _truncated_json(tmp_path: Path) -> tuple[Path, int, int]:
    rows = [{"hashtag_name": f"tag{i}", "country": "US", "rank": i, "video_views": 10 * i,
             "crawl_date": "2026-11-20"} for i in range(1, 4)]
    text = json.dumps(rows, indent=1)[:-40]
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return write(tmp_path / "cut.json", text), exc.lineno, exc.colno
    raise AssertionError("not truncated")


BAD_FILES = {
    # name: (file text, extra args, expected row, expected column)
    "bad-int": (f"{CC_HEADER}\n1,a,US,1,100,1,,2026-11-20\n2,b,US,2,100,1,,2026-11-20\n"
                "3,c,US,3,lots,1,,2026-11-20\n", (), 4, "video_views"),
    "missing-column": ("country,rank,crawl_date\nUS,1,2026-11-20\n", ("--kind", "hashtags"),
                       1, "tag"),
    "empty-tag": (f"{CC_HEADER}\n1,a,US,1,100,1,,2026-11-20\n2,  ,US,2,100,1,,2026-11-20\n",
                  (), 3, "hashtag_name"),
    "bad-date": (f"{CC_HEADER}\n1,a,US,1,1,1,,2026-11-20\n2,b,US,2,1,1,,2026-11-20\n"
                 "3,c,US,3,1,1,,2026-11-21\n4,d,US,4,1,1,,2026-13-45\n", (), 5, "crawl_date"),
}


@pytest.mark.parametrize("case", [*BAD_FILES, "truncated-json"])
def test_malformed_file_is_refused_whole(case, env, tmp_path):
    TrendIndex(env["CREATOR_INDEX"]).close()
    before = dump(env["CREATOR_INDEX"])
    if case == "truncated-json":
        f, row, col = _truncated_json(tmp_path)
        args: tuple[str, ...] = ()
        column = str(col)
    else:
        text, args, row, column = BAD_FILES[case]
        f = write(tmp_path / f"{case}.csv", text)
    r = trends("import", str(f), *args, env=env)
    assert r.returncode == 3, r.stderr
    assert r.stdout == ""
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert_one_clean_error(r.stderr, "error:", f.name, f"row {row}", f"column '{column}'")
    assert dump(env["CREATOR_INDEX"]) == before


def test_failed_write_leaves_the_index_unchanged(tmp_path):
    db = tmp_path / "ix.sqlite"
    parsed = parse_import(f"{CC_HEADER}\n1,a,US,1,1,1,,2026-11-20\n2,b,US,2,1,1,,2026-11-20\n",
                          name="x.csv")
    with TrendIndex(db, seed=False) as ix:
        ix.add(parsed)
    before = dump(db)
    del parsed.rows[1]["item"]  # the second row fails inside the transaction
    with TrendIndex(db) as ix, pytest.raises(KeyError):
        ix.add(parsed)
    assert dump(db)[1] == before[1]


def test_tags_dates_and_ints_are_validated():
    parsed = parse_import("tag,as_of,views,banned\n Meal Prep ,2026-11-20,\"1,500\",yes\n",
                          name="t.csv")
    row = parsed.rows[0]
    assert (row["item"], row["views"], row["banned"], row["region"]) == (
        "#mealprep", 1500, True, "GLOBAL")
    for text, column in (("tag,as_of\n#a b#c,2026-11-20\n", "tag"),
                         ("tag,as_of\n#ok,20.11.2026\n", "as_of"),
                         ("tag,as_of,rank\n#ok,2026-11-20,0\n", "rank"),
                         ("tag,as_of,posts\n#ok,2026-11-20,-3\n", "posts"),
                         ("tag,as_of\n#ok,2026-11-20\n#OK,2026-11-21\n", "tag")):
        with pytest.raises(DataFileError) as info:
            parse_import(text, name="t.csv")
        assert info.value.column == column and info.value.row in (2, 3)


# -- history, momentum, staleness ---------------------------------------------------------------

def test_momentum_between_the_two_newest_snapshots(env, tmp_path):
    week1 = write(tmp_path / "w1.csv", f"""{CC_HEADER}
1,alpha,US,10,1000,50,,2026-11-01
2,beta,US,3,5000,80,,2026-11-01
""")
    week2 = write(tmp_path / "w2.csv", f"""{CC_HEADER}
1,alpha,US,4,1500,70,,2026-11-08
2,beta,US,5,4000,90,,2026-11-08
3,gamma,US,1,100,1,,2026-11-08
""")
    older = write(tmp_path / "w0.csv", f"{CC_HEADER}\n1,alpha,US,30,10,1,,2026-10-25\n")
    with TrendIndex(env["CREATOR_INDEX"]) as ix:
        ix.import_file(week1)
    r = trends("import", str(week2), env=env)
    assert r.returncode == 0, r.stderr
    with TrendIndex(env["CREATOR_INDEX"]) as ix:
        ix.import_file(older)  # back-filled older data does not become current
    r = trends("show", "#alpha", "--json", env=env)
    assert r.returncode == 0, r.stderr
    (alpha,) = ndjson(r.stdout)
    assert alpha["as_of"] == "2026-11-08" and alpha["rank"] == 4
    assert alpha["momentum"] == {
        "previous_as_of": "2026-11-01", "previous_snapshot_id": alpha["history"][1]["snapshot_id"],
        "days": 7, "rank_change": 6, "views_delta": 500, "view_growth": 0.5,
        "views_per_day": 71.4}
    assert [h["as_of"] for h in alpha["history"]] == ["2026-10-25", "2026-11-01", "2026-11-08"]

    items = {it.item: it for it in current(env, "hashtags", region="US")}
    beta = items["#beta"].momentum
    assert (beta.rank_change, beta.views_delta, beta.view_growth) == (-2, -1000, -0.2)
    assert items["#gamma"].momentum is None
    assert [it.item for it in current(env, "hashtags", region="US")] == [
        "#gamma", "#alpha", "#beta"]  # by rank


def test_stale_days_with_injected_today(tmp_path):
    parsed = parse_import(f"{CC_HEADER}\n1,a,US,1,1,1,,2026-11-01\n", name="x.csv")
    with TrendIndex(tmp_path / "ix.sqlite", seed=False) as ix:
        assert ix.stale_days() is None and ix.stale_warning() is None
        ix.add(parsed)
        assert ix.stale_days(today=dt.date(2026, 11, 20)) == 19
        assert "19 days old" in ix.stale_warning(today=dt.date(2026, 11, 20))
        assert ix.stale_warning(today=dt.date(2026, 11, 15)) is None  # 14 days: not yet
        assert ix.stale_warning(today=dt.date(2026, 11, 16)) is not None
        assert ix.stats(today=dt.date(2026, 11, 20))["stale"] is True


def test_cli_warns_when_the_newest_data_is_older_than_14_days(env, tmp_path):
    seed = tmp_path / "seed"
    seed.mkdir()
    as_of = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    write(seed / "hashtags.csv", f"tag,source,as_of\n#old,test,{as_of}\n")
    r = trends("list", env={**env, "CREATOR_TRENDS_DIR": str(seed)})
    assert r.returncode == 0, r.stderr
    assert "#old" in r.stdout
    assert "warning:" in r.stderr and "30 days old" in r.stderr
    with TrendIndex(env["CREATOR_INDEX"]) as ix:
        assert ix.stale_days() == 30
        assert ix.stale_warning(today=dt.date.today() - dt.timedelta(days=20)) is None


# -- several processes --------------------------------------------------------------------------

def test_two_processes_import_into_one_index_at_once(env, tmp_path):
    files = []
    for region in ("FR", "JP"):
        rows = "\n".join(f"{i},tag{region.lower()}{i},{region},{i},{i * 100},{i},,2026-11-20"
                         for i in range(1, 301))
        files.append(write(tmp_path / f"{region}.csv", f"{CC_HEADER}\n{rows}\n"))
    full_env = {**os.environ, **env}
    # the index does not exist yet: both processes also race to create it
    procs = [subprocess.Popen([sys.executable, "-m", "creator_tools", "trends", "import",
                               str(f)], env=full_env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for f in files]
    results = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
    with TrendIndex(env["CREATOR_INDEX"]) as ix:
        snaps = ix.snapshots()
        assert sorted(s.row_count for s in snaps if s.format == "creative-center") == [300, 300]
        assert len(snaps) == 5  # the shipped folder was imported once
        for region in ("FR", "JP"):
            assert len(ix.current("hashtags", region=region)) == 300
    journal = sqlite3.connect(env["CREATOR_INDEX"]).execute("PRAGMA journal_mode").fetchone()
    assert journal == ("wal",)


# -- listing, search, export --------------------------------------------------------------------

def test_banned_tags_are_flagged(env):
    r = trends("list", "--kind", "hashtags", "--niche", "general", "--limit", "0", env=env)
    assert r.returncode == 0, r.stderr
    banned_rows = [ln for ln in r.stdout.splitlines() if "BANNED" in ln]
    assert any("#f4f" in ln for ln in banned_rows)
    assert not any("#fyp " in ln for ln in banned_rows)
    records = {it.item: it.to_dict() for it in current(env, "hashtags", niche="general")}
    for spam in ("#followforfollow", "#like4like", "#f4f"):
        assert records[spam]["banned"] is True
    assert records["#fyp"]["banned"] is False and records["#fyp"]["kind"] == "broad"


def test_search_finds_by_keywords(env):
    r = trends("search", "meal", "prep", "--json", "--limit", "3", env=env)
    assert r.returncode == 0, r.stderr
    assert ndjson(r.stdout)[0]["item"] == "#mealprep"
    with TrendIndex(env["CREATOR_INDEX"]) as ix:
        assert ix.search("lofi study", kind="sounds")[0][1].item == "lofi-late-night"


def test_export_csv_reimports_and_json_has_all_kinds(env, tmp_path):
    out = tmp_path / "tags.csv"
    r = trends("export", "--format", "csv", "--kind", "hashtags", "-o", str(out), env=env)
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("tag,category,region")
    again = load_import(out, kind="hashtags")
    assert len(again.rows) == len(_shipped_rows("hashtags.csv"))
    assert {r["item"] for r in again.rows if r["banned"]} >= {"#f4f", "#like4like"}

    r = trends("export", env=env)
    doc = json.loads(r.stdout)
    assert {k: len(doc[k]) for k in ("hashtags", "sounds", "looks")} == {
        k: len(_shipped_rows(f"{k}.csv")) for k in ("hashtags", "sounds", "looks")}
    assert parse_import(r.stdout, name="x.json", kind="looks").kind == "looks"

    with TrendIndex(env["CREATOR_INDEX"]) as ix, pytest.raises(UsageError) as info:
        export(ix, io.StringIO(), fmt="csv")
    assert info.value.options == ("kind",) and "pass kind hashtags|" in str(info.value)
    r = run_cli("trends", "export", "--format", "csv", env=env)  # the CLI names its flag
    assert r.returncode == 2 and "pass --kind hashtags|" in r.stderr
