"""Entity mentions of one parsed document: spaCy's NER spans cleaned (junk, titles, credits) and typed."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING

from kgraph.entities.credits import find_credits
from kgraph.entities.words import Words
from kgraph.lang import KnownEntity, Lexicon
from kgraph.names import name_tokens
from kgraph.text import fold, surface_form

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_NER_TYPES = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "ORG": "ORG",
    "LOC": "LOC",
    "GPE": "GPE",
    "MISC": "MISC",
    "EVENT": "EVENT",
    "NORP": "MISC",
    "FAC": "LOC",
}
_MODEL_CODE = re.compile(r"^[A-Z][A-Za-z]{0,2}-\d+[A-Z]?$")  # "Mi-24", "L-39": an aircraft or weapon model
ALL_CAPS = re.compile(r"^[A-Z0-9ÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ&.\-]+$")
_INSTRUMENT_REACH = 6  # words between an agreement's or a facility's noun and its bracketed name
_NAME_TYPES = ("LOC", "GPE", "PERSON", "ORG", "MISC")  # what a capital acting as its state may be tagged
_PORTFOLIO_REACH = 30  # tokens searched back from a portfolio for the title it belongs to
_CREDIT_REACH = 8  # tokens searched either side of a name for the brackets of a photo credit


@dataclass(frozen=True, slots=True)
class RawMention:
    start: int  # token index
    end: int
    surface: str
    name: str
    type: str
    canonical: str | None
    sentence: int
    char_start: int
    char_end: int
    state: str | None = None  # an institution standing for a state ("le Kremlin")
    cued: bool = False  # typed by the words around it ("le groupe X", "le président X"), not by NER alone


def raw_mentions(doc: Doc, *, lexicon: Lexicon) -> list[RawMention]:
    """Clean entity mentions of a parsed document, in text order."""
    words = Words.of(doc)
    credits = find_credits(words, lexicon)
    mentions = [_typed_mention(words, s, e, "ORG", None, lexicon) for s, e in _military_units(words, lexicon)]
    taken = {i for m in mentions for i in range(m.start, m.end)}
    for ent in doc.ents:
        span = _outside(words, _with_leading_number(words, ent, lexicon), taken)
        if span is None:
            continue
        label = _NER_TYPES.get(span.label_, "MISC")
        facility = _facility(words, span, taken, lexicon)
        if facility:
            taken.update(range(facility[0][0], span.end))
            mentions += [_as_place(_typed_mention(words, s, e, "LOC", None, lexicon)) for s, e in facility]
            continue
        gazetteer_id = span.ent_id_
        end = _extend_person(words, span) if label == "PERSON" else span.end
        if _institution_of_place(words, span, end, lexicon):
            end, label = _entity_end(words, end), "ORG"
        with_surname = _surname_after(words, span, end, lexicon)
        if with_surname > end:  # "Maurice Lévy", "Dominique de Villepin": a first name, not the country
            end, label, gazetteer_id = with_surname, "PERSON", ""
            span = doc[span.start : end]
        if not taken.isdisjoint(range(span.start, end)):
            continue
        bounds = _name_bounds(words, span, end, label, lexicon)
        if bounds is None:
            continue
        start, end, honorific, titled = bounds
        if titled:
            label, gazetteer_id = "PERSON", ""
            mentions += _title_acronym(words, span.start, start, lexicon)
        named = (span.start, span.end)
        if gazetteer_id and _first_name_before(words, start, lexicon) and start - 1 not in taken:
            # "Luis Montenegro": a surname that is also a country, after a first name, is a person
            start -= 1
            label, gazetteer_id = "PERSON", ""
            named = (start, end)
        taken.update(range(start, end))
        for part_start, part_end in _split_pair(words, start, end, label):
            ent_id = gazetteer_id if (part_start, part_end) == named else None
            mention = _typed_mention(words, part_start, part_end, label, ent_id or None, lexicon)
            if credits.drops(part_start, mention.type) or _is_portfolio(words, mention, lexicon):
                continue
            mentions.append(_read_as_written(mention, honorific, lexicon))
    mentions += _surnames_after_titles(words, taken, lexicon)
    mentions.sort(key=lambda m: m.start)
    mentions += _unread_acronyms(words, mentions, lexicon)
    mentions.sort(key=lambda m: m.start)
    return _bracketed_acronyms(words, _described_names(mentions, lexicon))


def _military_units(words: Words, lexicon: Lexicon) -> list[tuple[int, int]]:
    """ "le 27e bataillon de chasseurs alpins", "du 3e régiment du génie": an ordinal in figures, a unit noun
    and its lowercase complements name a military unit (NER reads them as anything or nothing)."""
    found = []
    text, pos = words.text, words.pos
    for i in words.ordinals:
        if (
            i + 1 >= len(words)
            or not any(ch.isdigit() for ch in text[i])
            or fold(words.lemma[i + 1] or text[i + 1]) not in lexicon.unit_nouns
        ):
            continue
        end = i + 2
        while end < len(words):
            if pos[end] == "ADJ" and text[end].islower():
                end += 1  # "alpins", "blindée"
            elif (
                fold(text[end]) in lexicon.of_prepositions
                and end + 1 < len(words)
                and text[end + 1].isalpha()
                and text[end + 1].islower()
                and pos[end + 1] not in ("DET", "VERB", "AUX", "PRON")
            ):
                end += 2  # "de chasseurs", "d'infanterie", "du génie"
            else:
                break
        found.append((i, end))
    return found


def _facility(words: Words, span: Span, taken: set[int], lexicon: Lexicon) -> list[tuple[int, int]]:
    """ "l'aéroport international Félix Houphouët-Boigny d'Abidjan": a facility noun and its adjectives before a
    name (NER reads a person) make one place, the facility; the place after its "de" (a known one, or one
    after a name of two words: "Charles de Gaulle" keeps its particle) is a place of its own. Returns the
    facility's token bounds and that place's, or nothing when no facility noun opens the name."""
    i = span.start if words.text[span.start].islower() else span.start - 1
    while i >= 0 and i < span.start and words.pos[i] == "ADJ" and words.text[i].islower():
        i -= 1
    if (
        i < 0
        or i in taken
        or fold(words.lemma[i] or words.text[i]) not in lexicon.facility_nouns
        or not words.text[i].islower()
    ):
        return []
    first = max(i + 1, span.start)
    while first < span.end and words.text[first].islower():
        first += 1  # "l'aéroport international de Bamako": no name, the NER span stays as it is
    if first >= span.end or fold(words.text[first - 1]) in lexicon.of_prepositions:
        return []
    for k in range(first + 1, span.end - 1):
        place = words.span_text(k + 1, span.end)
        named = sum(t[:1].isupper() for t in words.text[first:k]) >= 2 and place[:1].isupper()
        if fold(words.text[k]) in lexicon.of_prepositions_singular and (
            named or lexicon.lookup(place) or fold(place) in lexicon.capitals
        ):
            return [(i, k), (k + 1, span.end)]
    return [(i, span.end)]


def _as_place(mention: RawMention) -> RawMention:
    # the city of a facility is a place, not its state acting ("l'aéroport X de Conakry")
    if mention.canonical and mention.canonical == mention.state:
        return replace(mention, type="LOC", canonical=None, name=mention.surface)
    return mention


def _title_acronym(words: Words, cut: int, start: int, lexicon: Lexicon) -> list[RawMention]:
    """ "le directeur de l'ONDH Karim Saadi": the acronym cut off a person's name with the title words
    names the title's organisation."""
    i = start - 1
    if i < cut or not ALL_CAPS.match(words.text[i]) or len(words.text[i]) < 2:
        return []
    return [_typed_mention(words, i, start, "ORG", None, lexicon)]


