"""Titles and roles: "le ministre russe des Affaires étrangères Sergueï Lavrov", "Sergueï Lavrov, ministre
russe des Affaires étrangères,": the person holds a role in the organisations and the state the title names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kgraph.relations.found import Found, builtin
from kgraph.text import fold

if TYPE_CHECKING:
    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence

_TITLE_REACH = 14  # words a title may span before the name
_OUTER_TITLE_REACH = 4  # words from a title back to the title it stands in apposition to
# a portfolio's minister key that the lexicon's plain role keys already name
_ROLE_ALIASES = {"foreign_affairs_minister": "foreign_minister"}


@dataclass(frozen=True, slots=True)
class Title:
    """A title next to a person mention: where it starts, the organisations and state it names, its role key."""

    start: int
    orgs: list[Cluster]
    state: str | None
    role: str | None


def _title_role(sentence: Sentence, i: int, start: int) -> tuple[int, str | None]:
    """The role key of the title word at `i` (a multiword title when the lexicon has one) and its start."""
    doc = sentence.sent.doc
    roles = sentence.ents.lexicon.roles
    word, lemma = fold(doc[i].text), fold(doc[i].lemma_)
    role = roles.get(word) or roles.get(lemma)
    title_start = i
    # multiword titles: "chef de la diplomatie", "secrétaire général", "Premier ministre"
    for n in (4, 3, 2):
        phrase = fold(doc[i : min(i + n, start)].text)
        if phrase in roles:
            role = roles[phrase]
            break
    if i - 1 >= sentence.sent.start and fold(doc[i - 1 : i + 1].text) in roles:
        title_start = i - 1
        role = roles[fold(doc[i - 1 : i + 1].text)]
    return title_start, role


def title_before(sentence: Sentence, start: int) -> Title | None:
    """A title right before a person mention."""
    doc = sentence.sent.doc
    demonyms = sentence.ents.lexicon.demonyms
    orgs: list[Cluster] = []
    state: str | None = None
    i = start - 1
    if i > sentence.sent.start and doc[i].text == ",":
        i -= 1  # "le président du conseil, Denis Ranque"
    while i >= max(sentence.sent.start, start - _TITLE_REACH):
        tok = doc[i]
        word = fold(tok.text)
        cluster = sentence.cluster_at(tok)
        if cluster is not None:
            if cluster.type == "PERSON":
                return None
            orgs.insert(0, cluster)
            last = fold(cluster.name.split()[-1]) if cluster.name.split() else ""
            if last in demonyms:  # "le Conseil de sécurité russe": a body of that state
                state = state or demonyms[last]
            i = sentence.mention_start(tok) - 1
            continue
        if word in demonyms:
            state = state or demonyms[word]
        elif sentence.is_role(tok):
            title_start, role = _title_role(sentence, i, start)
            state = state or _outer_title_state(sentence, title_start)
            return Title(title_start, orgs, state, _portfolio_role(sentence, title_start, start, role))
        elif tok.is_punct or tok.pos_ not in ("DET", "ADP", "ADJ", "NOUN", "PROPN", "ADV"):
            return None
        i -= 1
    return None


def _outer_title_state(sentence: Sentence, title_start: int) -> str | None:
    """ "son homologue guinéen le général X": a title before the title, with the state's demonym."""
    doc = sentence.sent.doc
    demonyms = sentence.ents.lexicon.demonyms
    state: str | None = None
    i = title_start - 1
    while i >= max(sentence.sent.start, title_start - _OUTER_TITLE_REACH):
        tok = doc[i]
        word = fold(tok.text)
        if word in demonyms:
            state = state or demonyms[word]
        elif sentence.is_role(tok):
            return state
        elif tok.pos_ != "DET":
            return None
        i -= 1
    return None


def _portfolio_role(sentence: Sentence, title_start: int, start: int, role: str | None) -> str | None:
    """ "ministre des Affaires étrangères": a minister's role key names the portfolio."""
    text = fold(sentence.sent.doc[title_start:start].text)
    for phrase, key in sentence.ents.lexicon.portfolios.items():
        if phrase in text and role == "minister":
            role = f"{key}_minister"
    return _ROLE_ALIASES.get(role, role) if role is not None else None


def title_after(sentence: Sentence, end: int) -> Title | None:
    """ "Sergueï Lavrov, ministre russe des Affaires étrangères," : a title in apposition after the name."""
    doc = sentence.sent.doc
    if end >= sentence.sent.end or doc[end].text != ",":
        return None
    i = end + 1
    while i < sentence.sent.end and (doc[i].pos_ == "DET" or fold(doc[i].text) in sentence.grammar.title_modifiers):
        i += 1
    if i >= sentence.sent.end or not sentence.is_role(doc[i]):
        return None
    j = i
    while j < min(sentence.sent.end, i + 10) and doc[j].text != "," and doc[j].pos_ not in ("VERB", "AUX"):
        j += 1
    return title_before(sentence, j) if j > i else None


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
        title = title_before(sentence, start) or title_after(sentence, end)
        if title is None:
            continue
        label_tokens = sentence.sent.doc[title.start : start] if title.start < start else None
        targets: list[Cluster] = [o for o in title.orgs if o.type in ("ORG", "GPE")]
        if title.state is not None:
            targets.append(sentence.ents.by_canonical(title.state))
        cluster.roles.append((title.role or "member", title.state))
        for target in targets:
            label = label_tokens.text.strip(" ,") if label_tokens is not None else (title.role or "role")
            yield Found(
                cluster,
                sentence.ents.actor(target) if target.capital_of else target,
                builtin(language, "role.title", "role", label.strip()),
                sentence.sent.doc[start],
                0.85,
            )


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
