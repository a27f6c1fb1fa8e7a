"""Regenerate the bundled looks and music in ``creator_tools/assets`` (``luts``, ``music``).

Everything is built by project code (no third-party media), deterministically, and released
under CC0. Run from a checkout, from any folder::

    python tools/make_assets.py            # both
    python tools/make_assets.py looks      # only the LUTs (a second)
    python tools/make_assets.py music      # only the tracks (about a minute)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "creator_tools" / "assets"
sys.path.insert(0, str(ROOT))  # tools/ is not installed: import it (and creator_tools) from here

from tools.looks import build as looks_build  # noqa: E402
from tools.looks.looks import LOOKS  # noqa: E402
from tools.music import build as music_build  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="*", metavar="{looks,music}",
                        help="which assets to build (default: all)")
    args = parser.parse_args(argv)
    what = set(args.what or ["looks", "music"])
    if what - {"looks", "music"}:
        parser.error(f"unknown asset kind: {', '.join(sorted(what - {'looks', 'music'}))}")
    if "looks" in what:
        luts = ASSETS / "luts"
        files = looks_build.build_assets(luts)
        size = sum(p.stat().st_size for p in files)
        print(f"luts: {len(LOOKS)} looks, {size / 1e6:.2f} MB in {luts}")
    if "music" in what:
        music = ASSETS / "music"
        entries = music_build.build_assets(music)
        for e in entries:
            path = music / str(e["file"])
            print(f"music: {e['file']}: {e['duration']} s, {e['bpm']} BPM, "
                  f"{e['integrated_lufs']} LUFS, {e['true_peak_dbtp']} dBTP, "
                  f"{path.stat().st_size / 1e3:.0f} KB")
        total = sum((music / str(e["file"])).stat().st_size for e in entries)
        print(f"music: {len(entries)} tracks, {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
