"""Entity mentions of one parsed document: spaCy's NER spans cleaned (junk, titles, credits) and typed."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING

from kgraph.entities.credits import find_credits, is_finite_verb
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
    sentence_of = _sentence_index(doc)
    credits = find_credits(doc, lexicon)
    mentions = [
        _typed_mention(doc, doc[s:e], "ORG", None, sentence_of, lexicon) for s, e in _military_units(doc, lexicon)
    ]
    taken = {i for m in mentions for i in range(m.start, m.end)}
    for ent in doc.ents:
        span = _outside(doc, _with_leading_number(doc, ent, lexicon), taken)
        if span is None:
            continue
        label = _NER_TYPES.get(span.label_, "MISC")
        facility = _facility(doc, span, taken, lexicon)
        if facility:
            taken.update(range(facility[0].start, span.end))
            mentions += [_as_place(_typed_mention(doc, part, "LOC", None, sentence_of, lexicon)) for part in facility]
            continue
        gazetteer_id = span.ent_id_
        end = _extend_person(span) if label == "PERSON" else span.end
        if _institution_of_place(doc, span, end, lexicon):
            end, label = _entity_end(doc, end), "ORG"
        with_surname = _surname_after(doc, span, end, lexicon)
        if with_surname > end:  # "Maurice Lévy", "Dominique de Villepin": a first name, not the country
            end, label, gazetteer_id = with_surname, "PERSON", ""
            span = doc[span.start : end]
        if any(i in taken for i in range(span.start, end)):
            continue
        bounds = _name_bounds(doc, span, end, label, lexicon)
        if bounds is None:
            continue
        start, end, honorific, titled = bounds
        if titled:
            label, gazetteer_id = "PERSON", ""
            mentions += _title_acronym(doc, span.start, start, sentence_of, lexicon)
        named = span
        if gazetteer_id and _first_name_before(doc, start, lexicon) and start - 1 not in taken:
            # "Luis Montenegro": a surname that is also a country, after a first name, is a person
            start -= 1
            label, gazetteer_id = "PERSON", ""
            named = doc[start:end]
        taken.update(range(start, end))
        for part_start, part_end in _split_pair(doc, start, end, label):
            ent_id = gazetteer_id if (part_start, part_end) == (named.start, named.end) else None
            mention = _typed_mention(doc, doc[part_start:part_end], label, ent_id or None, sentence_of, lexicon)
            if credits.drops(part_start, mention.type) or _is_portfolio(doc, mention, lexicon):
                continue
            mentions.append(_read_as_written(mention, honorific, lexicon))
    mentions += _surnames_after_titles(doc, taken, sentence_of, lexicon)
    mentions.sort(key=lambda m: m.start)
    mentions += _unread_acronyms(doc, mentions, sentence_of, lexicon)
    mentions.sort(key=lambda m: m.start)
    return _bracketed_acronyms(doc, _described_names(mentions, lexicon))


def _military_units(doc: Doc, lexicon: Lexicon) -> list[tuple[int, int]]:
    """ "le 27e bataillon de chasseurs alpins", "du 3e régiment du génie": an ordinal in figures, a unit noun
    and its lowercase complements name a military unit (NER reads them as anything or nothing)."""
    found = []
    for token in doc[:-1]:
        unit = doc[token.i + 1]
        if (
            "Ord" not in token.morph.get("NumType", [])
            or not any(ch.isdigit() for ch in token.text)
            or fold(unit.lemma_ or unit.text) not in lexicon.unit_nouns
        ):
            continue
        end = unit.i + 1
        while end < len(doc):
            word = doc[end]
            if word.pos_ == "ADJ" and word.text.islower():
                end += 1  # "alpins", "blindée"
            elif (
                fold(word.text) in lexicon.of_prepositions
                and end + 1 < len(doc)
                and doc[end + 1].text.isalpha()
                and doc[end + 1].text.islower()
                and doc[end + 1].pos_ not in ("DET", "VERB", "AUX", "PRON")
            ):
                end += 2  # "de chasseurs", "d'infanterie", "du génie"
            else:
                break
        found.append((token.i, end))
    return found


def _facility(doc: Doc, span: Span, taken: set[int], lexicon: Lexicon) -> list[Span]:
    """ "l'aéroport international Félix Houphouët-Boigny d'Abidjan": a facility noun and its adjectives before a
    name (NER reads a person) make one place, the facility; the place after its "de" (a known one, or one
    after a name of two words: "Charles de Gaulle" keeps its particle) is a place of its own. Returns the
    facility's span and that place's, or nothing when no facility noun opens the name."""
    i = span.start if doc[span.start].text.islower() else span.start - 1
    while i >= 0 and i < span.start and doc[i].pos_ == "ADJ" and doc[i].text.islower():
        i -= 1
    if (
        i < 0
        or i in taken
        or fold(doc[i].lemma_ or doc[i].text) not in lexicon.facility_nouns
        or not doc[i].text.islower()
    ):
        return []
    from spacy.tokens import Span

    first = max(i + 1, span.start)
    while first < span.end and doc[first].text.islower():
        first += 1  # "l'aéroport international de Bamako": no name, the NER span stays as it is
    if first >= span.end or fold(doc[first - 1].text) in lexicon.of_prepositions:
        return []
    for k in range(first + 1, span.end - 1):
        place = doc[k + 1 : span.end].text
        named = sum(t.text[:1].isupper() for t in doc[first:k]) >= 2 and doc[k + 1 : span.end].text[:1].isupper()
        if fold(doc[k].text) in lexicon.of_prepositions_singular and (
            named or lexicon.lookup(place) or fold(place) in lexicon.capitals
        ):
            return [Span(doc, i, k), Span(doc, k + 1, span.end)]
    return [Span(doc, i, span.end)]


def _as_place(mention: RawMention) -> RawMention:
    # the city of a facility is a place, not its state acting ("l'aéroport X de Conakry")
    if mention.canonical and mention.canonical == mention.state:
        return replace(mention, type="LOC", canonical=None, name=mention.surface)
    return mention


def _title_acronym(doc: Doc, cut: int, start: int, sentence_of: dict[int, int], lexicon: Lexicon) -> list[RawMention]:
    """ "le directeur de l'ONDH Karim Saadi": the acronym cut off a person's name with the title words
    names the title's organisation."""
    i = start - 1
    if i < cut or not ALL_CAPS.match(doc[i].text) or len(doc[i].text) < 2:
        return []
    return [_typed_mention(doc, doc[i:start], "ORG", None, sentence_of, lexicon)]


