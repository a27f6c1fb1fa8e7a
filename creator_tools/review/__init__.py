"""The review page: one self-contained HTML file to look at an edit and change it.

- :mod:`~creator_tools.review.subject`: what is reviewed (a clip, a plan or a ``creator
  clips`` file) and everything known about it;
- :mod:`~creator_tools.review.clips`: the ``creator clips`` JSON, read and checked;
- :mod:`~creator_tools.review.marks`: the timeline marks (shots, speech, removed ranges...);
- :mod:`~creator_tools.review.choices`: the looks, music beds and hashtags the page offers;
- :mod:`~creator_tools.review.thumbs`: the filmstrip thumbnails, from one ffmpeg decode;
- :mod:`~creator_tools.review.html`: the page assembled from its template, safely escaped;
- :mod:`~creator_tools.review.page`: :func:`~creator_tools.review.page.write_review`.
"""
