"""Synthesize the bundled background tracks in numpy: seamless, mastered loops (CC0).

No samples or third-party recordings. Every note lies on a circular timeline of exactly one
loop, and every effect (filters, reverb, sidechain, limiter) runs on the loop as a cycle, so the
end flows into the start with no click. Everything is seeded: the same code gives the same audio.

- :mod:`~tools.music.theory`: pitches, chords, scales;
- :mod:`~tools.music.dsp`: filters, envelopes, oscillators, plucked strings, noise;
- :mod:`~tools.music.instruments`: drums, keys, pads, leads, basses;
- :mod:`~tools.music.arrangement`: the looped timeline of stems, patterns, melodies;
- :mod:`~tools.music.tracks`: the bundled tracks (:data:`~tools.music.tracks.TRACKS`);
- :mod:`~tools.music.mastering`: loudness (BS.1770), true peak, limiter, mastering;
- :mod:`~tools.music.render`: stems to a mastered stereo loop;
- :mod:`~tools.music.build`: encode, check and write ``creator_tools/assets/music``.
"""
