"""``creator captions``: transcribe a clip into subtitles (SRT, WebVTT or JSON with word times)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from creator_tools.cli.boundary import add_command
from creator_tools.cli.console import State, emit_json, err, warn_line
from creator_tools.errors import UsageError
from creator_tools.exit_codes import ExitCode

if TYPE_CHECKING:
    from creator_tools.captions.transcript import Transcript

_FORMATS = (".srt", ".vtt", ".json")


def register(app: typer.Typer) -> None:
    add_command(app, "captions", captions_command)


def captions_command(
    clip: Annotated[Path, typer.Argument(help="A video or audio file.", show_default=False,
                                         readable=False)],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", show_default=False,
                     help="FILE.srt, FILE.vtt or FILE.json (default: CLIP.srt beside the "
                          "clip); - writes SRT to stdout."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option("--model", show_default=False,
                     help="A faster-whisper model name (tiny.en, base, small...) or a model "
                          "folder. Default: the bundled tiny.en."),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option("--language", show_default=False,
                     help="Spoken language, two letters, or auto. Default: your profile, "
                          "else en."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore cached results.")] = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="The transcript (words and times) as JSON on stdout.")
    ] = False,
) -> int:
    """Transcribe speech into captions with word times, offline.

    Writes CLIP.srt beside the clip unless -o names another file; the format follows its
    extension. Transcripts are cached per input, model and language.
    """
    from creator_tools.captions.model import require_faster_whisper

    to_stdout = output == "-"
    if to_stdout and json_out:
        raise UsageError("-o - and --json both write to stdout: choose one")
    target = None if to_stdout else Path(output) if output else clip.with_suffix(".srt")
    if target is not None and target.suffix.lower() not in _FORMATS:
        raise UsageError(f"{target}: the output must end in .srt, .vtt or .json")
    require_faster_whisper()  # the one-line hint before anything else
    from creator_tools.media.probe import check_readable_file

    check_readable_file(clip)  # a bad input is named before any output problem
    if target is not None:
        from creator_tools.fs import check_output

        check_output(target, force=force, inputs=(clip,))  # fail before the long part
    lang = _language(language)

    from creator_tools.captions.transcribe import transcribe_cached
    from creator_tools.cli.progress import step

    with step("transcribe") as progress:
        transcript, _ = transcribe_cached(clip, model=model, language=lang, progress=progress,
                                          use_cache=not no_cache)
    if not transcript.segments:
        srt = to_stdout or (target is not None and target.suffix.lower() == ".srt")
        warn_line(f"{clip}: no speech found" + ("; no SRT written" if srt else ""))
    if to_stdout:
        sys.stdout.write(transcript.to_srt())
        sys.stdout.flush()
    elif target is not None:
        _write(transcript, target, clip, force)
    if json_out:
        emit_json(transcript.to_dict())
    return ExitCode.OK


def _language(language: str | None) -> str | None:
    from creator_tools.cli.profile import profile_default
    from creator_tools.settings.profile import validate

    value = profile_default(language, "language", "en") or "en"
    if value.strip().lower() == "auto":
        return None
    return validate("language", value)


def _write(transcript: Transcript, target: Path, clip: Path, force: bool) -> None:
    import json

    from creator_tools.fs import atomic_output

    suffix = target.suffix.lower()
    if suffix == ".json":
        text = json.dumps(transcript.to_dict(), ensure_ascii=False, indent=1) + "\n"
    elif suffix == ".vtt":
        text = transcript.to_vtt()
    else:
        text = transcript.to_srt()
    if not text:  # an SRT without cues would be an empty file: none is written
        return
    with atomic_output(target, force=force, inputs=(clip,)) as tmp:
        tmp.write_text(text, encoding="utf-8")
    if not State.quiet:
        n = len(transcript.words)
        err.print(f"captions written to {target} ({n} words, {transcript.language})",
                  soft_wrap=True, highlight=False, markup=False)
