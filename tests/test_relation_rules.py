"""The relation rules on hand-built parses (no model): one test per construction the rules handle.

Each sentence is written as a table — word, lemma, part of speech, dependency, head index, entity (IOB with
spaCy's French labels), morphology — and turned into a `spacy.tokens.Doc` the way spaCy tests its own
matchers; entities then go through kgraph's own entity stage, so only the parse is given by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kgraph.extract import extract_document
from kgraph.models import Document
from kgraph.patterns import load_patterns
from tests.graph_helpers import DATA

spacy = pytest.importorskip("spacy")
_VOCAB = spacy.blank("fr").vocab
_NO_SPACE_BEFORE = {",", ".", ")"}


def parse(table: str):
    """A Doc from rows "word lemma POS dep head entity morphology" (`_` for no morphology)."""
    from spacy.tokens import Doc

    rows = [line.split() for line in table.strip().splitlines()]
    words = [r[0] for r in rows]
    spaces = [
        not (w.endswith("'") or (i + 1 < len(words) and words[i + 1] in _NO_SPACE_BEFORE)) for i, w in enumerate(words)
    ]
    spaces[-1] = False
    return Doc(
        _VOCAB,
        words=words,
        spaces=spaces,
        lemmas=[r[1] for r in rows],
        pos=[r[2] for r in rows],
        deps=[r[3] for r in rows],
        heads=[int(r[4]) for r in rows],
        ents=[r[5] for r in rows],
        morphs=["" if r[6] == "_" else r[6] for r in rows],
    )


def edges(table: str, patterns_file: Path | None = None) -> set[tuple[str, str, str, str, str]]:
    """(source, relation, target, polarity, certainty) of every relation the rules find in the sentence."""
    doc = parse(table)
    patterns = load_patterns("fr", patterns_file)
    record = extract_document(doc, Document(id="t", text=doc.text), patterns=patterns)
    names = {e.key: e.name for e in record.entities}
    return {(names[r.source], r.relation, names[r.target], r.polarity, r.certainty) for r in record.relations}


def triples(found: set[tuple[str, str, str, str, str]]) -> set[tuple[str, str, str]]:
    return {(s, r, t) for s, r, t, _p, _c in found}


PART = "Tense=Past|VerbForm=Part"
FIN = "Mood=Ind|Tense=Pres|VerbForm=Fin"


def test_a_title_before_the_name_gives_the_role_and_the_name_is_the_agent():
    found = triples(
        edges(f"""
        Le            le           DET   det        1 O     _
        ministre      ministre     NOUN  nsubj      6 O     _
        indien        indien       ADJ   amod       1 O     _
        Subrahmanyam  Subrahmanyam PROPN appos      1 B-PER _
        Jaishankar    Jaishankar   PROPN flat:name  3 I-PER _
        est           être         AUX   aux:tense  6 O     {FIN}
        arrivé        arriver      VERB  ROOT       6 O     {PART}
        à             à            ADP   case       8 O     _
        Pékin         Pékin        PROPN obl:arg    6 B-LOC _
        .             .            PUNCT punct      6 O     _
        """)
    )
    assert ("Subrahmanyam Jaishankar", "role", "Inde") in found
    assert ("Subrahmanyam Jaishankar", "visit", "Pékin") in found


def test_a_title_after_the_name_gives_the_role():
    found = triples(
        edges(f"""
        Jensen     Jensen     PROPN nsubj      8 B-PER _
        Huang      Huang      PROPN flat:name  0 I-PER _
        ,          ,          PUNCT punct      3 O     _
        fondateur  fondateur  NOUN  appos      0 O     _
        de         de         ADP   case       5 O     _
        Nvidia     Nvidia     PROPN nmod       3 B-ORG _
        ,          ,          PUNCT punct      3 O     _
        a          avoir      AUX   aux:tense  8 O     {FIN}
        présenté   présenter  VERB  ROOT       8 O     {PART}
        ses        son        DET   det       10 O     _
        puces      puce       NOUN  obj        8 O     _
        .          .          PUNCT punct      8 O     _
        """)
    )
    assert ("Jensen Huang", "role", "Nvidia") in found


def test_the_agent_of_a_passive_is_the_par_complement_not_the_subject():
    found = triples(
        edges(f"""
        Fumio    Fumio     PROPN nsubj:pass 4 B-PER _
        Kishida  Kishida   PROPN flat:name  0 I-PER _
        a        avoir     AUX   aux:tense  4 O     {FIN}
        été      être      AUX   aux:pass   4 O     {PART}
        reçu     recevoir  VERB  ROOT       4 O     {PART}|Voice=Pass
        par      par       ADP   case       6 O     _
        Joe      Joe       PROPN obl:agent  4 B-PER _
        Biden    Biden     PROPN flat:name  6 I-PER _
        .        .         PUNCT punct      4 O     _
        """)
    )
    assert ("Joe Biden", "meeting", "Fumio Kishida") in found
    assert ("Fumio Kishida", "meeting", "Joe Biden") not in found


def test_coordinated_subjects_pair_up_and_do_not_leak_into_the_next_clause():
    found = triples(
        edges(f"""
        Madrid    Madrid    PROPN nsubj      4 B-LOC _
        et        et        CCONJ cc         2 O     _
        Lisbonne  Lisbonne  PROPN conj       0 B-LOC _
        ont       avoir     AUX   aux:tense  4 O     {FIN}
        signé     signer    VERB  ROOT       4 O     {PART}
        un        un        DET   det        6 O     _
        accord    accord    NOUN  obj        4 O     _
        et        et        CCONJ cc        11 O     _
        le        le        DET   det        9 O     _
        Maroc     Maroc     PROPN nsubj     11 B-LOC _
        a         avoir     AUX   aux:tense 11 O     {FIN}
        envoyé    envoyer   VERB  conj       4 O     {PART}
        des       un        DET   det       13 O     _
        soldats   soldat    NOUN  obj       11 O     _
        .         .         PUNCT punct      4 O     _
        """)
    )
    assert ("Espagne", "agreement", "Portugal") in found or ("Portugal", "agreement", "Espagne") in found
    assert not {t for t in found if "Maroc" in (t[0], t[2]) and t[1] == "agreement"}


def test_an_inverted_reporting_verb_names_the_source_of_the_sentence():
    found = edges(f"""
        Le           le           DET   det        1 O     _
        Japon        Japon        PROPN nsubj      3 B-LOC _
        a            avoir        AUX   aux:tense  3 O     {FIN}
        fourni       fournir      VERB  ROOT       3 O     {PART}
        des          un           DET   det        5 O     _
        radars       radar        NOUN  obj        3 O     _
        aux          à            ADP   case       7 O     _
        Philippines  Philippines  PROPN obl:arg    3 B-LOC _
        ,            ,            PUNCT punct     10 O     _
        a            avoir        AUX   aux:tense 10 O     {FIN}
        rapporté     rapporter    VERB  conj       3 O     {PART}
        Kyodo        Kyodo        PROPN nsubj     10 B-ORG _
        .            .            PUNCT punct      3 O     _
        """)
    assert ("Japon", "supply", "Philippines") in triples(found)
    assert ("Kyodo", "reports", "Japon") in triples(found)


def test_selon_names_the_source_and_makes_the_fact_reported():
    found = edges(f"""
        Selon    selon    ADP   case       1 O     _
        Reuters  Reuters  PROPN obl:mod    6 B-ORG _
        ,        ,        PUNCT punct      1 O     _
        la       le       DET   det        4 O     _
        Pologne  Pologne  PROPN nsubj      6 B-LOC _
        a        avoir    AUX   aux:tense  6 O     {FIN}
        livré    livrer   VERB  ROOT       6 O     {PART}
        des      un       DET   det        8 O     _
        chars    char     NOUN  obj        6 O     _
        à        à        ADP   case      11 O     _
        l'       le       DET   det       11 O     _
        Ukraine  Ukraine  PROPN obl:arg    6 B-LOC _
        .        .        PUNCT punct      6 O     _
        """)
    assert ("Pologne", "supply", "Ukraine", "positive", "reported") in found
    assert ("Reuters", "reports", "Pologne") in triples(found)


def test_a_place_in_apposition_is_located_in_the_place_after_it():
    found = triples(
        edges(f"""
        Des      un       DET   det        1 O     _
        drones   drone    NOUN  nsubj      3 O     _
        ont      avoir    AUX   aux:tense  3 O     {FIN}
        frappé   frapper  VERB  ROOT       3 O     {PART}
        Odessa   Odessa   PROPN obj        3 B-LOC _
        ,        ,        PUNCT punct      8 O     _
        dans     dans     ADP   case       8 O     _
        le       le       DET   det        8 O     _
        sud      sud      NOUN  nmod       4 O     _
        de       de       ADP   case      11 O     _
        l'       le       DET   det       11 O     _
        Ukraine  Ukraine  PROPN nmod       8 B-LOC _
        .        .        PUNCT punct      3 O     _
        """)
    )
    assert ("Odessa", "located_in", "Ukraine") in found


def test_a_negated_verb_gives_a_negative_relation():
    found = edges(f"""
        La       le       DET   det        1 O     _
        Hongrie  Hongrie  PROPN nsubj      5 B-LOC _
        n'       ne       ADV   advmod     5 O     Polarity=Neg
        a        avoir    AUX   aux:tense  5 O     {FIN}
        pas      pas      ADV   advmod     5 O     Polarity=Neg
        signé    signer   VERB  ROOT       5 O     {PART}
        l'       le       DET   det        7 O     _
        accord   accord   NOUN  obj        5 O     _
        avec     avec     ADP   case      10 O     _
        la       le       DET   det       10 O     _
        Serbie   Serbie   PROPN obl:arg    5 B-LOC _
        .        .        PUNCT punct      5 O     _
        """)
    assert ("Hongrie", "agreement", "Serbie", "negative", "asserted") in found


def test_a_city_where_people_meet_is_the_place_of_the_meeting_not_an_actor():
    doc = parse(f"""
        Le         le         DET   det        1 O     _
        président  président  NOUN  nsubj      4 O     _
        Lula       Lula       PROPN appos      1 B-PER _
        a          avoir      AUX   aux:tense  4 O     {FIN}
        reçu       recevoir   VERB  ROOT       4 O     {PART}
        Olaf       Olaf       PROPN obj        4 B-PER _
        Scholz     Scholz     PROPN flat:name  5 I-PER _
        à          à          ADP   case       8 O     _
        Brasilia   Brasilia   PROPN obl:mod    4 B-LOC _
        .          .          PUNCT punct      4 O     _
        """)
    record = extract_document(doc, Document(id="t", text=doc.text), patterns=load_patterns("fr"))
    names = {e.key: e.name for e in record.entities}
    meetings = [r for r in record.relations if r.relation == "meeting"]
    assert [(names[r.source], names[r.target]) for r in meetings] == [("Lula", "Olaf Scholz")]
    assert names[meetings[0].place] == "Brasilia"
    assert not [r for r in record.relations if names[r.source] in ("Brasilia", "Brésil")]
    # the guest received in a city visits it: the city is a place there too, never a party
    assert [(names[r.source], r.relation) for r in record.relations if names[r.target] == "Brasilia"] == [
        ("Olaf Scholz", "visit")
    ]


SANCTION = f"""
    Les          le           DET   det        1 O     _
    États-Unis   États-Unis   PROPN nsubj      3 B-LOC _
    ont          avoir        AUX   aux:tense  3 O     {FIN}
    sanctionné   sanctionner  VERB  ROOT       3 O     {PART}
    VTB          VTB          PROPN obj        3 B-ORG _
    .            .            PUNCT punct      3 O     _
    """


def test_a_user_type_claiming_a_builtin_trigger_replaces_it_instead_of_adding_a_parallel_edge():
    assert triples(edges(SANCTION)) == {("États-Unis", "opposition", "VTB")}
    assert triples(edges(SANCTION, DATA / "sanctions-patterns.json")) == {("États-Unis", "sanctions", "VTB")}


def _language_folder(tmp_path: Path, monkeypatch, **files: str) -> None:
    """A package root whose lang/xx/ holds the given files (the French ones for the others)."""
    from kgraph.lang import files as pack_files
    from kgraph.lang import grammar

    french = Path(grammar.__file__).parent / "fr"
    folder = tmp_path / "lang" / "xx"
    folder.mkdir(parents=True)
    for name in ("grammar.json", "labels.json", "dependencies.json"):
        (folder / name).write_text(files.get(name, (french / name).read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setattr(pack_files.resources, "files", lambda _package: tmp_path)
    grammar.load_grammar.cache_clear()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"grammar.json": "{not json"}, "kgraph/lang/xx/grammar.json: invalid JSON at line 1"),
        ({"grammar.json": '{"clause_breaks": [";"]}'}, "lang/xx/grammar.json: missing key 'coordination'"),
        ({"dependencies.json": '{"subject": "nsubj"}'}, "lang/xx/dependencies.json: 'subject' must be a list"),
        ({"dependencies.json": '{"subjcet": ["nsubj"]}'}, "lang/xx/dependencies.json: unknown key 'subjcet'"),
        ({"labels.json": '{"cooccurrence": ""}'}, "lang/xx/labels.json: the label of 'cooccurrence' must be"),
    ],
)
def test_a_malformed_grammar_file_is_an_error_naming_the_file_and_the_problem(tmp_path, monkeypatch, files, message):
    from kgraph.errors import LanguageError
    from kgraph.lang.grammar import load_grammar

    _language_folder(tmp_path, monkeypatch, **files)
    try:
        with pytest.raises(LanguageError, match=re.escape(message)):
            load_grammar("xx")
    finally:
        load_grammar.cache_clear()


def test_a_language_without_grammar_files_is_an_error():
    from kgraph.errors import LanguageError
    from kgraph.lang.grammar import load_grammar

    with pytest.raises(LanguageError, match=re.escape("no language pack 'xx' in kgraph/lang/")):
        load_grammar("xx")


def test_a_language_folder_missing_its_grammar_file_is_an_error_naming_it(tmp_path, monkeypatch):
    from kgraph.errors import LanguageError
    from kgraph.lang.grammar import load_grammar

    _language_folder(tmp_path, monkeypatch)
    (tmp_path / "lang" / "xx" / "dependencies.json").unlink()
    try:
        with pytest.raises(LanguageError, match=re.escape("kgraph/lang/xx/dependencies.json: file missing")):
            load_grammar("xx")
    finally:
        load_grammar.cache_clear()


def _condemnation(noun: str) -> set[tuple[str, str, str]]:
    return triples(
        edges(f"""
        La         le         DET   det    1 O     _
        France     France     PROPN nsubj  2 B-LOC _
        condamne   condamner  VERB  ROOT   2 O     {FIN}
        la         le         DET   det    4 O     _
        {noun}     {noun}     NOUN  obj    2 O     _
        de         de         ADP   case   6 O     _
        Moscou     Moscou     PROPN nmod   4 B-LOC _
        .          .          PUNCT punct  2 O     _
        """)
    )


def test_condemning_the_stance_of_an_actor_opposes_that_actor():
    assert ("France", "opposition", "Russie") in _condemnation("politique")


def test_condemning_a_thing_that_is_no_act_of_its_de_complement_opposes_no_one():
    assert not {t for t in _condemnation("pluie") if t[1] == "opposition"}


def test_a_subject_pronoun_under_the_main_verb_is_that_verb_s_subject_not_the_previous_sentence_s():
    found = triples(
        edges(f"""
        Jean        Jean        PROPN nsubj      3 B-PER _
        Dupont      Dupont      PROPN flat:name  0 I-PER _
        a           avoir       AUX   aux:tense  3 O     {FIN}
        parlé       parler      VERB  ROOT       3 O     {PART}
        .           .           PUNCT punct      3 O     _
        L'          le          DET   det        6 O     _
        armée       armée       NOUN  nsubj      9 O     _
        colombienne colombien   ADJ   amod       6 O     _
        a           avoir       AUX   aux:tense  9 O     {FIN}
        annoncé     annoncer    VERB  ROOT       9 O     {PART}
        qu'         que         SCONJ mark      13 O     _
        elle        elle        PRON  nsubj     13 O     Gender=Fem|Number=Sing|Person=3
        avait       avoir       AUX   aux:tense 13 O     {FIN}
        tué         tuer        VERB  ccomp      9 O     {PART}
        Ahmed       Ahmed       PROPN obj       13 B-PER _
        Karimi      Karimi      PROPN flat:name 14 I-PER _
        .           .           PUNCT punct      9 O     _
        """)
    )
    assert ("Colombie", "conflict", "Ahmed Karimi") in found
    assert ("Jean Dupont", "conflict", "Ahmed Karimi") not in found


def test_a_personal_il_the_parse_labels_expletive_is_still_the_traveller():
    table = f"""
        Subrahmanyam  Subrahmanyam PROPN nsubj      2 B-PER _
        Jaishankar    Jaishankar   PROPN flat:name  0 I-PER _
        poursuit      poursuivre   VERB  ROOT       2 O     {FIN}
        sa            son          DET   det        4 O     _
        tournée       tournée      NOUN  obj        2 O     _
        .             .            PUNCT punct      2 O     _
        Il            il           PRON  {{dep}}     8 O     Person=3
        est           être         AUX   aux:tense  8 O     {FIN}
        arrivé        arriver      VERB  ROOT       8 O     {PART}
        à             à            ADP   case      10 O     _
        Pékin         Pékin        PROPN obl:arg    8 B-LOC _
        .             .            PUNCT punct      8 O     _
        """
    assert ("Subrahmanyam Jaishankar", "visit", "Pékin") in triples(edges(table.format(dep="expl:subj")))
    assert ("Subrahmanyam Jaishankar", "visit", "Pékin") in triples(edges(table.format(dep="nsubj")))


def test_a_participle_the_tagger_calls_a_noun_still_triggers_its_verb_patterns():
    table = """
        Joe      Joe       PROPN nsubj      3 B-PER _
        Biden    Biden     PROPN flat:name  0 I-PER _
        a        avoir     AUX   aux:tense  3 O     {morph}
        reçu     recevoir  NOUN  ROOT       3 O     {part}
        Fumio    Fumio     PROPN obj        3 B-PER _
        Kishida  Kishida   PROPN flat:name  4 I-PER _
        .        .         PUNCT punct      3 O     _
        """
    found = triples(edges(table.format(morph=FIN, part=PART)))
    assert ("Joe Biden", "meeting", "Fumio Kishida") in found
    assert not triples(edges(table.format(morph=FIN, part="Gender=Masc|Number=Sing")))  # a true noun: none
