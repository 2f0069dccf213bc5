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
