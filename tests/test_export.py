"""creator export: plans as editors' timelines, each loaded back with OpenTimelineIO."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio
import pytest

from creator_tools.analysis.engine import analyze
from creator_tools.edit.plan import EditPlan, Segment, Source, load_plan
from creator_tools.edit.planner import make_plan
from creator_tools.errors import UsageError
from creator_tools.export import FORMATS, default_output, export_text, write_export
from creator_tools.export.edl import reel_names
from creator_tools.export.timeline import plan_to_timeline, smpte_rate
from creator_tools.media.probe import probe
from tests import mediagen
from tests.conftest import assert_one_clean_error, run_cli

VIDEO, AUDIO = otio.schema.TrackKind.Video, otio.schema.TrackKind.Audio


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("export")


@pytest.fixture(scope="module")
def plan_file(folder, speech_clip) -> Path:
    """The planner's plan of the speech clip: its silences cut, so several segments."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CREATOR_CACHE_DIR", str(folder / "cache"))
        plan = make_plan(analyze(speech_clip.path))
    assert len(plan.segments) >= 3
    return plan.save(folder / "talk.edited.plan.json")


@pytest.fixture
def plan(plan_file) -> EditPlan:
    return load_plan(plan_file)


def probed_plan(path: Path, cuts: list[tuple[int, int]]) -> EditPlan:
    """A plan keeping frames ``cuts`` of a generated clip, its timebase one probed frame."""
    info = probe(path)
    v = info.video
    assert v is not None
    source = Source("main", str(path), v.frames, True, info.audio is not None)
    return EditPlan(timebase=1 / Fraction(v.fps).limit_denominator(1001), sources=[source],
                    segments=[Segment(a, b) for a, b in cuts])


@pytest.fixture(scope="module")
def ntsc_plan(folder) -> EditPlan:
    """A 29.97 fps (30000/1001) clip, four segments of it kept."""
    clip = folder / "ntsc.mp4"
    mediagen.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=160x120:r=30000/1001:d=40", "-f", "lavfi",
                    "-i", "sine=d=40", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                    "-shortest", str(clip))
    plan = probed_plan(clip, [(7, 101), (130, 131), (452, 1111), (1150, 1190)])
    assert plan.timebase == Fraction(1001, 30000)
    return plan


def read_back(path: Path, plan: EditPlan) -> otio.schema.Timeline:
    """Load an exported file with OpenTimelineIO, the adapter chosen by its extension."""
    kwargs = {"rate": float(smpte_rate(1 / plan.timebase))} if path.suffix == ".edl" else {}
    timeline = otio.adapters.read_from_file(str(path), **kwargs)
    assert isinstance(timeline, otio.schema.Timeline)
    return timeline


def check_cuts(timeline: otio.schema.Timeline, plan: EditPlan, *, frames: float = 0) -> None:
    """One video and one audio track, a clip per segment at the plan's cut points (within
    ``frames`` frames; exact for 0), butted end to end, referencing the source file."""
    fps = 1 / plan.timebase
    tolerance = frames / fps + Fraction(1, 10**9)
    for kind in (VIDEO, AUDIO):
        tracks = [t for t in timeline.tracks if t.kind == kind]
        assert len(tracks) == 1, kind
        clips = list(tracks[0].find_clips())
        assert len(clips) == len(plan.segments), kind
        record = Fraction(0)
        for clip, seg in zip(clips, plan.segments, strict=True):
            r = clip.source_range
            if not frames:
                assert r.start_time.rate == float(fps)
                assert (r.start_time.value, r.end_time_exclusive().value) == (seg.start, seg.end)
            for got, want in ((r.start_time, seg.start), (r.end_time_exclusive(), seg.end)):
                assert abs(Fraction(got.to_seconds()) - want * plan.timebase) <= tolerance
            placed = tracks[0].range_of_child(clip).start_time.to_seconds()
            assert abs(Fraction(placed) - record) <= tolerance * len(plan.segments)
            record += (seg.end - seg.start) * plan.timebase
            path = otio.url_utils.filepath_from_url(clip.media_reference.target_url)
            assert Path(path) == Path(plan.source(seg.source).path)
        total = Fraction(tracks[0].duration().to_seconds())
        assert abs(total - record) <= tolerance * len(plan.segments)
        assert float(record) == pytest.approx(plan.duration)


@pytest.mark.parametrize("fmt", ["otio", "edl", "xml", "fcpxml"])
def test_each_format_loads_back_with_the_plans_cuts(plan, folder, fmt):
    out = write_export(plan, folder / f"cuts-{fmt}{FORMATS[fmt].extension}", fmt)
    timeline = read_back(out, plan)
    # the fcpxml reader counts whole frames of an integer rate, rounding down
    check_cuts(timeline, plan, frames=1 if fmt == "fcpxml" else 0)
    assert not [p for p in folder.iterdir() if ".tmp" in p.name]