def _outside(doc: Doc, span: Span, taken: set[int]) -> Span | None:
    """An NER span with the words of a unit already read cut off its start ("27e bataillon de chasseurs |
    Annecy" as one span), or None when nothing of it is left."""
    start = span.start
    while start < span.end and start in taken:
        start += 1
    if start == span.start:
        return span
    while start < span.end and not doc[start].text[:1].isupper():
        start += 1
    from spacy.tokens import Span

    return Span(doc, start, span.end, label=span.label_) if start < span.end else None


def _surnames_after_titles(
    doc: Doc, taken: set[int], sentence_of: dict[int, int], lexicon: Lexicon
) -> list[RawMention]:
    """ "la décision du président Medvedev": capitalised proper nouns right after a title that NER left out
    name a person (a name the gazetteer knows, "le président Chine", is not one)."""
    found = []
    i = 1
    while i < len(doc):
        title = doc[_title_index(doc, i - 1, taken, lexicon)]
        end = _name_end(doc, i, taken)
        if (
            end > i
            and (fold(title.text) in lexicon.roles or fold(title.lemma_) in lexicon.roles)
            and not title.text[:1].isupper()
            and lexicon.lookup(doc[i:end].text) is None
            and not _is_junk(doc[i:end].text, list(doc[i:end]), lexicon)
        ):
            found.append(_typed_mention(doc, doc[i:end], "PERSON", None, sentence_of, lexicon))
            taken.update(range(i, end))
        i = max(end, i + 1)
    return found


