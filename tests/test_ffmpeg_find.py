"""Which ffmpeg runs: the static build of the imageio-ffmpeg wheel, found without running it."""

import subprocess

from creator_tools.media.ffmpeg import find_ffmpeg


def test_the_wheels_ffmpeg_is_found_by_name_and_is_the_version_its_name_says(monkeypatch):
    monkeypatch.delenv("CREATOR_FFMPEG", raising=False)
    monkeypatch.setenv("PATH", "")  # no system ffmpeg to prefer
    find_ffmpeg.cache_clear()
    try:
        ff = find_ffmpeg()
    finally:
        find_ffmpeg.cache_clear()
    assert ff.source == "bundled"
    first = subprocess.run([ff.path, "-hide_banner", "-version"], capture_output=True,
                           text=True, check=True).stdout.splitlines()[0]
    # "ffmpeg version n9.0.2-17-g2a571b6068-20260930 Copyright ..."
    assert first.startswith("ffmpeg version")
    assert first.split()[2].lstrip("n").startswith(ff.version), (first, ff.version)
