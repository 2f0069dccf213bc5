"""The document's token table the relation rules read (`kgraph.relations.context.Tokens`) and the sentence
lookups made on it: each answers what the spaCy call it stands for answers, on a hand-built parse (no model)."""

from __future__ import annotations

import pytest

from kgraph.text import fold
from tests.test_relation_rules import parse

spacy = pytest.importorskip("spacy")

# word, lemma, part of speech, dependency, head, entity, morphology: two sentences, elisions glued to the
# next word
_ROWS = """
Le         le         DET   det    1  O  _
président  président  NOUN  nsubj  6  O  _
d'         de         ADP   case   3  O  _
Ukraine    Ukraine    PROPN nmod   1  B-LOC  _
,          ,          PUNCT punct  1  O  _
Zelensky   Zelensky   PROPN appos  1  B-PER  _
arrive     arriver    VERB  ROOT   6  O  _
.          .          PUNCT punct  6  O  _
Selon      selon      ADP   case   9  O  _
Kiev       Kiev       PROPN obl    11 B-LOC  _
,          ,          PUNCT punct  9  O  _
il         il         PRON  nsubj  12 O  _
partira    partir     VERB  ROOT   12 O  _
demain     demain     ADV   advmod 12 O  _
.          .          PUNCT punct  12 O  _
"""


@pytest.fixture(scope="module")
def doc():
    return parse(_ROWS)


@pytest.fixture(scope="module")
def sentences(doc):
    from kgraph.entities import cluster_mentions, raw_mentions
    from kgraph.lang import load_language
    from kgraph.lang.grammar import load_grammar
    from kgraph.patterns import load_patterns
    from kgraph.relations.context import Sentence, Tokens
    from kgraph.relations.memory import Memory

    patterns = load_patterns("fr")
    lexicon = load_language("fr").lexicon
    grammar = load_grammar("fr")
    ents = cluster_mentions(raw_mentions(doc, lexicon=lexicon), lexicon=lexicon)
    memory = Memory(ents, grammar)
    table = Tokens(doc)
    return [Sentence(s, ents, patterns, memory, grammar, n, tokens=table) for n, s in enumerate(doc.sents)]


def test_the_table_holds_each_token_with_its_folded_word_lemma_and_part_of_speech(doc):
    from kgraph.relations.context import Tokens

    table = Tokens(doc)
    assert [t.i for t in table.all] == list(range(len(doc)))
    assert table.words == [fold(t.text) for t in doc]
    assert table.lemmas == [fold(t.lemma_) for t in doc]
    assert table.pos == [t.pos_ for t in doc]
    assert table.doc_text == doc.text


def test_the_text_of_a_token_range_is_the_span_text(doc):
    from kgraph.relations.context import Tokens

    table = Tokens(doc)
    for start in range(len(doc) + 1):
        for end in range(len(doc) + 3):  # past the end is cut, as a span is; an empty range is ""
            assert table.text(start, end) == doc[start:end].text, (start, end)


def test_children_are_the_parse_children_made_once(doc):
    from kgraph.relations.context import Tokens

    table = Tokens(doc)
    for token in doc:
        assert [c.i for c in table.children(token)] == [c.i for c in token.children]
        assert table.children(token) is table.children(doc[token.i])


def test_a_sentence_reads_its_own_slice_of_the_table(doc, sentences):
    first, second = sentences
    assert [t.i for t in second.tokens] == list(range(second.start, second.end)) == list(range(8, 15))
    assert second.words == [fold(t.text) for t in doc[8:15]]
    assert second.lemmas == [fold(t.lemma_) for t in doc[8:15]]
    assert second.word(doc[9]) == "kiev" and second.lemma(doc[12]) == "partir"
    assert second.span_text(0, 4) == doc[0:4].text == "Le président d'Ukraine"
    assert first.doc_tokens is second.doc_tokens


