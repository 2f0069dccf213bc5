"""What the extraction caches once per document or per process gives exactly what spaCy and the plain code give."""

from __future__ import annotations

import unicodedata

import pytest

from kgraph.extract import _forget_sentences, _index_sentences, extract_document
from kgraph.models import Document
from kgraph.patterns import load_patterns
from kgraph.text import fold

TEXT = (
    "Le ministre a rencontré mardi à Lyon son homologue allemand. M. Dupont est arrivé hier.\n\n"
    "La délégation repartira jeudi pour Berlin, a indiqué un porte-parole."
)


@pytest.mark.model
def test_indexed_sentences_are_spacys(nlp):
    doc = nlp(TEXT)
    plain_sents = [(s.start, s.end) for s in doc.sents]
    plain_of_token = [(t.sent.start, t.sent.end) for t in doc]
    plain_of_span = [(doc[i : i + 2].sent.start, doc[i : i + 2].sent.end) for i in range(len(doc) - 1)]
    _index_sentences(doc)
    assert [(s.start, s.end) for s in doc.sents] == plain_sents
    assert [(t.sent.start, t.sent.end) for t in doc] == plain_of_token
    assert [(doc[i : i + 2].sent.start, doc[i : i + 2].sent.end) for i in range(len(doc) - 1)] == plain_of_span
    assert len(plain_sents) == 3
    _forget_sentences(doc)
    assert not doc.user_hooks and not doc.user_token_hooks and not doc.user_span_hooks


@pytest.mark.model
def test_extraction_leaves_no_hook_on_the_doc(nlp):
    doc = nlp(TEXT)
    record = extract_document(doc, Document(id="d", text=TEXT), patterns=load_patterns("fr"))
    assert record.tokens == len(doc) and record.entities
    assert not doc.user_hooks and not doc.user_token_hooks and not doc.user_span_hooks


def _fold_by_characters(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(str.maketrans({"’": "'", "`": "'", "´": "'", "‘": "'"})))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("œ", "oe").replace("æ", "ae")
    return " ".join(text.replace("_", " ").replace("-", " ").split())


@pytest.mark.parametrize(
    "text",
    [
        "Corée-du-Nord",
        "coree du nord",
        "L`Elysee",
        "  A_B--c\tD\x0b",
        "MAJUSCULES",
        "x" + "".join(map(chr, range(128))),
    ],
)
def test_fold_of_ascii_text_is_the_general_fold(text):
    assert fold(text) == _fold_by_characters(text)


@pytest.mark.model
def test_compound_pieces_are_the_tokens_glued_to_a_hyphen(nlp):
    from kgraph.relations.clauses import in_compound

    doc = nlp("Un accord de libre-échange - signé hier - a été annoncé.")
    glued = [t.text for t in doc if in_compound(t)]
    assert glued == ["libre", "échange"]


def test_a_sentence_without_any_date_expression_has_no_date():
    from kgraph.dates import find_dates

    assert find_dates("Le ministre a rencontré son homologue.", "2024-05-02") == []
    assert [d.value for d in find_dates("Il est venu le 3 mars 2023, puis hier.", "2024-05-02")] == [
        "2023-03-03",
        "2024-05-01",
    ]
