"""Colour looks as standard ``.cube`` 3D LUTs: reading, writing, previewing and the presets."""