def test_tokens_with_a_word_or_a_lemma_are_those_of_the_sentence_only(sentences):
    first, second = sentences
    assert [t.i for t in first.tokens_with_word({","})] == [4]
    assert [t.i for t in second.tokens_with_word({",", "selon"})] == [8, 10]
    assert [t.i for t in second.tokens_with_lemma({"partir", "arriver"})] == [12]
    assert first.tokens_with_lemma(frozenset()) == []


def test_a_sibling_shares_the_table_and_the_memory(doc, sentences):
    first, _second = sentences
    sibling = first.sibling(list(doc.sents)[1], 1)
    assert sibling.table is first.table and sibling.memory is first.memory
    assert (sibling.number, sibling.start, sibling.end) == (1, 8, 15)


def test_the_table_knows_each_token_s_sentence(doc):
    from kgraph.relations.context import Tokens

    table = Tokens(doc)
    assert [(s.start, s.end) for s in table.sents] == [(s.start, s.end) for s in doc.sents]
    assert table.sentence_start == [t.sent.start for t in doc]
    assert table.sentence_end == [t.sent.end for t in doc]


def test_the_features_of_a_token_are_those_its_morphology_lists():
    from spacy.tokens import Doc

    from kgraph.relations.context import Tokens

    morphs = [
        "Gender=Masc|Number=Sing|Person=3",
        "Mood=Cnd|Number=Sing|Tense=Pres|VerbForm=Fin",
        "",
        "PronType=Int,Rel",
    ]
    words, starts = ["il", "viendrait", ".", "qui"], [True, False, False, True]
    doc = Doc(spacy.blank("fr").vocab, words=words, morphs=morphs, sent_starts=starts)
    table = Tokens(doc)
    for token in doc:
        assert table.features(token) == set(token.morph)
    assert "VerbForm=Fin" in table.features(doc[1]) and "Mood=Cnd" in table.features(doc[1])
    assert table.features(doc[3]) >= {"PronType=Int", "PronType=Rel"}  # one feature for each value
    assert table.features(doc[2]) == frozenset()


def test_the_table_holds_each_token_s_head_and_dependency_label(doc):
    from kgraph.relations.context import Tokens

    table = Tokens(doc)
    assert table.heads == [t.head.i for t in doc]
    assert table.deps == [t.dep_ for t in doc]
    assert table.heads[6] == 6 and table.deps[6] == "ROOT"  # a root is its own head


def test_the_document_s_sentences_are_made_once_and_know_each_other(doc, sentences):
    from kgraph.relations.context import document_sentences

    first = sentences[0]
    document = document_sentences(first.table, first.ents, first.patterns, first.memory, first.grammar)
    assert [(s.number, s.start, s.end) for s in document] == [(0, 0, 8), (1, 8, 15)]
    assert all(s.document is document and s.table is first.table for s in document)
    assert [s.text for s in document] == [s.text for s in doc.sents]
    assert first.document is first.document  # a sentence made alone makes its document once
    assert [(s.start, s.end) for s in first.document] == [(0, 8), (8, 15)]


def test_a_subtree_is_the_parse_subtree_in_text_order(doc):
    from kgraph.relations.context import Tokens

    table = Tokens(doc)
    for token in doc:
        assert [t.i for t in table.subtree(token)] == [t.i for t in token.subtree]
    assert list(table.children(doc[0])) == []  # a token without children


def test_lookups_made_once_per_sentence_answer_as_the_first_time(sentences):
    first, second = sentences
    for sentence in sentences:
        for token in sentence.tokens:
            assert sentence.name_after(token) is sentence.name_after(token)
            assert sentence.preposition_before(token.i) == sentence.preposition_before(token.i)
    assert second.preposition_before(9) == "selon"  # "Selon Kiev"
    assert first.name_after(first.tokens[1]) is first.cluster_at(first.tokens[5])  # "président …, Zelensky"


def test_tokens_with_a_lemma_of_a_mapping_s_keys(sentences):
    _first, second = sentences
    assert [t.i for t in second.tokens_with_lemma({"partir": 1, "selon": 2}.keys())] == [8, 12]
    assert second.tokens_with_lemma({"arriver": 1}.keys()) == []  # a lemma of the sentence before
