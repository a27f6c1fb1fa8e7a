"""Batch editing: many clips through :func:`creator_tools.pipeline.job.edit_clip`, resumably.

:mod:`.collect` finds the clips, :mod:`.jobs` runs one clip and decides whether an existing
output is still good, :mod:`.executors` runs many at once (locally, or on a Dask cluster).
"""
