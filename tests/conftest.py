"""Shared fixtures: generated media with known truth, the real media in ../shared/media."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests import mediagen

# No test reads a developer's own analytics: tests that need a results store name their own.
os.environ.setdefault("CREATOR_RESULTS", "none")


@pytest.fixture(scope="session")
def shared_media() -> Path:
    """``../shared/media`` beside the project; the test is skipped when it is absent, and fails
    under CI (``CI=true``), where it is always there."""
    if not (mediagen.SHARED_MEDIA / "MANIFEST.md").exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("../shared/media is missing under CI: the real-media tests cannot run")
        pytest.skip("../shared/media is not present")
    return mediagen.SHARED_MEDIA


@pytest.fixture(scope="session")
def cut_clip() -> mediagen.CutClip:
    return mediagen.cut_clip()


@pytest.fixture(scope="session")
def speech_clip() -> mediagen.SpeechClip:
    return mediagen.speech_clip()


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``creator`` as a real process (as a user would), capturing stdout and stderr."""
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "creator_tools", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        env=full_env,
        timeout=600,
        check=False,
    )


def assert_one_clean_error(stderr: str, *needles: str) -> None:
    """stderr is exactly one ``error:`` line per bad input and holds no traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert lines, "expected an error line on stderr"
    for needle in needles:
        assert any(needle in ln for ln in lines), (needle, stderr)


def default_sigint() -> None:
    """``preexec_fn`` for a child that a test interrupts: SIGINT back to its default.

    A shell that starts a job in the background without job control (``cmd &`` in a
    script, ``nohup ... &``) sets SIGINT to ignored, the child inherits that, and Python
    then installs no KeyboardInterrupt handler: the interrupt tests would test nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
