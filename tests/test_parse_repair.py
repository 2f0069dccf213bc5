"""The parse repairs kgraph runs after spaCy's parser, on hand-built parses (no model) and on the pipeline."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from kgraph.pipeline import DemonymRepair

# "L'armée syrienne a pris la ville ." as the small French model parses it: the demonym is the root
MISPARSED = [
    ("L'", "DET", "det", 1),
    ("armée", "NOUN", "nsubj", 2),
    ("syrienne", "VERB", "ROOT", 2),
    ("a", "AUX", "aux:tense", 4),
    ("pris", "VERB", "advcl", 2),
    ("la", "DET", "det", 6),
    ("ville", "NOUN", "obj", 4),
    (".", "PUNCT", "punct", 2),
]


def parsed(rows: list[tuple[str, str, str, int]]) -> Doc:
    return Doc(
        spacy.blank("fr").vocab,
        words=[w for w, *_ in rows],
        spaces=[w != "L'" for w, *_ in rows],
        pos=[p for _w, p, _d, _h in rows],
        deps=[d for _w, _p, d, _h in rows],
        heads=[h for *_, h in rows],
        morphs=["Gender=Fem|Number=Sing" if w == "armée" else "" for w, *_ in rows],
    )


def test_a_demonym_parsed_as_the_root_goes_back_under_its_noun_and_the_verb_heads_the_clause():
    doc = DemonymRepair("fr")(parsed(MISPARSED))
    armee, syrienne, pris, point = doc[1], doc[2], doc[4], doc[7]
    assert (syrienne.pos_, syrienne.dep_, syrienne.head.i) == ("ADJ", "amod", armee.i)
    assert str(syrienne.morph) == "Gender=Fem|Number=Sing"
    assert (pris.dep_, pris.head.i) == ("ROOT", pris.i)
    assert (armee.dep_, armee.head.i) == ("nsubj", pris.i)
    assert point.head.i == pris.i
    assert [t.i for t in doc if t.dep_ == "ROOT"] == [pris.i]


def test_a_root_that_is_no_demonym_or_has_no_verb_under_it_is_left_as_parsed():
    doc = DemonymRepair("fr")(
        parsed(
            [
                ("L'", "DET", "det", 1),
                ("armée", "NOUN", "nsubj", 2),
                ("syrienne", "VERB", "ROOT", 2),
                (".", "PUNCT", "punct", 2),
            ]
        )
    )
    assert (doc[2].dep_, doc[2].pos_) == ("ROOT", "VERB")
    other = [
        ("L'", "DET", "det", 1),
        ("armée", "NOUN", "nsubj", 2),
        ("avance", "VERB", "ROOT", 2),
        ("et", "CCONJ", "cc", 4),
        ("gagne", "VERB", "conj", 2),
        (".", "PUNCT", "punct", 2),
    ]
    doc = DemonymRepair("fr")(parsed(other))
    assert doc[2].dep_ == "ROOT" and doc[4].head.i == 2


def test_the_pipeline_gives_the_army_of_a_demonym_its_verb(nlp):
    doc = nlp("L'armée syrienne a pris mercredi le contrôle de la ville.")
    armee = next(t for t in doc if t.text == "armée")
    assert armee.head.lemma_ == "prendre" and armee.dep_ == "nsubj"
    assert next(t for t in doc if t.text == "syrienne").head == armee
