"""What can be suggested: the shipped looks and tracks, and the trend index's rows."""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from creator_tools.errors import DataFileError
from creator_tools.resources import asset_path

_ENERGY = {"low": 0.25, "medium": 0.55, "high": 0.85}


@dataclass(frozen=True, slots=True)
class LookInfo:
    """A shipped look and the direction it pushes a picture (-1, 0, +1 per property)."""

    name: str
    title: str
    description: str
    file: Path
    niches: tuple[str, ...]
    warmth: int
    brightness: int
    saturation: int
    contrast: int
    lifts_shadows: bool
    monochrome: bool


@dataclass(frozen=True, slots=True)
class TrackInfo:
    """A music track or trending sound. ``file`` is ``None`` for sounds that exist only in the
    apps; ``energy`` is 0..1."""

    id: str
    title: str
    artist: str
    duration: float | None
    bpm: float | None
    mood: str
    energy: float | None
    genre: str
    niches: tuple[str, ...]
    file: Path | None
    loopable: bool = False
    rank: int | None = None
    rank_change: int | None = None


def _load_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError("missing bundled manifest (reinstall creator-tools)",
                            path=path) from None
    except (OSError, ValueError) as exc:
        raise DataFileError(f"unreadable manifest: {exc}", path=path) from None


@functools.cache
def shipped_looks() -> dict[str, LookInfo]:
    """The looks in ``assets/luts/looks.json`` by name."""
    folder = asset_path("luts")
    data = _load_json(folder / "looks.json")
    return {
        lk["name"]: LookInfo(
            name=lk["name"], title=lk.get("title", lk["name"]),
            description=lk.get("description", ""), file=folder / lk["file"],
            niches=tuple(lk.get("niches", ())), warmth=int(lk.get("warmth", 0)),
            brightness=int(lk.get("brightness", 0)), saturation=int(lk.get("saturation", 0)),
            contrast=int(lk.get("contrast", 0)), lifts_shadows=bool(lk.get("lifts_shadows")),
            monochrome=bool(lk.get("monochrome")))
        for lk in data["looks"]
    }


@functools.cache
def bundled_tracks() -> dict[str, TrackInfo]:
    """The tracks in ``assets/music/tracks.json`` by id."""
    folder = asset_path("music")
    data = _load_json(folder / "tracks.json")
    return {
        t["id"]: TrackInfo(
            id=t["id"], title=t["title"], artist=t.get("artist", ""),
            duration=t.get("duration"), bpm=t.get("bpm"), mood=t.get("mood", ""),
            energy=t.get("energy"), genre=t.get("genre", ""), niches=tuple(t.get("niches", ())),
            file=folder / t["file"], loopable=bool(t.get("loopable")))
        for t in data["tracks"]
    }


def energy_value(value: object) -> float | None:
    """Energy as 0..1 from a number or from ``low``/``medium``/``high``."""
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        return _ENERGY.get(value.lower())
    return None


@contextlib.contextmanager
def using_index(index: object | None) -> Iterator[object]:
    """``index`` itself, or the default trend index opened (and closed) for the block."""
    if index is not None:
        yield index
        return
    from creator_tools.trends.store import TrendIndex

    with TrendIndex() as idx:
        yield idx


def in_region(items: list, region: str | None) -> list:
    """Items that apply in ``region``: its own rows and the global ones, one row per item (the
    regional row wins). ``None``: every item once, the global row first."""
    want = (region or "GLOBAL").upper()
    best: dict[str, object] = {}
    for it in items:
        if region is not None and it.region not in (want, "GLOBAL"):
            continue
        have = best.get(it.item)
        if have is None or (it.region == want and have.region != want):  # type: ignore[attr-defined]
            best[it.item] = it
    return list(best.values())


def index_sounds(index: object | None, *, region: str | None = None) -> list[TrackInfo]:
    """Sounds of the trend index (``None``: the default index), with rank and momentum."""
    with using_index(index) as idx:
        items = in_region(idx.current("sounds"), region)  # type: ignore[attr-defined]
        out = []
        for it in items:
            f = it.fields
            local = f.get("local_file")
            path = idx.asset_path(local) if local else None  # type: ignore[attr-defined]
            out.append(TrackInfo(
                id=it.item, title=f.get("title") or it.item, artist=f.get("artist") or "",
                duration=f.get("duration"), bpm=f.get("bpm"), mood=f.get("mood") or "",
                energy=energy_value(f.get("energy")), genre=f.get("genre") or "",
                niches=tuple(it.niches), file=path if path and path.is_file() else None,
                loopable=False, rank=f.get("rank"),
                rank_change=it.momentum.rank_change if it.momentum else None))
        return out


def local_tracks(index: object | None = None) -> dict[str, TrackInfo]:
    """Every track with an audio file: bundled ones and those added with ``creator music add``."""
    tracks = dict(bundled_tracks())
    try:
        for t in index_sounds(index):
            if t.file is not None and t.id not in tracks:
                tracks[t.id] = t
    except DataFileError:
        pass
    return tracks
