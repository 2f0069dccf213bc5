"""Titles and roles: "le ministre russe des Affaires étrangères Sergueï Lavrov", "Sergueï Lavrov, ministre
russe des Affaires étrangères,": the person holds a role in the organisations and the state the title names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kgraph.relations.found import Found, builtin
from kgraph.text import fold

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence

_TITLE_REACH = 14  # words a title may span before the name
_OUTER_TITLE_REACH = 4  # words from a title back to the title it stands in apposition to
_COMPLEMENT_REACH = 4  # words from a title to the state in its complement ("le président de la France")
_CONTRAST_REACH = 12  # words around a title where a coordinated title may name another state
_NOMINAL = ("NOUN", "PROPN")
_BRACKETS = ("(", ")")
_MULTIWORD_REACH = 4  # words a multiword title may span ("chef de la diplomatie")
_MINISTER_SUFFIX = "_minister"  # the role key of a portfolio's minister ("finance_minister")
# a portfolio's minister key that the lexicon's plain role keys already name
_ROLE_ALIASES = {"foreign_affairs_minister": "foreign_minister"}


@dataclass(frozen=True, slots=True)
class Title:
    """A title next to a person mention: where it starts, the organisations and state it names, its role key,
    and the places whose name is the title word's own complement ("le maire de Lyon")."""

    start: int
    orgs: list[Cluster]
    state: str | None
    role: str | None
    places: tuple[Cluster, ...] = ()


def _title_role(sentence: Sentence, i: int, start: int) -> tuple[int, str | None]:
    """The role key of the title word at `i` (a multiword title when the lexicon has one) and its start."""
    doc = sentence.doc_tokens
    roles = sentence.ents.lexicon.roles
    word, lemma = sentence.word(doc[i]), sentence.lemma(doc[i])
    role = roles.get(word) or roles.get(lemma)
    title_start = i
    # multiword titles: "chef de la diplomatie", "secrétaire général", "Premier ministre"
    for n in (4, 3, 2):
        phrase = fold(sentence.span_text(i, min(i + n, start)))
        if phrase in roles:
            role = roles[phrase]
            break
    if i - 1 >= sentence.start and fold(sentence.span_text(i - 1, i + 1)) in roles:
        title_start = i - 1
        role = roles[fold(sentence.span_text(i - 1, i + 1))]
    return title_start, role


def _title_complement_at(sentence: Sentence, first: int) -> bool:
    """The mention starting at `first` is the complement of the title word right before it ("maire de Lyon",
    "chef de la direction de Québecor"), not of another noun ("l'hôpital de Grenoble")."""
    doc = sentence.doc_tokens
    k = first - 1
    while k > sentence.start and doc[k].pos_ == "DET":
        k -= 1
    if k <= sentence.start or doc[k].pos_ != "ADP":
        return False
    return sentence.is_role(doc[k - 1]) or _multiword_start(sentence, k - 1) is not None


def _multiword_start(sentence: Sentence, i: int) -> int | None:
    """The first word of a multiword title of the lexicon that ends at `i` ("numéro deux"), if any."""
    roles = sentence.ents.lexicon.roles
    for k in range(max(sentence.start, i - _MULTIWORD_REACH + 1), i):
        if fold(sentence.span_text(k, i + 1)) in roles:
            return k
    return None


def _starts_title(sentence: Sentence, i: int) -> bool:
    """A title word, or the first word of a multiword title ("numéro deux"), at `i`."""
    doc = sentence.doc_tokens
    roles = sentence.ents.lexicon.roles
    end = min(sentence.end, i + _MULTIWORD_REACH)
    return sentence.is_role(doc[i]) or any(fold(sentence.span_text(i, j)) in roles for j in range(i + 2, end + 1))


