"""Where the topic changes: the topics of a transcript, and how strong each pause between two
sentences is as a topic's edge.

Sentences are bags of content words (Snowball stems, stop words left out) weighted by TF-IDF
(a sentence is a document). Two measures use them:

* **Topics** are the segmentation of the sentences that maximizes lexical cohesion, found by
  dynamic programming as in Fragkou, Petridis and Kehagias, "A Dynamic Programming Algorithm
  for Linear Text Segmentation" (J. Intelligent Information Systems 23(2), 2004), after
  Utiyama and Isahara (ACL 2001): a topic earns the cosine similarity of each pair of its
  sentences, per sentence, against the source's typical similarity of neighbouring sentences;
  each topic costs :data:`TOPIC_COST`, and a topic that starts at a cue (below) earns
  :data:`CUE_GAIN` times its strength. Topics last at most :data:`MAX_TOPIC` seconds.
* **Edge strength** follows TextTiling (M. A. Hearst, "TextTiling: Segmenting Text into
  Multi-paragraph Subtopic Passages", Computational Linguistics 23(1), 1997): at each gap,
  a block of about 30 and one of 60 words before it are compared with the same after it
  (cosine), and the gap's *depth* (how far the similarity dips there below the peaks on
  either side) measures how much the vocabulary changes. Spoken transcripts have no
  paragraphs: blocks are whole sentences.

The cues besides the words: a long pause, a cut in the picture, a sentence after the gap that
opens like a hook ("here is...", a question) and one before it that closes like an ending (a
call to action, a payoff): cue phrases that tend to open and close segments (Passonneau and
Litman, "Discourse Segmentation by Human and Automated Means", Computational Linguistics
23(1), 1997).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from creator_tools.clips.lexicon import STOPWORDS, words_of
from creator_tools.clips.sentences import Sentence

#: Words in a block on each side of a gap (several sizes, averaged).
BLOCK_WORDS = (30, 60)
#: Weights of the cues in an edge's strength (they sum to 1).
EDGE_WEIGHTS = {"lexical": 0.6, "pause": 0.15, "cut": 0.1, "closing": 0.15}
#: Weights of the cues that a topic starting at a gap earns (they sum to 1).
CUE_WEIGHTS = {"opening": 0.5, "closing": 0.3, "pause": 0.2}
#: What each topic costs, and what starting it at a full cue earns, in units of the source's
#: typical similarity of neighbouring sentences (per sentence).
TOPIC_COST = 6.0
CUE_GAIN = 6.0
#: Longest topic, seconds.
MAX_TOPIC = 200.0
#: A pause this much longer than the source's typical pause between sentences is a full
#: pause cue, seconds.
PAUSE_SPAN = 1.0
#: A cut this close to a gap (seconds) counts for it.
CUT_REACH = 0.5


@dataclass(frozen=True, slots=True)
class Boundaries:
    """Per gap ``k`` (between sentence ``k`` and ``k + 1``): its ``strength`` as a topic's
    edge (0..1), its TextTiling depth alone (``lexical``), and whether it separates two
    topics (``topic``)."""

    strength: np.ndarray
    lexical: np.ndarray
    topic: np.ndarray

    def topics(self, n: int) -> list[tuple[int, int]]:
        """The topics as ``(first, last)`` sentence indices, of ``n`` sentences."""
        out, first = [], 0
        for k in np.flatnonzero(self.topic):
            out.append((first, int(k)))
            first = int(k) + 1
        if n:
            out.append((first, n - 1))
        return out


def content_stems(text: str) -> list[str]:
    """The Snowball stems of ``text``'s content words (no stop words, no one-letter words)."""
    from creator_tools.text import stem

    return [stem(w) for w in words_of(text) if w not in STOPWORDS and len(w) > 2]


def sentence_vectors(sentences: Sequence[Sentence]) -> object:
    """The sentences' TF-IDF vectors over content stems, unit length (a zero row for a
    sentence without content words): a sparse matrix, one row per sentence."""
    from scipy.sparse import csr_matrix

    n = len(sentences)
    bags = [Counter(content_stems(s.text)) for s in sentences]
    df = Counter(t for b in bags for t in b)
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
    vocab = {t: i for i, t in enumerate(df)}
    rows, cols, vals = [], [], []
    for i, b in enumerate(bags):
        w = {t: c * idf[t] for t, c in b.items()}
        norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
        for t, v in w.items():
            rows.append(i)
            cols.append(vocab[t])
            vals.append(v / norm)
    return csr_matrix((vals, (rows, cols)), shape=(n, max(1, len(vocab))), dtype=np.float64)


def lexical_depth(sentences: Sequence[Sentence], vectors: object | None = None) -> np.ndarray:
    """TextTiling depth scores (0..1, normalized by the largest) of the ``len - 1`` gaps."""
    n = len(sentences)
    if n < 2:
        return np.zeros(max(0, n - 1))
    m = vectors if vectors is not None else sentence_vectors(sentences)
    words = np.concatenate([[0], np.cumsum([max(1, len(words_of(s.text)))
                                            for s in sentences])])
    sims = np.zeros(n - 1)
    for size in BLOCK_WORDS:
        for g in range(1, n):
            a = int(np.searchsorted(words, words[g] - size, side="right")) - 1
            b = int(np.searchsorted(words, words[g] + size, side="left"))
            a, b = max(0, min(a, g - 1)), min(n, max(b, g + 1))
            left = np.asarray(m[a:g].sum(axis=0)).ravel()  # type: ignore[index]
            right = np.asarray(m[g:b].sum(axis=0)).ravel()  # type: ignore[index]
            norm = float(np.linalg.norm(left) * np.linalg.norm(right))
            sims[g - 1] += float(left @ right) / norm if norm > 0 else 0.0
    sims /= len(BLOCK_WORDS)
    depth = _depth(sims)
    top = float(depth.max()) if depth.size else 0.0
    return depth / top if top > 0 else depth