def _title_index(doc: Doc, i: int, taken: set[int], lexicon: Lexicon) -> int:
    """The word before a name, or the title before the organisation the name follows ("le patron de l'ONU |
    Ban Ki-moon")."""
    if i not in taken:
        return i
    j = i
    while j - 1 >= 0 and j - 1 in taken:
        j -= 1
    j -= 1
    if j >= 0 and fold(doc[j].text) in lexicon.determiners and doc[j].pos_ == "DET":
        j -= 1
    return j - 1 if j >= 1 and fold(doc[j].text) in lexicon.of_prepositions_singular else i


def _name_end(doc: Doc, i: int, taken: set[int]) -> int:
    """End of the capitalised proper nouns from `i` that no mention holds, over hyphens ("Ki - moon")."""
    end = i
    while end < len(doc) and end not in taken:
        if doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
            end += 1
        elif (
            end > i
            and doc[end].text == "-"
            and not doc[end - 1].whitespace_
            and not doc[end].whitespace_
            and end + 1 < len(doc)
            and doc[end + 1].text.isalpha()
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


def _is_portfolio(doc: Doc, mention: RawMention, lexicon: Lexicon) -> bool:
    """ "ministre délégué au Commerce, à l'Artisanat et à la Consommation": each portfolio of a title's list
    is part of the title, not an entity (a known place, "ministre de la Défense du Mali", stays)."""
    if mention.canonical is not None or mention.type == "PERSON" or fold(mention.name) in lexicon.capitals:
        return False
    i = mention.start - 1
    article = i > 0 and fold(doc[i].text) in lexicon.determiners - lexicon.portfolio_prepositions
    i -= int(article)  # "à l'Artisanat", "à la Consommation"
    word = fold(doc[i].text) if i >= 0 else ""
    if word not in lexicon.portfolio_prepositions or (not article and word not in lexicon.determiners):
        return False  # "le ministre à Tulle": a bare "à" (or "de") before a name is a place
    for token in reversed(doc[max(0, i - _PORTFOLIO_REACH) : i]):
        role = lexicon.roles.get(fold(token.text)) or lexicon.roles.get(fold(token.lemma_))
        if role in lexicon.portfolio_roles:
            return True
        if token.ent_type_ == "PER" or token.is_sent_end or is_finite_verb(token):
            return False
    return False


def _unread_acronyms(
    doc: Doc, mentions: list[RawMention], sentence_of: dict[int, int], lexicon: Lexicon
) -> list[RawMention]:
    """ "le 27e bataillon de chasseurs alpins (BCA)": an acronym in brackets right after a name of several
    words that NER left out is a mention of that name (`_bracketed_acronyms` then joins them)."""
    starts = {m.start for m in mentions}
    found = []
    for m in mentions:
        i = m.end + 1
        if (
            m.type != "PERSON"
            and len(m.name.split()) >= 2
            and i + 1 < len(doc)
            and doc[m.end].text == "("
            and doc[i + 1].text == ")"
            and i not in starts
            and ALL_CAPS.match(doc[i].text)
            and len(doc[i].text) >= 2
        ):
            found.append(_typed_mention(doc, doc[i : i + 1], m.type, None, sentence_of, lexicon))
    return found


def _bracketed_acronyms(doc: Doc, mentions: list[RawMention]) -> list[RawMention]:
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
            and doc[m.start - 1].text == "("
            and m.end < len(doc)
            and doc[m.end].text == ")"
        ):
            expansions.setdefault(fold(m.name), before)
    return [
        replace(m, name=known.name, type=known.type, canonical=known.canonical)
        if m.canonical is None and (known := expansions.get(fold(m.name)))
        else m
        for m in mentions
    ]


