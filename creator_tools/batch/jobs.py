"""One clip of a batch: where its outputs go, whether they are still good, and the edit itself.

Up to date: the plan sidecar of a rendered edit records its origin (see
:class:`~creator_tools.edit.plan.Origin`): the fingerprint of the edit choices, the input's size
and modification time, and the video's. A batch skips a clip while all of that still holds,
whoever made the edit (``creator edit`` or a batch; see :func:`is_up_to_date`); any difference
(other choices, a changed input, a replaced or missing output) means redo.

Ours: a batch redoes a stale output without ``force`` when creator-tools made it (its plan
sidecar's origin names this very video), but never replaces a file it did not make unless
asked with ``force``. A marker ``.NAME.edited.done.json`` is written beside the video before an
edit starts and removed when it has finished, so an interrupted or failed edit's leftovers are
still known as ours on the next run.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from creator_tools.clips.find import ClipSettings
from creator_tools.errors import CreatorError, InputError
from creator_tools.pipeline.job import EditTargets
from creator_tools.settings import EditChoices

Status = Literal["ok", "failed", "skipped"]
Progress = Callable[[float, float], None]

#: Format version of the resume marker.
MARKER_VERSION = 1


@dataclass(frozen=True)
class BatchItem:
    """One clip of a batch and the folder its outputs go to (``None``: beside the clip)."""

    input: Path
    outdir: Path | None = None

    @property
    def targets(self) -> EditTargets:
        return targets_for(self.input, self.outdir)


@dataclass
class BatchOutcome:
    """What became of one clip (durations in seconds; ``seconds`` is the time it took).

    A failed clip has its one-line ``error``; ``problem`` is the library error behind it (for a
    front end to word, and to tell the exit status), ``None`` for a bug.
    """

    input: Path
    status: Status
    output: Path | None = None
    error: str | None = None
    duration_before: float | None = None
    duration_after: float | None = None
    seconds: float = 0.0
    problem: CreatorError | None = None

    @property
    def exit_code(self) -> int:
        """The exit status this clip alone would give (0 unless failed)."""
        if self.status != "failed":
            return 0
        return int(self.problem.exit_code) if self.problem else 1

    def to_dict(self) -> dict[str, Any]:
        """The NDJSON record of ``creator batch --json`` (see ``docs/json-output.md``)."""

        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 3)

        return {"input": str(self.input), "status": self.status,
                "output": None if self.output is None else str(self.output),
                "error": self.error, "duration_before": r(self.duration_before),
                "duration_after": r(self.duration_after)}


def targets_for(clip: str | Path, outdir: str | Path | None = None) -> EditTargets:
    """``NAME.edited.mp4`` and its sidecars, beside ``clip`` or in ``outdir``."""
    clip = Path(clip)
    output = None if outdir is None else Path(outdir) / f"{clip.stem}.edited.mp4"
    return EditTargets.beside(clip, output)


def make_items(clips: Sequence[Path], *, outdir: Path | None = None,
               folders: Sequence[Path] = ()) -> tuple[list[BatchItem], list[BatchOutcome]]:
    """Items for ``clips`` (outputs into ``outdir``, mirroring each clip's place below the
    ``folders`` it was found in), and a failed outcome for each clip whose output would be the
    same file as an earlier clip's."""
    from creator_tools.batch.collect import relative_folder

    items: list[BatchItem] = []
    clashes: list[BatchOutcome] = []
    seen: dict[str, Path] = {}
    for clip in clips:
        folder = None if outdir is None else outdir / relative_folder(clip, folders)
        item = BatchItem(clip, folder)
        key = os.path.realpath(item.targets.video)
        if key in seen:
            problem = InputError(f"its output {item.targets.video} is also {seen[key]}'s output",
                                 path=clip)
            clashes.append(BatchOutcome(clip, "failed", error=str(problem), problem=problem))
            continue
        seen[key] = clip
        items.append(item)
    return items, clashes


# ---------------------------------------------------------------------------------------
# The resume marker
# ---------------------------------------------------------------------------------------

def marker_path(video: str | Path) -> Path:
    """``.NAME.edited.done.json`` beside ``NAME.edited.mp4``."""
    video = Path(video)
    stem = video.name[: -len(video.suffix)] if video.suffix else video.name
    return video.with_name(f".{stem}.done.json")


def _write_marker(path: Path, record: dict[str, Any]) -> None:
    from creator_tools.fs import atomic_output

    with atomic_output(path, force=True) as tmp:
        tmp.write_text(json.dumps({"version": MARKER_VERSION, **record}, indent=1) + "\n",
                       encoding="utf-8")


