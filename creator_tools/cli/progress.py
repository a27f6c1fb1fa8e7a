"""Progress bars on stderr for long steps (off for non-TTY stderr and ``--quiet``)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from creator_tools.cli.console import err, progress_enabled


@contextlib.contextmanager
def steps(*labels: str) -> Iterator[list[Callable[[float, float], None] | None]]:
    """Yield one ``progress(done, total)`` callback per label, drawn as bars of one display
    (a bar appears when its step starts), or ``None`` each when progress is disabled."""
    if not progress_enabled():
        yield [None for _ in labels]
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description:<10}"), BarColumn(),
                  TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn(), console=err,
                  transient=True) as bar:
        tasks = [bar.add_task(label, total=None, visible=False) for label in labels]

        def updater(task: object) -> Callable[[float, float], None]:
            def update(done: float, total: float) -> None:
                bar.update(task, completed=done, total=max(total, 1e-6), visible=True)  # type: ignore[arg-type]

            return update

        yield [updater(t) for t in tasks]


@contextlib.contextmanager
def step(label: str) -> Iterator[Callable[[float, float], None] | None]:
    """Yield a ``progress(done, total)`` callback drawing a bar, or ``None`` when disabled."""
    with steps(label) as (update,):
        yield update


def analyze_with_progress(clip: object, *, settings: object | None = None,
                          use_cache: bool = True) -> object:
    """The (cached) analysis of ``clip``, with an ``analyze`` progress bar while it runs."""
    from creator_tools.analysis.engine import AnalysisSettings, analyze_cached

    with step("analyze") as progress:
        return analyze_cached(clip, settings=settings or AnalysisSettings(),  # type: ignore[arg-type]
                              progress=progress, use_cache=use_cache)[0]