def title_before(sentence: Sentence, start: int) -> Title | None:
    """A title right before a person mention."""
    doc = sentence.doc_tokens
    demonyms = sentence.ents.lexicon.demonyms
    orgs: list[Cluster] = []
    places: list[Cluster] = []
    state: str | None = None
    i = start - 1
    if i > sentence.start and doc[i].text == ",":
        i -= 1  # "le président du conseil, Denis Ranque"
    while i >= max(sentence.start, start - _TITLE_REACH):
        tok = doc[i]
        word = sentence.word(tok)
        cluster = sentence.cluster_at(tok)
        if cluster is not None:
            if cluster.type == "PERSON":
                return None
            first = sentence.mention_start(tok)
            posting = first > sentence.start and sentence.word(doc[first - 1]) in sentence.grammar.country_prepositions
            if not posting:  # "l'ambassadeur de Russie au Mali": Mali is where he serves, not whom
                orgs.insert(0, cluster)
            if not posting and cluster.type == "LOC" and _title_complement_at(sentence, first):
                places.insert(0, cluster)  # "le directeur de l'Observatoire X" (a body the model types a place)
            last = fold(cluster.name.split()[-1]) if cluster.name.split() else ""
            if last in demonyms:  # "le Conseil de sécurité russe": a body of that state
                state = state or demonyms[last]
            i = first - 1
            continue
        multiword = _multiword_start(sentence, i)
        if multiword is not None and not sentence.is_role(tok):
            i = multiword  # "numéro deux du parti"
            tok, word = doc[i], sentence.word(doc[i])
        if word in demonyms:
            state = state or demonyms[word]
        elif sentence.is_role(tok) or multiword is not None:
            title_start, role = _title_role(sentence, i, start)
            state = state or _outer_title_state(sentence, title_start) or _government_of_member(sentence, title_start)
            role = _portfolio_role(sentence, title_start, start, role)
            return Title(title_start, orgs, state, role, tuple(places))
        elif tok.text in _BRACKETS:
            pass  # "le commandant de la 27e brigade (BIM)": the short form in brackets names the same body
        elif tok.is_punct or tok.pos_ not in ("DET", "ADP", "ADJ", "NOUN", "PROPN", "ADV", "NUM"):
            return None
        elif word in sentence.grammar.title_breaking_prepositions:
            return None  # "le président du Venezuela au cours d'une conférence avec M. X"
        i -= 1
    return None


def _outer_title_state(sentence: Sentence, title_start: int) -> str | None:
    """ "son homologue guinéen le général X": a title before the title, with the state's demonym."""
    doc = sentence.doc_tokens
    demonyms = sentence.ents.lexicon.demonyms
    state: str | None = None
    i = title_start - 1
    while i >= max(sentence.start, title_start - _OUTER_TITLE_REACH):
        tok = doc[i]
        word = sentence.word(tok)
        if word in demonyms:
            state = state or demonyms[word]
        elif sentence.is_role(tok):
            return state
        elif tok.pos_ != "DET":
            return None
        i -= 1
    return None


def _government_of_member(sentence: Sentence, title_start: int) -> str | None:
    """ "le gouvernement irlandais, dont la ministre de la Santé X": a member of the government
    named right before "dont" is of its state."""
    doc = sentence.doc_tokens
    i = title_start - 1
    while i > sentence.start and doc[i].pos_ == "DET":
        i -= 1
    if i <= sentence.start or sentence.word(doc[i]) not in sentence.grammar.partitive_relatives:
        return None
    for tok in reversed(doc[max(sentence.start, i - _OUTER_TITLE_REACH) : i]):
        if sentence.lemma(tok) in sentence.grammar.government_nouns:
            return _state_of_title(sentence, tok)
    return None


def _portfolio_role(sentence: Sentence, title_start: int, start: int, role: str | None) -> str | None:
    """ "ministre des Affaires étrangères": a minister's role key names the portfolio."""
    text = fold(sentence.span_text(title_start, start))
    for phrase, key in sentence.ents.lexicon.portfolios.items():
        if phrase in text and role == "minister":
            role = f"{key}_minister"
    return _ROLE_ALIASES.get(role, role) if role is not None else None


def title_after(sentence: Sentence, end: int) -> Title | None:
    """ "Sergueï Lavrov, ministre russe des Affaires étrangères," : a title in apposition after the name."""
    doc = sentence.doc_tokens
    if end >= sentence.end or doc[end].text != ",":
        return None
    i = end + 1
    while i < sentence.end and (doc[i].pos_ == "DET" or sentence.word(doc[i]) in sentence.grammar.title_modifiers):
        i += 1
    if i >= sentence.end or not _starts_title(sentence, i):
        return None
    j = i
    while j < min(sentence.end, i + _TITLE_REACH) and doc[j].text != "," and doc[j].pos_ not in ("VERB", "AUX"):
        if _is_person(sentence, doc[j]):
            break  # "X, proche du Premier ministre Y": the title ends before another person's name
        j += 1
    return title_before(sentence, j) if j > i else None


def _is_person(sentence: Sentence, token: Token) -> bool:
    """The token is part of a person mention."""
    cluster = sentence.cluster_at(token)
    return cluster is not None and cluster.type == "PERSON"


def _government_role(sentence: Sentence, role: str | None) -> bool:
    """A role in a state's government: a head of state or government, a minister of any portfolio."""
    return role is not None and (role in sentence.grammar.government_roles or role.endswith(_MINISTER_SUFFIX))


