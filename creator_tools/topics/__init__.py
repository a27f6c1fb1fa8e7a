"""What a clip is about: a topic model over captions and speech, places, and their evidence.

- :mod:`~creator_tools.topics.words`: the words of a text and how generic each one is;
- :mod:`~creator_tools.topics.features`: word, word-pair and character n-gram features;
- :mod:`~creator_tools.topics.model`: the trained model (numpy arrays), its probabilities and
  the words behind them;
- :mod:`~creator_tools.topics.corpus`: the labeled corpus (shipped and the creator's own rows);
- :mod:`~creator_tools.topics.training`: training with scikit-learn (``creator trends retrain``);
- :mod:`~creator_tools.topics.places`: the gazetteer (cities, countries) and location tags;
- :mod:`~creator_tools.topics.reading`: one clip's topics from its caption, speech and niche.

The shipped files are in ``creator_tools/assets/topics/`` (provenance in
``creator_tools/assets/trends/README.md``); ``tools/train_topics.py`` rebuilds the model.
"""
