"""The bundled looks: colour transforms built in code, baked into ``.cube`` LUTs.

Each look is a small chain of gentle operations (white balance by per-channel midtone curves,
lift/fade, contrast, saturation and vibrance with skin tones protected, split toning) applied to
an identity grid, so the same definition yields any LUT size. Every look is meant to be usable
at full strength; :func:`creator_tools.looks.cube.blend` softens it further.

The manifest fields let a suggester match a look to a clip: ``warmth``, ``brightness``,
``saturation`` and ``contrast`` are the direction of the look's effect (-1, 0 or +1), so an
already warm clip need not be warmed again, and ``lifts_shadows`` marks looks that open up
underexposed footage.

Regenerate the shipped files with ``python assets/make_assets.py`` (or
``python -m creator_tools.looks.presets FOLDER``).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from creator_tools.looks.cube import Lut3D, identity, write_cube

#: Grid points per axis of the shipped LUTs (17**3 rows: about 130 KB per file).
LUT_SIZE = 17
LICENSE = "CC0-1.0"

#: Niches a look (or a track) can be suggested for.
NICHES = ("food", "fitness", "beauty", "fashion", "comedy", "education", "travel", "gaming",
          "pets", "tech", "finance", "diy", "music", "dance", "sports", "parenting",
          "lifestyle", "vlog")

_LUMA = np.array([0.2126, 0.7152, 0.0722])

Transform = Callable[[np.ndarray], np.ndarray]


# ---------------------------------------------------------------------------------------
# Colour operations on float RGB in 0..1 (display-referred, gamma encoded), shape (..., 3)
# ---------------------------------------------------------------------------------------

def luma(rgb: np.ndarray) -> np.ndarray:
    """Rec. 709 luma of ``rgb``, shape ``rgb.shape[:-1]``."""
    return rgb @ _LUMA


def _hsv_hue_sat(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hue (degrees, 0..360) and HSV saturation (0..1) of ``rgb``."""
    mx = rgb.max(axis=-1)
    mn = rgb.min(axis=-1)
    chroma = mx - mn
    safe = np.where(chroma > 1e-9, chroma, 1.0)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    h = np.where(mx == r, ((g - b) / safe) % 6.0,
                 np.where(mx == g, (b - r) / safe + 2.0, (r - g) / safe + 4.0))
    hue = np.where(chroma > 1e-9, 60.0 * h, 0.0)
    sat = np.where(mx > 1e-9, chroma / np.where(mx > 1e-9, mx, 1.0), 0.0)
    return hue, sat


def skin_weight(rgb: np.ndarray) -> np.ndarray:
    """How skin-like each colour is, 0..1: orange-red hues of moderate saturation."""
    hue, sat = _hsv_hue_sat(rgb)
    d = np.minimum(np.abs(hue - 25.0), 360.0 - np.abs(hue - 25.0))
    hue_w = np.exp(-0.5 * (d / 14.0) ** 2)
    sat_w = np.exp(-0.5 * ((sat - 0.45) / 0.25) ** 2)
    lum = luma(rgb)
    lum_w = np.clip(lum / 0.12, 0.0, 1.0)  # near-black is not skin
    return hue_w * sat_w * lum_w


def midtone_balance(rgb: np.ndarray, *, r: float, g: float = 1.0, b: float) -> np.ndarray:
    """White balance by per-channel power curves (``x ** gamma``): black and white stay put.

    ``r < 1`` with ``b > 1`` warms the midtones; the reverse cools them.
    """
    gam = np.array([r, g, b])
    return np.clip(rgb, 0.0, 1.0) ** gam


def fade(rgb: np.ndarray, *, black: float, white: float = 1.0) -> np.ndarray:
    """Map 0..1 onto ``black..white`` (lifted blacks, softened whites)."""
    return black + rgb * (white - black)


def gamma(rgb: np.ndarray, g: float) -> np.ndarray:
    """Brighten (``g < 1``) or darken (``g > 1``) the midtones of every channel."""
    return np.clip(rgb, 0.0, 1.0) ** g


