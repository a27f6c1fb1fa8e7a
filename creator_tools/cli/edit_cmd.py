"""``creator plan``, ``creator render`` and ``creator edit`` (= analyze -> plan -> render)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creator_tools.cli.boundary import add_command
from creator_tools.cli.console import emit_json, err, out
from creator_tools.exit_codes import ExitCode

# Edit options default to None ("not given"): edit_choices() fills them in from the settings
# (built-in default < user config < project creator.toml < --preset < flag).
Platform = Annotated[str | None, typer.Option("--platform",
                                              help="tiktok, reels or shorts (default: tiktok).")]
Aspect = Annotated[str | None, typer.Option("--aspect",
                                            help="9:16, 1:1, 4:5 or 16:9 (default: 9:16).")]
Cut = Annotated[str | None, typer.Option("--cut", help="silence (trim dead air, shorten pauses), "
                                                       "fillers (also um/uh and repeated words; "
                                                       "needs captions) or none (default: "
                                                       "silence).")]
CaptionsOpt = Annotated[bool | None, typer.Option(
    "--captions/--no-captions",
    help="Burn in word-timed captions (default: on when the captions extra is installed).")]
SnapBeats = Annotated[bool | None, typer.Option(
    "--snap-beats/--no-snap-beats",
    help="Move each cut onto a beat of the music bed, inside the removed silence "
         "(default: off).")]
CaptionStyleOpt = Annotated[str | None, typer.Option(
    "--caption-style", help="bold, boxed or minimal (default: bold).")]
ExportOpt = Annotated[list[str] | None, typer.Option(
    "--export", metavar="FORMAT",
    help="Also write the cut list for an editor beside the video: otio, fcpxml, xml, edl or "
         "srt (repeatable).")]
MaxPause = Annotated[float | None, typer.Option("--max-pause", min=0.2,
                                                help="Pauses longer than this are shortened "
                                                     "(s, default: 0.6).")]
ReframeOpt = Annotated[str | None, typer.Option("--reframe",
                                                help="auto, crop (follow the subject), fill, "
                                                     "letterbox, none (default: auto).")]
LookOpt = Annotated[str | None, typer.Option("--look", help="auto, none, a look name or a .cube "
                                                            "file (default: auto).")]
Strength = Annotated[float | None, typer.Option("--look-strength", min=0.0, max=1.0,
                                                help="Mix of the look with the original "
                                                     "(default: 0.8).")]
MusicOpt = Annotated[str | None, typer.Option("--music",
                                              help="auto, none, a bundled track id or an audio "
                                                   "file (default: auto).")]
Enhance = Annotated[bool | None, typer.Option("--enhance/--no-enhance",
                                              help="Exposure, white balance, denoise, "
                                                   "stabilization (default: on).")]
Stabilize = Annotated[bool | None, typer.Option("--stabilize/--no-stabilize",
                                                help="Stabilize shaky footage (when the "
                                                     "analysis finds shake; default: on).")]
Denoise = Annotated[bool | None, typer.Option("--denoise/--no-denoise",
                                              help="Denoise low-light footage (when it is dark; "
                                                   "default: on).")]
Voice = Annotated[bool | None, typer.Option("--voice-cleanup/--no-voice-cleanup",
                                            help="High-pass, noise reduction, gentle "
                                                 "compression (default: on).")]
Caption = Annotated[str | None, typer.Option("--caption",
                                             help="What the clip is about (caption text).")]
Niche = Annotated[str | None, typer.Option("--niche", help="Your niche (default: none).")]
PresetOpt = Annotated[str | None, typer.Option("--preset", metavar="<name>",
                                               help="A preset from creator.toml or your config, "
                                                    "or tiktok, reels, shorts (see creator "
                                                    "config show).")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print a JSON result on stdout.")]


def register(app: typer.Typer) -> None:
    add_command(app, "plan", plan_command)
    add_command(app, "render", render_command)
    add_command(app, "edit", edit_command)


#: The command-line options that shape the edit (shared by ``plan`` and ``edit``).
_CHOICES = ("platform", "aspect", "cut", "max_pause", "reframe", "look", "look_strength", "music",
            "enhance", "voice_cleanup", "caption", "niche", "stabilize", "denoise", "captions",
            "caption_style", "snap_beats")


def edit_choices(values: dict[str, object]) -> object:
    """:class:`EditChoices` from a command's option values (``locals()``).

    Options left at ``None`` take their value from the settings: built-in default < user
    config < project ``creator.toml`` < the preset named by ``values["preset"]`` < flag.
    """
    from creator_tools.edit.job import EditChoices
    from creator_tools.settings import resolve_edit_settings

    flags = {k: v for k, v in values.items() if k in _CHOICES and v is not None}
    preset = values.get("preset")
    settings, _ = resolve_edit_settings(flags, preset if isinstance(preset, str) else None)
    return EditChoices(**settings)  # type: ignore[arg-type]


def plan_command(
    clip: Annotated[Path, typer.Argument(help="The clip to plan.", show_default=False,
                                        readable=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Plan file (default: stdout).")] = None,
    preset: PresetOpt = None, platform: Platform = None, aspect: Aspect = None,
    cut: Cut = None, max_pause: MaxPause = None, reframe: ReframeOpt = None,
    look: LookOpt = None, look_strength: Strength = None, music: MusicOpt = None,
    enhance: Enhance = None, voice_cleanup: Voice = None, caption: Caption = None,
    niche: Niche = None, force: Force = False, stabilize: Stabilize = None,
    denoise: Denoise = None, captions: CaptionsOpt = None, caption_style: CaptionStyleOpt = None,
    snap_beats: SnapBeats = None,
) -> int:
    """Analyze a clip and write its edit plan (JSON) without rendering.

    Inspect or hand-edit the plan, then render it with ``creator render``. Option defaults
    come from your config, a creator.toml and --preset (see ``creator config show``).
    """

    from creator_tools.cli.progress import step
    from creator_tools.edit.job import analyze_and_plan

    choices = edit_choices(locals())
    with step("analyze") as progress:
        _, plan = analyze_and_plan(clip, choices, progress=progress)  # type: ignore[arg-type]
    if output is None or str(output) == "-":
        typer.echo(plan.to_json(), nl=False)
    else:
        plan.save(output, force=force)
        err.print(f"plan written to {output}")
    return ExitCode.OK


def render_command(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="A plan file, or - for stdin.",
                                              show_default=False, readable=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="The video to write.")],
    force: Force = False,
    json_out: JsonOut = False,
) -> int:
    """Render an edit plan to a video (one encode of the picture, the sound beside it)."""
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
    clip: Annotated[Path, typer.Argument(help="The raw clip.", show_default=False,
                                        readable=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Default: NAME.edited.mp4 beside it.")] = None,
    preset: PresetOpt = None, platform: Platform = None, aspect: Aspect = None,
    cut: Cut = None, max_pause: MaxPause = None, reframe: ReframeOpt = None,
    look: LookOpt = None, look_strength: Strength = None, music: MusicOpt = None,
    enhance: Enhance = None, voice_cleanup: Voice = None, caption: Caption = None,
    niche: Niche = None, force: Force = False, stabilize: Stabilize = None,
    denoise: Denoise = None, captions: CaptionsOpt = None, caption_style: CaptionStyleOpt = None,
    snap_beats: SnapBeats = None,
    export: ExportOpt = None,
    plan_only: Annotated[bool, typer.Option("--plan-only",
                                            help="Write the plan sidecar and stop.")] = False,
    json_out: JsonOut = False,
) -> int:
    """Turn a raw clip into a finished vertical video plus its caption: dead air cut,
    reframed around the subject, corrected, graded, loudness-normalized, music under speech.

    Writes NAME.edited.mp4 with sidecars NAME.edited.plan.json and NAME.edited.caption.txt.
    Option defaults come from your config, a creator.toml and --preset (see ``creator config
    show``).
    """
    from creator_tools.cli.progress import steps
    from creator_tools.edit.job import edit_clip

    choices = edit_choices(locals())
    with steps("analyze", "captions", "render") as (analyze_bar, words_bar, render_bar):
        r = edit_clip(clip, choices, output=output, force=force,  # type: ignore[arg-type]
                      plan_only=plan_only, analyze_progress=analyze_bar,
                      transcribe_progress=words_bar, render_progress=render_bar,
                      exports=tuple(export or ()))
    if json_out:
        record: dict[str, object] = {"plan": str(r.plan_file), "duration": round(r.duration, 3),
                                     "caption": r.caption}
        if not plan_only:
            record = {"output": str(r.output), "duration": round(r.duration, 3),
                      "removed_seconds": round(r.removed_seconds, 3), **record,
                      "srt": str(r.srt_file) if r.srt_file else None,
                      "exports": [str(p) for p in r.exports]}
        emit_json(record)
    elif plan_only:
        out.print(f"plan written to {r.plan_file}")
    else:
        out.print(f"[bold green]done[/] {r.output}  {r.duration:.1f} s "
                  f"({r.removed_seconds:.1f} s of dead air removed)")
        out.print(f"plan    {r.plan_file}\ncaption {r.caption_file}")
        for extra in ([r.srt_file] if r.srt_file else []) + r.exports:
            out.print(f"{extra.suffix[1:]:<7} {extra}")
        out.print(f"\n{r.caption}")
        for note in r.notes:
            err.print(f"note: {note}")
    return ExitCode.OK
