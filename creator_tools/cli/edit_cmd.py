"""``creator plan``, ``creator render`` and ``creator edit`` (= analyze -> plan -> render)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creator_tools.cli.boundary import add_command
from creator_tools.cli.console import emit_json, err, out
from creator_tools.exit_codes import ExitCode

Platform = Annotated[str | None, typer.Option("--platform",
                                              help="tiktok, reels or shorts (default: profile, "
                                                   "else tiktok).")]
Aspect = Annotated[str, typer.Option("--aspect", help="9:16, 1:1, 4:5 or 16:9.")]
Cut = Annotated[str, typer.Option("--cut", help="silence (trim dead air, shorten pauses) or none.")]
MaxPause = Annotated[float, typer.Option("--max-pause", min=0.2,
                                         help="Pauses longer than this are shortened (s).")]
ReframeOpt = Annotated[str, typer.Option("--reframe",
                                         help="auto, crop (follow the subject), fill, letterbox, "
                                              "none.")]
LookOpt = Annotated[str, typer.Option("--look", help="auto, none, a look name or a .cube file.")]
Strength = Annotated[float, typer.Option("--look-strength", min=0.0, max=1.0,
                                         help="Mix of the look with the original.")]
MusicOpt = Annotated[str, typer.Option("--music",
                                       help="auto, none, a bundled track id or an audio file.")]
Enhance = Annotated[bool, typer.Option("--enhance/--no-enhance",
                                       help="Exposure, white balance, denoise, stabilization.")]
Stabilize = Annotated[bool, typer.Option("--stabilize/--no-stabilize",
                                         help="Stabilize shaky footage (when the analysis "
                                              "finds shake).")]
Denoise = Annotated[bool, typer.Option("--denoise/--no-denoise",
                                       help="Denoise low-light footage (when it is dark).")]
Voice = Annotated[bool, typer.Option("--voice-cleanup/--no-voice-cleanup",
                                     help="High-pass, noise reduction, gentle compression.")]
Caption = Annotated[str, typer.Option("--caption", help="What the clip is about (caption text).")]
Niche = Annotated[str | None, typer.Option("--niche", help="Your niche (default: profile).")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print a JSON result on stdout.")]


def register(app: typer.Typer) -> None:
    add_command(app, "plan", plan_command)
    add_command(app, "render", render_command)
    add_command(app, "edit", edit_command)


def _options(a: object, *, platform: str | None, aspect: str, cut: str, max_pause: float,
             reframe: str, look: str, look_strength: float, music: str, enhance: bool,
             voice_cleanup: bool, caption: str, niche: str | None, stabilize: bool = True,
             denoise: bool = True) -> object:
    from creator_tools.cli.profile import profile_default
    from creator_tools.edit.choices import resolve_look, resolve_music
    from creator_tools.edit.planner import EditOptions
    from creator_tools.errors import UsageError

    platform = profile_default(platform, "platform", "tiktok") or "tiktok"
    niche = profile_default(niche, "niche")
    if cut not in ("silence", "none"):
        raise UsageError(f"--cut must be silence or none, not {cut!r}")
    if reframe not in ("auto", "crop", "fill", "letterbox", "none"):
        raise UsageError(f"--reframe must be auto, crop, fill, letterbox or none, not {reframe!r}")
    from creator_tools.suggest.hashtags import caption_line

    text, tags = caption_line(a, caption=caption, niche=niche,  # type: ignore[arg-type]
                              platform=platform)
    return EditOptions(
        platform=platform, aspect=aspect, cut=cut, max_pause=max_pause, reframe=reframe,
        enhance=enhance, stabilize=enhance and stabilize, denoise=enhance and denoise,
        voice_cleanup=voice_cleanup,
        look=resolve_look(look, a, strength=look_strength, niche=niche),  # type: ignore[arg-type]
        music=resolve_music(music, a, niche=niche),  # type: ignore[arg-type]
        caption=text, hashtags=tags,
    )


#: The command-line options that shape the edit (shared by ``plan`` and ``edit``).
_CHOICES = ("platform", "aspect", "cut", "max_pause", "reframe", "look", "look_strength", "music",
            "enhance", "voice_cleanup", "caption", "niche", "stabilize", "denoise")


def _analyze_and_plan(clip: Path, choices: dict[str, object]) -> tuple[object, object]:
    """Analyze ``clip`` (cached) and plan its edit from the command-line choices."""
    from creator_tools.cli.progress import analyze_with_progress
    from creator_tools.edit.planner import make_plan

    a = analyze_with_progress(clip)
    return a, make_plan(a, _options(a, **choices))  # type: ignore[arg-type]


def plan_command(
    clip: Annotated[Path, typer.Argument(help="The clip to plan.", show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Plan file (default: stdout).")] = None,
    platform: Platform = None, aspect: Aspect = "9:16", cut: Cut = "silence",
    max_pause: MaxPause = 0.6, reframe: ReframeOpt = "auto", look: LookOpt = "auto",
    look_strength: Strength = 0.8, music: MusicOpt = "auto", enhance: Enhance = True,
    voice_cleanup: Voice = True, caption: Caption = "", niche: Niche = None, force: Force = False,
    stabilize: Stabilize = True, denoise: Denoise = True,
) -> int:
    """Analyze a clip and write its edit plan (JSON) without rendering.

    Inspect or hand-edit the plan, then render it with ``creator render``.
    """

    choices = {k: v for k, v in locals().items() if k in _CHOICES}
    a, plan = _analyze_and_plan(clip, choices)
    if output is None or str(output) == "-":
        typer.echo(plan.to_json(), nl=False)
    else:
        plan.save(output, force=force)
        err.print(f"plan written to {output}")
    return ExitCode.OK


def render_command(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="A plan file, or - for stdin.",
                                              show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="The video to write.")],
    force: Force = False,
    json_out: JsonOut = False,
) -> int:
    """Render an edit plan to a video, in one ffmpeg pass."""
    from creator_tools.cli.progress import step
    from creator_tools.edit.plan import load_plan
    from creator_tools.edit.render import render

    plan = load_plan(plan_file)
    with step("render") as progress:
        result = render(plan, output, force=force, progress=progress)
    if json_out:
        emit_json({"output": str(result.output), "duration": round(result.duration, 3)})
    else:
        out.print(f"wrote {result.output} ({result.duration:.1f} s)")
    return ExitCode.OK


def edit_command(
    clip: Annotated[Path, typer.Argument(help="The raw clip.", show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Default: NAME.edited.mp4 beside it.")] = None,
    platform: Platform = None, aspect: Aspect = "9:16", cut: Cut = "silence",
    max_pause: MaxPause = 0.6, reframe: ReframeOpt = "auto", look: LookOpt = "auto",
    look_strength: Strength = 0.8, music: MusicOpt = "auto", enhance: Enhance = True,
    voice_cleanup: Voice = True, caption: Caption = "", niche: Niche = None, force: Force = False,
    stabilize: Stabilize = True, denoise: Denoise = True,
    plan_only: Annotated[bool, typer.Option("--plan-only",
                                            help="Write the plan sidecar and stop.")] = False,
    json_out: JsonOut = False,
) -> int:
    """Turn a raw clip into a finished vertical video plus its caption: dead air cut,
    reframed around the subject, corrected, graded, loudness-normalized, music under speech.

    Writes NAME.edited.mp4 with sidecars NAME.edited.plan.json and NAME.edited.caption.txt.
    """
    from creator_tools.edit.render import render
    from creator_tools.edit.sidecars import caption_text, sidecar_paths, write_text_atomic
    from creator_tools.fs import check_output
    from creator_tools.media.probe import check_readable_file

    check_readable_file(clip)
    video = output or clip.with_name(f"{clip.stem}.edited.mp4")
    plan_path, caption_path = sidecar_paths(video)
    targets = [plan_path] if plan_only else [video, plan_path, caption_path]
    for target in targets:  # refuse before any work, so nothing is half-done
        check_output(target, force=force, inputs=(clip,))
    choices = {k: v for k, v in locals().items() if k in _CHOICES}
    a, plan = _analyze_and_plan(clip, choices)
    plan.save(plan_path, force=force)
    text = caption_text(plan)
    if plan_only:
        if json_out:
            emit_json({"plan": str(plan_path), "duration": round(plan.duration, 3),
                       "caption": text})
        else:
            out.print(f"plan written to {plan_path}")
        return ExitCode.OK
    from creator_tools.cli.progress import step

    with step("render") as progress:
        result = render(plan, video, force=force, progress=progress)
    write_text_atomic(caption_path, text + "\n", force=force)
    removed = max(0.0, a.duration - result.duration)  # type: ignore[attr-defined]
    if json_out:
        emit_json({"output": str(result.output), "duration": round(result.duration, 3),
                   "removed_seconds": round(removed, 3), "plan": str(plan_path),
                   "caption": text})
    else:
        out.print(f"[bold green]done[/] {result.output}  {result.duration:.1f} s "
                  f"({removed:.1f} s of dead air removed)")
        out.print(f"plan    {plan_path}\ncaption {caption_path}\n\n{text}")
        for note in plan.notes:
            err.print(f"note: {note}")
    return ExitCode.OK
