"""Find the best short clips in a long recording, and cut them.

- :mod:`~creator_tools.clips.signals`: the source's sound and picture, from one streaming
  decode (window by window: memory stays flat);
- :mod:`~creator_tools.clips.sentences`: sentences from the transcript, edges on the sound;
- :mod:`~creator_tools.clips.tiling`: topic boundaries (TextTiling, pauses, cuts, openings);
- :mod:`~creator_tools.clips.score`, :mod:`~creator_tools.clips.lexicon`: the score's parts;
- :mod:`~creator_tools.clips.candidates`: candidate clips and the best few;
- :mod:`~creator_tools.clips.silent`: pieces of a source without speech;
- :mod:`~creator_tools.clips.find`: :func:`find_clips`;
- :mod:`~creator_tools.clips.render`: :func:`render_clips` through the edit pipeline, and
  :func:`export_clips` as one timeline.

Importing this package is cheap: numpy and the analysis are imported when used.
"""

from creator_tools.clips.find import ClipSettings, find_clips
from creator_tools.clips.result import Clip, ClipsResult

__all__ = ["Clip", "ClipSettings", "ClipsResult", "find_clips"]