def contrast(rgb: np.ndarray, amount: float, *, pivot: float = 0.42) -> np.ndarray:
    """Smooth S-curve on luma (``amount`` > 0 adds contrast, < 0 flattens); hue is kept.

    The luma change is added to every channel, so colour differences (chroma) are unchanged.
    """
    y = np.clip(luma(rgb), 0.0, 1.0)
    # A sigmoid through (0, 0), (pivot, pivot), (1, 1) with slope 1 + amount at the pivot.
    k = 4.0 * amount
    t = np.where(y < pivot, y / pivot - 1.0, (y - pivot) / (1.0 - pivot))
    bent = t * (1.0 + k * (1.0 - np.abs(t)) / (1.0 + abs(k)))
    y_new = np.where(y < pivot, pivot * (bent + 1.0), pivot + (1.0 - pivot) * bent)
    return rgb + (y_new - y)[..., None]


def saturation(rgb: np.ndarray, amount: float, *, vibrance: float = 0.0,
               protect_skin: float = 0.0) -> np.ndarray:
    """Scale colourfulness around luma.

    Parameters
    ----------
    rgb
        Colours, ``(..., 3)``.
    amount
        Multiplier of every colour's distance from grey (1 keeps it).
    vibrance
        Extra gain for muted colours only (0 keeps them): ``1 + vibrance * (1 - sat)``.
    protect_skin
        0..1: how much of the change skin-like colours are spared.
    """
    y = luma(rgb)[..., None]
    _, sat = _hsv_hue_sat(np.clip(rgb, 0.0, 1.0))
    gain = amount * (1.0 + vibrance * (1.0 - sat))
    if protect_skin:
        gain = 1.0 + (gain - 1.0) * (1.0 - protect_skin * skin_weight(np.clip(rgb, 0.0, 1.0)))
    return y + (rgb - y) * gain[..., None]


def split_tone(rgb: np.ndarray, *, shadows: tuple[float, float, float],
               highlights: tuple[float, float, float]) -> np.ndarray:
    """Add a colour offset to the shadows and another to the highlights (weighted by luma)."""
    y = np.clip(luma(rgb), 0.0, 1.0)[..., None]
    ws = (1.0 - y) ** 2 * np.clip(y * 8.0, 0.0, 1.0)  # black itself stays black
    wh = y**2 * np.clip((1.0 - y) * 8.0, 0.0, 1.0)  # white itself stays white
    return rgb + ws * np.asarray(shadows) + wh * np.asarray(highlights)


def monochrome(rgb: np.ndarray, *, weights: tuple[float, float, float] = (0.30, 0.59, 0.11)
               ) -> np.ndarray:
    """Grey of ``rgb`` (channel weights: a mild red filter look by default)."""
    y = rgb @ np.asarray(weights)
    return np.repeat(y[..., None], 3, axis=-1)


def lift_shadows(rgb: np.ndarray, amount: float) -> np.ndarray:
    """Open up shadows and lower midtones, leaving white where it is (a toe lift).

    ``y + amount * y * (1 - y) ** 2 * 4``: the gain peaks around 1/3, is zero at 0 and 1.
    Applied to luma and added to every channel so colours keep their hue.
    """
    y = np.clip(luma(rgb), 0.0, 1.0)
    boost = amount * 4.0 * np.sqrt(y) * (1.0 - y) ** 2
    return rgb + boost[..., None]


def _chain(*steps: Transform) -> Transform:
    def run(rgb: np.ndarray) -> np.ndarray:
        out = rgb.astype(np.float64)
        for step in steps:
            out = step(out)
        return np.clip(out, 0.0, 1.0)

    return run