def _outside(words: Words, span: Span, taken: set[int]) -> Span | None:
    """An NER span with the words of a unit already read cut off its start ("27e bataillon de chasseurs |
    Annecy" as one span), or None when nothing of it is left."""
    start = span.start
    while start < span.end and start in taken:
        start += 1
    if start == span.start:
        return span
    while start < span.end and not words.text[start][:1].isupper():
        start += 1
    from spacy.tokens import Span

    return Span(words.doc, start, span.end, label=span.label_) if start < span.end else None


def _surnames_after_titles(words: Words, taken: set[int], lexicon: Lexicon) -> list[RawMention]:
    """ "la décision du président Medvedev": capitalised proper nouns right after a title that NER left out
    name a person (a name the gazetteer knows, "le président Chine", is not one)."""
    found = []
    after = 1  # the first token after the last name read
    for i in _capitalised_proper_nouns(words):
        if i < after:
            continue
        end = _name_end(words, i, taken)
        if end > i:
            title = _title_index(words, i - 1, taken, lexicon)
            name = words.span_text(i, end)
            if (
                (fold(words.text[title]) in lexicon.roles or fold(words.lemma[title]) in lexicon.roles)
                and not words.text[title][:1].isupper()
                and lexicon.lookup(name) is None
                and not _is_junk(words, i, end, name, lexicon)
            ):
                found.append(_typed_mention(words, i, end, "PERSON", None, lexicon))
                taken.update(range(i, end))
        after = max(end, i + 1)
    return found


