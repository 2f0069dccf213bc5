"""The per-document token table the entity rules read: every column agrees with spaCy's own token attributes
(hand-built documents, no model)."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from kgraph.entities.words import Words

# (word, space after, pos, morph, sentence start)
ROWS = [
    ("Le", True, "DET", "Definite=Def|Gender=Masc|Number=Sing", True),
    ("27e", True, "ADJ", "NumType=Ord", False),
    ("bataillon", False, "NOUN", "Gender=Masc|Number=Sing", False),
    (",", True, "PUNCT", "", False),
    ("a", True, "AUX", "Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin", False),
    ("quitté", True, "VERB", "Gender=Masc|Number=Sing|Tense=Past|VerbForm=Part", False),
    ("Annecy", False, "PROPN", "", False),
    (".", True, "PUNCT", "", False),
    ("\n\n", False, "SPACE", "", False),
    ("Partir", True, "VERB", "VerbForm=Inf", True),
    ("(", False, "PUNCT", "", False),
    ("AFP", False, "PROPN", "", False),
    (")", False, "PUNCT", "", False),
    ("signe", True, "VERB", "Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin", False),
    ("1er", False, "ADJ", "Gender=Masc|Number=Sing|NumType=Ord", False),
]


@pytest.fixture(scope="module")
def doc() -> Doc:
    vocab = spacy.blank("fr").vocab
    return Doc(
        vocab,
        words=[r[0] for r in ROWS],
        spaces=[r[1] for r in ROWS],
        pos=[r[2] for r in ROWS],
        morphs=[r[3] for r in ROWS],
        lemmas=[r[0].lower() for r in ROWS],
        sent_starts=[r[4] for r in ROWS],
    )


def test_each_column_holds_the_token_attribute(doc):
    words = Words.of(doc)
    assert len(words) == len(doc)
    assert words.text == tuple(t.text for t in doc)
    assert words.lemma == tuple(t.lemma_ for t in doc)
    assert words.pos == tuple(t.pos_ for t in doc)
    assert words.idx == tuple(t.idx for t in doc)
    assert words.space_after == tuple(bool(t.whitespace_) for t in doc)
    assert words.punct == tuple(t.is_punct for t in doc)
    assert words.space == tuple(t.is_space for t in doc)
    assert words.space_tokens == tuple(t.i for t in doc if t.is_space)


def test_finite_verbs_and_ordinals_are_read_from_the_morphology(doc):
    words = Words.of(doc)
    assert [doc[i].text for i, finite in enumerate(words.finite) if finite] == ["a", "signe"]
    assert [doc[i].text for i in words.ordinals] == ["27e", "1er"]


def test_sentences_are_numbered_as_spacy_splits_them(doc):
    words = Words.of(doc)
    sentences = list(doc.sents)
    for token in doc:
        number = words.sentence(token.i)
        assert sentences[number].start <= token.i < sentences[number].end
        assert words.sentence_range(token.i) == range(sentences[number].start, sentences[number].end)


def test_a_text_is_found_at_each_of_its_tokens(doc):
    words = Words.of(doc)
    assert words.indices_of("(") == [10]
    assert words.indices_of("PUNCT") == []
    assert [doc[i].text for i in words.indices_of(")")] == [")"]


@settings(max_examples=60, deadline=None)
@given(bounds=st.tuples(st.integers(0, len(ROWS)), st.integers(0, len(ROWS))))
def test_a_span_text_is_the_text_spacy_gives_the_span(doc, bounds):
    start, end = sorted(bounds)
    assert Words.of(doc).span_text(start, end) == doc[start:end].text
