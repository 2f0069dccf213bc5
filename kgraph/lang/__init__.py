"""Language packs: all the words of a language kgraph reads live in kgraph/lang/<code>/ (see README.md there)."""

from kgraph.lang.files import PackFiles, available_languages
from kgraph.lang.lexicon import KnownEntity, Lexicon
from kgraph.lang.pack import DEFAULT_LANGUAGE, DateWords, LanguagePack, language_of_model, load_language, read_language

__all__ = [
    "DEFAULT_LANGUAGE",
    "DateWords",
    "KnownEntity",
    "LanguagePack",
    "Lexicon",
    "PackFiles",
    "available_languages",
    "language_of_model",
    "load_language",
    "read_language",
]