def _capitalised_proper_nouns(words: Words) -> list[int]:
    """Where a name may start: the capitalised proper nouns."""
    return [
        i
        for i, (pos, text) in enumerate(zip(words.pos, words.text, strict=True))
        if pos == "PROPN" and text[:1].isupper()
    ]


def _title_index(words: Words, i: int, taken: set[int], lexicon: Lexicon) -> int:
    """The word before a name, or the title before the organisation the name follows ("le patron de l'ONU |
    Ban Ki-moon")."""
    if i not in taken:
        return i
    j = i
    while j - 1 >= 0 and j - 1 in taken:
        j -= 1
    j -= 1
    if j >= 0 and fold(words.text[j]) in lexicon.determiners and words.pos[j] == "DET":
        j -= 1
    return j - 1 if j >= 1 and fold(words.text[j]) in lexicon.of_prepositions_singular else i


def _name_end(words: Words, i: int, taken: set[int]) -> int:
    """End of the capitalised proper nouns from `i` that no mention holds, over hyphens ("Ki - moon")."""
    end = i
    text = words.text
    while end < len(words) and end not in taken:
        if words.pos[end] == "PROPN" and text[end][:1].isupper():
            end += 1
        elif (
            end > i
            and text[end] == "-"
            and not words.space_after[end - 1]
            and not words.space_after[end]
            and end + 1 < len(words)
            and text[end + 1].isalpha()
        ):
            end += 2
        else:
            break
    return end


def _described_names(mentions: list[RawMention], lexicon: Lexicon) -> list[RawMention]:
    """ "l'Agence russe de l'énergie atomique Rosatom": a description headed by an institution noun, right
    before the organisation's own name, is a mention of that name."""
    out = list(mentions)
    for n, (described, named) in enumerate(pairwise(mentions)):
        if (
            described.end == named.start
            and described.canonical is None
            and len(described.name.split()) >= 2
            and fold(described.name.split()[0]) in lexicon.institution_heads
            and named.type not in ("PERSON", "LOC", "GPE")
        ):
            out[n] = replace(described, name=named.name, type=named.type, canonical=named.canonical)
    return out


def _is_portfolio(words: Words, mention: RawMention, lexicon: Lexicon) -> bool:
    """ "ministre délégué au Commerce, à l'Artisanat et à la Consommation": each portfolio of a title's list
    is part of the title, not an entity (a known place, "ministre de la Défense du Mali", stays)."""
    if mention.canonical is not None or mention.type == "PERSON" or fold(mention.name) in lexicon.capitals:
        return False
    i = mention.start - 1
    article = i > 0 and _is_article(words.text[i], lexicon)
    i -= int(article)  # "à l'Artisanat", "à la Consommation"
    word = fold(words.text[i]) if i >= 0 else ""
    if word not in lexicon.portfolio_prepositions or (not article and word not in lexicon.determiners):
        return False  # "le ministre à Tulle": a bare "à" (or "de") before a name is a place
    for j in reversed(range(max(0, i - _PORTFOLIO_REACH), i)):
        role = lexicon.roles.get(fold(words.text[j])) or lexicon.roles.get(fold(words.lemma[j]))
        if role in lexicon.portfolio_roles:
            return True
        if words.finite[j] or words.doc[j].ent_type_ == "PER" or words.doc[j].is_sent_end:
            return False
    return False


def _is_article(text: str, lexicon: Lexicon) -> bool:
    # "la", "l'": a determiner that is not a portfolio's preposition of its own ("au")
    word = fold(text)
    return word in lexicon.determiners and word not in lexicon.portfolio_prepositions


def _unread_acronyms(words: Words, mentions: list[RawMention], lexicon: Lexicon) -> list[RawMention]:
    """ "le 27e bataillon de chasseurs alpins (BCA)": an acronym in brackets right after a name of several
    words that NER left out is a mention of that name (`_bracketed_acronyms` then joins them)."""
    starts = {m.start for m in mentions}
    found = []
    for m in mentions:
        i = m.end + 1
        if (
            m.type != "PERSON"
            and len(m.name.split()) >= 2
            and i + 1 < len(words)
            and words.text[m.end] == "("
            and words.text[i + 1] == ")"
            and i not in starts
            and ALL_CAPS.match(words.text[i])
            and len(words.text[i]) >= 2
        ):
            found.append(_typed_mention(words, i, i + 1, m.type, None, lexicon))
    return found


