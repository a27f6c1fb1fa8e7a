"""The creator's own results: analytics exports matched to the clips they came from, stored
with dated snapshots, and what they teach about this creator's audience.

- :mod:`~creator_tools.results.values`, :mod:`~creator_tools.results.columns`,
  :mod:`~creator_tools.results.importers`: reading YouTube Studio, TikTok Studio and Instagram
  exports (localized headers, number and date formats) into validated rows;
- :mod:`~creator_tools.results.clips`, :mod:`~creator_tools.results.matching`: the clips the
  project has seen and which row is which clip;
- :mod:`~creator_tools.results.features`: what each posted clip was like (from its analysis
  and plan);
- :mod:`~creator_tools.results.store`: the SQLite store; :mod:`~creator_tools.results.ingest`:
  an import from file to store;
- :mod:`~creator_tools.results.evidence`, :mod:`~creator_tools.results.model`,
  :mod:`~creator_tools.results.insights`: the statistics, the online model and the findings;
- :mod:`~creator_tools.results.audience`: the "for your audience" line and planner defaults.
"""