# ---------------------------------------------------------------------------------------
# The looks
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Look:
    """One bundled look and what it does.

    Attributes
    ----------
    name
        Identifier and file stem (``teal-orange`` -> ``teal-orange.cube``).
    title
        Display name.
    description
        One line for a picker.
    niches
        Niches it suits (from :data:`NICHES`).
    warmth, brightness, saturation, contrast
        Direction of the look's effect: -1 (cooler, darker, more muted, flatter), 0, or +1.
    lifts_shadows
        Raises dark pixels (good for underexposed clips).
    monochrome
        Removes all colour.
    transform
        The colour transform, float RGB 0..1 ``(..., 3)`` to the same.
    """

    name: str
    title: str
    description: str
    niches: tuple[str, ...]
    warmth: int
    brightness: int
    saturation: int
    contrast: int
    lifts_shadows: bool
    monochrome: bool
    transform: Transform

    def lut(self, size: int = LUT_SIZE) -> Lut3D:
        """The look baked into a ``size``-point LUT."""
        grid = identity(size).table
        return Lut3D(size, self.transform(grid), title=self.title)

    def manifest(self, *, size: int = LUT_SIZE) -> dict[str, object]:
        """The look's entry in ``looks.json``."""
        return {
            "name": self.name,
            "title": self.title,
            "file": f"{self.name}.cube",
            "description": self.description,
            "niches": list(self.niches),
            "warmth": self.warmth,
            "brightness": self.brightness,
            "saturation": self.saturation,
            "contrast": self.contrast,
            "lifts_shadows": self.lifts_shadows,
            "monochrome": self.monochrome,
            "lut_size": size,
            "license": LICENSE,
        }


LOOKS: tuple[Look, ...] = (
    Look(
        "warm", "Warm", "Golden-hour warmth in the midtones; whites stay clean.",
        ("food", "lifestyle", "travel", "parenting", "vlog", "beauty"),
        warmth=1, brightness=0, saturation=0, contrast=0, lifts_shadows=False, monochrome=False,
        transform=_chain(lambda x: midtone_balance(x, r=0.93, g=0.985, b=1.10)),
    ),
    Look(
        "cool", "Cool", "Crisp daylight blue in the midtones; whites stay clean.",
        ("tech", "finance", "education", "fitness", "sports"),
        warmth=-1, brightness=0, saturation=0, contrast=0, lifts_shadows=False, monochrome=False,
        transform=_chain(lambda x: midtone_balance(x, r=1.07, g=1.0, b=0.92)),
    ),
    Look(
        "teal-orange", "Teal & Orange", "Cinematic teal shadows with warm skin and highlights.",
        ("travel", "sports", "fitness", "music", "vlog", "gaming"),
        warmth=0, brightness=0, saturation=1, contrast=1, lifts_shadows=False, monochrome=False,
        transform=_chain(
            lambda x: split_tone(x, shadows=(-0.04, 0.01, 0.04),
                                 highlights=(0.03, 0.006, -0.03)),
            lambda x: contrast(x, 0.10),
            lambda x: saturation(x, 1.08, vibrance=0.10, protect_skin=0.6),
        ),
    ),
    Look(
        "vintage-fade", "Vintage Fade",
        "Faded film: lifted blacks, softened whites, muted warm colour.",
        ("fashion", "music", "lifestyle", "diy", "vlog", "travel"),
        warmth=1, brightness=0, saturation=-1, contrast=-1, lifts_shadows=True, monochrome=False,
        transform=_chain(
            lambda x: saturation(x, 0.80),
            lambda x: midtone_balance(x, r=0.96, g=0.99, b=1.06),
            lambda x: contrast(x, -0.08),
            lambda x: fade(x, black=0.07, white=0.95),
        ),
    ),
    Look(
        "black-and-white", "Black & White", "Classic monochrome with a gentle contrast curve.",
        ("fashion", "music", "dance", "fitness", "comedy", "sports"),
        warmth=0, brightness=0, saturation=-1, contrast=1, lifts_shadows=False, monochrome=True,
        transform=_chain(monochrome, lambda x: contrast(x, 0.12)),
    ),
    Look(
        "vivid", "Vivid", "Punchy colour for food, products and play; skin tones held back.",
        ("food", "gaming", "diy", "pets", "comedy", "dance"),
        warmth=0, brightness=0, saturation=1, contrast=1, lifts_shadows=False, monochrome=False,
        transform=_chain(lambda x: saturation(x, 1.12, vibrance=0.30, protect_skin=0.6),
                         lambda x: contrast(x, 0.08)),
    ),
    Look(
        "moody", "Moody", "Darker and desaturated with cool shadows, for atmosphere.",
        ("music", "fashion", "gaming", "fitness"),
        warmth=-1, brightness=-1, saturation=-1, contrast=1, lifts_shadows=False,
        monochrome=False,
        transform=_chain(
            lambda x: saturation(x, 0.78, protect_skin=0.3),
            lambda x: gamma(x, 1.15),
            lambda x: split_tone(x, shadows=(-0.02, 0.0, 0.03), highlights=(0.0, 0.0, 0.0)),
            lambda x: midtone_balance(x, r=1.03, g=1.0, b=0.97),
            lambda x: contrast(x, 0.10, pivot=0.35),
        ),
    ),
    Look(
        "soft-pastel", "Soft Pastel", "Light and airy: open shadows, low contrast, soft colour.",
        ("beauty", "parenting", "lifestyle", "fashion", "pets", "food"),
        warmth=0, brightness=1, saturation=-1, contrast=-1, lifts_shadows=True, monochrome=False,
        transform=_chain(
            lambda x: saturation(x, 0.82),
            lambda x: gamma(x, 0.90),
            lambda x: contrast(x, -0.10),
            lambda x: split_tone(x, shadows=(0.0, 0.0, 0.0), highlights=(0.012, 0.0, 0.008)),
            lambda x: fade(x, black=0.05, white=1.0),
        ),
    ),
    Look(
        "bright-lift", "Bright Lift",
        "Rescues dim, underexposed clips: opens shadows and midtones, keeps highlights.",
        ("vlog", "education", "comedy", "pets", "food", "parenting"),
        warmth=0, brightness=1, saturation=0, contrast=-1, lifts_shadows=True, monochrome=False,
        transform=_chain(lambda x: lift_shadows(x, 0.10),
                         lambda x: gamma(x, 0.94),
                         lambda x: saturation(x, 1.06, protect_skin=0.5)),
    ),
    Look(
        "crisp", "Crisp", "A subtle clean-up: a touch more contrast and colour for any clip.",
        ("education", "tech", "finance", "diy", "sports", "vlog"),
        warmth=0, brightness=0, saturation=1, contrast=1, lifts_shadows=False, monochrome=False,
        transform=_chain(lambda x: contrast(x, 0.07),
                         lambda x: saturation(x, 1.03, vibrance=0.20, protect_skin=0.5)),
    ),
)