def _bracketed_acronyms(words: Words, mentions: list[RawMention]) -> list[RawMention]:
    """ "la Banque centrale du Nigeria (CBN)": an acronym in brackets right after a name of several words
    is that name, whatever its letters; every later "CBN" then joins it."""
    expansions: dict[str, RawMention] = {}
    for before, m in pairwise(mentions):
        if (
            m.end - m.start == 1
            and ALL_CAPS.match(m.name)
            and before.end == m.start - 1
            and len(before.name.split()) >= 2
            and before.type != "PERSON"
            and words.text[m.start - 1] == "("
            and m.end < len(words)
            and words.text[m.end] == ")"
        ):
            expansions.setdefault(fold(m.name), before)
    return [
        replace(m, name=known.name, type=known.type, canonical=known.canonical)
        if m.canonical is None and (known := expansions.get(fold(m.name)))
        else m
        for m in mentions
    ]


def _name_bounds(words: Words, span: Span, end: int, label: str, lexicon: Lexicon) -> tuple[int, int, str, bool] | None:
    """Token bounds of the name inside an entity span, the honorific before it and whether a title was cut
    off its left (what is left is a person), or None when the span names nothing (junk, a photo credit, a
    title, a capitalised common noun)."""
    start, end, honorific = _strip_span(words, span.start, end, lexicon)
    named = _after_title_words(words, start, end, lexicon)
    titled = (named > start and label != "PERSON") or named > start + 1
    start = named if titled else start
    if start >= end:
        return None
    if (
        end - start >= 3
        and start > 0
        and fold(words.text[start - 1]) in lexicon.of_prepositions
        and fold(f"{words.text[start - 1]} {words.text[start]}") in lexicon.portfolios
    ):
        start += 1  # "le ministre des Armées Sébastien Lecornu": the portfolio is not part of the name
    if not honorific and start > 0 and start == span.start and _is_honorific(words.text[start - 1], lexicon):
        honorific = words.text[start - 1]  # "M. Macron" where NER took only "Macron"
    if _in_credit(words, start, end, lexicon):
        return None
    end = _national_suffix(words, start, end, lexicon)
    name = surface_form(words.span_text(start, end))
    if _is_junk(words, start, end, name, lexicon) or _opens_sentence(words, start, end, label, name, lexicon):
        return None
    if fold(words.text[start]) in lexicon.roles and not words.text[start][:1].isupper():
        return None  # a title ("ministre russe des Affaires étrangères") is not an entity
    return start, end, honorific, titled


def _acronym_after_title(words: Words, i: int, end: int, lexicon: Lexicon) -> bool:
    # "le directeur de l'ONDH Karim Saadi": the title's organisation, then its holder
    return (
        bool(ALL_CAPS.match(words.text[i]))
        and len(words.text[i]) > 1
        and i + 1 < end
        and any(fold(t) in lexicon.roles for t in words.text[max(0, i - 4) : i])
    )


def _after_title_words(words: Words, start: int, end: int, lexicon: Lexicon) -> int:
    """Start of the person's name after a title NER took into the span ("Premier ministre polonais |
    Jan Nowak", "Défense | Jean Martin", "ONDH | Karim Saadi"), or `start` when the span
    does not open with a title or when fewer than two capitalised words would be left."""
    i = start
    while i < end:
        two = fold(f"{words.text[i]} {words.text[i + 1]}") if i + 1 < end else ""
        word = fold(words.text[i])
        if two in lexicon.roles:
            i += 2
        elif (
            word in lexicon.roles
            or word in lexicon.demonyms
            or word in lexicon.portfolio_words
            or (words.text[i].islower() and _is_function_word(words.text[i], lexicon))
            or (i == start and _acronym_after_title(words, i, end, lexicon))
        ):
            i += 1
        else:
            break
    rest = words.text[i:end]
    if i == start or len(rest) < 2 or not all(t[:1].isupper() for t in rest):
        return start
    return i


