"""Files written beside an edited video: the plan and the caption."""

from __future__ import annotations

from pathlib import Path

from creator_tools.edit.plan import EditPlan


def sidecar_paths(video: Path) -> tuple[Path, Path]:
    """``NAME.plan.json`` and ``NAME.caption.txt`` beside ``NAME.mp4``."""
    stem = video.name[: -len(video.suffix)] if video.suffix else video.name
    return video.with_name(f"{stem}.plan.json"), video.with_name(f"{stem}.caption.txt")


def caption_text(plan: EditPlan) -> str:
    """The ready-to-paste caption: the text, then the hashtags."""
    tags = " ".join(plan.captions.hashtags)
    return " ".join(x for x in (plan.captions.text.strip(), tags) if x)


def write_text_atomic(path: Path, text: str, *, force: bool = False) -> Path:
    """Write a small text file through :func:`creator_tools.fs.atomic_output`."""
    from creator_tools.fs import atomic_output

    with atomic_output(path, force=force) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def edited_srt(plan: EditPlan, *, max_gap: float = 0.7) -> str:
    """The plan's words as SubRip on the edited timeline ("" without words).

    A cue never spans a cut-away stretch: words more than ``max_gap`` seconds apart start a
    new run, and runs are split into cues of at most two 42-character lines.
    """
    from creator_tools.captions.transcript import Segment, Transcript, Word

    words = [Word(a, b, text) for a, b, text in plan.output_words()]
    runs: list[list[Word]] = []
    for w in words:
        if runs and w.start - runs[-1][-1].end <= max_gap:
            runs[-1].append(w)
        else:
            runs.append([w])
    segments = tuple(Segment(r[0].start, r[-1].end, " ".join(w.text for w in r), tuple(r))
                     for r in runs)
    return Transcript("", plan.duration, segments).to_srt() if segments else ""
