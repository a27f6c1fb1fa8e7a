"""Layered settings: default < user config < project creator.toml < --preset < flag."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from creator_tools.errors import DataFileError, UsageError
from creator_tools.settings import (
    EDIT_DEFAULTS,
    find_project_file,
    load_profile,
    resolve_edit_settings,
    resolve_settings,
    set_value,
    unset_value,
)
from tests import mediagen
from tests.conftest import assert_one_clean_error, run_cli

USER = """\
# my profile
[profile]
niche = "food"
region = "us"

[edit]
aspect = "4:5"
look_strength = 0.5
max_pause = 1

# presets
[preset.square]
aspect = "1:1"
cut = "none"
"""

PROJECT = """\
[profile]
language = "DE"

[edit]
aspect = "16:9"
music = "none"
look = "luts/mine.cube"

[preset.square]
look = "none"

[preset.reels]
enhance = false
"""


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A user config and a git project holding creator.toml; cwd is a subfolder of it."""
    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))
    user = tmp_path / "user" / "config.toml"
    user.parent.mkdir()
    user.write_text(USER)
    monkeypatch.setenv("CREATOR_CONFIG", str(user))
    root = tmp_path / "proj"
    (root / ".git").mkdir(parents=True)
    (root / "creator.toml").write_text(PROJECT)
    (root / "clips").mkdir()
    monkeypatch.chdir(root / "clips")
    return root


