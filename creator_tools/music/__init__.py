"""Music: a creator's own tracks analyzed into the trend index.

The bundled royalty-free tracks (``creator_tools/assets/music``, CC0) are synthesized by
``tools/music`` in a checkout.
"""
