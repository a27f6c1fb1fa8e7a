"""Run a batch's items: :class:`LocalExecutor` (threads on this machine) or
:class:`DaskExecutor` (a ``distributed`` cluster). Both yield outcomes as clips finish.

Local jobs are threads, not processes: a clip's heavy work happens in ffmpeg child processes
(the analysis decode and the render) and in numpy/OpenCV calls that release the GIL, so threads
run clips in parallel as well as processes would, without a process start-up per worker, and
they stop cleanly: on Ctrl-C or SIGTERM (a ``KeyboardInterrupt`` in the main thread) every job
is told to stop at its next progress tick (an ffmpeg pass reports twice a second, the
analysis once per second of video), which terminates its ffmpeg and removes its temporary
files; the executor waits for that before the interrupt goes on.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from creator_tools.batch.jobs import BatchItem, BatchOutcome, Progress, run_one, targets_for
from creator_tools.clips.find import ClipSettings
from creator_tools.errors import OptionError, UsageError
from creator_tools.settings import EditChoices
from creator_tools.system import cpu_count


class Interrupted(KeyboardInterrupt):
    """Raised inside a running job when its batch is stopping."""


class BatchListener:
    """Hooks for progress display (called from worker threads; the default does nothing)."""

    def started(self, item: BatchItem) -> None:
        """``item`` starts (after the up-to-date check: a skipped item starts too)."""

    def progress(self, item: BatchItem, phase: str, done: float, total: float) -> None:
        """``phase`` (``analyze`` or ``render``) of ``item`` is at ``done`` of ``total``."""


#: Imported before the first job thread starts. OpenCV's package replaces itself in
#: ``sys.modules`` while it loads, so two threads importing it at once can see a half-made
#: module (``module 'cv2' has no attribute 'data'``); the rest saves each job the wait.
_PRELOAD = ("cv2", "av", "creator_tools.analysis.engine", "creator_tools.edit.planner",
            "creator_tools.edit.render", "creator_tools.pipeline.choices",
            "creator_tools.edit.sidecars", "creator_tools.suggest.hashtags",
            "creator_tools.suggest.looks", "creator_tools.suggest.music")


def preload() -> None:
    """Import what a clip's edit imports lazily, once, in the calling thread."""
    import importlib

    for name in _PRELOAD:
        importlib.import_module(name)


def threads_per_job(jobs: int, cores: int | None = None) -> int:
    """ffmpeg threads for each of ``jobs`` parallel clips: the cores shared out, at least 1."""
    return max(1, (cores or cpu_count()) // max(1, jobs))


class LocalExecutor:
    """Up to ``jobs`` clips at once on this machine, each render capped at its share of cores."""

    def __init__(self, jobs: int = 1, *, cores: int | None = None) -> None:
        if jobs < 1:
            raise OptionError(f"{{jobs}} must be at least 1, not {jobs}", options="jobs")
        self.jobs = jobs
        self.cores = cores or cpu_count()

    def run(self, items: Sequence[BatchItem], choices: EditChoices, *, force: bool = False,
            listener: BatchListener | None = None,
            clips: ClipSettings | None = None) -> Iterator[BatchOutcome]:
        """Yield each item's outcome as it finishes (in the calling thread); with ``clips``,
        each item's best clips are cut instead (see :func:`run_one`).

        When the caller stops (a ``KeyboardInterrupt`` while waiting, or closing the iterator),
        running jobs are stopped and waited for, and queued ones never start.
        """
        if not items:
            return
        listener = listener or BatchListener()
        workers = min(self.jobs, len(items))
        threads = threads_per_job(workers, self.cores)
        stop = threading.Event()

        def watch(item: BatchItem, phase: str) -> Progress:
            def tick(done: float, total: float) -> None:
                if stop.is_set():
                    raise Interrupted
                listener.progress(item, phase, done, total)

            return tick

        def work(item: BatchItem) -> BatchOutcome:
            if stop.is_set():
                raise Interrupted
            listener.started(item)
            return run_one(item.input, choices, outdir=item.outdir, force=force,
                           threads=threads, analyze_progress=watch(item, "analyze"),
                           render_progress=watch(item, "render"), clips=clips)

        if workers > 1:
            preload()
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="creator-batch")
        order: dict[Future[BatchOutcome], int] = {}
        try:
            for i, item in enumerate(items):
                order[pool.submit(work, item)] = i
            pending = set(order)
            while pending:
                # A timeout keeps the main thread responsive to signals.
                done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                for f in sorted(done, key=order.__getitem__):
                    try:
                        outcome = f.result()
                    except Exception as exc:  # a listener failed outside run_one's guard
                        outcome = BatchOutcome(items[order[f]].input, "failed",
                                               error=f"internal error: {type(exc).__name__}: "
                                                     f"{exc}")
                    yield outcome
        finally:
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)


