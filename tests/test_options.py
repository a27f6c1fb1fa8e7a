"""Options as data: library errors name parameters, the CLI words them as its flags; global
options go before or after the command."""

from __future__ import annotations

import pytest

from creator_tools.errors import DataFileError, OptionError, UsageError
from creator_tools.settings import EditChoices
from tests import mediagen
from tests.conftest import assert_one_clean_error, run_cli


def test_library_errors_name_parameters_not_flags():
    with pytest.raises(OptionError) as info:
        EditChoices(cut="most")
    assert str(info.value) == "cut must be one of silence, fillers, none, not 'most'"
    assert info.value.options == ("cut",)
    assert info.value.worded(lambda n: f"--{n}") == \
        "--cut must be one of silence, fillers, none, not 'most'"
    with pytest.raises(OptionError, match=r"^max_pause must be at least 0.2, not 0.1$"):
        EditChoices(max_pause=0.1)
    with pytest.raises(OptionError, match=r"^niche must be one of food, fitness"):
        EditChoices(niche="astrology")
    assert EditChoices(platform=" Reels ").platform == "reels"  # profile values normalise


def test_only_named_options_are_replaced():
    e = DataFileError("{mapping} a=b: no column '{kind}'", row=1, options="mapping")
    assert e.worded(lambda n: "--map") == "row 1: --map a=b: no column '{kind}'"
    assert str(UsageError("{cut} stays as typed")) == "{cut} stays as typed"


def test_the_cli_words_errors_with_its_flags(tmp_path):
    clip = mediagen.simple_clip("plain", duration=1.0)
    env = {"CREATOR_CONFIG": str(tmp_path / "none.toml"), "CREATOR_CACHE_DIR": str(tmp_path)}
    r = run_cli("edit", str(clip), "--cut", "most", env=env)
    assert r.returncode == 2
    assert_one_clean_error(r.stderr, "error: --cut must be one of silence, fillers, none, "
                                     "not 'most'")
    r = run_cli("edit", str(clip), "--look", "sepia-dream", "-o", str(tmp_path / "o.mp4"),
                env=env)
    assert r.returncode == 2 and "error: --look must be auto, none, a .cube file" in r.stderr
    r = run_cli("batch", str(clip), "--scheduler", "tcp://x:1", env=env)
    assert r.returncode == 2
    assert_one_clean_error(r.stderr, "--scheduler goes with --executor dask")
    # a setting typed as an argument is worded by its name, not as a flag
    r = run_cli("config", "set", "niche", "astrology", env=env)
    assert r.returncode == 2 and "error: niche must be one of food" in r.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_go_before_or_after_the_command(tmp_path, where):
    clip = mediagen.simple_clip("plain", duration=1.0)
    env = {"CREATOR_CONFIG": str(tmp_path / "none.toml"), "CREATOR_CACHE_DIR": str(tmp_path)}
    args = ["probe", str(clip)]
    r = run_cli(*(["-q", *args] if where == "before" else [*args, "-q"]), env=env)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    bad = ["render", str(tmp_path / "missing.json"), "-o", str(tmp_path / "x.mp4")]
    r = run_cli(*(["--debug", *bad] if where == "before" else [*bad, "--debug"]), env=env)
    assert r.returncode != 0 and "Traceback" in r.stderr  # --debug shows the traceback
    r = run_cli("edit", str(clip), "--quiet", "--plan-only", "-o", str(tmp_path / "x.mp4"),
                env=env)
    assert r.returncode == 0, r.stderr
    assert "note:" not in r.stderr and "No such option" not in r.stderr


def test_the_flag_is_the_one_the_command_spells(tmp_path):
    """A parameter named apart from its flag (mapping: --map) is worded as the flag."""
    data = tmp_path / "tags.csv"
    data.write_text("tag,as_of\n#a,2026-11-01\n")
    env = {"CREATOR_INDEX": str(tmp_path / "ix.sqlite"), "CREATOR_CONFIG": str(tmp_path / "c")}
    r = run_cli("trends", "import", str(data), "--map", "nonsense", env=env)
    assert r.returncode == 2
    assert_one_clean_error(r.stderr, "error: --map expects SRC=DST, got 'nonsense'")