def look(name: str) -> Look:
    """The bundled look called ``name``.

    Raises
    ------
    KeyError
        When there is no such look.
    """
    for item in LOOKS:
        if item.name == name:
            return item
    raise KeyError(f"no look named {name!r}; known: {', '.join(x.name for x in LOOKS)}")


def _readme() -> str:
    lines = ["# Looks", "",
             f"3D LUTs (`.cube`, size {LUT_SIZE}) generated by creator_tools.looks.presets, CC0.",
             "Regenerate with `python assets/make_assets.py`. `looks.json` lists what each look "
             "does (warmth, brightness, saturation, contrast: -1/0/+1) and the niches it suits.",
             ""]
    lines += [f"- `{lk.name}.cube`: {lk.title}: {lk.description} Generated by "
              f"creator_tools.looks.presets, CC0." for lk in LOOKS]
    return "\n".join(lines) + "\n"


def build_assets(folder: str | os.PathLike[str], *, size: int = LUT_SIZE) -> list[Path]:
    """Write every look as ``<name>.cube`` plus ``looks.json`` and ``README.md`` in ``folder``.

    Parameters
    ----------
    folder
        Output folder (created when missing).
    size
        LUT grid size (17 keeps each file near 130 KB; 25 near 420 KB).

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_cube(lk.lut(size), out / f"{lk.name}.cube") for lk in LOOKS]
    manifest = {"version": 1, "generator": "creator_tools.looks.presets", "license": LICENSE,
                "looks": [lk.manifest(size=size) for lk in LOOKS]}
    (out / "looks.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(_readme(), encoding="utf-8")
    return [*written, out / "looks.json", out / "README.md"]


if __name__ == "__main__":  # python -m creator_tools.looks.presets [FOLDER]
    target = sys.argv[1] if len(sys.argv) > 1 else "assets/luts"
    for path in build_assets(target):
        sys.stdout.write(f"{path}\n")
