"""The entities an argument token stands for: its mention, a pronoun, the name after a title, a descriptor
("les deux hommes", "le dirigeant nord-coréen", "l'armée ukrainienne"), a place noun, a gentile.

Each reading below answers for a token or passes (None) to the next one; the first answer wins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kgraph.text import fold

if TYPE_CHECKING:
    from spacy.tokens import Token

    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence

Reading = Callable[["Sentence", "Token", str, str], "list[Cluster] | None"]


def np_clusters(sentence: Sentence, token: Token) -> list[Cluster]:
    """Entities an argument token stands for, with the conjuncts of a coordination."""
    out: list[Cluster] = []
    for tok in [token, *token.conjuncts]:
        for cluster in np_cluster(sentence, tok):
            if cluster not in out:
                out.append(cluster)
    return out


def np_cluster(sentence: Sentence, token: Token) -> list[Cluster]:
    """Entities one token stands for (no coordination)."""
    cluster = sentence.cluster_at(token)
    if cluster is not None:
        return [cluster]
    word, lemma = sentence.word(token), sentence.lemma(token)
    for reading in _READINGS:
        found = reading(sentence, token, word, lemma)
        if found is not None:
            return found
    return []


def _host(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    if lemma in sentence.grammar.host_nouns and sentence.memory.hosts:
        return sentence.memory.hosts[-1:]  # "son hôte": who received the subject last
    return None


def _subject_pronoun(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    if word in sentence.grammar.subject_pronouns and token.pos_ == "PRON":
        return sentence.memory.pronoun(word, token.i)
    return None


def _object_pronoun(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    if not (word in sentence.grammar.object_clitics and token.pos_ == "PRON"):
        return None
    if token.dep_ not in sentence.deps.clitic_objects:
        return None
    # "il l'a remerciée": the person last named who is not the subject of the verb
    subject = [
        c
        for ch in sentence.children(token.head)
        if sentence.deps.is_subject(ch.dep_) and ch.i != token.i
        for c in np_cluster(sentence, ch)
    ]
    return sentence.memory.object_pronoun(token.i, subject)


def _relative(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    grammar = sentence.grammar
    if word in grammar.relative_pronouns and word not in grammar.relatives_without_antecedent and token.pos_ == "PRON":
        return sentence.antecedent(token)
    return None


def _titled_name(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    # title + name ("le ministre russe des Affaires étrangères Sergueï Lavrov"): the name after the title
    if sentence.is_role(token) or token.pos_ in ("NOUN", "PROPN", "DET"):
        named = sentence.name_after(token)
        if named is not None:
            return [named]
    return None


def _both(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    doc = sentence.doc_tokens
    grammar = sentence.grammar
    if (
        word in grammar.both_pronouns
        and token.i + 1 < sentence.end
        and sentence.word(doc[token.i + 1]) in grammar.number_two
    ):
        return sentence.memory.last_pair(persons=True, before=token.i)  # "Tous deux ont été reçus"
    return None


def _counted_two(sentence: Sentence, token: Token) -> bool:
    return any(c.pos_ == "NUM" and sentence.word(c) in sentence.grammar.number_two for c in sentence.children(token))


def _two_companies(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    company_nouns = sentence.patterns.company_nouns
    if not (_counted_two(sentence, token) and (word in company_nouns or lemma in company_nouns)):
        return None
    # "ces deux groupes": the two companies named last
    ents = sentence.ents
    orgs = [ents.clusters[k] for _s, _e, k in reversed(ents.spans_between(0, token.i))]
    pair: list[Cluster] = []
    for c in orgs:
        institution = fold(c.name).split(" ")[0] in sentence.ents.lexicon.institution_heads  # a ministry is no company
        if c.type == "ORG" and not institution and all(c is not p for p in pair):
            pair.append(c)
    pair = pair[:2]
    return pair if len(pair) == 2 else []


def _two_people(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    grammar = sentence.grammar
    if _counted_two(sentence, token) and (word in grammar.pair_nouns or lemma in grammar.pair_nouns):
        persons = word not in grammar.pair_nouns_not_persons
        return sentence.memory.last_pair(persons=persons, before=token.i, titled=sentence.is_role(token))
    return None


def _state_group(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    group_nouns = sentence.ents.lexicon.group_nouns
    if word in group_nouns or lemma in group_nouns:
        cluster = sentence.demonym_cluster(token)
        if cluster is not None:
            return [cluster]
    return None


def _state_official(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    roles = sentence.ents.lexicon.roles
    if not (word in roles or lemma in roles):
        return None
    state = sentence.demonym_state(token)
    if state is None:
        return None
    memory = sentence.memory
    if memory.described is not None and token.i in memory.described:
        return [memory.described[token.i]]  # "le chef de l'État français": the person the document names
    role_key = roles.get(lemma) or roles[word]
    person = memory.person_with_role(role_key, state)
    coordinated = any(sentence.is_role(c) for c in token.conjuncts)  # "le président chinois et le Premier ministre"
    if person is None and word not in sentence.grammar.counterpart_nouns and not coordinated:
        # "Le chef de l'État ukrainien a remercié…": a second reference to the one person named nearby
        # without a title in the nearest sentence naming any (or, when none does, in the next one)
        # a speaker described right after his verb ("a déclaré le porte-parole du gouvernement allemand") is
        # named by his function: a name in the next sentence is someone else's
        inverted = token.head.i < token.i and fold(token.head.lemma_) in sentence.patterns.reporting_verbs
        person = memory.only_untitled(
            sentence.table.sentence_start, token.i, token.i if inverted else sentence.next_end()
        )
        if person is not None:
            person.roles.append((role_key, state))
            memory.new_roles.append((person, state, token))
    return [person] if person else []


def _bare_title(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    roles = sentence.ents.lexicon.roles
    if (word in roles or lemma in roles) and sentence.bare(token):
        person = sentence.memory.person_with_role(roles.get(lemma) or roles.get(word), None)
        return [person] if person and word not in sentence.grammar.counterpart_bare_nouns else []
    return None


def _the_company(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    company_nouns = sentence.patterns.company_nouns
    if (
        (word in company_nouns or lemma in company_nouns)
        and token.pos_ == "NOUN"
        and any(sentence.word(c) in sentence.grammar.definite_determiners for c in sentence.children(token))
    ):
        company = sentence.memory.last_of_type("ORG", token.i)  # "le groupe", "l'avionneur": the company named last
        return [company] if company else []
    return None


def _place_noun(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    place_nouns = sentence.grammar.place_nouns
    if not (lemma in place_nouns or word in place_nouns):
        return None
    # "la ville de Kherson", "la région de Koursk": the place named after the noun
    doc = sentence.doc_tokens
    j = token.i + 1
    while j < min(token.i + 4, sentence.end) and (doc[j].pos_ in ("ADP", "DET", "ADJ")):
        j += 1
    place = sentence.cluster_at(doc[j]) if j < sentence.end else None
    if place is not None and place.type in ("LOC", "GPE"):
        return [place]
    # "la Crimée, péninsule annexée…": the place the noun stands beside
    described = sentence.cluster_at(token.head) if token.dep_ in sentence.deps.apposition else None
    if described is None and token.i >= 2 and doc[token.i - 1].text == ",":
        described = sentence.cluster_at(doc[token.i - 2])
    if described is not None and described.type in ("LOC", "GPE"):
        return [described]
    return None


def _gentile(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    gentiles = sentence.ents.lexicon.gentiles
    return [sentence.ents.by_canonical(gentiles[word])] if word in gentiles else None


def _group_of_capital(sentence: Sentence, token: Token, word: str, lemma: str) -> list[Cluster] | None:
    # "les médias officiels de Pyongyang": a group of a state named by its capital
    group_nouns = sentence.ents.lexicon.group_nouns
    if word in group_nouns or lemma in group_nouns:
        for child in sentence.children(token):
            near = sentence.cluster_at(child)
            if near is not None and (near.capital_of or near.type == "GPE"):
                return [sentence.ents.actor(near)]
    return None


_READINGS: tuple[Reading, ...] = (
    _host,
    _subject_pronoun,
    _object_pronoun,
    _relative,
    _titled_name,
    _both,
    _two_companies,
    _two_people,
    _state_group,
    _state_official,
    _bare_title,
    _the_company,
    _place_noun,
    _gentile,
    _group_of_capital,
)
