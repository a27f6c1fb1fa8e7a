"""The topics of a clip read with the trend index's model (the shipped or the retrained one)."""

from __future__ import annotations

from pathlib import Path

from creator_tools.topics.reading import Topic, read_topic


def index_folder(index: object) -> Path | None:
    """The folder of a trend index (where the creator's topic rows and model live)."""
    path = getattr(index, "path", None)
    return Path(path).parent if path is not None else None


def clip_topic(index: object, *, caption: str = "", transcript: str = "",
               niche: str | None = None, ignore_tags: set[str] | None = None
               ) -> tuple[Topic, list[str]]:
    """The clip's :class:`Topic` and notes about the model (e.g. "run creator trends
    retrain")."""
    from creator_tools.topics.store import current_model

    model, name, note = current_model(index_folder(index))
    topic = read_topic(model, caption=caption, transcript=transcript, niche=niche,
                       ignore_tags=ignore_tags, model_name=name)
    return topic, [note] if note else []
