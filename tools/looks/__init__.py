"""The bundled colour looks, built in code and baked into ``.cube`` 3D LUTs (CC0).

- :mod:`~tools.looks.colour_ops`: colour operations on float RGB;
- :mod:`~tools.looks.looks`: the looks (:data:`~tools.looks.looks.LOOKS`);
- :mod:`~tools.looks.build`: write ``creator_tools/assets/luts``.
"""