def _name_bounds(doc: Doc, span: Span, end: int, label: str, lexicon: Lexicon) -> tuple[int, int, str, bool] | None:
    """Token bounds of the name inside an entity span, the honorific before it and whether a title was cut
    off its left (what is left is a person), or None when the span names nothing (junk, a photo credit, a
    title, a capitalised common noun)."""
    start, end, honorific = _strip_span(doc[span.start : end], lexicon)
    named = _after_title_words(doc, start, end, lexicon)
    titled = (named > start and label != "PERSON") or named > start + 1
    start = named if titled else start
    if start >= end:
        return None
    if (
        end - start >= 3
        and start > 0
        and fold(doc[start - 1].text) in lexicon.of_prepositions
        and fold(f"{doc[start - 1].text} {doc[start].text}") in lexicon.portfolios
    ):
        start += 1  # "le ministre des Armées Sébastien Lecornu": the portfolio is not part of the name
    if not honorific and start > 0 and start == span.start and _is_honorific(doc[start - 1].text, lexicon):
        honorific = doc[start - 1].text  # "M. Macron" where NER took only "Macron"
    if _in_credit(doc, start, end, lexicon):
        return None
    end = _national_suffix(doc, start, end, lexicon)
    name = surface_form(doc[start:end].text)
    if _is_junk(name, list(doc[start:end]), lexicon) or _opens_sentence(doc, start, end, label, name, lexicon):
        return None
    if fold(doc[start].text) in lexicon.roles and not doc[start].text[:1].isupper():
        return None  # a title ("ministre russe des Affaires étrangères") is not an entity
    return start, end, honorific, titled


def _acronym_after_title(doc: Doc, i: int, end: int, lexicon: Lexicon) -> bool:
    # "le directeur de l'ONDH Karim Saadi": the title's organisation, then its holder
    return (
        bool(ALL_CAPS.match(doc[i].text))
        and len(doc[i].text) > 1
        and i + 1 < end
        and any(fold(t.text) in lexicon.roles for t in doc[max(0, i - 4) : i])
    )


def _after_title_words(doc: Doc, start: int, end: int, lexicon: Lexicon) -> int:
    """Start of the person's name after a title NER took into the span ("Premier ministre polonais |
    Jan Nowak", "Défense | Jean Martin", "ONDH | Karim Saadi"), or `start` when the span
    does not open with a title or when fewer than two capitalised words would be left."""
    i = start
    while i < end:
        two = fold(f"{doc[i].text} {doc[i + 1].text}") if i + 1 < end else ""
        word = fold(doc[i].text)
        if two in lexicon.roles:
            i += 2
        elif (
            word in lexicon.roles
            or word in lexicon.demonyms
            or word in lexicon.portfolio_words
            or (doc[i].text.islower() and _is_function_word(doc[i].text, lexicon))
            or (i == start and _acronym_after_title(doc, i, end, lexicon))
        ):
            i += 1
        else:
            break
    rest = doc[i:end]
    if i == start or len(rest) < 2 or not all(t.text[:1].isupper() for t in rest):
        return start
    return i


def _opens_sentence(doc: Doc, start: int, end: int, label: str, name: str, lexicon: Lexicon) -> bool:
    """A capitalised common noun opening a sentence ("Signe de…", "Preuve de…")."""
    return (
        end - start == 1
        and bool(doc[start].is_sent_start)
        and doc[start].pos_ == "NOUN"
        and label != "PERSON"
        and lexicon.lookup(name) is None
        and fold(name) not in lexicon.capitals
        and end < len(doc)
        and fold(doc[end].text) in lexicon.of_prepositions
    )


def _read_as_written(mention: RawMention, honorific: str, lexicon: Lexicon) -> RawMention:
    if honorific and mention.canonical is None:  # "M. Enders" names a person, whatever NER said
        mention = replace(mention, type="PERSON", surface=f"{honorific} {mention.surface}", cued=True)
    state = lexicon.gentiles.get(fold(mention.name))
    if state is not None:  # "les Nord-Coréens": the state, not a place
        mention = replace(mention, canonical=state, type="GPE", surface="")
    return mention