def test_otio_keeps_frames_exact_at_ntsc_rates(ntsc_plan, folder):
    out = write_export(ntsc_plan, folder / "ntsc.otio", "otio")
    timeline = read_back(out, ntsc_plan)
    check_cuts(timeline, ntsc_plan)
    assert timeline.duration().rate == 30000 / 1001
    meta = timeline.metadata["creator_tools"]
    assert meta["timebase"] == "1001/30000" and meta["output"]["width"] == 1080
    ref = timeline.video_tracks()[0][0].media_reference
    assert ref.available_range.duration.value == ntsc_plan.sources[0].duration


@pytest.mark.parametrize("fmt", ["edl", "xml"])
def test_timecode_formats_keep_ntsc_cuts_exact(ntsc_plan, folder, fmt):
    out = write_export(ntsc_plan, folder / f"ntsc-{fmt}.{fmt}", fmt)
    check_cuts(read_back(out, ntsc_plan), ntsc_plan)


def _fcpx_times(text: str) -> list[tuple[Fraction, Fraction, Fraction, Fraction]]:
    """(offset, start, duration, connected audio's offset) of each clip on the FCPXML spine."""
    spine = ET.fromstring(text.split("\n", 3)[3]).find("./project/sequence/spine")
    assert spine is not None
    rows = []
    for clip in spine.findall("clip"):
        audio = clip.find("clip[@lane='-1']")
        assert audio is not None and audio.get("start") == clip.get("start")
        rows.append(tuple(Fraction(e.get(k, "0s").removesuffix("s")) for e, k in
                          ((clip, "offset"), (clip, "start"), (clip, "duration"),
                           (audio, "offset"))))
    return rows


@pytest.mark.parametrize("which", ["plan", "ntsc_plan"])
def test_fcpxml_times_are_exact_and_sound_stays_on_picture(which, request):
    plan = request.getfixturevalue(which)
    text = export_text(plan, "fcpxml")
    frame = {Fraction(1, 30): "100/3000s", Fraction(1001, 30000): "1001/30000s"}[plan.timebase]
    assert f'frameDuration="{frame}"' in text
    rows = _fcpx_times(text)
    assert len(rows) == len(plan.segments)
    record = Fraction(0)
    for (offset, start, duration, audio_offset), seg in zip(rows, plan.segments, strict=True):
        assert (offset, start, duration) == (record, seg.start * plan.timebase,
                                             (seg.end - seg.start) * plan.timebase)
        assert audio_offset == start  # connected at the picture's first frame: in sync
        record += duration
    assert text.count("<asset-clip ") == 1  # one browser clip per source


def test_odd_rates_are_conformed_for_timecode_formats(folder):
    clip = folder / "fifteen.mp4"
    mediagen.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=160x120:r=15:d=6", "-f", "lavfi", "-i",
                    "sine=d=6", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                    "-shortest", str(clip))
    plan = probed_plan(clip, [(3, 20), (31, 60), (61, 88)])
    assert smpte_rate(Fraction(15)) == 30 and smpte_rate(Fraction(12)) == 24
    assert smpte_rate(Fraction(2987, 100)) == Fraction(30000, 1001)  # a phone's odd average
    edl = read_back(write_export(plan, folder / "fifteen.edl", "edl"), plan)
    starts = [c.source_range.start_time for c in edl.video_tracks()[0].find_clips()]
    assert [(t.value, t.rate) for t in starts] == [(6, 30), (62, 30), (122, 30)]  # exact
    check_cuts(edl, plan, frames=0.5)
    check_cuts(plan_to_timeline(plan), plan)  # otio keeps the clip's own rate


def test_edl_reels_and_channels(plan, folder):
    """Two sources whose names share 8 characters get distinct reels; sound is channel B."""
    first = folder / "interview take 1.mp4"
    second = folder / "interview take 2.mp4"
    for p in (first, second):
        shutil.copy(plan.sources[0].path, p)
    two = load_plan(folder / "talk.edited.plan.json")
    two.sources = [Source("a", str(first), *_rest(plan)), Source("b", str(second), *_rest(plan))]
    two.segments = [Segment(s.start, s.end, "ab"[i % 2]) for i, s in enumerate(plan.segments)]
    text = export_text(two, "edl")
    events = [ln for ln in text.splitlines() if ln[:3].isdigit()]
    assert len(events) == len(plan.segments)
    assert [ln.split()[1:3] for ln in events[:2]] == [["INTERVIE", "B"], ["INTERVI2", "B"]]
    assert f"* FROM CLIP: {first}" in text
    out = folder / "two.edl"
    out.write_text(text)
    check_cuts(read_back(out, two), two)


