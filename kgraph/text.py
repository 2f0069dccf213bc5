"""Small text helpers shared by the stages: normalised keys and slugs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SEPARATORS = re.compile(r"[-_\s]+")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_APOSTROPHES = str.maketrans({"’": "'", "`": "'", "´": "'", "‘": "'"})


@lru_cache(maxsize=1 << 17)  # called for every token and lemma many times over: the vocabulary repeats
def fold(text: str) -> str:
    """Case- and accent-insensitive key: "Corée-du-Nord" and "coree du nord" fold alike."""
    if text.isascii():  # nothing to decompose: the same key without the per-character pass
        return " ".join(_SEPARATORS.sub(" ", text.replace("`", "'").lower()).split())
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("œ", "oe").replace("æ", "ae")
    return " ".join(_SEPARATORS.sub(" ", text).split())


def slug(text: str) -> str:
    return _NON_WORD.sub("-", fold(text)).strip("-") or "x"


def straight_apostrophes(text: str) -> str:
    """Typographic apostrophes (’ ´ ‘ `) made straight, one character for one: offsets do not move."""
    return text.translate(_APOSTROPHES)


@lru_cache(maxsize=1 << 14)  # the same names are shown again in every sentence that names them
def surface_form(text: str) -> str:
    """A name as it is shown: whitespace collapsed, control characters dropped, apostrophes made straight
    (documents.clean_text, by contrast, keeps every character's offset)."""
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    return " ".join(text.translate(_APOSTROPHES).split())
