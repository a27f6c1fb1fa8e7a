"""``creator batch``: edit many clips, in parallel, resumably, locally or on a Dask cluster."""

from __future__ import annotations

import sys
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from creator_tools.cli.boundary import add_command
from creator_tools.cli.console import (
    State,
    emit_json,
    err,
    error_line,
    error_text,
    progress_enabled,
)
from creator_tools.cli.params import with_edit_options
from creator_tools.errors import InputError, OptionError
from creator_tools.exit_codes import combined
from creator_tools.settings import EditChoices

if TYPE_CHECKING:
    from creator_tools.batch.jobs import BatchItem, BatchOutcome

#: ``analyze`` and ``render``'s shares of one clip's work, for the overall bar.
_PHASE_SPAN = {"analyze": (0.0, 0.3), "render": (0.3, 1.0)}


def register(app: typer.Typer) -> None:
    add_command(app, "batch", batch_command)


@with_edit_options
def batch_command(
    paths: Annotated[list[str], typer.Argument(
        metavar="DIR|FILE...|-", show_default=False,
        help="Clips, folders of clips, or - to read paths from stdin (one a line, or "
             "NUL-separated as from find -print0).")],
    outdir: Annotated[Path | None, typer.Option(
        "-o", "--output-dir", metavar="OUTDIR",
        help="Write the outputs here (created; subfolders mirrored with --recursive). "
             "Default: NAME.edited.mp4 beside each clip.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1,
                                      help="Clips edited at once (local executor).")] = 1,
    recursive: Annotated[bool, typer.Option("--recursive", "-r",
                                            help="Also take clips in subfolders.")] = False,
    pattern: Annotated[str | None, typer.Option(
        "--pattern", metavar="GLOB",
        help="Take the files of a folder whose names match GLOB (default: mp4, mov, m4v, "
             "mkv, webm, avi).")] = None,
    executor: Annotated[str, typer.Option("--executor", help="local or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="ADDRESS",
        help="The Dask scheduler (tcp://host:8786) for --executor dask.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Redo clips whose outputs are up to date; replace outputs this "
                        "command did not make.")] = False,
    json_out: Annotated[bool, typer.Option(
        "--json", help="One JSON line per clip on stdout, as it finishes.")] = False,
    clips: Annotated[bool, typer.Option(
        "--clips", help="Each input is a long recording: cut its best clips "
                        "(NAME.clip01.mp4..., as creator clips --render) instead of editing "
                        "it.")] = False,
    count: Annotated[int, typer.Option("--count", "-n", min=1, metavar="N",
                                       help="With --clips: clips per recording.")] = 5,
    min_seconds: Annotated[float, typer.Option("--min", metavar="S",
                                               help="With --clips: shortest clip, seconds.")]
    = 15.0,
    max_seconds: Annotated[float, typer.Option("--max", metavar="S",
                                               help="With --clips: longest clip, seconds.")]
    = 60.0,
    *, choices: EditChoices,
) -> int:
    """Edit many clips like creator edit, several at once, and resumably.

    Each clip becomes NAME.edited.mp4 with its plan and caption sidecars. A clip whose outputs
    were made from the same input with the same options (by creator edit or a batch) is
    skipped, so running the command again after an interruption carries on where it stopped;
    --force redoes everything. A bad clip is reported and the rest go on; the exit status is
    then 3 (5 when the only trouble is outputs that exist and were not made here).
    With --clips, each input's best clips are found and cut instead (see creator clips).
    """
    from creator_tools.batch.collect import collect_clips
    from creator_tools.batch.executors import DaskExecutor, LocalExecutor
    from creator_tools.batch.jobs import make_items
    from creator_tools.pipeline.job import check_choices

    check_choices(choices)
    cut = None
    if clips:
        from creator_tools.clips.find import ClipSettings

        cut = ClipSettings(count, min_seconds, max_seconds)
        cut.check()
    if executor == "dask":
        runner: LocalExecutor | DaskExecutor = DaskExecutor(scheduler or "")
    elif executor == "local":
        if scheduler:
            raise OptionError("{scheduler} goes with {executor} dask",
                              options=("scheduler", "executor"))
        runner = LocalExecutor(jobs)
    else:
        raise OptionError(f"{{executor}} must be local or dask, not {executor!r}",
                          options="executor")

    args = _expand_stdin(paths)
    clips = collect_clips(args, recursive=recursive, pattern=pattern)
    if not clips:
        raise InputError("no clips found (video files: mp4, mov, m4v, mkv, webm, avi; "
                         "see --pattern, --recursive)")
    if outdir is not None:
        from creator_tools.fs import output_folder

        output_folder(outdir)
    folders = [Path(a) for a in args if recursive and Path(a).is_dir()]
    items, clashes = make_items(clips, outdir=outdir, folders=folders)

    outcomes: list[BatchOutcome] = []
    start = time.monotonic()

    def report(o: BatchOutcome) -> None:
        if o.problem is not None:  # in this command's words: --force, not force
            o.error = error_text(o.problem)
        outcomes.append(o)
        if json_out:
            emit_json(o.to_dict())
        if o.status == "failed":
            msg = o.error or "failed"
            error_line(msg if msg.startswith(str(o.input)) else f"{o.input}: {msg}")

    try:
        with _Display(len(clips), enabled=progress_enabled()) as display:
            for o in clashes:
                report(o)
                display.finished(o)
            # closing(): an interrupt while this loop runs stops and waits for the jobs here.
            with closing(runner.run(items, choices, force=force, listener=display,
                                    clips=cut)) as results:
                for o in results:
                    display.finished(o)
                    report(o)
    except KeyboardInterrupt:
        if not State.quiet:
            err.print(f"{len(outcomes)} of {len(clips)} clips done; run the same command "
                      "again to carry on")
        raise
    if not State.quiet:
        _summary(outcomes, time.monotonic() - start)
    return combined(o.exit_code for o in outcomes)