def _state_of_title(sentence: Sentence, token: Token) -> str | None:
    """The state a title word or a government noun names: "le ministre français", "le président du Sénégal"."""
    doc = sentence.doc_tokens
    # "le secrétaire d'État américain": the demonym may follow a later word of the title
    words = [t for t in doc[token.i : min(token.i + _COMPLEMENT_REACH, sentence.end)] if t.pos_ in _NOMINAL]
    for word in words:
        state = sentence.demonym_state(word)
        if state is not None:
            return state
    for tok in doc[token.i + 1 : min(token.i + _COMPLEMENT_REACH, sentence.end)]:
        cluster = sentence.cluster_at(tok)
        if cluster is not None:
            return cluster.capital_of or (cluster.canonical if cluster.type == "GPE" else None)
        if tok.pos_ not in ("ADP", "DET"):
            return None
    return None


def _state_naming_word(sentence: Sentence, token: Token) -> bool:
    """A government title, a counterpart ("son homologue brésilien") or a government noun."""
    lexicon_roles = sentence.ents.lexicon.roles
    lemma = sentence.lemma(token)
    role = lexicon_roles.get(lemma) or lexicon_roles.get(sentence.word(token))
    if role is not None:
        role = _title_role(sentence, token.i, sentence.end)[1]  # "chef de la diplomatie"
    grammar = sentence.grammar
    return _government_role(sentence, role) or lemma in grammar.government_nouns or lemma in grammar.counterpart_nouns


def _title_complement(sentence: Sentence, start: int) -> bool:
    """ "le ministre de l'Agriculture", "le président de la République": a name right after "de" or "à" is
    the title's complement, not the person who holds it."""
    doc = sentence.doc_tokens
    i = start - 1
    while i >= sentence.start and doc[i].pos_ == "DET":
        i -= 1
    if i >= sentence.start and sentence.word(doc[i]) in sentence.grammar.complement_prepositions:
        return True
    # "ministre de l’Agriculture" (the curly elision may parse as a noun): the portfolio itself (the
    # lexicon's portfolios are folded when it is loaded)
    mention = fold(sentence.span_text(start, sentence.ents.span_at[start][1]))
    endings = (f" {mention}", f"'{mention}", f"’{mention}")
    return any(phrase.endswith(endings) for phrase in sentence.ents.lexicon.portfolios)


def _government_states(sentence: Sentence) -> frozenset[str]:
    """The states a document's government titles and nouns name ("le ministre français des Finances",
    "le gouvernement malien"), worked out once per document."""
    memory = sentence.memory
    if memory.government_states is None:
        states: set[str] = set()
        for other in sentence.document:
            states.update(
                state
                for tok in other.tokens
                if _state_naming_word(other, tok) and (state := _state_of_title(other, tok)) is not None
            )
        memory.government_states = frozenset(states)
    return memory.government_states


def _contrasted(sentence: Sentence, title: Title, end: int) -> bool:
    """ "du ministre de l'Economie, X et du ministre égyptien de l'Energie": a title coordinated with one that
    names a state is, by the contrast, not of that state."""
    doc = sentence.doc_tokens
    window = doc[max(sentence.start, title.start - _CONTRAST_REACH) : min(sentence.end, end + _CONTRAST_REACH)]
    coordinated = any(sentence.word(t) in sentence.grammar.coordination for t in window)
    return coordinated and any(
        t.i != title.start and _state_naming_word(sentence, t) and _state_of_title(sentence, t) is not None
        for t in window
    )


def _document_state(sentence: Sentence, cluster: Cluster, title: Title, end: int) -> str | None:
    """The state of a government title that names none ("le Premier ministre X"), from the document: the one
    state its other government titles and nouns name; None when they name several, or none."""
    if title.state is not None or title.orgs or not _government_role(sentence, title.role):
        return None
    if any(state is not None for _role, state in cluster.roles) or _contrasted(sentence, title, end):
        return None
    if _with_counterpart(sentence):
        return None
    spoken = _reported_state(sentence, title.start)
    if spoken is not None:
        return spoken
    states = _government_states(sentence)
    return next(iter(states)) if len(states) == 1 else None


def _with_counterpart(sentence: Sentence) -> bool:
    """ "X a été reçu … par son homologue Y": two officials of two states, so the one state the document's
    government words name (often the host's) is not shown to be X's."""
    grammar = sentence.grammar
    return any(w in grammar.counterpart_nouns or w in grammar.host_nouns for w in sentence.words)


def _reported_state(sentence: Sentence, title_start: int) -> str | None:
    """ "Le ministre des Affaires étrangères, X, a affirmé que la France condamne…": the state that is the
    subject of what the official reports speaks through him."""
    deps = sentence.deps
    head = sentence.doc_tokens[title_start]
    while head.dep_ not in deps.root and not deps.is_subject(head.dep_) and head.head.i != head.i:
        head = head.head
    verb = head.head
    if not deps.is_subject(head.dep_) or sentence.lemma(verb) not in sentence.patterns.reporting_verbs:
        return None
    states = {
        c.canonical
        for clause in sentence.children(verb)
        if clause.dep_ in deps.clausal_complements
        for subject in sentence.children(clause)
        if deps.is_subject(subject.dep_)
        and (c := sentence.cluster_at(subject)) is not None
        and c.type == "GPE"
        and c.canonical is not None
    }
    return next(iter(states)) if len(states) == 1 else None


