"""Suggest offers for needs: shared tags plus TF-IDF similarity of their words.

Small on purpose: a platform has tens or hundreds of open intents, so one dense matrix
product does the whole comparison, and every suggestion can say why it was made (the
tags both sides share and the words that weighed most in the similarity).
"""

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

TAG_WEIGHT = 0.6
TEXT_WEIGHT = 0.4
THRESHOLD = 0.12
SHOWN_WORDS = 4

STOPWORDS = frozenset(
    """
    a an and are as at be by can for from have help i in is it me my need needs of on or our
    the to we with you your who want would some any looking this that will
    au aux avec ce ces dans de des du elle en et est il je la le les leur ma mes mon ne nous
    ou par pas pour qui que sa se ses son sur un une vous besoin aide aider cherche peux
    """.split()
)
WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


@dataclass(frozen=True)
class Doc:
    """What the matcher reads of an intent."""

    key: int
    owner: int
    text: str
    tags: frozenset[str]


@dataclass(frozen=True)
class Suggestion:
    need: int
    offer: int
    score: float
    shared_tags: tuple[str, ...]
    shared_words: tuple[str, ...]


def fold(word: str) -> str:
    """Lower case, no accents, a crude plural strip: "Financements" and "financement" meet."""
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(c for c in word if not unicodedata.combining(c))
    return word[:-1] if len(word) > 4 and word.endswith("s") else word


def tokens(text: str) -> list[str]:
    return [w for w in (fold(m) for m in WORD.findall(text)) if w not in STOPWORDS]


def tfidf(docs: list[Doc]) -> tuple[np.ndarray, list[str]]:
    """Rows: L2-normalised TF-IDF vectors (tags count as words too); and the vocabulary."""
    bags = [tokens(d.text) + [fold(t) for t in d.tags] for d in docs]
    vocabulary = sorted({w for bag in bags for w in bag})
    index = {w: i for i, w in enumerate(vocabulary)}
    counts = np.zeros((len(docs), len(vocabulary)))
    for row, bag in enumerate(bags):
        for word in bag:
            counts[row, index[word]] += 1
    document_frequency = (counts > 0).sum(axis=0)
    idf = np.log((1 + len(docs)) / (1 + document_frequency)) + 1
    weights = counts * idf
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    return np.divide(weights, norms, out=np.zeros_like(weights), where=norms > 0), vocabulary


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def suggest(needs: list[Doc], offers: list[Doc], threshold: float = THRESHOLD) -> list[Suggestion]:
    """Every (need, offer) pair of different owners scoring at least `threshold`, best first."""
    if not needs or not offers:
        return []
    vectors, vocabulary = tfidf(needs + offers)
    surface = _surface_forms(needs + offers)
    need_vectors, offer_vectors = vectors[: len(needs)], vectors[len(needs) :]
    similarity = need_vectors @ offer_vectors.T
    found = []
    for i, need in enumerate(needs):
        for j, offer in enumerate(offers):
            if need.owner == offer.owner:
                continue
            tag_score = jaccard(need.tags, offer.tags)
            score = TAG_WEIGHT * tag_score + TEXT_WEIGHT * float(similarity[i, j])
            if score >= threshold and not math.isnan(score):
                found.append(
                    Suggestion(
                        need.key,
                        offer.key,
                        round(score, 4),
                        tuple(sorted(need.tags & offer.tags)),
                        tuple(
                            surface.get(w, w)
                            for w in _top_words(
                                need_vectors[i] * offer_vectors[j],
                                vocabulary,
                                {fold(t) for t in need.tags & offer.tags},
                            )
                        ),
                    )
                )
    return sorted(found, key=lambda s: (-s.score, s.need, s.offer))


def _surface_forms(docs: list[Doc]) -> dict[str, str]:
    """A readable spelling of each folded word, as first written ("coopérative")."""
    forms: dict[str, str] = {}
    for doc in docs:
        for word in WORD.findall(doc.text):
            forms.setdefault(fold(word), word.lower())
    return forms


def _top_words(products: np.ndarray, vocabulary: list[str], skip: set[str]) -> tuple[str, ...]:
    """The words that weigh most in the similarity, leaving out tags already named."""
    order = np.argsort(-products, kind="stable")
    words = [vocabulary[k] for k in order if products[k] > 0 and vocabulary[k] not in skip]
    return tuple(words[:SHOWN_WORDS])