def _dask_task(clip: str, choices: EditChoices, outdir: str | None, force: bool,
               clips: ClipSettings | None = None) -> BatchOutcome:
    """:func:`run_one` on a Dask worker, its render capped at the worker's share of cores."""
    threads = None
    try:
        from distributed import get_worker

        threads = threads_per_job(get_worker().state.nthreads)
    except Exception:  # not on a worker, or another distributed version: let ffmpeg choose
        threads = None
    return run_one(clip, choices, outdir=outdir, force=force, threads=threads, clips=clips)


class DaskExecutor:
    """One task per clip on the Dask cluster at ``scheduler`` (``tcp://host:8786``).

    The workers must see the clips and the output folders at the same paths as this machine
    (paths are sent absolute) and have creator-tools installed. Interrupting cancels the
    clips not started yet; the ones running finish on the workers (their outputs are written
    atomically, and the next run skips them).
    """

    def __init__(self, scheduler: str, *, timeout: float = 20.0) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise OptionError("{executor} dask needs the dask extra: "
                              "pip install 'creator-tools[dask]'", options="executor") from None
        if not scheduler:
            raise OptionError("{executor} dask needs {scheduler} ADDRESS",
                              options=("executor", "scheduler"))
        self.scheduler = scheduler
        self.timeout = timeout

    def run(self, items: Sequence[BatchItem], choices: EditChoices, *, force: bool = False,
            listener: BatchListener | None = None,
            clips: ClipSettings | None = None) -> Iterator[BatchOutcome]:
        """Yield each item's outcome as its task finishes on the cluster."""
        if not items:
            return
        from distributed import Client, as_completed

        choices = _absolute_files(choices)
        try:
            client = Client(self.scheduler, timeout=self.timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") \
                from None
        futures: dict[object, BatchItem] = {}
        try:
            for item in items:
                outdir = None if item.outdir is None else os.path.abspath(item.outdir)
                f = client.submit(_dask_task, os.path.abspath(item.input), choices, outdir,
                                  force, clips, pure=False)
                futures[f] = item
            for f in as_completed(list(futures), loop=client.loop):
                item = futures[f]
                try:
                    outcome: BatchOutcome = f.result()
                except Exception as exc:  # the task could not run (worker lost, import error)
                    outcome = BatchOutcome(item.input, "failed",
                                           error=f"dask: {type(exc).__name__}: {exc}")
                yield _as_given(outcome, item)
        finally:
            client.cancel([f for f in futures if not f.done()])
            client.close()


def _absolute_files(choices: EditChoices) -> EditChoices:
    """``choices`` with a ``--look`` or ``--music`` file made absolute (workers have other
    working folders)."""
    from dataclasses import replace

    files = {k: os.path.abspath(v) for k in ("look", "music")
             if isinstance(v := getattr(choices, k), str) and v.lower() not in ("auto", "none")
             and os.path.isfile(v)}
    return replace(choices, **files) if files else choices


def _as_given(outcome: BatchOutcome, item: BatchItem) -> BatchOutcome:
    """``outcome`` with the paths spelled as the user gave them (the task got absolute ones)."""
    outcome.input = Path(item.input)
    if outcome.output is not None:  # the same name (an edit's video, or a best clip's)
        folder = targets_for(item.input, item.outdir).video.parent
        outcome.output = folder / Path(outcome.output).name
    return outcome
