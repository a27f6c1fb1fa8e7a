"""The test talk of ``creator clips`` (``tools/talk.py``), built once and cached with its truth.

The talk is espeak-ng speaking known sentences, so every sentence's and topic's span is
known; with ``../shared/media`` present, a real voice (a phone call) is mixed in between two
topics. The video and a JSON of the truth lie in ``tests/.media-cache`` (or
``$CREATOR_TEST_MEDIA``), named by a hash of the recipe.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from tests.mediagen import CACHE, SHARED_MEDIA
from tools.talk import TOPICS, Talk, build_talk, espeak_available

#: The topics of the test talk (indices into ``tools.talk.TOPICS``), in order.
TEST_TOPICS = (0, 1, 2, 3, 4)


def real_voice() -> tuple[Path, Path] | None:
    """The real voice's WAV and its transcript (STM), when ``../shared/media`` is there."""
    wav = SHARED_MEDIA / "speech" / "pyannote_sample.wav"
    stm = wav.with_suffix(".stm")
    return (wav, stm) if wav.is_file() and stm.is_file() else None


def talk_clip(topics: tuple[int, ...] = TEST_TOPICS, *, size: tuple[int, int] = (640, 360),
              seed: int = 0) -> Talk:
    """The talk (built on first use), about 4.5 minutes: an intro, ``topics`` (40-60 s each,
    each opening on its hook), the real voice after the second when available, an outro."""
    from creator_tools.media.ffmpeg import base_args

    real = real_voice()
    recipe = {"v": 1, "topics": [TOPICS[k] for k in topics], "size": size, "seed": seed,
              "real": bool(real), "code": _code_digest()}
    key = hashlib.sha1(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:10]
    video = CACHE / f"talk-{key}.mp4"
    truth = video.with_suffix(".json")
    if video.exists() and truth.exists():
        talk = Talk.from_json(truth.read_text())
        return Talk(video, talk.duration, talk.sentences, talk.topics, talk.cuts)
    if not espeak_available():
        import pytest

        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    CACHE.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=CACHE, prefix=".talk-", suffix=".mp4")
    os.close(fd)
    try:
        talk = build_talk(Path(tmp), topics=[TOPICS[k] for k in topics], real=real, size=size,
                          seed=seed, ffmpeg=base_args())
        os.replace(tmp, video)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    talk = Talk(video, talk.duration, talk.sentences, talk.topics, talk.cuts)
    truth.write_text(talk.to_json())
    return talk


def _code_digest() -> str:
    """A digest of ``tools/talk.py``: a changed generator builds the talk again."""
    src = Path(__file__).resolve().parents[1] / "tools" / "talk.py"
    return hashlib.sha1(src.read_bytes()).hexdigest()[:10]