def _opens_sentence(words: Words, start: int, end: int, label: str, name: str, lexicon: Lexicon) -> bool:
    """A capitalised common noun opening a sentence ("Signe de…", "Preuve de…")."""
    return (
        end - start == 1
        and bool(words.doc[start].is_sent_start)
        and words.pos[start] == "NOUN"
        and label != "PERSON"
        and lexicon.lookup(name) is None
        and fold(name) not in lexicon.capitals
        and end < len(words)
        and fold(words.text[end]) in lexicon.of_prepositions
    )


def _read_as_written(mention: RawMention, honorific: str, lexicon: Lexicon) -> RawMention:
    if honorific and mention.canonical is None:  # "M. Enders" names a person, whatever NER said
        mention = replace(mention, type="PERSON", surface=f"{honorific} {mention.surface}", cued=True)
    state = lexicon.gentiles.get(fold(mention.name))
    if state is not None:  # "les Nord-Coréens": the state, not a place
        mention = replace(mention, canonical=state, type="GPE", surface="")
    return mention


def _strip_span(words: Words, start: int, end: int, lexicon: Lexicon) -> tuple[int, int, str]:
    """Token bounds of the proper name inside an entity span (no determiners, honorifics or titles),
    and the honorific that was stripped ("M."), kept for the surface form."""
    honorific = ""
    while start < end:
        word = fold(words.text[start])
        if word in lexicon.determiners:
            start += 1
        elif word.rstrip(".") in lexicon.honorifics or word in lexicon.honorifics:
            honorific = words.text[start]
            start += 1
        elif word in lexicon.strip_prefixes and start + 1 < end and words.text[start + 1][:1].isupper():
            start += 1
        elif (
            start + 1 < end
            and fold(words.text[start + 1]) in lexicon.of_prepositions
            and word in lexicon.strip_prefixes
        ):
            start += 2
        else:
            break
    while end > start and (
        words.punct[end - 1] or words.space[end - 1] or _is_function_word(words.text[end - 1], lexicon)
    ):
        end -= 1  # "Conseil de sécurité de l'": the place after it is a mention of its own
    return start, end, honorific


def _is_function_word(text: str, lexicon: Lexicon) -> bool:
    # lowercase only: "Un" ends "Kim Jong Un"
    return text.islower() and (fold(text) in lexicon.of_prepositions or fold(text) in lexicon.determiners)


def _institution_of_place(words: Words, span: Span, end: int, lexicon: Lexicon) -> bool:
    """ "la Banque centrale du | Nigeria": the gazetteer's place cut an institution's name after "du"."""
    if not (end < len(words) and end - span.start >= 2 and _is_function_word(words.text[end - 1], lexicon)):
        return False
    head = next((i for i in range(span.start, span.end) if fold(words.text[i]) not in lexicon.determiners), None)
    return (
        head is not None
        and words.doc[end].ent_iob_ == "B"
        and words.doc[end].ent_type_ in ("GPE", "LOC")
        and fold(words.lemma[head] or words.text[head]) in lexicon.institution_heads
    )


def _surname_after(words: Words, span: Span, end: int, lexicon: Lexicon) -> int:
    """End of the surname after a place that is also a first name ("Maurice | Lévy"), or `end`."""
    if not span.ent_id_ or fold(words.span_text(span.start, span.end)) not in lexicon.place_first_names:
        return end
    j = end + 1 if end + 1 < len(words) and words.text[end] in lexicon.of_prepositions_singular else end
    k = j
    while k < len(words) and k - j < 3 and _is_surname(words.doc[k], lexicon):
        k += 1
    return k if k > j else end


def _is_surname(token: Token, lexicon: Lexicon) -> bool:
    return (
        token.text[:1].isupper()
        and token.text.replace("-", "").isalpha()
        and not token.is_sent_start
        and token.ent_type_ in ("", "PER")
        and lexicon.lookup(token.text) is None
        and fold(token.text) not in lexicon.roles
    )


def _entity_end(words: Words, start: int) -> int:
    end = start + 1
    while end < len(words) and words.doc[end].ent_iob_ == "I":
        end += 1
    return end