def _strip_span(span: Span, lexicon: Lexicon) -> tuple[int, int, str]:
    """Token bounds of the proper name inside an entity span (no determiners, honorifics or titles),
    and the honorific that was stripped ("M."), kept for the surface form."""
    start, end = span.start, span.end
    doc = span.doc
    honorific = ""
    while start < end:
        word = fold(doc[start].text)
        if word in lexicon.determiners:
            start += 1
        elif word.rstrip(".") in lexicon.honorifics or word in lexicon.honorifics:
            honorific = doc[start].text
            start += 1
        elif word in lexicon.strip_prefixes and start + 1 < end and doc[start + 1].text[:1].isupper():
            start += 1
        elif (
            start + 1 < end and fold(doc[start + 1].text) in lexicon.of_prepositions and word in lexicon.strip_prefixes
        ):
            start += 2
        else:
            break
    while end > start and (
        doc[end - 1].is_punct or doc[end - 1].is_space or _is_function_word(doc[end - 1].text, lexicon)
    ):
        end -= 1  # "Conseil de sécurité de l'": the place after it is a mention of its own
    return start, end, honorific


def _is_function_word(text: str, lexicon: Lexicon) -> bool:
    # lowercase only: "Un" ends "Kim Jong Un"
    return text.islower() and (fold(text) in lexicon.of_prepositions or fold(text) in lexicon.determiners)


def _institution_of_place(doc: Doc, span: Span, end: int, lexicon: Lexicon) -> bool:
    """ "la Banque centrale du | Nigeria": the gazetteer's place cut an institution's name after "du"."""
    head = next((t for t in span if fold(t.text) not in lexicon.determiners), None)
    return (
        head is not None
        and end < len(doc)
        and end - span.start >= 2
        and _is_function_word(doc[end - 1].text, lexicon)
        and doc[end].ent_iob_ == "B"
        and doc[end].ent_type_ in ("GPE", "LOC")
        and fold(head.lemma_ or head.text) in lexicon.institution_heads
    )


def _surname_after(doc: Doc, span: Span, end: int, lexicon: Lexicon) -> int:
    """End of the surname after a place that is also a first name ("Maurice | Lévy"), or `end`."""
    if not span.ent_id_ or fold(span.text) not in lexicon.place_first_names:
        return end
    j = end + 1 if end + 1 < len(doc) and doc[end].text in lexicon.of_prepositions_singular else end
    k = j
    while k < len(doc) and k - j < 3 and _is_surname(doc[k], lexicon):
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


def _entity_end(doc: Doc, start: int) -> int:
    end = start + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return end


def _is_junk(name: str, tokens: list[Token], lexicon: Lexicon) -> bool:
    folded = fold(name)
    if not folded or len(folded) < 2 or folded in lexicon.junk or folded in lexicon.strip_prefixes:
        return True
    if _MODEL_CODE.match(name):
        return True
    if "/" in name or any(fold(t.text) in lexicon.caption_markers for t in tokens):
        return True
    if not any(ch.isupper() for ch in name):  # a common noun phrase, not a name
        return True
    words = name.split()
    # caption boilerplate ("RUSSIAN FOREIGN MINISTRY"); short acronyms stay ("KCNA", "OTAN")
    if (
        all(ALL_CAPS.match(w) for w in words)
        and lexicon.lookup(name) is None
        and (len(words) > 1 or len(name.replace(".", "")) > 5)
    ):
        return True
    if folded in lexicon.roles or _is_heading(tokens) or _is_plural_institution(tokens, lexicon):
        return True
    if _names_an_instrument(tokens, lexicon):
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


def _is_heading(tokens: list[Token]) -> bool:
    """ "Appui. Pour Paris, …": a one-word sentence with no verb is a section heading run into the text."""
    if len(tokens) != 1:
        return False
    sentence = tokens[0].sent
    return all(t.i == tokens[0].i or t.is_punct for t in sentence) and tokens[0].ent_id_ == ""


