"""Regenerate the bundled assets: the looks (``assets/luts``) and the music (``assets/music``).

Everything is built by project code (no third-party media), deterministically, and released
under CC0. Run from anywhere::

    python assets/make_assets.py            # both
    python assets/make_assets.py looks      # only the LUTs (a second)
    python assets/make_assets.py music      # only the tracks (about a minute)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from creator_tools.looks import presets  # noqa: E402
from creator_tools.music import generate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="*", metavar="{looks,music}",
                        help="which assets to build (default: all)")
    args = parser.parse_args(argv)
    what = set(args.what or ["looks", "music"])
    if what - {"looks", "music"}:
        parser.error(f"unknown asset kind: {', '.join(sorted(what - {'looks', 'music'}))}")
    if "looks" in what:
        files = presets.build_assets(HERE / "luts")
        size = sum(p.stat().st_size for p in files)
        print(f"luts: {len(presets.LOOKS)} looks, {size / 1e6:.2f} MB in {HERE / 'luts'}")
    if "music" in what:
        entries = generate.build_assets(HERE / "music")
        for e in entries:
            path = HERE / "music" / str(e["file"])
            print(f"music: {e['file']}: {e['duration']} s, {e['bpm']} BPM, "
                  f"{e['integrated_lufs']} LUFS, {e['true_peak_dbtp']} dBTP, "
                  f"{path.stat().st_size / 1e3:.0f} KB")
        total = sum((HERE / "music" / str(e["file"])).stat().st_size for e in entries)
        print(f"music: {len(entries)} tracks, {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
