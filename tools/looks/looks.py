"""The bundled looks: each a small chain of gentle colour operations applied to an identity
grid, so the same definition yields any LUT size. Every look is meant to be usable at full
strength; :func:`creator_tools.looks.cube.blend` softens it further.

The manifest fields let a suggester match a look to a clip: ``warmth``, ``brightness``,
``saturation`` and ``contrast`` are the direction of the look's effect (-1, 0 or +1), so an
already warm clip need not be warmed again, and ``lifts_shadows`` marks looks that open up
underexposed footage.
"""

from __future__ import annotations

from dataclasses import dataclass

from creator_tools.looks.cube import Lut3D, identity
from tools.looks.colour_ops import (
    Transform,
    chain,
    contrast,
    fade,
    gamma,
    lift_shadows,
    midtone_balance,
    monochrome,
    saturation,
    split_tone,
)

#: Grid points per axis of the shipped LUTs (17**3 rows: about 130 KB per file).
LUT_SIZE = 17
LICENSE = "CC0-1.0"


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
        Niches it suits (from :data:`creator_tools.settings.NICHES`).
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
        transform=chain(lambda x: midtone_balance(x, r=0.93, g=0.985, b=1.10)),
    ),
    Look(
        "cool", "Cool", "Crisp daylight blue in the midtones; whites stay clean.",
        ("tech", "finance", "education", "fitness", "sports"),
        warmth=-1, brightness=0, saturation=0, contrast=0, lifts_shadows=False, monochrome=False,
        transform=chain(lambda x: midtone_balance(x, r=1.07, g=1.0, b=0.92)),
    ),
    Look(
        "teal-orange", "Teal & Orange", "Cinematic teal shadows with warm skin and highlights.",
        ("travel", "sports", "fitness", "music", "vlog", "gaming"),
        warmth=0, brightness=0, saturation=1, contrast=1, lifts_shadows=False, monochrome=False,
        transform=chain(
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
        transform=chain(
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
        transform=chain(monochrome, lambda x: contrast(x, 0.12)),
    ),
    Look(
        "vivid", "Vivid", "Punchy colour for food, products and play; skin tones held back.",
        ("food", "gaming", "diy", "pets", "comedy", "dance"),
        warmth=0, brightness=0, saturation=1, contrast=1, lifts_shadows=False, monochrome=False,
        transform=chain(lambda x: saturation(x, 1.12, vibrance=0.30, protect_skin=0.6),
                         lambda x: contrast(x, 0.08)),
    ),
    Look(
        "moody", "Moody", "Darker and desaturated with cool shadows, for atmosphere.",
        ("music", "fashion", "gaming", "fitness"),
        warmth=-1, brightness=-1, saturation=-1, contrast=1, lifts_shadows=False,
        monochrome=False,
        transform=chain(
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
        transform=chain(
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
        transform=chain(lambda x: lift_shadows(x, 0.10),
                         lambda x: gamma(x, 0.94),
                         lambda x: saturation(x, 1.06, protect_skin=0.5)),
    ),
    Look(
        "crisp", "Crisp", "A subtle clean-up: a touch more contrast and colour for any clip.",
        ("education", "tech", "finance", "diy", "sports", "vlog"),
        warmth=0, brightness=0, saturation=1, contrast=1, lifts_shadows=False, monochrome=False,
        transform=chain(lambda x: contrast(x, 0.07),
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