def _is_plural_institution(tokens: list[Token], lexicon: Lexicon) -> bool:
    """ "tous les Parlements de l'Union": a capitalised plural of an institution noun names a class."""
    if len(tokens) != 1:
        return False
    word = fold(tokens[0].text)
    return (
        word not in lexicon.institution_heads
        and word[:-1] in lexicon.institution_heads
        and word[-1:] in lexicon.plural_endings
    )


def _names_an_instrument(tokens: list[Token], lexicon: Lexicon) -> bool:
    """ "le mécanisme de fonds étendu (EFF)", "l'accord d'accès réciproque (Reciprocal Access Agreement, RAA)":
    the bracketed name of an agreement or a facility written as a common noun phrase is not an entity."""
    doc, i = tokens[0].doc, tokens[0].i - 1
    while i >= 0 and doc[i].text != "(" and (doc[i].text == "," or doc[i].text[:1].isupper()):
        i -= 1
    if i < 0 or doc[i].text != "(":
        return False
    for token in reversed(doc[max(0, i - _INSTRUMENT_REACH) : i]):
        if token.is_punct or token.text[:1].isupper() or is_finite_verb(token):
            return False
        if fold(token.lemma_) in lexicon.instrument_nouns or fold(token.text) in lexicon.instrument_nouns:
            return True
    return False


def _sentence_index(doc: Doc) -> dict[int, int]:
    index: dict[int, int] = {}
    for number, sent in enumerate(doc.sents):
        for token in sent:
            index[token.i] = number
    return index


def _extend_person(span: Span) -> int:
    """End of a person span extended over name parts the tagger mistook for words ("Kim Jong | Un")."""
    end = span.end
    doc = span.doc
    while end < len(doc) and end - span.start < 5:
        token = doc[end]
        if (
            token.text[:1].isupper()
            and token.text.isalpha()
            and len(token.text) <= 4
            and not token.is_sent_start
            and token.ent_type_ in ("", "PER")
            and token.pos_ not in ("VERB", "AUX")
        ):
            end += 1
        else:
            break
    return end


def _first_name_before(doc: Doc, start: int, lexicon: Lexicon) -> bool:
    if start == 0:
        return False
    prev = doc[start - 1]
    return (
        prev.pos_ == "PROPN"
        and prev.text[:1].isupper()
        and prev.text.isalpha()
        and not prev.is_sent_start
        and not prev.ent_type_
        and lexicon.lookup(prev.text) is None
        and fold(prev.text) not in lexicon.roles
        and fold(prev.text) not in lexicon.honorifics
    )


def _is_honorific(text: str, lexicon: Lexicon) -> bool:
    word = fold(text)
    return word in lexicon.honorifics or (word.rstrip(".") in lexicon.honorifics and text[:1].isupper())


def _in_credit(doc: Doc, start: int, end: int, lexicon: Lexicon) -> bool:
    """A name inside a photo credit: "( KCNA VIA KNS / AFP )", "(AFP PHOTO / POOL)"."""
    left = start - 1
    while left >= 0 and start - left < _CREDIT_REACH and doc[left].text != "(" and "\n" not in doc[left].text:
        left -= 1
    right = end
    while right < len(doc) and right - end < _CREDIT_REACH and doc[right].text != ")" and "\n" not in doc[right].text:
        right += 1
    if left < 0 or right >= len(doc) or doc[left].text != "(" or doc[right].text != ")":
        return False
    inside = [fold(t.text) for t in doc[left + 1 : right]]
    return "/" in inside or any(w in lexicon.caption_markers for w in inside)


