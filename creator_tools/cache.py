"""A per-user cache of results keyed by input identity (path, size, mtime) and parameters.

Lives in ``CREATOR_CACHE_DIR`` or the platform's user cache folder. Entries are JSON written
atomically; an unreadable entry is ignored and recomputed, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """The cache folder (created on first write)."""
    env = os.environ.get("CREATOR_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("creator-tools", appauthor=False))


def input_key(path: str | Path, kind: str, params: str) -> str:
    """Key of a result of ``kind`` for the file at ``path`` as it is now, with ``params``."""
    p = Path(path).resolve()
    st = p.stat()
    ident = f"{kind}\0{p}\0{st.st_size}\0{st.st_mtime_ns}\0{params}"
    return hashlib.sha256(ident.encode()).hexdigest()[:32]


def load(kind: str, key: str) -> dict[str, Any] | None:
    """The cached JSON object, or ``None`` when absent or unreadable."""
    f = cache_dir() / kind / f"{key}.json"
    try:
        with f.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def store(kind: str, key: str, data: dict[str, Any]) -> None:
    """Write a JSON object atomically; a cache that cannot be written is silently skipped."""
    folder = cache_dir() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, folder / f"{key}.json")
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)