def _portfolio_start(sentence: Sentence, start: int) -> int:
    """ "les ministres de la Défense A et des Affaires étrangères B": the start of a bare portfolio that opens
    with a preposition right before the name, or `start` when there is none."""
    doc = sentence.doc_tokens
    i = start - 1
    while i > max(sentence.start, start - _MULTIWORD_REACH - 1) and doc[i].pos_ in ("NOUN", "ADJ", "DET"):
        if sentence.cluster_at(doc[i]) is not None or sentence.is_role(doc[i]):
            return start
        i -= 1
    return i if doc[i].pos_ == "ADP" and i < start - 1 else start


def shared_title(sentence: Sentence, start: int) -> Title | None:
    """ "leurs homologues philippins A et B", "les ministres X, A, B et C": a plural title before a list of
    names is the title of every name in the list."""
    doc = sentence.doc_tokens
    i = _portfolio_start(sentence, start) - 1
    if i - 1 < sentence.start or not (doc[i].text == "," or sentence.word(doc[i]) in sentence.grammar.coordination):
        return None
    before = sentence.cluster_at(doc[i - 1])
    if before is None or before.type != "PERSON":
        return None
    first = sentence.mention_start(doc[i - 1])
    title = title_before(sentence, first) or shared_title(sentence, first)
    if title is None:
        return None
    plural = any(sentence.is_role(t) and "Number=Plur" in sentence.features(t) for t in doc[title.start : first])
    return title if plural else None


def person_title(sentence: Sentence, start: int, end: int) -> Title | None:
    """The title of the person mention `start`..`end`: before the name, shared with a list of names, or in
    apposition after it (worked out once per mention: the descriptions of the document read them all first)."""
    titles = sentence.memory.titles
    if (start, end) not in titles:
        titles[start, end] = _person_title(sentence, start, end)
    return titles[start, end]


def _person_title(sentence: Sentence, start: int, end: int) -> Title | None:
    before = None if _title_complement(sentence, start) else title_before(sentence, start)
    title = before or shared_title(sentence, start)
    if title is None or (not title.orgs and title.state is None):
        # "le général X, commandant de la 27e brigade": the apposition names what the rank does not
        title = title_after(sentence, end) or title
    return title


def title_state(title: Title) -> str | None:
    """The state a title names: by its demonym, or as the organisation of the title ("président du Sénégal")."""
    return title.state or next((o.canonical for o in title.orgs if o.type == "GPE"), None)


def role_key(sentence: Sentence, token: Token) -> str | None:
    """The role key of a title word, a multiword title when the lexicon has one ("chef de l'État")."""
    return _title_role(sentence, token.i, sentence.end)[1]


def iter_roles(sentence: Sentence) -> Iterator[Found]:
    """A person's role in each organisation and state the title before or after the name names."""
    seen: set[int] = set()
    language = sentence.patterns.language
    for start, end, key in sentence.spans:
        if start in seen:
            continue
        cluster = sentence.ents.clusters[key]
        if cluster.type != "PERSON":
            continue
        seen.add(start)
        title = person_title(sentence, start, end)
        if title is None:
            continue
        label = sentence.span_text(title.start, start).strip(" ,") if title.start < start else (title.role or "role")
        targets: list[Cluster] = [o for o in title.orgs if o.type in ("ORG", "GPE")] + list(title.places)
        if title.state is not None:
            targets.append(sentence.ents.by_canonical(title.state))
        implied = _document_state(sentence, cluster, title, end)
        trigger = sentence.doc_tokens[start]
        cluster.roles.append((title.role or "member", title_state(title) or implied))
        for target in targets:
            yield Found(
                cluster,
                sentence.ents.actor(target) if target.capital_of else target,
                builtin(language, "role.title", "role", label.strip()),
                trigger,
                0.85,
            )
        if implied is not None:
            state = sentence.ents.by_canonical(implied)
            yield Found(cluster, state, builtin(language, "role.context", "role", label.strip()), trigger, 0.6)


def represented_states(sentence: Sentence, targets: list[Cluster]) -> list[Cluster]:
    """States whose envoy a sentence names with a title ("le chef de la diplomatie russe X"): support
    given to an official so introduced is support given to the state."""
    out: list[Cluster] = []
    for target in targets:
        if target.type != "PERSON":
            continue
        for start, _end, key in sentence.spans:
            if key == target.key:
                title = title_before(sentence, start)
                if title is not None and title.state is not None:
                    out.append(sentence.ents.by_canonical(title.state))
    return out
