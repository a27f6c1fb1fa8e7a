"""Write a review page: ``NAME.review.html`` and its thumbnails ``NAME.review.thumbs/``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from creator_tools.review.subject import ReviewSubject
from creator_tools.review.thumbs import Thumb

Progress = Callable[[float, float], None]


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """What :func:`write_review` wrote, and the size of the HTML (bytes)."""

    page: Path
    thumbs: Path | None
    thumb_count: int
    size: int
    kind: str


def default_page(path: str | Path) -> Path:
    """``NAME.review.html`` beside ``path`` (``X.plan.json`` -> ``X.review.html``)."""
    path = Path(path)
    name = path.name
    for ending in (".plan.json", ".json"):
        if name.lower().endswith(ending):
            return path.with_name(f"{name[: -len(ending)]}.review.html")
    return path.with_name(f"{path.stem}.review.html")


def thumbs_folder(page: Path) -> Path:
    """``NAME.review.thumbs`` beside ``NAME.review.html``."""
    stem = page.name[: -len(page.suffix)] if page.suffix else page.name
    return page.with_name(f"{stem}.thumbs")


def check_page(page: Path, *, force: bool, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse before any work: an existing page or thumbnail folder (without ``force``), a
    folder we did not make, an unwritable place."""
    from creator_tools.fs import check_output
    from creator_tools.review.thumbs import check_thumb_folder

    if page.suffix.lower() not in (".html", ".htm"):
        from creator_tools.errors import OptionError

        raise OptionError("{output} must end in .html", options="output")
    check_output(page, force=force, inputs=inputs)
    check_thumb_folder(thumbs_folder(page), force=force)


def assemble_page(subject: ReviewSubject, page: Path, thumbs: Sequence[Thumb],
                  folder: Path | None) -> str:
    """The page's HTML for ``subject``, to be written at ``page``, showing ``thumbs`` (files
    in ``folder``)."""
    from creator_tools import __version__
    from creator_tools.resources import asset_path
    from creator_tools.review.data import page_data
    from creator_tools.review.html import lanes_html, render_page
    from creator_tools.review.marks import timeline_marks

    data = page_data(subject, page, thumbs, folder if thumbs else None)
    marks = timeline_marks(subject.analysis, subject.plan)
    assets = asset_path("review")
    return render_page(
        (assets / "page.html").read_text(encoding="utf-8"),
        (assets / "page.css").read_text(encoding="utf-8"),
        (assets / "page.js").read_text(encoding="utf-8"),
        title=f"Review: {subject.input.name}", heading=subject.input.name,
        lanes=lanes_html(marks, with_plan=subject.plan is not None), data=data,
        generator=f"creator-tools {__version__}")


def write_review(path: str | Path, *, output: str | Path | None = None, force: bool = False,
                 progress: Progress | None = None) -> ReviewResult:
    """Write the review page of ``path`` (a clip, a plan or a ``creator clips`` file).

    The page goes to ``output`` (default ``NAME.review.html`` beside ``path``), its
    thumbnails into a folder beside it; both are checked before any work and written whole
    or not at all. Raises the errors of :mod:`creator_tools.errors`.
    """
    from creator_tools.fs import atomic_output
    from creator_tools.review.subject import open_subject
    from creator_tools.review.thumbs import make_thumbnails, thumb_times

    path = Path(path)
    page = Path(output) if output is not None else default_page(path)
    check_page(page, force=force, inputs=(path,))
    subject = open_subject(path, progress=progress)
    folder = thumbs_folder(page)
    times = thumb_times(subject.analysis.shots) if subject.analysis.media.video else []
    thumbs = make_thumbnails(subject.source, times, folder, force=force)
    data = assemble_page(subject, page, thumbs, folder).encode("utf-8")
    with atomic_output(page, force=force, inputs=(subject.input, subject.source)) as tmp:
        tmp.write_bytes(data)
    return ReviewResult(page, folder if thumbs else None, len(thumbs), len(data), subject.kind)