def _stat(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _origin(targets: EditTargets) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The plan sidecar (as JSON) and its origin, when the sidecar names the video beside it
    as it is now (creator-tools made that file); else ``None``."""
    try:
        plan = json.loads(targets.plan.read_text(encoding="utf-8"))
        origin = plan["origin"]
        current = [origin["output_size"], origin["output_mtime_ns"]] == \
            list(_stat(targets.video))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (plan, origin) if current else None


def _done_record(clip: Path, targets: EditTargets, choices: EditChoices
                 ) -> dict[str, Any] | None:
    """The durations of the finished edit in ``targets`` when it is current, else ``None``."""
    made = _origin(targets)
    if made is None:
        return None
    plan, origin = made
    try:
        current = (origin.get("fingerprint") == choices.fingerprint()
                   and [origin.get("input_size"), origin.get("input_mtime_ns")] == list(_stat(clip))
                   and targets.caption.is_file())
        if not current:
            return None
        from creator_tools.edit.plan import EditPlan

        p = EditPlan.from_dict(plan)
    except (OSError, CreatorError):
        return None
    return {"duration_before": p.seconds(p.source("main").duration),
            "duration_after": p.duration}


def is_up_to_date(clip: str | Path, targets: EditTargets, choices: EditChoices) -> bool:
    """True when ``targets`` hold a finished edit of ``clip`` as it is now, with ``choices``.

    That is: the plan sidecar's origin names this very video (size and mtime), the same
    choices and the same input (size and mtime), and the caption sidecar exists.
    """
    return _done_record(Path(clip), targets, choices) is not None


# ---------------------------------------------------------------------------------------
# One clip
# ---------------------------------------------------------------------------------------

def run_one(clip: str | Path, choices: EditChoices, *,
            outdir: str | Path | None = None, force: bool = False, threads: int | None = None,
            analyze_progress: Progress | None = None,
            render_progress: Progress | None = None,
            clips: ClipSettings | None = None) -> BatchOutcome:
    """Edit one clip of a batch, unless its outputs are up to date (then ``skipped``).

    With ``clips`` the clip is a long recording: its best clips are found and cut
    (``NAME.clip01.mp4``...: see :func:`_cut`) instead of one edit.

    Outputs go beside ``clip`` or into ``outdir`` (created when missing). ``force`` redoes an
    up-to-date clip and replaces outputs the batch did not make. Never raises for a bad clip:
    a :class:`~creator_tools.errors.CreatorError` becomes a ``failed`` outcome with its
    one-line message, any other exception a ``failed`` "internal error: ...". Only
    ``KeyboardInterrupt`` (Ctrl-C, SIGTERM, a stopping batch) goes through, after the clip's
    temporary files are gone.
    """
    start = time.perf_counter()
    clip = Path(clip)
    try:
        targets = targets_for(clip, outdir)
        if clips is not None:
            return _timed(_cut(clip, choices, clips, outdir=outdir, force=force,
                               threads=threads, analyze_progress=analyze_progress,
                               render_progress=render_progress), start)
        if not force and (done := _done_record(clip, targets, choices)) is not None:
            return BatchOutcome(clip, "skipped", targets.video,
                                duration_before=done.get("duration_before"),
                                duration_after=done.get("duration_after"),
                                seconds=time.perf_counter() - start)
        outcome = _edit(clip, targets, choices, force=force, threads=threads,
                        analyze_progress=analyze_progress, render_progress=render_progress)
    except CreatorError as exc:
        outcome = BatchOutcome(clip, "failed", error=str(exc), problem=exc)
    except Exception as exc:
        outcome = BatchOutcome(clip, "failed",
                               error=f"internal error: {type(exc).__name__}: {exc}")
    outcome.seconds = time.perf_counter() - start
    return outcome


def _timed(outcome: BatchOutcome, start: float) -> BatchOutcome:
    outcome.seconds = time.perf_counter() - start
    return outcome


def _cut(clip: Path, choices: EditChoices, settings: ClipSettings, *,
         outdir: str | Path | None, force: bool, threads: int | None,
         analyze_progress: Progress | None, render_progress: Progress | None) -> BatchOutcome:
    """Find and render the best clips of a long recording; ``skipped`` when every one of them
    is already there, made from it as it is with the same choices (the outcome's ``output``
    is the best clip's video, ``duration_after`` the clips' total length)."""
    from creator_tools.clips.find import find_clips
    from creator_tools.clips.render import clip_video, render_clips

    result = find_clips(clip, settings, analyze_progress=analyze_progress,
                        transcribe_progress=analyze_progress)
    if outdir is not None and result.clips:
        try:
            Path(outdir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create the output folder: {exc.strerror or exc}",
                             path=outdir) from None
    made = render_clips(result, choices, outdir=outdir, force=force, threads=threads,
                        progress=render_progress, skip_current=not force)
    return BatchOutcome(clip, "ok" if made or not result.clips else "skipped",
                        clip_video(clip, 1, outdir) if result.clips else None,
                        duration_before=result.duration,
                        duration_after=sum(c.duration for c in result.clips))


def _edit(clip: Path, targets: EditTargets, choices: EditChoices, *, force: bool,
          threads: int | None, analyze_progress: Progress | None,
          render_progress: Progress | None) -> BatchOutcome:
    from creator_tools.fs import check_output
    from creator_tools.media.probe import check_readable_file, probe
    from creator_tools.pipeline.job import edit_clip

    # Cheap checks first: a bad clip leaves nothing behind (no marker, no folder).
    check_readable_file(clip)
    probe(clip)
    marker = marker_path(targets.video)
    ours = marker.exists() or _origin(targets) is not None
    if not ours and not force:
        for target in [*targets.all(), targets.srt]:
            if target.exists():
                check_output(target, inputs=(clip,))  # raises: output exists (use --force)
    if not targets.video.parent.is_dir():
        try:
            targets.video.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create the output folder: {exc.strerror or exc}",
                             path=targets.video.parent) from None
    _write_marker(marker, {"complete": False, "fingerprint": choices.fingerprint(),
                           "choices": choices.to_dict(), "input": os.path.abspath(clip)})
    try:
        r = edit_clip(clip, choices, output=targets.video, force=True, threads=threads,
                      analyze_progress=analyze_progress, render_progress=render_progress)
    except BaseException:
        # Nothing of ours left: no marker either (an edit that failed before writing anything).
        if not any(t.exists() for t in targets.all()):
            with contextlib.suppress(OSError):
                marker.unlink()
        raise
    with contextlib.suppress(OSError):  # done: the plan sidecar's origin says the rest
        marker.unlink()
    return BatchOutcome(clip, "ok", targets.video, duration_before=r.duration_before,
                        duration_after=r.duration)