@pytest.fixture
def bare(tmp_path, monkeypatch) -> Path:
    """No user config; cwd is an empty git project."""
    monkeypatch.setenv("CREATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CREATOR_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "p" / ".git").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "p")
    return tmp_path / "p"


def test_commands_take_every_option_of_the_schema():
    """edit, plan and batch are made from the schema: every edit option, its help and default."""
    from creator_tools.settings import EDIT_OPTIONS, EditChoices

    assert [f.name for f in dataclasses.fields(EditChoices)] == [o.name for o in EDIT_OPTIONS]
    assert {f.name: f.default for f in dataclasses.fields(EditChoices)} == EDIT_DEFAULTS
    for command in ("edit", "plan", "batch"):
        text = " ".join(run_cli(command, "--help").stdout.split())
        for option in EDIT_OPTIONS:
            flag = "--" + option.name.replace("_", "-")
            assert flag in text, (command, flag)
        assert "--max-pause FLOAT RANGE Pauses longer than this are shortened (s) (default: " \
               "0.6)." in text.replace("<float range>", "FLOAT RANGE")
        assert "--no-snap-beats" in text and "--preset NAME" in text


def test_builtin_defaults_only(bare):
    values, sources = resolve_edit_settings()
    assert values == EDIT_DEFAULTS
    assert set(sources.values()) == {"default"}


def test_layering_order(project):
    user = Path(project.parent / "user" / "config.toml")
    proj = project / "creator.toml"
    values, src = resolve_settings()
    # default
    assert values["cut"] == "silence" and src["cut"] == "default"
    # user config (profile and edit tables)
    assert values["niche"] == "food" and src["niche"] == f"user config {user}"
    assert values["region"] == "US"
    assert values["look_strength"] == 0.5 and values["max_pause"] == 1.0
    # project overrides user
    assert values["aspect"] == "16:9" and src["aspect"] == f"project {proj}"
    assert values["language"] == "de"
    assert values["look"] == str(project / "luts" / "mine.cube")  # relative to the file
    # preset: user and project tables merge, project wins; preset beats both files
    values, src = resolve_settings(preset="square")
    assert values["aspect"] == "1:1" and src["aspect"] == f"preset square ({user})"
    assert values["cut"] == "none"
    assert values["look"] == "none" and src["look"] == f"preset square ({proj})"
    # built-in platform preset, extended by the project's [preset.reels]
    values, src = resolve_settings(preset="reels")
    assert values["platform"] == "reels" and src["platform"] == "preset reels (built-in)"
    assert values["enhance"] is False and src["enhance"] == f"preset reels ({proj})"
    # flags beat everything; None means "not given"
    values, src = resolve_edit_settings({"aspect": "9:16", "cut": None}, preset="square")
    assert values["aspect"] == "9:16" and src["aspect"] == "flag"
    assert values["cut"] == "none"


def test_project_file_discovery(tmp_path):
    (tmp_path / "creator.toml").write_text("")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_project_file(deep) == tmp_path / "creator.toml"
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub").mkdir()
    assert find_project_file(repo / "sub") is None  # the search stops at the git root
    (repo / "creator.toml").write_text("")
    assert find_project_file(repo / "sub") == repo / "creator.toml"


def test_unknown_preset_lists_known(project):
    with pytest.raises(UsageError, match=r"unknown preset 'nope' \(known: reels, shorts, "
                                         r"square, tiktok\)"):
        resolve_settings(preset="nope")


@pytest.mark.parametrize(("text", "needle"), [
    ("[edit\n", "bad TOML"),
    ('[edit]\naspect = "2:1"\n', "edit.aspect: must be one of"),
    ('[edit]\nenhance = "yes"\n', "edit.enhance: must be true or false"),
    ("[edit]\nmax_pause = 0.1\n", "edit.max_pause: must be at least 0.2"),
    ("[edit]\nlook_strength = true\n", "edit.look_strength: must be a number"),
    ("[edit]\ncolour = 1\n", "edit.colour: unknown key"),
    ('[preset.x]\nlook = 3\n', "preset.x.look: must be a string"),
    ('[preset]\nx = 1\n', "preset.x: must be a table"),
    ('[profile]\nniche = "astrology"\n', "profile.niche: must be one of food, fitness"),
    ('[profile]\nfoo = "bar"\n', "profile.foo: unknown key"),
    ("extra = 1\n", "extra: unknown table"),
])
def test_bad_files_name_file_and_key(bare, text, needle):
    path = bare / "creator.toml"
    path.write_text(text)
    with pytest.raises(DataFileError) as info:
        resolve_settings()
    assert needle in str(info.value) and str(path) in str(info.value)
    r = run_cli("config", "show", cwd=bare)
    assert r.returncode == 3
    assert_one_clean_error(r.stderr, str(path), needle)
    assert len(r.stderr.strip().splitlines()) == 1


def test_config_show_json_sources(project):
    proj = project / "creator.toml"
    r = run_cli("config", "show", "--json", "--preset", "square", cwd=Path.cwd())
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["project"] == str(proj) and d["profile"] == {"niche": "food", "region": "US"}
    s = d["settings"]
    assert set(s) == {"niche", "region", "language", "platform", *EDIT_DEFAULTS}
    assert s["aspect"] == {"value": "1:1", "source": f"preset square ({d['path']})"}
    assert s["music"] == {"value": "none", "source": f"project {proj}"}
    assert s["platform"] == {"value": "tiktok", "source": "default"}
    assert s["enhance"] == {"value": True, "source": "default"}
    r = run_cli("config", "show", cwd=Path.cwd())
    assert r.returncode == 0 and f"project {proj}" in r.stdout
    r = run_cli("config", "show", "--preset", "nope", cwd=Path.cwd())
    assert r.returncode == 2
    assert_one_clean_error(r.stderr, "unknown preset 'nope'", "square")
    r = run_cli("config", "path", "--json", cwd=Path.cwd())
    assert json.loads(r.stdout) == {"user": d["path"], "user_exists": True, "project": str(proj)}


def test_config_set_keeps_other_tables(project):
    set_value("niche", "fitness")
    unset_value("region")
    user = Path(project.parent / "user" / "config.toml")
    text = user.read_text()
    assert "# presets" in text and '[preset.square]\naspect = "1:1"' in text
    assert load_profile() == {"niche": "fitness"}
    assert resolve_settings()[0]["look_strength"] == 0.5


def test_plan_applies_preset(bare):
    (bare / "creator.toml").write_text(
        '[edit]\nmusic = "none"\n\n[preset.square]\naspect = "1:1"\nlook = "none"\n')
    clip = mediagen.simple_clip("cfg", duration=2.0)
    r = run_cli("plan", str(clip), "--preset", "square", "-o", "plan.json", cwd=bare)
    assert r.returncode == 0, r.stderr
    plan = json.loads((bare / "plan.json").read_text())
    assert (plan["output"]["width"], plan["output"]["height"]) == (1080, 1080)
    assert plan["look"]["lut"] is None and plan["audio"]["music"] is None
    r = run_cli("plan", str(clip), "--preset", "square", "--aspect", "4:5", cwd=bare)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["output"]["height"] == 1350  # the flag wins
    r = run_cli("plan", str(clip), "--preset", "nope", cwd=bare)
    assert r.returncode == 2
    assert_one_clean_error(r.stderr, "unknown preset 'nope'")


def test_shell_completion(tmp_path):
    creator = Path(sys.executable).parent / "creator"
    if not creator.exists():
        pytest.skip("the creator console script is not installed")
    env = {**os.environ, "SHELL": "/bin/bash"}
    r = subprocess.run([creator, "--show-completion", "bash"], capture_output=True, text=True,
                       env=env, check=False)
    assert r.returncode == 0, r.stderr
    assert "complete -o default -F _creator_completion creator" in r.stdout
    env |= {"_CREATOR_COMPLETE": "complete_bash", "COMP_WORDS": "creator config ",
            "COMP_CWORD": "2"}
    r = subprocess.run([creator], capture_output=True, text=True, env=env, check=False)
    assert {"show", "path", "set"} <= set(r.stdout.split())


def test_docs_list_every_key_and_niche():
    from creator_tools.settings import NICHES

    root = Path(__file__).resolve().parents[1]
    doc = (root / "docs" / "config.md").read_text()
    for key in EDIT_DEFAULTS:
        assert f"| `{key}` |" in doc, key
    assert ", ".join(NICHES[:3]) in doc and NICHES[-1] in doc
    assert "docs/config.md" in (root / "README.md").read_text()