def _is_junk(words: Words, start: int, end: int, name: str, lexicon: Lexicon) -> bool:
    """Whether the name written `name` over tokens [start, end) is no entity: a junk word, a caption, a
    common noun phrase, a title, a heading or an instrument's bracketed name."""
    folded = fold(name)
    if not folded or len(folded) < 2 or folded in lexicon.junk or folded in lexicon.strip_prefixes:
        return True
    if _MODEL_CODE.match(name):
        return True
    if "/" in name or any(fold(t) in lexicon.caption_markers for t in words.text[start:end]):
        return True
    if not any(ch.isupper() for ch in name):  # a common noun phrase, not a name
        return True
    parts = name.split()
    # caption boilerplate ("RUSSIAN FOREIGN MINISTRY"); short acronyms stay ("KCNA", "OTAN")
    if (
        all(ALL_CAPS.match(w) for w in parts)
        and lexicon.lookup(name) is None
        and (len(parts) > 1 or len(name.replace(".", "")) > 5)
    ):
        return True
    one_word = end - start == 1
    if folded in lexicon.roles or (
        one_word and (_is_heading(words, start) or _is_plural_institution(words.text[start], lexicon))
    ):
        return True
    if _names_an_instrument(words, start, lexicon):
        return True
    # a title NER took for a name: "Premier ministre britannique", "ministre russe des Affaires étrangères"
    title = _title_length(name_tokens(name), lexicon)
    rest = name.split()[title:]
    return bool(title) and (
        all(not w[:1].isupper() or fold(w) in lexicon.demonyms for w in rest)
        or fold(" ".join(rest)) in lexicon.portfolios  # "Ministre de la Défense"
    )


def _title_length(words: list[str], lexicon: Lexicon) -> int:
    """How many first words of a name are a title, singular or plural ("Présidents", "Chefs d'État")."""
    if not words:
        return 0
    first = words[0]
    singular = first[:-1] if len(first) > 3 and first[-1:] in lexicon.plural_endings else first
    for n in (3, 2, 1):
        if " ".join(words[:n]) in lexicon.roles or " ".join([singular, *words[1:n]]) in lexicon.roles:
            return n
    return 0


def _is_heading(words: Words, i: int) -> bool:
    """ "Appui. Pour Paris, …": a one-word sentence with no verb is a section heading run into the text."""
    return all(j == i or words.punct[j] for j in words.sentence_range(i)) and words.doc[i].ent_id_ == ""


def _is_plural_institution(text: str, lexicon: Lexicon) -> bool:
    """ "tous les Parlements de l'Union": a capitalised plural of an institution noun names a class."""
    word = fold(text)
    return (
        word not in lexicon.institution_heads
        and word[:-1] in lexicon.institution_heads
        and word[-1:] in lexicon.plural_endings
    )


def _names_an_instrument(words: Words, start: int, lexicon: Lexicon) -> bool:
    """ "le mécanisme de fonds étendu (EFF)", "l'accord d'accès réciproque (Reciprocal Access Agreement, RAA)":
    the bracketed name of an agreement or a facility written as a common noun phrase is not an entity."""
    text = words.text
    i = start - 1
    while i >= 0 and text[i] != "(" and (text[i] == "," or text[i][:1].isupper()):
        i -= 1
    if i < 0 or text[i] != "(":
        return False
    for j in reversed(range(max(0, i - _INSTRUMENT_REACH), i)):
        if words.punct[j] or text[j][:1].isupper() or words.finite[j]:
            return False
        if fold(words.lemma[j]) in lexicon.instrument_nouns or fold(text[j]) in lexicon.instrument_nouns:
            return True
    return False


def _extend_person(words: Words, span: Span) -> int:
    """End of a person span extended over name parts the tagger mistook for words ("Kim Jong | Un")."""
    end = span.end
    while end < len(words) and end - span.start < 5:
        text = words.text[end]
        if (
            text[:1].isupper()
            and text.isalpha()
            and len(text) <= 4
            and not words.doc[end].is_sent_start
            and words.doc[end].ent_type_ in ("", "PER")
            and words.pos[end] not in ("VERB", "AUX")
        ):
            end += 1
        else:
            break
    return end


def _first_name_before(words: Words, start: int, lexicon: Lexicon) -> bool:
    if start == 0:
        return False
    prev = words.text[start - 1]
    return (
        words.pos[start - 1] == "PROPN"
        and prev[:1].isupper()
        and prev.isalpha()
        and not words.doc[start - 1].is_sent_start
        and not words.doc[start - 1].ent_type_
        and lexicon.lookup(prev) is None
        and fold(prev) not in lexicon.roles
        and fold(prev) not in lexicon.honorifics
    )


def _is_honorific(text: str, lexicon: Lexicon) -> bool:
    word = fold(text)
    return word in lexicon.honorifics or (word.rstrip(".") in lexicon.honorifics and text[:1].isupper())