def _national_suffix(doc: Doc, start: int, end: int, lexicon: Lexicon) -> int:
    # a name followed by a demonym ("Conseil de sécurité russe") or a state ("… de la Russie") names that
    # country's body, not the international one of the gazetteer
    known = lexicon.lookup(doc[start:end].text)
    if (
        known is not None
        and known.type == "ORG"
        and end + 1 < len(doc)
        and fold(doc[end].text) in lexicon.of_prepositions_singular
    ):
        j = end + 1
        while j < len(doc) and doc[j].pos_ == "DET":
            j += 1
        for k in range(j + 1, min(j + 5, len(doc)) + 1):
            state = lexicon.lookup(doc[j:k].text)
            if state is not None and state.type == "GPE" and state.id != known.country:
                return k
    if (
        end < len(doc)
        and fold(doc[end].text) in lexicon.demonyms
        and doc[start].text[:1].isupper()
        and known is not None
        and known.type == "ORG"
    ):
        return end + 1
    return end


def _split_pair(doc: Doc, start: int, end: int, label: str) -> list[tuple[int, int]]:
    # "la rencontre Kim-Lavrov": a hyphenated pair of surnames is two people (one token "Kim-Lavrov" stays
    # whole: the relation extractor's nominal rules read it as a pair)
    if label == "PERSON" and end - start == 3 and doc[start + 1].text == "-":
        return [(start, start + 1), (start + 2, end)]
    return [(start, end)]


def _typed_mention(
    doc: Doc, span: Span, label: str, ent_id: str | None, sentence_of: dict[int, int], lexicon: Lexicon
) -> RawMention:
    name = surface_form(span.text)
    known = lexicon.lookup(name) or (lexicon.entries.get(ent_id) if ent_id else None)
    state = lexicon.state_for_actor(name)
    canonical, type_ = _mention_type(doc, span, label, name, known, state, lexicon)
    return RawMention(
        start=span.start,
        end=span.end,
        surface=name,
        name=known.label if known else name,
        type=type_,
        canonical=canonical,
        sentence=sentence_of.get(span.start, 0),
        char_start=span.start_char,
        char_end=span.end_char,
        state=state.id if state else None,
        cued=known is None and state is None and type_ != label and type_ in ("ORG", "PERSON"),
    )


def _mention_type(
    doc: Doc, span: Span, label: str, name: str, known: KnownEntity | None, state: KnownEntity | None, lexicon: Lexicon
) -> tuple[str | None, str]:
    """The gazetteer id and the type of a mention, from the gazetteer and the words around it."""
    canonical = known.id if known else None
    type_ = known.type if known else label
    if state and fold(name) in lexicon.institutions:
        canonical, type_ = state.id, state.type
    elif state and not known and label in _NAME_TYPES and not _used_as_place(doc, span, lexicon):
        # a capital acting ("Pékin a condamné", "Moscou et Pyongyang ont signé") is its state
        canonical, type_ = state.id, state.type
    elif fold(name) in lexicon.capitals:
        type_ = "LOC"
    elif not known and (
        _after_media_noun(doc, span.start, lexicon)
        or _after_company_noun(doc, span.start, lexicon)
        or _has_organization_form(span, lexicon)
    ):
        type_ = "ORG"
    elif (
        not known
        and type_ in ("MISC", "LOC", "ORG")
        and not (len(span) == 1 and ALL_CAPS.match(span.text))  # "le chef de file WPP": an acronym is no one
        and _after_title(doc, span.start, lexicon)
        and all(t.text[:1].isupper() for t in span)
        and fold(span[0].lemma_ or span[0].text) not in lexicon.institution_heads  # "gouverneur de la Banque…"
    ):
        type_ = "PERSON"
    elif type_ == "GPE" and not known:
        type_ = "LOC"
    if not known and type_ in ("LOC", "MISC") and fold(span[0].lemma_) in lexicon.institution_heads:
        type_ = "ORG"  # "ministère russe de la Défense", "Commission électorale": an institution
    return canonical, type_


