"""creator-tools: turn raw clips into finished, upload-ready short-form videos.

The package is a library first; :mod:`creator_tools.cli` is a thin command line over it.
Heavy modules (numpy, OpenCV, librosa) are imported by the submodules that need them, so
importing the package itself is cheap.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