def _in_credit(words: Words, start: int, end: int, lexicon: Lexicon) -> bool:
    """A name inside a photo credit: "( KCNA VIA KNS / AFP )", "(AFP PHOTO / POOL)"."""
    text = words.text
    if "(" not in text[max(0, start - _CREDIT_REACH) : start] or ")" not in text[end : end + _CREDIT_REACH + 1]:
        return False  # no bracket within reach (most names)
    left = start - 1
    while left >= 0 and start - left < _CREDIT_REACH and text[left] != "(" and "\n" not in text[left]:
        left -= 1
    right = end
    while right < len(text) and right - end < _CREDIT_REACH and text[right] != ")" and "\n" not in text[right]:
        right += 1
    if left < 0 or right >= len(text) or text[left] != "(" or text[right] != ")":
        return False
    inside = [fold(t) for t in text[left + 1 : right]]
    return "/" in inside or any(w in lexicon.caption_markers for w in inside)


def _national_suffix(words: Words, start: int, end: int, lexicon: Lexicon) -> int:
    # a name followed by a demonym ("Conseil de sécurité russe") or a state ("… de la Russie") names that
    # country's body, not the international one of the gazetteer
    known = lexicon.lookup(words.span_text(start, end))
    if (
        known is not None
        and known.type == "ORG"
        and end + 1 < len(words)
        and fold(words.text[end]) in lexicon.of_prepositions_singular
    ):
        j = end + 1
        while j < len(words) and words.pos[j] == "DET":
            j += 1
        for k in range(j + 1, min(j + 5, len(words)) + 1):
            state = lexicon.lookup(words.span_text(j, k))
            if state is not None and state.type == "GPE" and state.id != known.country:
                return k
    if (
        end < len(words)
        and fold(words.text[end]) in lexicon.demonyms
        and words.text[start][:1].isupper()
        and known is not None
        and known.type == "ORG"
    ):
        return end + 1
    return end


def _split_pair(words: Words, start: int, end: int, label: str) -> list[tuple[int, int]]:
    # "la rencontre Kim-Lavrov": a hyphenated pair of surnames is two people (one token "Kim-Lavrov" stays
    # whole: the relation extractor's nominal rules read it as a pair)
    if label == "PERSON" and end - start == 3 and words.text[start + 1] == "-":
        return [(start, start + 1), (start + 2, end)]
    return [(start, end)]


def _typed_mention(words: Words, start: int, end: int, label: str, ent_id: str | None, lexicon: Lexicon) -> RawMention:
    name = surface_form(words.span_text(start, end))
    known = lexicon.lookup(name) or (lexicon.entries.get(ent_id) if ent_id else None)
    state = lexicon.state_for_actor(name)
    canonical, type_ = _mention_type(words, start, end, label, name, known, state, lexicon)
    return RawMention(
        start=start,
        end=end,
        surface=name,
        name=known.label if known else name,
        type=type_,
        canonical=canonical,
        sentence=words.sentence(start),
        char_start=words.idx[start],
        char_end=words.idx[end - 1] + len(words.text[end - 1]),
        state=state.id if state else None,
        cued=known is None and state is None and type_ != label and type_ in ("ORG", "PERSON"),
    )


def _mention_type(
    words: Words,
    start: int,
    end: int,
    label: str,
    name: str,
    known: KnownEntity | None,
    state: KnownEntity | None,
    lexicon: Lexicon,
) -> tuple[str | None, str]:
    """The gazetteer id and the type of a mention, from the gazetteer and the words around it."""
    canonical = known.id if known else None
    type_ = known.type if known else label
    if state and fold(name) in lexicon.institutions:
        canonical, type_ = state.id, state.type
    elif state and not known and label in _NAME_TYPES and not _used_as_place(words, start, end, lexicon):
        # a capital acting ("Pékin a condamné", "Moscou et Pyongyang ont signé") is its state
        canonical, type_ = state.id, state.type
    elif fold(name) in lexicon.capitals:
        type_ = "LOC"
    elif not known and (
        _after_media_noun(words, start, lexicon)
        or _after_company_noun(words, start, lexicon)
        or _has_organization_form(words, start, end, lexicon)
    ):
        type_ = "ORG"
    elif (
        not known
        and type_ in ("MISC", "LOC", "ORG")
        and not (end - start == 1 and ALL_CAPS.match(words.text[start]))  # "le chef de file WPP": no one
        and _after_title(words, start, lexicon)
        and all(t[:1].isupper() for t in words.text[start:end])
        and fold(words.lemma[start] or words.text[start]) not in lexicon.institution_heads  # "gouverneur de la…"
    ):
        type_ = "PERSON"
    elif type_ == "GPE" and not known:
        type_ = "LOC"
    if not known and type_ in ("LOC", "MISC") and fold(words.lemma[start]) in lexicon.institution_heads:
        type_ = "ORG"  # "ministère russe de la Défense", "Commission électorale": an institution
    return canonical, type_