def _used_as_place(doc: Doc, span: Span, lexicon: Lexicon) -> bool:
    """A city name used as a place: in a place context, a conjunct of a name in one ("dans les rues de Lima et
    de Quito"), or followed by a relative of place ("Lima, où il a été reçu")."""
    if _place_context(doc, span.start, lexicon):
        return True
    if any(c.i < span.start and _place_context(doc, c.i, lexicon) for c in span.root.conjuncts):
        return True
    after = span.end + (1 if span.end < len(doc) and doc[span.end].text == "," else 0)
    return after < len(doc) and fold(doc[after].text) in lexicon.place_relatives


def _place_context(doc: Doc, start: int, lexicon: Lexicon) -> bool:
    """A city name used as a place: after "à", "en", "dans", "depuis", "vers", "la capitale"..."""
    i = start - 1
    while i >= 0 and doc[i].pos_ == "DET":
        i -= 1
    if i < 0:
        return False
    word = fold(doc[i].text)
    if word in lexicon.place_cues or fold(doc[i].lemma_) in lexicon.place_cues:
        return True
    # "de Pékin" after a place noun, a movement verb or a noun named after its city ("arrivé de Pékin", "la
    # ville de Kiev", "le traité de Rome")
    return (
        word in lexicon.of_prepositions_singular
        and i > 0
        and fold(doc[i - 1].lemma_)
        in lexicon.place_cues | lexicon.movement_words | lexicon.named_after_place | lexicon.facility_nouns
    )


def _has_organization_form(span: Span, lexicon: Lexicon) -> bool:
    """ "Dantel Media Group", "Front Polisario": a name opening or ending with a legal or group form."""
    return len(span) >= 2 and any(
        t.text[:1].isupper() and fold(t.text) in lexicon.organization_forms for t in (span[0], span[-1])
    )


def _after_company_noun(doc: Doc, start: int, lexicon: Lexicon) -> bool:
    """ "le groupe publicitaire français Havas", "le constructeur Renault": a company noun and its
    adjectives right before the name."""
    i = start - 1
    while i >= 0 and doc[i].pos_ == "ADJ" and not doc[i].text[:1].isupper():
        i -= 1
    return i >= 0 and fold(doc[i].lemma_ or doc[i].text) in lexicon.company_nouns


def _after_media_noun(doc: Doc, start: int, lexicon: Lexicon) -> bool:
    # "l'agence d'Etat KCNA", "l'agence russe Tass", "le quotidien Le Monde" (not the city of its "de":
    # "les quotidiens 24 Hours de Toronto")
    if start > 0 and fold(doc[start - 1].text) in lexicon.of_prepositions_singular and doc[start - 1].pos_ == "ADP":
        return False
    window = [fold(t.lemma_ or t.text) for t in doc[max(0, start - 4) : start]]
    return any(w in lexicon.media_nouns for w in window)


def _with_leading_number(doc: Doc, span: Span, lexicon: Lexicon) -> Span:
    """ "le quotidien 20 Minutes", "les quotidiens 24 Hours": a number opening the name of a news title."""
    i = span.start - 1
    if i > 0 and doc[i].text.isdigit() and fold(doc[i - 1].lemma_ or doc[i - 1].text) in lexicon.media_nouns:
        from spacy.tokens import Span

        return Span(doc, i, span.end, label=span.label_)
    return span


def _after_title(doc: Doc, start: int, lexicon: Lexicon) -> bool:
    before = start - 1
    if before > 0 and fold(doc[before].text) in lexicon.determiners - lexicon.portfolio_prepositions:
        before -= 1
    if before >= 0 and fold(doc[before].text) in lexicon.portfolio_prepositions:
        return False  # "le président de Total", "ministre délégué au Tourisme": the title's complement
    for token in reversed(doc[max(0, start - 5) : start]):
        word = fold(token.text)
        if word in lexicon.roles or fold(token.lemma_) in lexicon.roles or word.rstrip(".") in lexicon.honorifics:
            return True
        if (token.is_punct and token.text != ",") or token.pos_ in ("VERB", "AUX"):
            return False
    return False