def _depth(score: np.ndarray) -> np.ndarray:
    """Hearst's depth: for each point, the climb to the highest point reached going left while
    the curve rises, plus the same to the right."""
    n = score.size
    out = np.zeros(n)
    for i in range(n):
        lo = i
        while lo > 0 and score[lo - 1] >= score[lo]:
            lo -= 1
        hi = i
        while hi < n - 1 and score[hi + 1] >= score[hi]:
            hi += 1
        out[i] = (score[lo] - score[i]) + (score[hi] - score[i])
    return out


def boundaries(sentences: Sequence[Sentence], *, cuts: Sequence[float],
               openings: Sequence[float], closings: Sequence[float],
               breaks: Sequence[bool] = ()) -> Boundaries:
    """The topics of ``sentences`` and the edge strength of every gap between them.

    ``openings`` is each sentence's hook strength and ``closings`` its ending strength (a
    call to action or a payoff), 0..1. ``breaks`` marks gaps that always separate topics (a
    greeting or a sign-off on one side).
    """
    n = len(sentences)
    if n < 2:
        empty = np.zeros(0)
        return Boundaries(empty, empty, np.zeros(0, dtype=bool))
    vectors = sentence_vectors(sentences)
    lexical = lexical_depth(sentences, vectors)
    pauses = np.array([sentences[k + 1].start - sentences[k].end for k in range(n - 1)])
    pause = np.clip((pauses - np.median(pauses)) / PAUSE_SPAN, 0.0, 1.0)
    cut_times = np.asarray(sorted(cuts), dtype=np.float64)
    cut = np.zeros(n - 1)
    for k in range(n - 1):
        a, b = sentences[k].end - CUT_REACH, sentences[k + 1].start + CUT_REACH
        i = np.searchsorted(cut_times, a)
        cut[k] = 1.0 if i < cut_times.size and cut_times[i] <= b else 0.0
    opening = np.clip(np.asarray(openings[1:], dtype=np.float64), 0.0, 1.0)
    closing = np.clip(np.asarray(closings[:-1], dtype=np.float64), 0.0, 1.0)
    strength = (EDGE_WEIGHTS["lexical"] * lexical + EDGE_WEIGHTS["pause"] * pause
                + EDGE_WEIGHTS["cut"] * cut + EDGE_WEIGHTS["closing"] * closing)
    cue = (CUE_WEIGHTS["opening"] * opening + CUE_WEIGHTS["closing"] * closing
           + CUE_WEIGHTS["pause"] * pause)
    forced = np.zeros(n - 1, dtype=bool)
    if len(breaks):
        forced[:] = np.asarray(breaks, dtype=bool)[: n - 1]
    topic = segment(sentences, vectors, cue, forced)
    return Boundaries(strength, lexical, topic)


def segment(sentences: Sequence[Sentence], vectors: object, cue: np.ndarray,
            forced: np.ndarray) -> np.ndarray:
    """The topic boundaries (per gap) that maximize the cohesion score of the module's
    docstring; ``forced`` gaps are always boundaries."""
    n = len(sentences)
    starts = np.array([s.start for s in sentences])
    ends = np.array([s.end for s in sentences])
    first = np.searchsorted(starts, ends - MAX_TOPIC, side="left")  # of a topic ending at k
    width = max(1, min(n - 1, int((np.arange(1, n + 1) - first).max())))
    band = _band(vectors, n, width)  # band[k, d - 1]: similarity of sentences k and k + d
    near = band[:, : min(5, width)]
    typical = max(float(near[: max(1, n - 1)].mean()) if near.size else 0.0, 1e-3)
    reach = np.cumsum(band, axis=1)  # reach[k, j]: similarity of k with k+1 .. k+1+j
    best = np.full(n + 1, -np.inf)
    best[0] = 0.0
    back = np.zeros(n + 1, dtype=int)
    for b in range(1, n + 1):
        pairs = 0.0  # similarity summed over the pairs of sentences a .. b-1
        for a in range(b - 1, -1, -1):
            if b - 1 > a:
                pairs += reach[a, b - a - 2] if b - a - 2 < width else reach[a, -1]
            if ends[b - 1] - starts[a] > MAX_TOPIC and b - a > 1:
                break
            score = 2.0 * pairs / (b - a) / typical - TOPIC_COST
            if a > 0:
                score += CUE_GAIN * cue[a - 1]
            if best[a] + score > best[b]:
                best[b], back[b] = best[a] + score, a
            if a > 0 and forced[a - 1]:
                break  # a topic never spans a forced boundary
    topic = np.zeros(n - 1, dtype=bool)
    b = n
    while b > 0:
        a = int(back[b])
        if a > 0:
            topic[a - 1] = True
        b = a
    return topic | forced


def _band(vectors: object, n: int, width: int) -> np.ndarray:
    """Cosine similarities of each sentence with the ``width`` after it: ``(n, width)``."""
    band = np.zeros((n, max(1, width)))
    for d in range(1, width + 1):
        sim = vectors[: n - d].multiply(vectors[d:]).sum(axis=1)  # type: ignore[index]
        band[: n - d, d - 1] = np.asarray(sim).ravel()
    return band