def _expand_stdin(paths: list[str]) -> list[str]:
    """``paths`` with ``-`` replaced by the non-empty lines of stdin (or, when stdin holds NUL
    bytes, as from ``find -print0``, by its NUL-separated names, taken exactly)."""
    out: list[str] = []
    for p in paths:
        if p == "-":
            data = sys.stdin.read()
            if "\0" in data:
                out += [name for name in data.split("\0") if name.strip()]
            else:
                out += [line.strip() for line in data.splitlines() if line.strip()]
        else:
            out.append(p)
    return out


class _Display:
    """An overall bar (with ETA) and one bar per running clip, on stderr; or nothing."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self._lock = threading.Lock()
        self._done = 0
        self._running: dict[Path, tuple[object, float]] = {}  # input -> (task, fraction)

    def __enter__(self) -> _Display:
        if self.enabled:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(TextColumn("{task.description:<32}"), BarColumn(),
                                 TextColumn("{task.percentage:>3.0f}%"),
                                 TextColumn("{task.fields[count]:>7}"), TimeRemainingColumn(),
                                 console=err, transient=True)
            self._bar.__enter__()
            self._overall = self._bar.add_task("batch", total=self.total,
                                               count=f"0/{self.total}")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._bar.__exit__(None, None, None)

    def _refresh(self) -> None:
        running = sum(f for _, f in self._running.values())
        self._bar.update(self._overall, completed=self._done + running,  # type: ignore[arg-type]
                         count=f"{self._done}/{self.total}")

    def started(self, item: BatchItem) -> None:
        if not self.enabled:
            return
        with self._lock:
            name = _short(item.input.name, 22)
            task = self._bar.add_task(f"  {name} analyze", total=1.0, visible=False, count="")
            self._running[item.input] = (task, 0.0)

    def progress(self, item: BatchItem, phase: str, done: float, total: float) -> None:
        if not self.enabled:
            return
        with self._lock:
            if item.input not in self._running:
                return
            task, _ = self._running[item.input]
            part = min(1.0, done / total) if total > 0 else 0.0
            lo, hi = _PHASE_SPAN.get(phase, (0.0, 1.0))
            self._running[item.input] = (task, lo + (hi - lo) * part)
            self._bar.update(task, description=f"  {_short(item.input.name, 22)} {phase}",  # type: ignore[arg-type]
                             completed=part, total=1.0, visible=True)
            self._refresh()

    def finished(self, outcome: BatchOutcome) -> None:
        if not self.enabled:
            return
        with self._lock:
            entry = self._running.pop(outcome.input, None)
            if entry is not None:
                self._bar.remove_task(entry[0])  # type: ignore[arg-type]
            self._done += 1
            self._refresh()


def _short(name: str, width: int) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def _seconds(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f} s"


def _summary(outcomes: list[BatchOutcome], wall: float) -> None:
    """The table of clips on stderr, then the counts."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    for name, kw in (("clip", {}), ("result", {}), ("before", {"justify": "right"}),
                     ("after", {"justify": "right"}), ("output or error", {"overflow": "fold"})):
        table.add_column(name, **kw)  # type: ignore[arg-type]
    style = {"ok": "green", "skipped": "cyan", "failed": "bold red"}
    for o in outcomes:
        detail = str(o.output) if o.status != "failed" else (o.error or "")
        detail = detail.removeprefix(f"{o.input}: ")
        table.add_row(escape(str(o.input)), f"[{style[o.status]}]{o.status}[/]",
                      _seconds(o.duration_before), _seconds(o.duration_after), escape(detail))
    err.print(table)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ok", "skipped", "failed")}
    err.print(f"{counts['ok']} edited, {counts['skipped']} up to date, {counts['failed']} "
              f"failed in {wall:.1f} s")
