"""Clause reading: the entities a trigger's clause puts before and after it, through the parse and, where the
small pipeline's parse is wrong, by a bounded linear reading of the clause; passive voice; prepositional
complements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kgraph.relations.nounphrase import np_cluster, np_clusters

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from kgraph.entities import Cluster
    from kgraph.relations.context import Sentence

_NOUN_PHRASE_REACH = 12  # words after a noun trigger its complement may sit at
_ASIDE_REACH = 16  # words a relative clause set between commas may run over


def in_compound(token: Token) -> bool:
    """A piece of a hyphenated word ("libre-échange", "cessez-le-feu"): never a verb of its own."""
    pieces = token.doc.user_data.get(_COMPOUND_PIECES)
    if pieces is None:
        pieces = token.doc.user_data[_COMPOUND_PIECES] = _compound_pieces(token.doc)
    return token.i in pieces


_COMPOUND_PIECES = "kgraph.compound_pieces"


def _compound_pieces(doc: Doc) -> frozenset[int]:
    """The tokens glued to a hyphen token before or after them, found once per document."""
    pieces: set[int] = set()
    for hyphen in (t for t in doc if t.text == "-"):
        if hyphen.i > 0 and not doc[hyphen.i - 1].whitespace_:
            pieces.add(hyphen.i - 1)
        if hyphen.i + 1 < len(doc) and not hyphen.whitespace_:
            pieces.add(hyphen.i + 1)
    return frozenset(pieces)


def is_boundary(sentence: Sentence, token: Token, trigger: Token) -> bool:
    i = token.i
    if i in sentence.ents.by_token:  # a name mis-tagged as a verb ("Vladimir") closes nothing
        return False
    pos = sentence.table.pos[i]
    if pos == "SCONJ" or token.text in sentence.grammar.clause_breaks:
        return True
    if sentence.is_relative(token):
        return True
    return i != trigger.i and pos == "VERB" and "VerbForm=Fin" in sentence.features(token) and token.head.i != trigger.i


def _skip_relative_aside(sentence: Sentence, i: int) -> int | None:
    """At the comma closing ", qui appartient au groupe X,": the index to go on reading before the aside (which
    may hold commas of its own: ", qui était accompagné de son épouse, Mme X,")."""
    doc = sentence.doc_tokens
    j = i - 1
    low = max(sentence.start, i - _ASIDE_REACH)
    while j > low and not sentence.is_relative(doc[j]) and doc[j].text not in sentence.grammar.clause_breaks:
        j -= 1
    if j > sentence.start and sentence.is_relative(doc[j]) and doc[j - 1].text == ",":
        return j - 2
    return None


def _coordinated_before(sentence: Sentence, start: int, cluster: Cluster) -> list[Cluster]:
    """A subject with the names coordinated before it: "X et Y ont signé"."""
    doc = sentence.doc_tokens
    coordination = sentence.grammar.coordination
    found = [cluster]
    j = start - 1
    while (j - 1 >= sentence.start and sentence.word(doc[j]) in coordination) or (
        j >= sentence.start and doc[j].pos_ == "DET"
    ):
        if doc[j].pos_ == "DET":
            j -= 1
            continue
        other = sentence.cluster_at(doc[j - 1]) or (
            sentence.cluster_at(doc[j - 2]) if j - 2 >= sentence.start and doc[j - 1].pos_ == "DET" else None
        )
        if other is None:
            break
        found.insert(0, other)
        j = sentence.mention_start(doc[j - 1] if sentence.cluster_at(doc[j - 1]) else doc[j - 2]) - 1
    return found


def linear_left(sentence: Sentence, trigger: Token) -> list[Cluster]:
    """The subject read leftwards from the trigger inside its clause."""
    doc = sentence.doc_tokens
    deps = sentence.deps
    i = trigger.i - 1
    while i >= sentence.start:
        token = doc[i]
        if token.text == "," and (before_aside := _skip_relative_aside(sentence, i)) is not None:
            i = before_aside
            continue
        if is_boundary(sentence, token, trigger):
            return []
        cluster = sentence.cluster_at(token)
        if cluster is not None:
            start = sentence.mention_start(token)
            if sentence.preposition_before(start) is None and not sentence.in_title_complement(start):
                return _coordinated_before(sentence, start, cluster)
            i = start - 1
            continue
        if (
            token.pos_ == "PRON"
            and sentence.word(token) in sentence.grammar.subject_pronouns
            and (deps.is_subject(token.dep_) or (token.dep_ in deps.expletive_subject and token.head.i == trigger.i))
        ):
            # "il est arrivé à Brasilia": the parse may take the personal "il" of the trigger for an impersonal one
            return np_cluster(sentence, token)
        if deps.is_subject(token.dep_) and token.head.i == trigger.i:
            found = np_cluster(sentence, token)
            if found:
                return found
        i -= 1
    return []


def with_left_coordination(sentence: Sentence, found: list[Cluster]) -> list[Cluster]:
    """ "Paris et Berlin ont signé": add names coordinated before the first subject the parse kept."""
    starts = [s for s, _e, k in sentence.spans if k == found[0].key]
    if not starts:
        return found
    doc = sentence.doc_tokens
    start = sentence.start
    j = _skip_determiners_left(sentence, starts[0] - 1)
    out = list(found)
    while j - 1 >= start and sentence.word(doc[j]) in sentence.grammar.coordination:
        k = _skip_determiners_left(sentence, j - 1)
        other = sentence.cluster_at(doc[k]) if k >= start else None
        if other is None or sentence.preposition_before(sentence.mention_start(doc[k])) is not None:
            break
        if _in_complement(sentence, doc[sentence.mention_start(doc[k])]):
            break  # "Après Madrid et Lisbonne, X est arrivé": the last of a complement's list is no subject
        if other not in out:
            out.insert(0, other)
        j = _skip_determiners_left(sentence, sentence.mention_start(doc[k]) - 1)
    return out


def _in_complement(sentence: Sentence, token: Token) -> bool:
    """The token is a conjunct of a name the parse hangs as a complement, not as a subject."""
    deps = sentence.deps
    conjunct_of = token.head if token.dep_ in deps.conjunct else None
    return conjunct_of is not None and conjunct_of.dep_ in deps.complements and not deps.is_subject(conjunct_of.dep_)


def _skip_determiners_left(sentence: Sentence, j: int) -> int:
    doc = sentence.doc_tokens
    while j >= sentence.start and doc[j].pos_ == "DET":
        j -= 1
    return j


def _coordinated_after(sentence: Sentence, end: int, cluster: Cluster) -> list[Cluster]:
    """A complement with the names coordinated after it: "avec X et Y"."""
    doc = sentence.doc_tokens
    grammar = sentence.grammar
    found = [cluster]
    while end + 1 < sentence.end and sentence.word(doc[end]) in grammar.coordination:
        k = end + 1
        while k < sentence.end and (doc[k].pos_ == "DET" or sentence.word(doc[k]) in grammar.coordination_prepositions):
            k += 1
        if k >= sentence.end:
            break
        other = sentence.cluster_at(doc[k])
        if other is None and sentence.is_role(doc[k]):
            k = _titled_name_at(sentence, k)  # "entre X et le président américain Y"
            other = sentence.cluster_at(doc[k]) if k >= 0 else None
        if other is None:
            break
        found.append(other)
        end = sentence.ents.span_at[k][1]
    return found


def _titled_name_at(sentence: Sentence, title: int) -> int:
    """Where the name a title introduces starts (-1 when it introduces none)."""
    named = sentence.name_after(sentence.doc_tokens[title])
    if named is None:
        return -1
    return next((i for i in range(title + 1, sentence.end) if sentence.cluster_at(sentence.doc_tokens[i]) is named), -1)


def _leaves_noun_phrase(sentence: Sentence, token: Token) -> bool:
    return (
        token.i not in sentence.ents.by_token
        and not in_compound(token)
        and (sentence.table.pos[token.i] in ("VERB", "AUX") or token.text == ",")
    )


def linear_right(
    sentence: Sentence, trigger: Token, preps: tuple[str, ...] | None, *, nominal: bool = False
) -> list[Cluster]:
    """First entity after the trigger in its clause, with one of `preps` before it (None: no preposition).
    For a noun trigger the search stays inside its noun phrase (no verb, no comma, a few words)."""
    doc, pos = sentence.doc_tokens, sentence.table.pos
    i = trigger.i + 1
    limit = min(sentence.end, trigger.i + _NOUN_PHRASE_REACH) if nominal else sentence.end
    while i < limit:
        token = doc[i]
        if is_boundary(sentence, token, trigger) or (token.text == "," and preps is None):
            return []
        if nominal and _leaves_noun_phrase(sentence, token):
            return []
        cluster = sentence.cluster_at(token)
        if cluster is not None:
            prep = sentence.preposition_before(i)
            end = sentence.ents.span_at[i][1]
            if (preps is None and prep is None) or (preps is not None and prep is not None and prep in preps):
                return _coordinated_after(sentence, end, cluster)
            i = end
            continue
        if preps is not None and pos[i] == "NOUN" and sentence.preposition_before(i) in preps:
            found = np_cluster(sentence, token)  # "par l'armée syrienne": a descriptor after the preposition
            if found:
                return found
        if (
            preps is None
            and pos[i] in ("NOUN", "PRON")
            and token.dep_ in sentence.deps.object
            and token.head.i == trigger.i
        ):
            found = np_cluster(sentence, token)
            if found:
                return found
        i += 1
    return []


def passive(sentence: Sentence, trigger: Token) -> bool:
    # "est arrivé" is an active compound past with être; a passive has Voice=Pass, a passive subject or "par"
    grammar, deps = sentence.grammar, sentence.deps
    reflexive = any(sentence.word(c) in grammar.reflexive_clitics for c in sentence.children(trigger))
    if sentence.lemma(trigger) in sentence.patterns.etre_verbs or reflexive:
        return False
    if "Voice=Pass" in sentence.features(trigger) or any(
        c.dep_ in deps.passive_subject or c.dep_ in deps.passive_agent for c in sentence.children(trigger)
    ):
        return True
    if any(c.dep_ in deps.passive_auxiliary for c in sentence.children(trigger)):
        doc = sentence.doc_tokens
        window = doc[trigger.i + 1 : min(trigger.i + 6, sentence.end)]
        return any(sentence.word(t) in grammar.agent_prepositions for t in window)
    return False


def prepositional(sentence: Sentence, trigger: Token, preps: tuple[str, ...], nominal: bool = False) -> list[Cluster]:
    """The entities of the trigger's complements introduced by one of `preps`, in the parse or, failing
    that, read to the right."""
    deps = sentence.deps
    found: list[Cluster] = []
    # "les frappes menées par X": a participle's complements belong to the noun it describes
    participles = [
        c
        for c in sentence.children(trigger)
        if nominal and c.dep_ in deps.clausal_modifier and "VerbForm=Part" in sentence.features(c)
    ]
    for child in [*sentence.children(trigger), *(g for p in participles for g in sentence.children(p))]:
        if child.dep_ not in deps.complements:
            continue
        inside = sentence.ents.by_token.get(child.i)
        # the "du" of "Corée du Nord" belongs to the name, not to the trigger's complement
        case = [
            sentence.word(c)
            for c in sentence.children(child)
            if c.dep_ in deps.case_markers and (inside is None or sentence.ents.by_token.get(c.i) != inside)
        ]
        if (case and " ".join(case) in preps) or any(c in preps for c in case):
            for cluster in np_clusters(sentence, child):
                if cluster not in found:
                    found.append(cluster)
    if found:
        return found
    return linear_right(sentence, trigger, preps, nominal=nominal)


def beside(sentence: Sentence, trigger: Token) -> list[Cluster]:
    """ "déployés aux côtés des forces russes": the ally, a name or a descriptor."""
    doc = sentence.doc_tokens
    grammar = sentence.grammar
    first, second = grammar.beside_locution[:2]
    for i in range(trigger.i + 1, min(trigger.i + 5, sentence.end - 2)):
        if sentence.word(doc[i]) == first and sentence.word(doc[i + 1]) == second:
            j = i + 2
            while j < sentence.end and (
                sentence.word(doc[j]) in sentence.ents.lexicon.of_prepositions or doc[j].pos_ == "DET"
            ):
                j += 1
            if j < sentence.end:
                return [sentence.ents.actor(c) for c in np_cluster(sentence, doc[j])]
    return []


def compound(sentence: Sentence, trigger: Token) -> list[Cluster]:
    # "la rencontre Kim-Lavrov", "le sommet Poutine-Trump": two names joined by a hyphen after the noun
    doc = sentence.doc_tokens
    out: list[Cluster] = []
    i = trigger.i + 1
    while i < min(trigger.i + 5, sentence.end):
        tok = doc[i]
        cluster = sentence.cluster_at(tok)
        if cluster is not None:
            if cluster not in out:
                out.append(cluster)
        elif tok.text != "-" and not (tok.pos_ == "ADJ" and not out):
            break
        i += 1
    return out if len(out) >= 2 else []


def _own_clause(sentence: Sentence, trigger: Token) -> list[Token]:
    """The trigger's subtree in text order, less the clauses under it with a subject of their own ("…, X a
    répondu que c'était à P de décider" hung under the trigger by the parse)."""
    tokens: list[Token] = []
    todo = [trigger]
    while todo:
        token = todo.pop()
        tokens.append(token)
        todo += [
            c
            for c in sentence.children(token)
            if c.pos_ not in ("VERB", "AUX") or not any(sentence.deps.is_subject(g.dep_) for g in sentence.children(c))
        ]
    return sorted(tokens, key=lambda t: t.i)


def clause_place(sentence: Sentence, trigger: Token) -> list[Cluster]:
    # "a envoyé des soldats pour aider à la reconquête de la région de Koursk"
    against = sentence.grammar.against_prepositions
    for tok in _own_clause(sentence, trigger):
        cluster = sentence.cluster_at(tok)
        if (
            cluster is not None
            and cluster.type in ("LOC", "GPE")
            and tok.i > trigger.i
            and sentence.preposition_before(sentence.mention_start(tok)) not in against
        ):
            return [cluster]
    return []
