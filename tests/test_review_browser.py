"""The review page in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) driven by Selenium, with nothing downloaded at run time.

Without the browser these tests skip, except under CI (``CI=true``), where ``.ci/run``
installs it and they fail instead. ``REVIEW_SCREENSHOTS=DIR`` keeps the screenshots.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from creator_tools.edit.plan import load_plan
from tests.conftest import run_cli
from tests.review_page import by_kind, expected_marks, plan_dict_for_page

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run")
DESKTOP = (1366, 900)
PHONE = (390, 844)


def _missing(why: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{why}: under CI the browser tests must run (.ci/run installs chromium)")
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Any]:
    """Headless Chromium with a fresh profile; downloads go to ``browser.downloads``."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed (pip install -e '.[test]')")
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        _missing("Chromium is missing (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="review-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # the tests download the plan several times from one page: allow it without asking
    options.add_experimental_option("prefs", {
        "profile.default_content_setting_values.automatic_downloads": 1,
        "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    downloads = tmp_path_factory.mktemp("downloads")
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    driver.set_window_size(*DESKTOP)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    return {"CREATOR_CACHE_DIR": str(home / "cache"), "CREATOR_INDEX": str(home / "ix"),
            "CREATOR_CONFIG": str(home / "none.toml")}


@pytest.fixture(scope="module")
def demo(tmp_path_factory, env) -> dict[str, Path]:
    """``examples/demo.mp4`` edited with ``creator edit --review``: its files."""
    folder = tmp_path_factory.mktemp("demo")
    clip = folder / "demo.mp4"
    shutil.copy(ROOT / "examples" / "demo.mp4", clip)
    r = run_cli("edit", str(clip), "--review", "--json", env=env)
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    return {"clip": clip, "plan": Path(rec["plan"]), "page": Path(rec["review"]),
            "video": Path(rec["output"])}


def _open(driver: Any, page: Path, size: tuple[int, int] = DESKTOP) -> None:
    driver.set_window_size(*size)
    driver.get(page.resolve().as_uri())
    _wait(lambda: driver.execute_script("return !!window.reviewPage"), "the page's script")
    driver.get_log("browser")  # drop what an earlier page left


def _wait(cond: Callable[[], Any], what: str, timeout: float = 10.0) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = cond()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _errors(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def _marks(driver: Any) -> list[tuple[str, str, str]]:
    return [tuple(m) for m in driver.execute_script(
        "return Array.from(document.querySelectorAll('#timeline [data-kind]'))"
        ".map(m => [m.dataset.kind, m.dataset.start, m.dataset.end])")]


def _click_mark(driver: Any, selector: str) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})",
                          driver.find_element("css selector", selector))
    driver.find_element("css selector", selector).click()


def _download(driver: Any) -> dict[str, Any]:
    """Click the download button; the plan it saves, read and moved aside (Chrome does not
    save a file again under a name that is taken)."""
    driver.find_element("id", "download").click()
    f = driver.downloads / "demo.reviewed.plan.json"
    _wait(lambda: f.is_file() and f.stat().st_size > 0, "the downloaded plan")
    time.sleep(0.2)  # written whole
    plan = load_plan(f)  # what creator render reads: valid, version kept
    raw = json.loads(f.read_text(encoding="utf-8"))
    f.rename(driver.downloads / f"{time.monotonic_ns()}.saved.json")
    return {"plan": plan.to_dict(), "raw": raw}


def _video_time(driver: Any, which: str) -> float:
    return driver.execute_script(
        f"return document.querySelector('#{which}-frame video').currentTime")


def test_the_demo_page_loads_clean_with_both_videos_and_thumbnails(browser, demo):
    _open(browser, demo["page"])
    _wait(lambda: browser.execute_script(
        "return Array.from(document.querySelectorAll('video')).every(v => v.readyState >= 1)"),
        "both videos' metadata")
    ready = browser.execute_script(
        "return Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
    browser.execute_script("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
    _wait(lambda: browser.execute_script(
        "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"),
        "every thumbnail")
    assert len(ready) >= 4
    assert browser.execute_script("return document.querySelectorAll('video').length") == 2
    assert browser.find_element("id", "heading").text == "demo.edited.plan.json"
    assert _errors(browser) == []


def test_the_marks_match_the_analysis_and_the_plan(browser, demo, env):
    _open(browser, demo["page"])
    r = run_cli("analyze", str(demo["clip"]), "--json", env=env)
    analysis = json.loads(r.stdout)
    expected = by_kind(expected_marks(analysis, load_plan(demo["plan"])))
    got = by_kind(_marks(browser))
    assert got == expected
    assert set(got) == {"shot", "speech", "silence", "removed", "cut", "hook", "advice"}
    assert len(got["removed"]) == 5  # the demo's dead air and long pauses


def test_putting_a_removed_range_back_changes_the_downloaded_plan_exactly(browser, demo):
    _open(browser, demo["page"])
    original = plan_dict_for_page(demo["plan"])
    segs = original["segments"]
    unchanged = _download(browser)
    assert unchanged["raw"] == original  # untouched: the plan as it was (portable)
    assert unchanged["raw"]["version"] == 1 and "origin" not in unchanged["raw"]

    # the gap between the first two kept segments: put it back
    gap = (segs[0]["end"], segs[1]["start"])
    sel = f'.mark[data-kind="removed"][data-tick-start="{gap[0]}"]'
    _click_mark(browser, sel)
    assert browser.find_element("css selector", sel).get_attribute("data-state") == "restored"
    changed = _download(browser)
    want = dict(original, segments=[{"start": segs[0]["start"], "end": segs[1]["end"],
                                     "source": "main"}, *segs[2:]])
    assert changed["raw"] == json.loads(json.dumps(want))
    assert changed["plan"]["segments"] == want["segments"]
    items = [li.text for li in browser.find_elements("css selector", "#change-list li")]
    at = float(Fraction(original["timebase"]) * gap[0])
    assert len(items) == 1 and items[0].startswith(f"put back {int(at // 60)}:{at % 60:04.1f}")

    # and the reverse: a second click takes it out again
    _click_mark(browser, sel)
    again = _download(browser)
    assert again["raw"]["segments"] == segs
    assert again["raw"] == unchanged["raw"]

    # the dead air at the start back, the last silence cut too: segments as expected
    _click_mark(browser, '.mark[data-kind="removed"][data-tick-start="0"]')
    # the pause before the last sentence (about 9.9-10.9 s)
    starts = [m.get_attribute("data-start") for m in
              browser.find_elements("css selector", '.mark[data-kind="silence"]')]
    s0 = max((v for v in starts if float(v) < 10.5), key=float)
    _click_mark(browser, f'.mark[data-kind="silence"][data-start="{s0}"]')
    s1 = browser.find_element("css selector", f'.mark[data-kind="silence"][data-start="{s0}"]'
                              ).get_attribute("data-end")
    browser.find_element("xpath", "//div[@id='detail']//button[text()='Cut this range']").click()
    cut = browser.find_element("css selector", '.mark[data-origin="page"]')
    a, b = (math.floor(float(v) * 30 + 0.5) for v in (s0, s1))  # snapped to frames
    assert (cut.get_attribute("data-start"), cut.get_attribute("data-end")) == (
        f"{a / 30:.3f}", f"{b / 30:.3f}")
    both = _download(browser)["raw"]["segments"]
    assert both == [{"start": 0, "end": segs[0]["end"], "source": "main"},
                    *[s for s in segs[1:] if s["end"] <= a],
                    *[{"start": s["start"], "end": a, "source": "main"}
                      for s in segs if s["start"] < a < s["end"]],
                    *[{"start": b, "end": s["end"], "source": "main"}
                      for s in segs if s["start"] < b < s["end"]],
                    *[s for s in segs if s["start"] >= b]]
    browser.find_element("id", "reset").click()
    assert _download(browser)["raw"] == unchanged["raw"]
    assert _errors(browser) == []


def test_picking_a_look_music_hashtags_and_caption_goes_into_the_plan(browser, demo):
    _open(browser, demo["page"])
    base = plan_dict_for_page(demo["plan"])
    choice = browser.execute_script("""
        const d = JSON.parse(document.getElementById('review-data').textContent).edit.choices;
        return {look: d.looks.find(o => !o.current && o.key !== 'none'),
                music: d.music.find(o => !o.current && o.music)};""")
    for name, key in (("look", choice["look"]["key"]), ("music", choice["music"]["key"])):
        _click_mark(browser, f'#{"looks" if name == "look" else "music"} '
                             f'input[value="{key}"]')
    browser.find_element("xpath", "//div[@id='tag-sets']/button[starts-with(., 'none')]").click()
    tag = browser.find_element("css selector", "#tags input")
    tag.click()
    caption = browser.find_element("id", "caption-text")
    caption.send_keys("My <b>first</b> take")
    plan = _download(browser)["raw"]
    assert plan["look"] == choice["look"]["look"]
    music = dict(choice["music"]["music"], **{k: base["audio"]["music"][k] for k in
                                                 ("gain_db", "fade_in", "fade_out", "duck",
                                                  "duck_db")})
    assert plan["audio"]["music"] == music
    assert plan["captions"]["hashtags"] == [tag.get_attribute("value")]
    assert plan["captions"]["text"] == "My <b>first</b> take"
    rest = {k: v for k, v in plan.items() if k not in ("look", "audio", "captions")}
    assert rest == {k: v for k, v in json.loads(json.dumps(base)).items()
                    if k not in ("look", "audio", "captions")}
    assert browser.find_element("id", "caption-line").text == \
        f"My <b>first</b> take {tag.get_attribute('value')}"
    command = browser.find_element("id", "command").text
    assert command.startswith("creator render demo.reviewed.plan.json -o ")
    assert _errors(browser) == []


def test_clicking_a_mark_seeks_the_videos_and_keys_step_by_shot(browser, demo):
    _open(browser, demo["page"])
    _wait(lambda: browser.execute_script(
        "return Array.from(document.querySelectorAll('video')).every(v => v.readyState >= 1)"),
        "both videos' metadata")
    _click_mark(browser, '.mark[data-kind="shot"][data-index="3"]')
    _wait(lambda: abs(_video_time(browser, "original") - 11.533) < 0.02, "the original at 11.5 s")
    plan = load_plan(demo["plan"])
    out = plan.output_time(plan.ticks(11.533))
    _wait(lambda: abs(_video_time(browser, "edited") - out) < 0.02, "the edit at the same place")
    _click_mark(browser, '.mark[data-kind="advice"]:last-of-type')
    advice = float(browser.find_element(
        "css selector", '.mark[data-kind="advice"]:last-of-type').get_attribute("data-start"))
    _wait(lambda: abs(_video_time(browser, "original") - advice) < 0.02, "the advice's time")

    body = browser.find_element("tag name", "body")
    browser.execute_script("document.activeElement.blur()")
    browser.execute_script("window.reviewPage.seek(5.0)")
    body.send_keys("\ue014")  # Right arrow: the next shot starts at 8 s
    _wait(lambda: abs(_video_time(browser, "original") - 8.0) < 0.02, "the next shot")
    body.send_keys("\ue012")  # Left arrow: back to the shot before
    _wait(lambda: abs(_video_time(browser, "original") - 4.0) < 0.02, "the previous shot")
    body.send_keys(" ")
    _wait(lambda: browser.execute_script(
        "return !document.querySelector('#original-frame video').paused"), "playing")
    body.send_keys(" ")
    _wait(lambda: browser.execute_script(
        "return document.querySelector('#original-frame video').paused"), "paused")
    assert _errors(browser) == []


def _not_blank(png: bytes) -> tuple[int, float]:
    import io

    from PIL import Image, ImageStat

    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = len(img.getcolors(maxcolors=1 << 20) or [])
    return colours, sum(ImageStat.Stat(img).stddev) / 3


@pytest.mark.parametrize("name,size", [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_at_phone_and_desktop_widths_are_not_blank(browser, demo, name, size):
    if name == "phone":
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": size[0], "height": size[1], "deviceScaleFactor": 2, "mobile": True})
    try:
        _open(browser, demo["page"], size)
        _wait(lambda: browser.execute_script(
            "return Array.from(document.querySelectorAll('video')).every(v => v.readyState >= 2)"),
            "the first frames")
        browser.execute_script("window.reviewPage.seek(5.2)")
        _wait(lambda: browser.execute_script(
            "return Array.from(document.querySelectorAll('video'))"
            ".every(v => !v.seeking && v.readyState >= 2)"), "the frames at 5.2 s")
        time.sleep(0.3)
        width = browser.execute_script("return window.innerWidth")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        png = browser.get_screenshot_as_png()
        keep = os.environ.get("REVIEW_SCREENSHOTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            Path(keep, f"demo-{name}.png").write_bytes(png)
            height = browser.execute_script("return document.documentElement.scrollHeight")
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": size[0], "height": height, "deviceScaleFactor": 1,
                "mobile": name == "phone"})
            time.sleep(0.5)
            Path(keep, f"demo-{name}-full.png").write_bytes(browser.get_screenshot_as_png())
        colours, spread = _not_blank(png)
        assert colours > 200 and spread > 10, (colours, spread)
        assert _errors(browser) == []
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_names_and_captions_show_as_text(browser, tmp_path, env):
    from tests.test_review import NASTY_CAPTION, NASTY_NAME

    clip = tmp_path / NASTY_NAME
    shutil.copy(ROOT / "examples" / "demo.mp4", clip)
    r = run_cli("edit", str(clip), "--plan-only", "--no-captions", "--caption", NASTY_CAPTION,
                "--review", "--json", env=env)
    assert r.returncode == 0, r.stderr
    page = Path(json.loads(r.stdout)["review"])
    _open(browser, page)
    plan_name = Path(json.loads(r.stdout)["plan"]).name
    assert browser.find_element("id", "heading").text == plan_name
    assert browser.title == f"Review: {plan_name}"
    assert browser.find_element("id", "original-name").text == NASTY_NAME
    assert browser.find_element("id", "caption-text").get_attribute("value") == NASTY_CAPTION
    assert NASTY_CAPTION.replace("\u2028", "").split()[0] in \
        browser.find_element("id", "caption-line").text
    assert browser.execute_script("return document.querySelectorAll('script').length") == 2
    assert browser.execute_script("return document.querySelectorAll('b').length") == 0
    _wait(lambda: browser.execute_script(
        "return document.querySelector('#original-frame video').readyState >= 1"),
        "the oddly named video")
    assert _errors(browser) == []
    with pytest.raises(Exception, match="no such alert"):
        browser.switch_to.alert.text  # noqa: B018


def test_corrected_caption_words_go_into_the_plan(browser, tmp_path, demo, env):
    plan = json.loads(demo["plan"].read_text(encoding="utf-8"))
    plan["captions"]["words"] = [{"start": 40, "end": 50, "text": "Helo,"},
                                 {"start": 52, "end": 60, "text": "world"}]
    plan["captions"]["burn"] = True
    plan.pop("origin", None)
    f = tmp_path / "words.plan.json"
    f.write_text(json.dumps(plan), encoding="utf-8")
    r = run_cli("review", str(f), env=env)
    assert r.returncode == 0, r.stderr
    _open(browser, tmp_path / "words.review.html")
    word = browser.find_element("css selector", '#words input[data-index="0"]')
    word.clear()
    word.send_keys("Hello,")
    got = _download(browser)["raw"]
    assert [w["text"] for w in got["captions"]["words"]] == ["Hello,", "world"]
    assert [li.text for li in browser.find_elements("css selector", "#change-list li")] == [
        "word 1: Helo, \u2192 Hello,"]
    assert _errors(browser) == []


def test_a_clips_page_plays_each_candidate(browser, tmp_path, demo, env):
    clips = {"source": str(demo["clip"]), "duration": 16.0, "clips": [
        {"rank": 1, "start": 4.4, "end": 7.6, "duration": 3.2, "score": 82.0,
         "title": "The <u>best</u> bit", "hook": "so", "reasons": ["starts on a word"],
         "parts": {"hook": 0.9, "energy_z": -0.8}, "transcript": "so here is the trick"},
        {"rank": 2, "start": 10.9, "end": 14.6, "duration": 3.7, "score": 0.5, "title": "More",
         "hook": "", "reasons": [], "parts": {}, "transcript": ""}]}
    f = tmp_path / "demo.clips.json"
    f.write_text(json.dumps(clips), encoding="utf-8")
    r = run_cli("review", str(f), env=env)
    assert r.returncode == 0, r.stderr
    _open(browser, tmp_path / "demo.clips.review.html")
    cards = browser.find_elements("css selector", "#clips li.clip")
    assert [c.get_attribute("data-rank") for c in cards] == ["1", "2"]
    assert "The <u>best</u> bit" in cards[0].text and "score 82" in cards[0].text
    bars = [b.get_attribute("style") for b in cards[0].find_elements("css selector", ".bar i")]
    assert bars == ["width: 90%;", "width: 30%;"]  # energy_z -0.8 counts as 0.3
    analysis = json.loads(run_cli("analyze", str(demo["clip"]), "--json", env=env).stdout)
    assert by_kind(_marks(browser)) == by_kind(expected_marks(analysis, None))
    _wait(lambda: browser.execute_script(
        "return document.querySelector('#original-frame video').readyState >= 1"), "the video")
    cards[1].find_element("css selector", "button.primary").click()
    _wait(lambda: _video_time(browser, "original") >= 10.9, "the second candidate")
    assert _video_time(browser, "original") < 14.6
    assert _errors(browser) == []


def test_a_sound_only_page_loads_clean(browser, tmp_path, env):
    from tests import mediagen

    wav = tmp_path / "voice.wav"
    shutil.copy(mediagen.speech_clip(video=False).path, wav)
    f = tmp_path / "voice.clips.json"
    f.write_text(json.dumps({"source": "voice.wav", "clips": [{"start": 0.8, "end": 5.5}]}),
                 encoding="utf-8")
    assert run_cli("review", str(f), env=env).returncode == 0
    _open(browser, tmp_path / "voice.clips.review.html", PHONE)
    _wait(lambda: browser.execute_script(
        "return document.querySelector('#original-frame video').readyState >= 1"), "the sound")
    assert browser.find_element("id", "filmstrip-section").is_displayed() is False
    assert browser.find_element("id", "crop-window").is_displayed() is False
    browser.find_element("css selector", "#clips button.primary").click()
    _wait(lambda: _video_time(browser, "original") >= 0.8, "the candidate")
    assert _errors(browser) == []
