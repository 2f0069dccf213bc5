"""The token attributes of one parsed document, read once: rules that scan every token look them up by index
instead of building a spaCy `Token` for each `doc[i]` (every access builds a new one)."""

from __future__ import annotations

import bisect
import contextlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy
    from spacy.tokens import Doc
    from spacy.vocab import Vocab


@dataclass(frozen=True, slots=True)
class Words:
    """Per-token attributes of a document, indexed like its tokens."""

    doc: Doc
    text: tuple[str, ...]
    idx: tuple[int, ...]  # character offset of each token in the text
    lemma: tuple[str, ...]
    pos: tuple[str, ...]
    space_after: tuple[bool, ...]  # the token is followed by a space (`Token.whitespace_`)
    punct: tuple[bool, ...]
    space: tuple[bool, ...]  # a whitespace token
    space_tokens: tuple[int, ...]  # the indices of the whitespace tokens, in order
    finite: tuple[bool, ...]  # a finite verb or auxiliary ("signe", "a"), not an infinitive or a participle
    ordinals: tuple[int, ...]  # the indices of the ordinal numbers ("27e", "3e"), in order
    sentence_starts: tuple[int, ...]

    @classmethod
    def of(cls, doc: Doc) -> Words:
        """The table of `doc`: one `Doc.to_array`, one feature look-up per distinct morphological analysis."""
        from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, MORPH, ORTH, POS, SPACY
        from spacy.parts_of_speech import NAMES
        from spacy.symbols import AUX, VERB

        strings = doc.vocab.strings
        orth, lemma, pos, space_after, punct, space, idx, morphs = doc.to_array(
            [ORTH, LEMMA, POS, SPACY, IS_PUNCT, IS_SPACE, IDX, MORPH]
        ).T
        verbs = (pos == VERB) | (pos == AUX)
        return cls(
            doc=doc,
            text=tuple(map(strings.__getitem__, orth.tolist())),
            idx=tuple(idx.tolist()),
            lemma=tuple(map(strings.__getitem__, lemma.tolist())),
            pos=tuple(map(NAMES.__getitem__, pos.tolist())),
            space_after=tuple(space_after.astype(bool).tolist()),
            punct=tuple(punct.astype(bool).tolist()),
            space=tuple(space.astype(bool).tolist()),
            space_tokens=tuple(space.nonzero()[0].tolist()),
            finite=tuple((verbs & _with_feature(doc, morphs, "VerbForm", "Fin")).tolist()),
            ordinals=tuple(_with_feature(doc, morphs, "NumType", "Ord").nonzero()[0].tolist()),
            sentence_starts=tuple(sent.start for sent in doc.sents),
        )

    def __len__(self) -> int:
        return len(self.text)

    def sentence(self, i: int) -> int:
        """Number of the sentence holding token `i`."""
        return bisect.bisect_right(self.sentence_starts, i) - 1

    def sentence_range(self, i: int) -> range:
        """The token indices of the sentence holding token `i`."""
        n = self.sentence(i)
        starts = self.sentence_starts
        return range(starts[n], starts[n + 1] if n + 1 < len(starts) else len(self))

    def span_text(self, start: int, end: int) -> str:
        """`doc[start:end].text` without building the span."""
        if start >= end:
            return ""
        last = end - 1
        text, space_after = self.text, self.space_after
        return "".join([text[i] + " " if space_after[i] else text[i] for i in range(start, last)]) + text[last]

    def indices_of(self, text: str) -> list[int]:
        """Indices of the tokens written `text`, in order."""
        found: list[int] = []
        with contextlib.suppress(ValueError):  # `tuple.index` scans in C; it raises past the last one
            while True:
                found.append(self.text.index(text, found[-1] + 1 if found else 0))
        return found


def _with_feature(doc: Doc, morphs: numpy.ndarray, field: str, value: str) -> numpy.ndarray:
    """Which tokens' morphological analyses (`morphs`, their hashes) hold `value` in `field`."""
    import numpy

    found = numpy.zeros(len(morphs), dtype=bool)
    for morph in set(morphs.tolist()):
        if _has_feature(doc.vocab, morph, field, value):
            found |= morphs == morph
    return found


@lru_cache(maxsize=1 << 12)  # a few hundred analyses recur in every document
def _has_feature(vocab: Vocab, morph: int, field: str, value: str) -> bool:
    from spacy.tokens import MorphAnalysis

    return value in MorphAnalysis.from_id(vocab, morph).get(field, [])
