"""The project's contracts: README commands, CI script, lint, CLI start-up."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```(?:sh|bash)\n(.+?)\n```", text)


def test_ci_runs_the_readme_test_command():
    setup, tests = _readme_commands()[:2]
    assert "pytest" in tests and "creator" in setup
    ci = (ROOT / ".ci/run").read_text().splitlines()
    assert tests in ci, "the README's test command must be the one .ci/run runs"


def test_ruff_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    proc = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_help_does_not_import_heavy_modules():
    code = ("import sys; from creator_tools.cli.app import app; "
            "heavy = {'numpy', 'cv2', 'librosa', 'sklearn', 'moviepy', 'av', 'scipy'}; "
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_version_and_help():
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("creator-tools ")
    r = run_cli("--help")
    assert r.returncode == 0 and "probe" in r.stdout


def test_exit_codes_documented():
    from creator_tools.exit_codes import ExitCode

    readme = (ROOT / "README.md").read_text()
    for code in ExitCode:
        assert re.search(rf"\|\s*{int(code)}\s*\|", readme), f"exit code {code} not in README"