def _used_as_place(words: Words, start: int, end: int, lexicon: Lexicon) -> bool:
    """A city name used as a place: in a place context, a conjunct of a name in one ("dans les rues de Lima et
    de Quito"), or followed by a relative of place ("Lima, où il a été reçu")."""
    if _place_context(words, start, lexicon):
        return True
    if any(c.i < start and _place_context(words, c.i, lexicon) for c in words.doc[start:end].root.conjuncts):
        return True
    after = end + (1 if end < len(words) and words.text[end] == "," else 0)
    return after < len(words) and fold(words.text[after]) in lexicon.place_relatives


def _place_context(words: Words, start: int, lexicon: Lexicon) -> bool:
    """A city name used as a place: after "à", "en", "dans", "depuis", "vers", "la capitale"..."""
    i = start - 1
    while i >= 0 and words.pos[i] == "DET":
        i -= 1
    if i < 0:
        return False
    word = fold(words.text[i])
    if word in lexicon.place_cues or fold(words.lemma[i]) in lexicon.place_cues:
        return True
    # "de Pékin" after a place noun, a movement verb or a noun named after its city ("arrivé de Pékin", "la
    # ville de Kiev", "le traité de Rome")
    return (
        word in lexicon.of_prepositions_singular
        and i > 0
        and fold(words.lemma[i - 1])
        in lexicon.place_cues | lexicon.movement_words | lexicon.named_after_place | lexicon.facility_nouns
    )


def _has_organization_form(words: Words, start: int, end: int, lexicon: Lexicon) -> bool:
    """ "Dantel Media Group", "Front Polisario": a name opening or ending with a legal or group form."""
    return end - start >= 2 and any(
        t[:1].isupper() and fold(t) in lexicon.organization_forms for t in (words.text[start], words.text[end - 1])
    )


def _after_company_noun(words: Words, start: int, lexicon: Lexicon) -> bool:
    """ "le groupe publicitaire français Havas", "le constructeur Renault": a company noun and its
    adjectives right before the name."""
    i = start - 1
    while i >= 0 and words.pos[i] == "ADJ" and not words.text[i][:1].isupper():
        i -= 1
    return i >= 0 and fold(words.lemma[i] or words.text[i]) in lexicon.company_nouns


def _after_media_noun(words: Words, start: int, lexicon: Lexicon) -> bool:
    # "l'agence d'Etat KCNA", "l'agence russe Tass", "le quotidien Le Monde" (not the city of its "de":
    # "les quotidiens 24 Hours de Toronto")
    if start > 0 and fold(words.text[start - 1]) in lexicon.of_prepositions_singular and words.pos[start - 1] == "ADP":
        return False
    window = range(max(0, start - 4), start)
    return any(fold(words.lemma[j] or words.text[j]) in lexicon.media_nouns for j in window)


def _with_leading_number(words: Words, span: Span, lexicon: Lexicon) -> Span:
    """ "le quotidien 20 Minutes", "les quotidiens 24 Hours": a number opening the name of a news title."""
    i = span.start - 1
    if i > 0 and words.text[i].isdigit() and fold(words.lemma[i - 1] or words.text[i - 1]) in lexicon.media_nouns:
        from spacy.tokens import Span

        return Span(words.doc, i, span.end, label=span.label_)
    return span


def _after_title(words: Words, start: int, lexicon: Lexicon) -> bool:
    before = start - 1
    if before > 0 and _is_article(words.text[before], lexicon):
        before -= 1
    if before >= 0 and fold(words.text[before]) in lexicon.portfolio_prepositions:
        return False  # "le président de Total", "ministre délégué au Tourisme": the title's complement
    for j in reversed(range(max(0, start - 5), start)):
        word = fold(words.text[j])
        if word in lexicon.roles or fold(words.lemma[j]) in lexicon.roles or word.rstrip(".") in lexicon.honorifics:
            return True
        if (words.punct[j] and words.text[j] != ",") or words.pos[j] in ("VERB", "AUX"):
            return False
    return False