def _rest(plan: EditPlan) -> tuple[int, bool, bool]:
    s = plan.sources[0]
    return s.duration, s.has_video, s.has_audio


def test_reel_names():
    reels = reel_names(["/a/my clip.mp4", "/b/my clip.mov", "/c/été.mp4", "/d/IMG_0001.MOV",
                        "/a/my clip.mp4", "/e/__.mp4"])
    assert reels == {"/a/my clip.mp4": "MYCLIP", "/b/my clip.mov": "MYCLIP2",
                     "/c/été.mp4": "T", "/d/IMG_0001.MOV": "IMG0001", "/e/__.mp4": "SOURCE"}


def test_sources_without_sound_leave_a_gap_in_the_audio_track(plan):
    plan.sources = [Source("main", plan.sources[0].path, plan.sources[0].duration, True, False)]
    timeline = plan_to_timeline(plan)
    assert [t.kind for t in timeline.tracks] == [VIDEO]
    assert " V     C " in export_text(plan, "edl") and " B     C " not in export_text(plan, "edl")


def test_formats_without_picture_are_refused_for_a_sound_only_plan(plan):
    plan.sources = [Source("main", plan.sources[0].path, plan.sources[0].duration, False, True)]
    timeline = plan_to_timeline(plan)
    assert [t.kind for t in timeline.tracks] == [AUDIO]
    for fmt in ("edl", "fcpxml"):
        with pytest.raises(UsageError, match="needs picture"):
            export_text(plan, fmt)
    assert "<clipitem" in export_text(plan, "xml")


def test_default_output_name():
    assert default_output(Path("d/X.edited.plan.json"), "otio") == Path("d/X.edited.otio")
    assert default_output(Path("plan.json"), "edl") == Path("plan.edl")
    assert default_output(Path("cut.PLAN.JSON"), "fcp7xml") == Path("cut.xml")
    with pytest.raises(UsageError, match="otio, fcpxml, edl"):
        default_output(Path("p.json"), "aaf")


# -- command line ---------------------------------------------------------------------------

def test_cli_writes_beside_the_plan_and_refuses_to_overwrite(plan_file, plan):
    out = plan_file.with_name("talk.edited.otio")
    out.unlink(missing_ok=True)
    r = run_cli("export", str(plan_file), "--to", "otio")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    check_cuts(read_back(out, plan), plan)
    before = out.read_bytes()
    r = run_cli("export", str(plan_file), "--to", "otio")
    assert r.returncode == 5  # would overwrite (not a bad input)
    assert_one_clean_error(r.stderr, "output exists (use --force to overwrite)")
    assert out.read_bytes() == before
    r = run_cli("export", str(plan_file), "--to", "OTIO", "--force")
    assert r.returncode == 0, r.stderr


def test_cli_refuses_to_overwrite_the_plan_or_the_media(plan_file, plan):
    for target in (plan_file, Path(plan.sources[0].path)):
        before = target.read_bytes()
        r = run_cli("export", str(plan_file), "--to", "xml", "-o", str(target), "--force")
        assert r.returncode == 3
        assert_one_clean_error(r.stderr, "overwrite the input")
        assert target.read_bytes() == before


def test_cli_reads_the_plan_from_stdin(plan_file, plan, folder):
    text = plan_file.read_text()
    r = run_cli("export", "-", "--to", "edl", stdin=text)
    assert r.returncode == 0, r.stderr
    timeline = otio.adapters.read_from_string(r.stdout, "cmx_3600", rate=30)
    check_cuts(timeline, plan)
    out = folder / "stdin.fcpxml"
    r = run_cli("export", "-", "--to", "fcpxml", "-o", str(out), stdin=text)
    assert r.returncode == 0, r.stderr
    check_cuts(read_back(out, plan), plan, frames=1)


def test_cli_bad_format_is_a_usage_error(plan_file):
    r = run_cli("export", str(plan_file), "--to", "aaf")
    assert r.returncode == 2
    assert_one_clean_error(r.stderr, "unknown export format 'aaf'", "otio, fcpxml, edl")


def test_cli_bad_plan_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.plan.json"
    bad.write_text('{"version": 1, "timebase": "1/30"')
    for arg in (bad, tmp_path / "missing.plan.json"):
        r = run_cli("export", str(arg), "--to", "edl")
        assert r.returncode == 3
        assert_one_clean_error(r.stderr, str(arg))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.plan.json"]
