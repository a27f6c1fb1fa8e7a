"""Build-time code, not part of the installed package: the generators of the bundled assets
(:mod:`tools.looks`, :mod:`tools.music`, run by ``python tools/make_assets.py``) and the
synthetic test signals (:mod:`tools.synth`) used by tests, benchmarks and examples."""
