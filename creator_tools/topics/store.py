"""Which topic model a clip is read with: the shipped one, or the creator's retrained one."""

from __future__ import annotations

import functools
from pathlib import Path

from creator_tools.topics.corpus import file_digest, user_model_path, user_rows_path
from creator_tools.topics.model import TopicModel, load_model, shipped_model


@functools.lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> TopicModel:
    return load_model(path)


def current_model(folder: Path | None) -> tuple[TopicModel, str, str]:
    """The model for the trend index in ``folder`` (``None``: the shipped one), its name, and
    a note when the creator's rows or model are not what is used ("" otherwise).

    The retrained model (``FOLDER/topics-model.npz``) is used while it was trained on this
    version's shipped corpus; otherwise the shipped model is, with a note to retrain.
    """
    shipped = shipped_model()
    if folder is None:
        return shipped, "shipped", ""
    rows = user_rows_path(folder)
    path = user_model_path(folder)
    if not path.is_file():
        note = (f"your labeled rows ({rows}) are not learned yet: run 'creator trends retrain'"
                if rows.is_file() else "")
        return shipped, "shipped", note
    model = _load(path, path.stat().st_mtime_ns)
    if model.meta.get("corpus") != shipped.meta.get("corpus"):
        return shipped, "shipped", ("your retrained topic model was built on an older corpus: "
                                    "run 'creator trends retrain'")
    note = ""
    if rows.is_file() and file_digest(rows) != model.meta.get("user_digest"):
        note = f"{rows} changed since the last retrain: run 'creator trends retrain'"
    return model, f"retrained with {model.meta.get('user_rows', 0)} rows of yours", note
