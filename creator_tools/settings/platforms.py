"""The platforms we deliver to, and the output sizes: one table each.

Plain data (no numpy), read by the planner (length limit, loudness, frame rate), the caption
renderer (safe zones), the hashtag suggester (the platform's broad tag) and the settings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SafeZone:
    """Margins (pixels) that the app's own buttons and text cover: keep captions inside."""

    top: int
    bottom: int
    right: int
    left: int

    def scaled(self, width: int, height: int, base: tuple[int, int] = (1080, 1920)) -> SafeZone:
        """These margins (given for a ``base`` frame) for a ``width`` x ``height`` frame."""
        sx, sy = width / base[0], height / base[1]
        return SafeZone(round(self.top * sy), round(self.bottom * sy), round(self.right * sx),
                        round(self.left * sx))


@dataclass(frozen=True, slots=True)
class Platform:
    """Delivery settings of a platform: longest video shown in full (s), loudness target
    (LUFS) and true-peak ceiling (dBTP), highest frame rate, the safe zone on a 1080x1920
    frame, and the broad hashtag its feed is known by."""

    name: str
    max_duration: float
    safe_zone: SafeZone
    broad_tag: str
    target_lufs: float = -14.0
    true_peak_db: float = -1.0
    max_fps: float = 60.0


#: Safe zones on a 1080x1920 frame. TikTok: the brief's figures (top 150 px for the tabs,
#: bottom 440 px for the description and sound, right 150 px for the buttons), with the 60 px on
#: the left of TikTok's ad safe-area template. Reels: Meta's published Reels safe zone (Meta
#: Business Help Center: keep roughly 14 % at the top, 35 % at the bottom and 6 % at each side
#: free of text: 250, 670 and 65 px). Shorts: YouTube publishes no figure; these follow the
#: commonly used overlay templates (title, channel and subscribe over the bottom ~25 %, the
#: action column on the right, search and menu at the top).
PLATFORMS: dict[str, Platform] = {
    "tiktok": Platform("tiktok", 600.0, SafeZone(top=150, bottom=440, right=150, left=60),
                       "#fyp"),
    "reels": Platform("reels", 180.0, SafeZone(top=250, bottom=670, right=65, left=65),
                      "#reels"),
    "shorts": Platform("shorts", 180.0, SafeZone(top=240, bottom=480, right=150, left=60),
                       "#shorts"),
}

#: Output size (width, height) of each aspect ratio.
ASPECTS: dict[str, tuple[int, int]] = {
    "9:16": (1080, 1920), "1:1": (1080, 1080), "4:5": (1080, 1350), "16:9": (1920, 1080)}
