"""Human-readable analysis report for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from creator_tools.analysis.result import Analysis
from creator_tools.text import plural

_SPARK = " ▁▂▃▄▅▆▇█"


def timeline(a: Analysis, width: int = 64) -> list[tuple[str, Text]]:
    """One-line lanes: shots (alternating shades, | at cuts), speech/silence, motion."""
    dur = max(a.duration, 1e-6)
    cell = dur / width
    at = lambda t: min(width - 1, int(t / cell))  # noqa: E731
    shots = Text()
    cut_cells = {at(c) for c in a.cuts}
    for i in range(width):
        t = (i + 0.5) * cell
        k = next((j for j, s in enumerate(a.shots) if s.start <= t < s.end), 0)
        if i in cut_cells:
            shots.append("|", style="bold white")
        else:
            shots.append("▆" if k % 2 == 0 else "▃", style="cyan" if k % 2 == 0 else "blue")
    speech = Text()
    for i in range(width):
        t = (i + 0.5) * cell
        if any(s.start <= t < s.end for s in a.speech):
            speech.append("█", style="green")
        elif any(s.start <= t < s.end for s in a.silences):
            speech.append("·", style="red")
        else:
            speech.append(" ")
    motion = Text()
    curve = a.levels.motion
    for i in range(width):
        lo = int(i * cell * a.levels.rate)
        hi = max(lo + 1, int((i + 1) * cell * a.levels.rate))
        seg = curve[lo:hi]
        v = sum(seg) / len(seg) if seg else 0.0
        motion.append(_SPARK[min(8, int(round(v * 8)))], style="yellow")
    lanes = []
    if a.media.video:
        lanes.append(("shots", shots))
    if a.media.audio:
        lanes.append(("speech", speech))
    if a.media.video:
        lanes.append(("motion", motion))
    return lanes


def print_report(console: Console, a: Analysis) -> None:
    """Print the analysis of one clip."""
    m = a.media
    head = Text(f"{m.path}", style="bold")
    bits = [f"{a.duration:.1f} s"]
    if m.video:
        bits.append(f"{m.video.display_width}x{m.video.display_height} @ {m.video.fps:.3g} fps")
    score = a.hook.score
    style = "green" if score >= 70 else "yellow" if score >= 45 else "red"
    head.append("  " + ", ".join(bits) + "  hook ")
    head.append(f"{score}/100", style=f"bold {style}")
    console.print(head)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", justify="right")
    grid.add_column()
    for name, lane in timeline(a):
        grid.add_row(name, lane)
    grid.add_row("", Text(f"0 s{'':>{max(1, 64 - 3 - len(f'{a.duration:.1f} s'))}}"
                          f"{a.duration:.1f} s", style="dim"))
    console.print(grid)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", justify="right")
    facts.add_column()
    if m.video:
        st = a.stats
        facts.add_row("shots", f"{len(a.shots)} ({st['cuts_per_minute']:.1f} cuts/min, average "
                      f"{st['average_shot']:.1f} s, longest {st['longest_shot']:.1f} s)"
                      + (f", {plural(len(a.transitions), 'transition')}" if a.transitions
                         else ""))
    if a.loudness:
        lo = a.loudness
        i = "n/a" if lo.integrated_lufs is None else f"{lo.integrated_lufs:.1f} LUFS"
        tp = "n/a" if lo.true_peak_dbtp is None else f"{lo.true_peak_dbtp:.1f} dBTP"
        facts.add_row("loudness", f"{i}, true peak {tp}, LRA {lo.lra} LU"
                      + (", clipping" if lo.clipping else ""))
        talk = sum(s.duration for s in a.speech)
        facts.add_row("speech", f"{talk:.1f} s in {plural(len(a.speech), 'span')}, "
                      f"{plural(len(a.silences), 'silent gap')}")
        facts.add_row("tempo", f"{a.tempo_bpm:.1f} BPM, {plural(len(a.beats), 'beat')}"
                      if a.tempo_bpm else "no steady beat")
    if a.motion:
        facts.add_row("motion", f"mean {a.motion.mean:.2f}, shake {a.motion.shakiness:.2f} %"
                      + (f", {plural(len(a.motion.static), 'static stretch')}"
                         if a.motion.static else ""))
    if a.color and a.color.overall:
        c = a.color.overall
        facts.add_row("color", f"brightness {c.brightness:.2f}, contrast {c.contrast:.2f}, "
                      f"saturation {c.saturation:.2f}, {c.temperature_k:.0f} K "
                      f"({c.white_balance})")
    if m.video:
        facts.add_row("subject", f"{a.subject.source}"
                      + (f" ({plural(a.subject.faces_found, 'face detection')})"
                         if a.subject.faces_found else ""))
    facts.add_row("hook", "; ".join(a.hook.reasons))
    console.print(facts)
    if a.advice:
        console.print(Text("advice", style="bold"))
        # A table, so that every row's columns line up and a long message wraps in its own.
        rows = Table.grid(padding=(0, 1))
        rows.add_column(style="magenta", no_wrap=True)
        rows.add_column(style="dim", justify="right", no_wrap=True)
        rows.add_column(overflow="fold")
        for adv in a.advice:
            rows.add_row(f" {adv.code}", "" if adv.at is None else f"{adv.at:.1f} s",
                         adv.message)
        console.print(rows)
    console.print()
