"""A language pack: every word of one language the rules read, loaded once from kgraph/lang/<code>/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kgraph.lang.files import PackFiles, builtin_pack, int_map, strings
from kgraph.lang.grammar import Grammar, load_grammar
from kgraph.lang.lexicon import Lexicon, read_lexicon
from kgraph.text import fold

DEFAULT_LANGUAGE = "fr"

# the relative date expressions, each a list of phrases in dates.json, and what they resolve to
RELATIVE_DATES = ("last_year", "this_year", "next_year", "last_month", "yesterday", "today")


@dataclass(frozen=True, slots=True)
class DateWords:
    """Date words of a language, written as they appear in folded text (lowercase, no accents)."""

    months: dict[str, int]  # month name -> 1..12
    weekdays: dict[str, int]  # weekday name -> 0 (Monday)..6
    ordinal_suffixes: tuple[str, ...]  # "1er"
    seasons: tuple[str, ...]  # "printemps 2024" -> 2024
    year_cues: tuple[str, ...]  # "depuis 2020", "fin 2024"
    month_cues: tuple[str, ...]  # "en mars", "courant avril" -> month of the document's year
    deadline_cues: tuple[str, ...]  # "d'ici 2035", "à l'horizon 2030": a deadline, not when something happened
    relative: dict[str, tuple[str, ...]]  # RELATIVE_DATES name -> phrases ("hier", "l'an dernier")


@dataclass(frozen=True, slots=True)
class LanguagePack:
    """Everything kgraph knows of one language, read from kgraph/lang/<code>/."""

    code: str
    lexicon: Lexicon  # entity knowledge: gazetteers, titles, junk, words around a mention
    dates: DateWords  # dates.json
    abbreviations: frozenset[str]  # sentences.json: "etc.", "cf.": a full stop after them ends no sentence

    # The relation engine's words, read from the same folder by their own cached loader so that building a
    # pipeline for entities alone does not read them. The relation patterns (patterns.json) are read by
    # kgraph.patterns.load_patterns, which checks them against the relation engine's role registry and adds
    # a user's --patterns file.
    @property
    def grammar(self) -> Grammar:
        """grammar.json, labels.json, dependencies.json: the words and labels the relation rules read."""
        return load_grammar(self.code)


def _date_words(files: PackFiles) -> DateWords:
    data, place = files.read_json("dates.json"), files.where("dates.json")

    def phrases(key: str) -> tuple[str, ...]:
        return tuple(strings(data, key, place))

    return DateWords(
        months=int_map(data, "months", place),
        weekdays=int_map(data, "weekdays", place),
        ordinal_suffixes=phrases("ordinal_suffixes"),
        seasons=phrases("seasons"),
        year_cues=phrases("year_cues"),
        month_cues=phrases("month_cues"),
        deadline_cues=phrases("deadline_cues"),
        relative={key: phrases(key) for key in RELATIVE_DATES},
    )


@cache
def load_language(code: str = DEFAULT_LANGUAGE) -> LanguagePack:
    """The language pack kgraph ships for `code`, read once per process. LanguageError (naming the file and
    the problem) when the pack, one of its files or one of their keys is missing or malformed."""
    return read_language(builtin_pack(code))


def read_language(files: PackFiles) -> LanguagePack:
    """Read a language pack's folder (uncached; `load_language` is the cached entry point)."""
    sentences = files.read_json("sentences.json")
    abbreviations = strings(sentences, "abbreviations", files.where("sentences.json"))
    return LanguagePack(
        code=files.code,
        lexicon=read_lexicon(files),
        dates=_date_words(files),
        abbreviations=frozenset(fold(w) for w in abbreviations),
    )


def language_of_model(model: str) -> str:
    """The language code of a spaCy pipeline's name or id: "fr_core_news_sm 3.8.0" -> "fr" (spaCy names
    its pipelines `<lang>_<name>`); DEFAULT_LANGUAGE for a name without that prefix."""
    code, separator, _ = model.partition("_")
    return code if separator and code else DEFAULT_LANGUAGE
