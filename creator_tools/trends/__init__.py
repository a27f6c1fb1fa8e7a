"""The local, explainable trend index: hashtags, sounds and looks with dated history.

- :mod:`~creator_tools.trends.fields`: the columns of each kind and their validation;
- :mod:`~creator_tools.trends.importers`: CSV/JSON exports (ours, TikTok Creative Center) to rows;
- :mod:`~creator_tools.trends.store`: :class:`~creator_tools.trends.store.TrendIndex` (SQLite);
- :mod:`~creator_tools.trends.export`: the current view as CSV or JSON.

The shipped starter data is ``creator_tools/assets/trends/`` (see its README).
"""
