"""Typed relations of one document, read off spaCy's dependency parse and lemmas with data-driven patterns.

The French small pipeline's parse is often wrong on news prose (a finite verb taken for an adjective, a
subject attached to the wrong clause), so each argument is looked up in the parse first and, failing
that, by a bounded linear reading of the clause around the trigger.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kgraph.dates import find_dates
from kgraph.entities import _INSTITUTION_HEADS, Cluster, DocEntities
from kgraph.models import Evidence, Mention, Relation
from kgraph.patterns import PatternSet, RelationPattern
from kgraph.text import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "csubj"})
_OBJECT_DEPS = frozenset({"obj", "iobj", "ccomp"})
_PP_DEPS = frozenset({"obl", "obl:arg", "obl:mod", "obl:agent", "nmod", "iobj", "advmod", "dep", "appos"})
# words that close a clause when reading linearly
_CLAUSE_BREAKS = frozenset({";", ":", "—", "–", "(", ")", "«", "»", '"', "“", "”"})
_RELATIVE = frozenset({"qui", "que", "qu'", "qu", "dont", "ou", "lequel", "laquelle", "lesquels", "lesquelles"})
_PERSONAL_SUBJECTS = {"il": "sing", "elle": "sing", "ils": "plur", "elles": "plur"}
_OBJECT_CLITICS = frozenset({"l'", "le", "la", "lui"})
_PAIR_NOUNS = frozenset(
    {
        "homme",
        "hommes",
        "dirigeant",
        "dirigeants",
        "partie",
        "parties",
        "pays",
        "ministre",
        "ministres",
        "responsable",
        "responsables",
        "chef",
        "chefs",
        "leader",
        "leaders",
        "president",
        "presidents",
        "femme",
        "femmes",
        "capitale",
        "capitales",
        "voisin",
        "voisins",
        "allie",
        "allies",
    }
)
_PLACE_PREPS = frozenset({"a", "en", "au", "aux", "dans"})
_LOCATION_HEADS = frozenset(
    {
        "cote",
        "sud",
        "nord",
        "est",
        "ouest",
        "centre",
        "region",
        "province",
        "frontiere",
        "sud-est",
        "sud-ouest",
        "nord-est",
        "nord-ouest",
        "peninsule",
        "littoral",
        "banlieue",
        "capitale",
        "pres",
        "large",
        "coeur",
        "oblast",
        "departement",
        "territoire",
        "pres de",
    }
)


@dataclass(slots=True)
class _Found:
    """Relation candidate before it becomes a record."""

    source: Cluster
    target: Cluster
    pattern: RelationPattern
    trigger: Token
    confidence: float


def _builtin(pattern_id: str, relation: str, label: str) -> RelationPattern:
    """A relation kind the extractor finds by its own rules (titles, locations, attribution), not by a
    pattern of the language file."""
    return RelationPattern(
        id=pattern_id, relation=relation, label=label, pos="noun", lemmas=frozenset(), source=(), target=()
    )


class _Sentence:
    """One sentence with the document's entities, the resolver's memory and the pattern set."""

    def __init__(self, sent: Span, ents: DocEntities, patterns: PatternSet, memory: _Memory, number: int = 0) -> None:
        self.sent = sent
        self.number = number  # the sentence's index in the document
        self.ents = ents
        self.patterns = patterns
        self.memory = memory
        self.preps = patterns.prepositions
        self.spans = ents.spans_between(sent.start, sent.end)  # this sentence's mentions

    # --- entity lookup -----------------------------------------------------------------------
    def cluster_at(self, token: Token) -> Cluster | None:
        return self.ents.at(token.i)

    def mention_start(self, token: Token) -> int:
        start = token.i
        while start - 1 >= self.sent.start and self.ents.by_token.get(start - 1) == self.ents.by_token.get(token.i):
            start -= 1
        return start

    def preposition_before(self, index: int) -> str | None:
        """The preposition governing a mention starting at `index`, skipping determiners, adjectives, titles."""
        doc = self.sent.doc
        i = index - 1
        steps = 0
        while i >= self.sent.start and steps < 8:
            token = doc[i]
            word = fold(token.text)
            if token.pos_ == "ADP" or word in {
                "a",
                "au",
                "aux",
                "en",
                "de",
                "du",
                "des",
                "d'",
                "par",
                "avec",
                "contre",
                "entre",
                "selon",
                "vers",
                "dans",
                "sur",
                "pour",
                "chez",
            }:
                if (
                    word in {"de", "du", "des", "d'"}
                    and i - 2 >= self.sent.start
                    and fold(doc[i - 1].text) == "cotes"
                    and fold(doc[i - 2].text) == "aux"
                ):
                    return "aux cotes de"
                if word in {"des", "du"} and token.pos_ == "DET":
                    return None
                return word
            if token.pos_ in ("DET", "ADJ", "NUM") or word in self.ents.lexicon.roles or token.is_space:
                i -= 1
                steps += 1
                continue
            return None
        return None

    def np_clusters(self, token: Token) -> list[Cluster]:
        """Entities an argument token stands for: its mention, the name after a title, a descriptor, a pronoun;
        with the conjuncts of a coordination."""
        out: list[Cluster] = []
        for tok in [token, *token.conjuncts]:
            for cluster in self._np_cluster(tok):
                if cluster not in out:
                    out.append(cluster)
        return out

    def _np_cluster(self, token: Token) -> list[Cluster]:
        cluster = self.cluster_at(token)
        if cluster is not None:
            return [cluster]
        lexicon = self.ents.lexicon
        word = fold(token.text)
        lemma = fold(token.lemma_)
        if lemma in ("hote", "hotes") and self.memory.hosts:
            return self.memory.hosts[-1:]  # "son hôte": who received the subject last
        if word in _PERSONAL_SUBJECTS and token.pos_ == "PRON":
            return self.memory.pronoun(word, token.i)
        if word in _OBJECT_CLITICS and token.pos_ == "PRON" and token.dep_ in ("obj", "iobj"):
            # "il l'a remerciée": the person last named who is not the subject of the verb
            subject = [
                c
                for ch in token.head.children
                if ch.dep_.startswith("nsubj") and ch.i != token.i
                for c in self._np_cluster(ch)
            ]
            return self.memory.object_pronoun(token.i, subject)
        if word in _RELATIVE and word not in ("ou", "dont") and token.pos_ == "PRON":
            return self._antecedent(token)
        # title + name ("le ministre russe des Affaires étrangères Sergueï Lavrov"): the name after the title
        if lemma in lexicon.roles or word in lexicon.roles or token.pos_ in ("NOUN", "PROPN", "DET"):
            named = self._name_after(token)
            if named is not None:
                return [named]
        # descriptor without a name: "les deux hommes", "le dirigeant nord-coréen", "l'armée ukrainienne"
        if (
            word in ("tous", "toutes")
            and token.i + 1 < self.sent.end
            and fold(self.sent.doc[token.i + 1].text) == "deux"
        ):
            return self.memory.last_pair(persons=True, before=token.i)  # "Tous deux ont été reçus"
        number = [c for c in token.children if c.pos_ == "NUM" and fold(c.text) == "deux"]
        if number and (word in self.patterns.company_nouns or lemma in self.patterns.company_nouns):
            # "ces deux groupes": the two companies named last
            orgs = [self.ents.clusters[k] for _s, _e, k in reversed(self.ents.spans_between(0, token.i))]
            pair: list[Cluster] = []
            for c in orgs:
                institution = fold(c.name).split(" ")[0] in _INSTITUTION_HEADS  # a ministry is no company
                if c.type == "ORG" and not institution and all(c is not p for p in pair):
                    pair.append(c)
            pair = pair[:2]
            return pair if len(pair) == 2 else []
        if number and (word in _PAIR_NOUNS or lemma in _PAIR_NOUNS):
            return self.memory.last_pair(persons=word not in {"pays", "parties", "capitales", "partie"}, before=token.i)
        state = self._demonym_state(token)
        if state is not None and (word in lexicon.group_nouns or lemma in lexicon.group_nouns):
            return [c for c in [self.demonym_cluster(token)] if c is not None]
        if state is not None and (word in lexicon.roles or lemma in lexicon.roles):
            role_key = lexicon.roles.get(lemma) or lexicon.roles[word]
            person = self.memory.person_with_role(role_key, state)
            if person is None and word not in ("homologue", "homologues"):
                # "Le chef de l'État ukrainien a remercié…": a second reference to someone named without a title
                untitled = [c for t, c in reversed(self.memory.persons) if t < token.i and not c.roles]
                if untitled:
                    person = untitled[0]
                    person.roles.append((role_key, state))
                    self.memory.new_roles.append((person, state, token))
            return [person] if person else []
        if (word in lexicon.roles or lemma in lexicon.roles) and self._bare(token):
            person = self.memory.person_with_role(lexicon.roles.get(lemma) or lexicon.roles.get(word), None)
            return [person] if person and fold(token.text) != "homologue" else []
        if (
            (word in self.patterns.company_nouns or lemma in self.patterns.company_nouns)
            and token.pos_ == "NOUN"
            and any(fold(c.text) in ("le", "la", "l'", "ce", "cette") for c in token.children)
        ):
            company = self.memory.last_of_type("ORG", token.i)  # "le groupe", "l'avionneur": the company named last
            return [company] if company else []
        if lemma in _PLACE_NOUNS or word in _PLACE_NOUNS:
            # "la ville de Kherson", "la région de Koursk": the place named after the noun
            doc = self.sent.doc
            j = token.i + 1
            while j < min(token.i + 4, self.sent.end) and (doc[j].pos_ in ("ADP", "DET", "ADJ")):
                j += 1
            place = self.cluster_at(doc[j]) if j < self.sent.end else None
            if place is not None and place.type in ("LOC", "GPE"):
                return [place]
            # "la Crimée, péninsule annexée…": the place the noun stands beside
            described = self.cluster_at(token.head) if token.dep_ == "appos" else None
            if described is None and token.i >= 2 and doc[token.i - 1].text == ",":
                described = self.cluster_at(doc[token.i - 2])
            if described is not None and described.type in ("LOC", "GPE"):
                return [described]
        if word in lexicon.gentiles:
            return [self.ents.by_canonical(lexicon.gentiles[word])]
        # "les médias officiels de Pyongyang": a group of a state named by its capital
        if word in lexicon.group_nouns or lemma in lexicon.group_nouns:
            for child in token.children:
                near = self.cluster_at(child)
                if near is not None and (near.capital_of or near.type == "GPE"):
                    return [self.ents.actor(near)]
        return []

    def _bare(self, token: Token) -> bool:
        """A noun phrase with nothing after its head ("le président a déclaré")."""
        nxt = self.sent.doc[token.i + 1] if token.i + 1 < self.sent.end else None
        return nxt is None or nxt.is_punct or nxt.pos_ in ("VERB", "AUX", "ADV")

    def _demonym_state(self, token: Token) -> str | None:
        adjective = self._demonym_adjective(token)
        return self.ents.lexicon.demonyms[fold(adjective.text)] if adjective is not None else None

    def _demonym_adjective(self, token: Token) -> Token | None:
        lexicon = self.ents.lexicon
        for child in token.children:
            if child.dep_ in ("amod", "nmod", "acl") and fold(child.text) in lexicon.demonyms:
                return child
        doc = self.sent.doc
        # the parse may attach the adjective elsewhere: read the words right after the noun
        for tok in doc[token.i + 1 : min(token.i + 5, self.sent.end)]:
            if fold(tok.text) in lexicon.demonyms:
                return tok
            if tok.pos_ not in ("ADJ", "ADP", "DET", "NOUN") or tok.is_punct:
                break
        return None

    def demonym_cluster(self, token: Token) -> Cluster | None:
        """The state an adjective next to `token` names ("les troupes russes": Russie), as a relation's end:
        the adjective counts as a mention of the state, which may be named nowhere else."""
        adjective = self._demonym_adjective(token)
        if adjective is None:
            return None
        cluster = self.ents.by_canonical(self.ents.lexicon.demonyms[fold(adjective.text)])
        if all(m.start != adjective.idx for m in cluster.mentions):
            end = adjective.idx + len(adjective.text)
            cluster.mentions.append(Mention(text=adjective.text, start=adjective.idx, end=end, sentence=self.number))
        return cluster

    def _name_after(self, token: Token) -> Cluster | None:
        """The person (or entity) named right after a title noun phrase starting at `token`."""
        doc = self.sent.doc
        lexicon = self.ents.lexicon
        first_entity: Cluster | None = None
        company = fold(token.lemma_) in self.patterns.company_nouns  # "le développeur allemand VSB"
        saw_title = fold(token.lemma_) in lexicon.roles or fold(token.text) in lexicon.roles or company
        i = token.i + 1
        while i < min(token.i + 12, self.sent.end):
            tok = doc[i]
            cluster = self.cluster_at(tok)
            if cluster is not None:
                if cluster.type == "PERSON" or (company and cluster.type in ("ORG", "MISC")):
                    return cluster
                if not saw_title:
                    return None
                first_entity = first_entity or cluster
                i = max(i + 1, self.ents.span_at[i][1])
                continue
            word = fold(tok.text)
            if word in lexicon.roles or fold(tok.lemma_) in lexicon.roles:
                saw_title = True
            elif (
                tok.text == ","
                and saw_title
                and i + 1 < self.sent.end
                and (named := self.cluster_at(doc[i + 1])) is not None
                and named.type == "PERSON"
            ):
                pass  # "le président du conseil, Denis Ranque": the name in apposition
            elif (
                tok.is_punct
                or tok.pos_ in ("VERB", "AUX", "SCONJ", "PRON", "CCONJ")
                or (tok.pos_ == "ADP" and word not in {"de", "du", "des", "d'"})
                or (tok.pos_ in ("NOUN", "PROPN") and not saw_title)
            ):
                break
            i += 1
        return None

    def _antecedent(self, token: Token) -> list[Cluster]:
        """A relative pronoun stands for the nearest entity before it that is not inside a complement
        ("Sergueï Choïgou, secrétaire du Conseil de la Russie, qui…" is Choïgou)."""
        doc = self.sent.doc
        fallback: list[Cluster] = []
        i = token.i - 1
        while i > max(self.sent.start - 1, token.i - 14):
            cluster = self.cluster_at(doc[i])
            if cluster is not None:
                start = self.mention_start(doc[i])
                if self.preposition_before(start) is None and (
                    cluster.type == "PERSON" or not self._in_title_complement(start)
                ):
                    return [cluster]
                fallback = fallback or [cluster]
                i = start
            i -= 1
        return fallback

    # --- clause reading ------------------------------------------------------------------------
    def _is_boundary(self, token: Token, trigger: Token) -> bool:
        if token.i in self.ents.by_token:  # a name mis-tagged as a verb ("Vladimir") closes nothing
            return False
        if token.text in _CLAUSE_BREAKS or token.pos_ == "SCONJ":
            return True
        if token.pos_ == "PRON" and fold(token.text) in _RELATIVE:
            return True
        return (
            token.i != trigger.i
            and token.pos_ == "VERB"
            and "Fin" in token.morph.get("VerbForm", [])
            and token.head.i != trigger.i
        )

    def linear_left(self, trigger: Token) -> list[Cluster]:
        doc = self.sent.doc
        i = trigger.i - 1
        while i >= self.sent.start:
            token = doc[i]
            if token.text == ",":
                # ", qui appartient au groupe X," is an aside: continue before it
                j = i - 1
                while (
                    j > self.sent.start
                    and doc[j].text != ","
                    and not (doc[j].pos_ == "PRON" and fold(doc[j].text) in _RELATIVE)
                ):
                    j -= 1
                if (
                    j > self.sent.start
                    and doc[j].pos_ == "PRON"
                    and fold(doc[j].text) in _RELATIVE
                    and doc[j - 1].text == ","
                ):
                    i = j - 2
                    continue
            if self._is_boundary(token, trigger):
                return []
            cluster = self.cluster_at(token)
            if cluster is not None:
                start = self.mention_start(token)
                if self.preposition_before(start) is None and not self._in_title_complement(start):
                    found = [cluster]
                    # a coordinated subject: "X et Y ont signé"
                    j = start - 1
                    while (j - 1 >= self.sent.start and fold(doc[j].text) in {"et", ","}) or (
                        j >= self.sent.start and doc[j].pos_ == "DET"
                    ):
                        if doc[j].pos_ == "DET":
                            j -= 1
                            continue
                        other = self.cluster_at(doc[j - 1]) or (
                            self.cluster_at(doc[j - 2])
                            if j - 2 >= self.sent.start and doc[j - 1].pos_ == "DET"
                            else None
                        )
                        if other is None:
                            break
                        found.insert(0, other)
                        j = self.mention_start(doc[j - 1] if self.cluster_at(doc[j - 1]) else doc[j - 2]) - 1
                    return found
                i = start - 1
                continue
            if token.pos_ == "PRON" and fold(token.text) in _PERSONAL_SUBJECTS and token.dep_.startswith("nsubj"):
                return self._np_cluster(token)
            if token.dep_.startswith("nsubj") and token.head.i == trigger.i:
                found = self._np_cluster(token)
                if found:
                    return found
            i -= 1
        return []

    def _with_left_coordination(self, found: list[Cluster]) -> list[Cluster]:
        """ "Paris et Berlin ont signé": add names coordinated before the first subject the parse kept."""
        starts = [s for s, _e, k in self.spans if k == found[0].key]
        if not starts:
            return found
        doc = self.sent.doc
        j = starts[0] - 1
        while j >= self.sent.start and doc[j].pos_ == "DET":
            j -= 1
        out = list(found)
        while j - 1 >= self.sent.start and fold(doc[j].text) in ("et", ","):
            k = j - 1
            while k >= self.sent.start and doc[k].pos_ == "DET":
                k -= 1
            other = self.cluster_at(doc[k]) if k >= self.sent.start else None
            if other is None or self.preposition_before(self.mention_start(doc[k])) is not None:
                break
            if other not in out:
                out.insert(0, other)
            j = self.mention_start(doc[k]) - 1
            while j >= self.sent.start and doc[j].pos_ == "DET":
                j -= 1
        return out

    def _in_title_complement(self, start: int) -> bool:
        # "le secrétaire du Conseil de sécurité" : the organisation inside a title is not the subject
        doc = self.sent.doc
        for tok in doc[max(self.sent.start, start - 3) : start]:
            if fold(tok.lemma_) in self.ents.lexicon.roles or fold(tok.text) in self.ents.lexicon.roles:
                return True
        return False

    def linear_right(self, trigger: Token, preps: tuple[str, ...] | None, *, nominal: bool = False) -> list[Cluster]:
        """First entity after the trigger in its clause, with one of `preps` before it (None: no preposition).
        For a noun trigger the search stays inside its noun phrase (no verb, no comma, a few words)."""
        doc = self.sent.doc
        i = trigger.i + 1
        limit = min(self.sent.end, trigger.i + 12) if nominal else self.sent.end
        while i < limit:
            token = doc[i]
            if self._is_boundary(token, trigger) or (token.text == "," and preps is None):
                return []
            if (
                nominal
                and token.i not in self.ents.by_token
                and not _in_compound(token)
                and (token.pos_ in ("VERB", "AUX") or token.text == ",")
            ):
                return []
            cluster = self.cluster_at(token)
            if cluster is not None:
                prep = self.preposition_before(i)
                end = self.ents.span_at[i][1]
                if (preps is None and prep is None) or (preps is not None and prep is not None and prep in preps):
                    found = [cluster]
                    # coordination: "X et Y"
                    while end + 1 < self.sent.end and fold(doc[end].text) in {"et", ","}:
                        k = end + 1
                        while k < self.sent.end and (
                            doc[k].pos_ == "DET" or fold(doc[k].text) in {"a", "au", "aux", "en", "avec"}
                        ):
                            k += 1
                        other = self.cluster_at(doc[k]) if k < self.sent.end else None
                        if other is None:
                            break
                        found.append(other)
                        end = self.ents.span_at[k][1]
                    return found
                i = end
                continue
            if preps is not None and token.pos_ == "NOUN" and self.preposition_before(i) in preps:
                found = self._np_cluster(token)  # "par l'armée syrienne": a descriptor after the preposition
                if found:
                    return found
            if (
                preps is None
                and token.pos_ in ("NOUN", "PRON")
                and token.dep_ in ("obj",)
                and token.head.i == trigger.i
            ):
                found = self._np_cluster(token)
                if found:
                    return found
            i += 1
        return []

    # --- roles of a trigger -------------------------------------------------------------------
    def passive(self, trigger: Token) -> bool:
        # "est arrivé" is an active compound past with être; a passive has Voice=Pass, a passive subject or "par"
        reflexive = any(fold(c.text) in ("se", "s'") for c in trigger.children)
        if fold(trigger.lemma_) in self.patterns.etre_verbs or reflexive:
            return False
        if "Pass" in trigger.morph.get("Voice", []) or any(
            c.dep_ in ("nsubj:pass", "obl:agent") for c in trigger.children
        ):
            return True
        if any(c.dep_ == "aux:pass" for c in trigger.children):
            doc = self.sent.doc
            return any(fold(t.text) == "par" for t in doc[trigger.i + 1 : min(trigger.i + 6, self.sent.end)])
        return False

    def role(self, trigger: Token, role: str, pattern: RelationPattern) -> tuple[list[Cluster], float]:
        """Clusters filling `role` of a trigger, with the confidence of the way they were found."""
        verb = pattern.pos == "verb"
        if verb and role == "agent":
            if self.passive(trigger) or (trigger.dep_ == "acl" and "Part" in trigger.morph.get("VerbForm", [])):
                by = self._pp(trigger, self.preps.get("by", ("par",)))
                if by or pattern.relation != "deployment":
                    return by, 0.85
                # "des Nord-Coréens déployés…", "les troupes russes déployées…": the troops' own state
                troops = (
                    [c for c in self._np_cluster(trigger.head) if c.type == "GPE"]
                    if trigger.head.i != trigger.i
                    else []
                )
                return troops, 0.7
            found = [c for child in trigger.children if child.dep_ in _SUBJECT_DEPS for c in self.np_clusters(child)]
            if found:
                return self._with_left_coordination(found), 0.9
            if "Inf" in trigger.morph.get("VerbForm", []):
                head = trigger.head
                if fold(head.lemma_) in self.patterns.object_control:
                    # "aider les forces russes à reprendre X": the object of "aider" retakes X
                    controller = [c for child in head.children if child.dep_ == "obj" for c in self.np_clusters(child)]
                    if controller:
                        return controller, 0.7
                return self.memory.agent_of(trigger.head.i), 0.75
            found = self.linear_left(trigger)
            if found:
                return found, 0.75
            if "Part" in trigger.morph.get("VerbForm", []) and trigger.i == self.sent.start:
                # "Arrivé à Kiev, il a été accueilli…": the participle's subject is the main clause's
                root = self.sent.root
                subject = [c for ch in root.children if ch.dep_.startswith("nsubj") for c in self.np_clusters(ch)]
                if subject:
                    return subject, 0.7
            return self.memory.agent_of(trigger.head.i) if trigger.dep_ in (
                "xcomp",
                "conj",
                "advcl",
            ) else [], 0.65
        if verb and role == "patient":
            if self.passive(trigger):
                found = [c for child in trigger.children if child.dep_ == "nsubj:pass" for c in self.np_clusters(child)]
                if found:
                    return found, 0.85
                if trigger.dep_ == "acl" and trigger.head.i < trigger.i:
                    # "le groupe dirigé par X": the noun the participle describes
                    described = self.np_clusters(trigger.head)
                    if described:
                        return described, 0.75
                if any("Inf" in c.morph.get("VerbForm", []) for c in trigger.children if c.dep_ == "aux:pass"):
                    # "avant d'être reçu par X": the subject of the main clause is received
                    controller = self.memory.agent_of(trigger.head.i) or self.memory.current[:1]
                    return controller, 0.7
                return self.linear_left(trigger), 0.7
            found = [c for child in trigger.children if child.dep_ in _OBJECT_DEPS for c in self.np_clusters(child)]
            if found:
                return found, 0.9
            if pattern.relation in ("opposition", "support"):
                # "a condamné les frappes menées par la Russie", "l'invasion russe": the event's author
                for child in trigger.children:
                    if child.dep_ == "obj":
                        for event in self.patterns.nouns.get(fold(child.lemma_), ()):
                            for src in event.source:
                                authors, _ = self.role(child, src, event)
                                authors = [self.ents.actor(a) for a in authors if a.type in ACTOR_TYPES or a.capital_of]
                                if authors:
                                    return authors, 0.7
            if trigger.dep_ == "acl:relcl" or any(fold(c.text) in ("qu'", "que") for c in trigger.children):
                ante = [
                    c
                    for child in trigger.children
                    if fold(child.text) in ("qu'", "que")
                    for c in self._antecedent(child)
                ]
                if ante:
                    return ante, 0.75
            return self.linear_right(trigger, None), 0.7
        if role == "beside":
            ally = self._beside(trigger)
            return (ally, 0.75) if ally else ([], 0.0)
        if role in self.preps:
            found = self._pp(trigger, self.preps[role], nominal=not verb)
            if not found and verb and role == "of":
                # "la région dont l'armée s'était emparée": "dont" is the de-complement
                dont = [
                    t for t in self.sent.doc[max(self.sent.start, trigger.i - 8) : trigger.i] if fold(t.text) == "dont"
                ]
                if dont:
                    found = self._antecedent(dont[-1])
            if role == "between" and len(found) < 2:
                return [], 0.0
            return found, 0.8
        if role == "compound":
            return self._compound(trigger), 0.8
        if role == "possessive":
            if pattern.pair_subjects and any(fold(c.text) in ("leur", "leurs") for c in trigger.children):
                # "lors de leur rencontre": the two people of the sentence
                return self.memory.last_pair(persons=True, before=trigger.i), 0.65
            if any(fold(c.text) in ("son", "sa", "ses", "leur", "leurs") for c in trigger.children):
                head = trigger.head
                for _ in range(3):  # "M. Lavrov doit achever sa visite": the subject up the verb chain
                    subj = [
                        c
                        for child in head.children
                        if child.dep_ == "nsubj" and child.i != trigger.i
                        for c in self.np_clusters(child)
                    ]
                    if subj:
                        return subj, 0.7
                    if head.head.i == head.i:
                        break
                    head = head.head
                if self.memory.current:
                    return self.memory.current[:1], 0.65
                return self.memory.last_subject(), 0.6
            return [], 0.0
        if role == "demonstrative":
            # "son voyage intervient après celui du secrétaire X": the noun stands again for another agent
            return [], 0.0
        if role == "of_actor":
            return [c for c in self._pp(trigger, self.preps.get("of", ()), nominal=True) if c.type in ACTOR_TYPES], 0.75
        if role == "antecedent":
            # "la région de Koursk, prise par l'armée ukrainienne": the place the participle describes
            doc = self.sent.doc
            if trigger.i - 1 >= self.sent.start and doc[trigger.i - 1].text == ",":
                return self._antecedent(trigger), 0.7
            return [], 0.0
        if role == "clause_subject":
            # "a exigé que la Russie retire ses troupes": the subject of the demanded clause
            return [
                c
                for child in trigger.children
                if child.dep_ in ("ccomp", "xcomp")
                for g in child.children
                if g.dep_.startswith("nsubj")
                for c in self.np_clusters(g)
            ], 0.7
        if role == "in_country":
            # "des frappes contre neuf sites au Pakistan": the country where the attack landed
            found = self.linear_right(trigger, ("en", "au", "aux"), nominal=True)
            return [c for c in found if c.type == "GPE"], 0.65
        if role == "relative_subject":
            for child in trigger.children:
                if child.dep_ == "acl:relcl" and fold(child.lemma_) in self.patterns.light_verbs:
                    return [c for g in child.children if g.dep_ == "nsubj" for c in self.np_clusters(g)], 0.7
            doc = self.sent.doc
            if trigger.i + 3 < self.sent.end and fold(doc[trigger.i + 1].text) in ("qu'", "que"):
                relative_subject, relative_verb = doc[trigger.i + 2], doc[trigger.i + 3]
                if fold(relative_verb.lemma_) in self.patterns.light_verbs:
                    return self.np_clusters(relative_subject), 0.65
            return [], 0.0
        if role == "demonym":
            # "l'invasion russe", "les frappes israéliennes": the state named by an adjective
            cluster = self.demonym_cluster(trigger)
            return ([cluster], 0.75) if cluster is not None else ([], 0.0)
        if role == "clause_place":
            return self._clause_place(trigger), 0.65
        return [], 0.0

    def _pp(self, trigger: Token, preps: tuple[str, ...], nominal: bool = False) -> list[Cluster]:
        found: list[Cluster] = []
        # "les frappes menées par X": a participle's complements belong to the noun it describes
        participles = [
            c for c in trigger.children if nominal and c.dep_ == "acl" and "Part" in c.morph.get("VerbForm", [])
        ]
        for child in [*trigger.children, *(g for p in participles for g in p.children)]:
            if child.dep_ not in _PP_DEPS:
                continue
            inside = self.ents.by_token.get(child.i)
            # the "du" of "Corée du Nord" belongs to the name, not to the trigger's complement
            case = [
                fold(c.text)
                for c in child.children
                if c.dep_ in ("case", "mark") and (inside is None or self.ents.by_token.get(c.i) != inside)
            ]
            if (case and " ".join(case) in preps) or any(c in preps for c in case):
                for cluster in self.np_clusters(child):
                    if cluster not in found:
                        found.append(cluster)
        if found:
            return found
        return self.linear_right(trigger, preps, nominal=nominal)

    def _beside(self, trigger: Token) -> list[Cluster]:
        """ "déployés aux côtés des forces russes": the ally, a name or a descriptor."""
        doc = self.sent.doc
        for i in range(trigger.i + 1, min(trigger.i + 5, self.sent.end - 2)):
            if fold(doc[i].text) == "aux" and fold(doc[i + 1].text) == "cotes":
                j = i + 2
                while j < self.sent.end and (fold(doc[j].text) in ("de", "du", "des", "d'") or doc[j].pos_ == "DET"):
                    j += 1
                if j < self.sent.end:
                    found = self._np_cluster(doc[j])
                    return [self.ents.actor(c) for c in found]
        return []

    def _compound(self, trigger: Token) -> list[Cluster]:
        # "la rencontre Kim-Lavrov", "le sommet Poutine-Trump": two names joined by a hyphen after the noun
        doc = self.sent.doc
        out: list[Cluster] = []
        i = trigger.i + 1
        while i < min(trigger.i + 5, self.sent.end):
            tok = doc[i]
            cluster = self.cluster_at(tok)
            if cluster is not None:
                if cluster not in out:
                    out.append(cluster)
            elif tok.text != "-" and not (tok.pos_ == "ADJ" and not out):
                break
            i += 1
        return out if len(out) >= 2 else []

    def _clause_place(self, trigger: Token) -> list[Cluster]:
        # "a envoyé des soldats pour aider à la reconquête de la région de Koursk"
        for tok in trigger.subtree:
            cluster = self.cluster_at(tok)
            if (
                cluster is not None
                and cluster.type in ("LOC", "GPE")
                and tok.i > trigger.i
                and self.preposition_before(self.mention_start(tok)) != "contre"
            ):
                return [cluster]
        return []


class _Memory:
    """What a light coreference resolver remembers across sentences of one document."""

    def __init__(self, ents: DocEntities) -> None:
        self.ents = ents
        self.subjects: list[tuple[int, list[Cluster]]] = []  # (sentence start token, agents)
        self.agents_by_token: dict[int, list[Cluster]] = {}
        self.persons: list[tuple[int, Cluster]] = []  # (token, person) in text order
        self.current: list[Cluster] = []  # agents found so far in the sentence being read
        self.visits: list[tuple[int, Cluster]] = []  # (sentence start, destination) of recent visits
        self.hosts: list[Cluster] = []  # who received someone, latest last
        self.new_roles: list[tuple[Cluster, str, Token]] = []  # roles learned from descriptors (person, state, token)

    def note_mentions(self, sent: Span) -> None:
        for start, _end, key in self.ents.spans_between(sent.start, sent.end):
            cluster = self.ents.clusters[key]
            if cluster.type == "PERSON":
                self.persons.append((start, cluster))

    def pronoun(self, word: str, before: int) -> list[Cluster]:
        """A subject pronoun: the subject of the sentence so far, else of the previous ones. "il" prefers a
        person; "elle" may be a person, a state or an organisation ("la Corée du Nord… Elle fournit")."""
        if word in ("ils", "elles"):
            return self.last_pair(persons=False, before=before)
        wanted = ("PERSON",) if word == "il" else ("PERSON", "GPE", "ORG")
        current = [a for a in self.current if a.type in wanted]
        if len(current) == 1:  # "X a rencontré Y, qu'il a remercié": the subject of the sentence
            return current
        for _start, agents in reversed(self.subjects[-3:]):
            first = [a for a in agents[:1] if a.type in wanted]
            if first:
                return first
        recent = [c for t, c in self.persons if t < before]
        return recent[-1:] if recent else []

    def object_pronoun(self, before: int, subject: list[Cluster]) -> list[Cluster]:
        excluded = set(map(id, subject or self.current[:1]))
        for t, cluster in reversed(self.persons):
            if t < before and id(cluster) not in excluded:
                return [cluster]
        return []

    def last_subject(self) -> list[Cluster]:
        return self.subjects[-1][1][:1] if self.subjects else []

    def last_pair(self, *, persons: bool, before: int) -> list[Cluster]:
        seen: list[Cluster] = []
        pool = (
            [c for t, c in reversed(self.persons) if t < before]
            if persons
            else [a for _s, agents in reversed(self.subjects) for a in agents]
        )
        for cluster in pool:
            if cluster not in seen:
                seen.append(cluster)
            if len(seen) == 2:
                return seen
        return []

    def person_with_role(self, role: str | None, state: str | None) -> Cluster | None:
        candidates = [
            c
            for _t, c in reversed(self.persons)
            if any((role is None or r == role) and (state is None or s == state) for r, s in c.roles)
        ]
        if not candidates and state is not None:
            candidates = [c for _t, c in reversed(self.persons) if any(s == state for _r, s in c.roles)]
        return candidates[0] if candidates else None

    def last_of_type(self, kind: str, before: int) -> Cluster | None:
        for _start, _end, key in reversed(self.ents.spans_between(0, before)):
            cluster = self.ents.clusters[key]
            if cluster.type == kind:
                return cluster
        return None

    def agent_of(self, token_index: int) -> list[Cluster]:
        return self.agents_by_token.get(token_index, [])


# --- roles from titles and appositions -----------------------------------------------------------
def _title_before(sentence: _Sentence, start: int) -> tuple[int, list[Cluster], str | None, str | None] | None:
    """A title right before a person mention: (title start, organisations in it, state id, role key)."""
    doc = sentence.sent.doc
    lexicon = sentence.ents.lexicon
    orgs: list[Cluster] = []
    state: str | None = None
    role: str | None = None
    title_start: int | None = None
    i = start - 1
    if i > sentence.sent.start and doc[i].text == ",":
        i -= 1  # "le président du conseil, Denis Ranque"
    while i >= max(sentence.sent.start, start - 14):
        tok = doc[i]
        word, lemma = fold(tok.text), fold(tok.lemma_)
        cluster = sentence.cluster_at(tok)
        if cluster is not None:
            if cluster.type == "PERSON":
                break
            orgs.insert(0, cluster)
            last = fold(cluster.name.split()[-1]) if cluster.name.split() else ""
            if last in lexicon.demonyms:  # "le Conseil de sécurité russe": a body of that state
                state = state or lexicon.demonyms[last]
            i = sentence.mention_start(tok) - 1
            continue
        if word in lexicon.demonyms:
            state = state or lexicon.demonyms[word]
        elif word in lexicon.roles or lemma in lexicon.roles:
            role = lexicon.roles.get(word) or lexicon.roles.get(lemma)
            title_start = i
            # multiword titles: "chef de la diplomatie", "secrétaire général", "Premier ministre"
            for n in (4, 3, 2):
                phrase = fold(doc[i : min(i + n, start)].text)
                if phrase in lexicon.roles:
                    role = lexicon.roles[phrase]
                    break
            if i - 1 >= sentence.sent.start and fold(doc[i - 1 : i + 1].text) in lexicon.roles:
                title_start = i - 1
                role = lexicon.roles[fold(doc[i - 1 : i + 1].text)]
            break
        elif tok.pos_ in ("DET", "ADP", "ADJ", "NOUN", "PROPN", "ADV") and not tok.is_punct:
            pass
        else:
            break
        i -= 1
    if title_start is None:
        return None
    text = fold(doc[title_start:start].text)
    for phrase, key in sentence.ents.lexicon.portfolios.items():
        if phrase in text and role == "minister":
            role = f"{key}_minister"
    if role in ("foreign_affairs_minister",):
        role = "foreign_minister"
    return title_start, orgs, state, role


def _title_after(sentence: _Sentence, end: int) -> tuple[int, list[Cluster], str | None, str | None] | None:
    """ "Sergueï Lavrov, ministre russe des Affaires étrangères," : a title in apposition after the name."""
    doc = sentence.sent.doc
    lexicon = sentence.ents.lexicon
    if end >= sentence.sent.end or doc[end].text != ",":
        return None
    i = end + 1
    while i < sentence.sent.end and (
        doc[i].pos_ == "DET"
        or fold(doc[i].text) in {"nouveau", "nouvelle", "ancien", "ancienne", "actuel", "actuelle", "futur"}
    ):
        i += 1
    if i >= sentence.sent.end or not (fold(doc[i].text) in lexicon.roles or fold(doc[i].lemma_) in lexicon.roles):
        return None
    j = i
    while j < min(sentence.sent.end, i + 10) and doc[j].text != "," and doc[j].pos_ not in ("VERB", "AUX"):
        j += 1
    fake = _title_before(sentence, j) if j > i else None
    if fake is None:
        return None
    return fake


def iter_roles(sentence: _Sentence, doc_id: str) -> Iterator[_Found]:
    seen: set[int] = set()
    for start, end, key in sentence.spans:
        if start in seen:
            continue
        cluster = sentence.ents.clusters[key]
        if cluster.type != "PERSON":
            continue
        seen.add(start)
        found = _title_before(sentence, start) or _title_after(sentence, end)
        if found is None:
            continue
        title_start, orgs, state, role = found
        label_tokens = sentence.sent.doc[title_start:start] if title_start < start else None
        targets: list[Cluster] = [o for o in orgs if o.type in ("ORG", "GPE")]
        if state is not None:
            targets.append(sentence.ents.by_canonical(state))
        cluster.roles.append((role or "member", state))
        for target in targets:
            label = label_tokens.text.strip(" ,") if label_tokens is not None else (role or "role")
            yield _Found(
                cluster,
                sentence.ents.actor(target) if target.capital_of else target,
                _builtin(f"{sentence.patterns.language}.role.title", "role", label.strip()),
                sentence.sent.doc[start],
                0.85,
            )


def _demonstratives(sentence: _Sentence, found: list[_Found]) -> Iterator[_Found]:
    """ "son voyage intervient après celui du secrétaire X": the noun's relation holds for X too."""
    doc = sentence.sent.doc
    nominal = [f for f in found if f.pattern.pos == "noun" and f.pattern.lemmas]
    for token in sentence.sent:
        if fold(token.text) not in ("celui", "celle", "ceux", "celles"):
            continue
        before = [f for f in nominal if f.trigger.i < token.i]
        if (
            not before
            or token.i + 1 >= sentence.sent.end
            or fold(doc[token.i + 1].text) not in ("de", "du", "des", "d'")
        ):
            continue
        other = sentence._name_after(token)
        if other is None or other.type not in ACTOR_TYPES:
            continue
        model = before[-1]
        types = model.pattern.target_types or frozenset()
        if other.type in ("LOC", "GPE") and "LOC" in types and other is not model.target:
            # "la plus importante prise russe depuis celle de Bakhmout": same agent, another place
            yield _Found(model.source, other, model.pattern, token, model.confidence * 0.8)
        elif other is not model.target:
            yield _Found(other, model.target, model.pattern, token, model.confidence * 0.8)


_ALLIED_AGAINST = _builtin("fr.conflict.alongside", "conflict", "combat")


def _alongside_against(sentence: _Sentence) -> Iterator[_Found]:
    """ "aux côtés des forces russes contre l'Ukraine": the ally is at war with the adversary."""
    doc = sentence.sent.doc
    for token in sentence.sent:
        if fold(token.text) != "contre" or token.i + 1 >= sentence.sent.end:
            continue
        window = [fold(t.text) for t in doc[max(sentence.sent.start, token.i - 6) : token.i]]
        if "cotes" not in window:
            continue
        ally = sentence._beside(doc[max(sentence.sent.start, token.i - 7)])
        adversary = sentence.linear_right(token, ("contre",)) if False else []
        j = token.i + 1
        while j < sentence.sent.end and doc[j].pos_ == "DET":
            j += 1
        if j < sentence.sent.end:
            adversary = sentence._np_cluster(doc[j])
        for a in ally:
            for b in adversary:
                b = sentence.ents.actor(b)
                if a is not b and b.type in ACTOR_TYPES:
                    yield _Found(a, b, _ALLIED_AGAINST, token, 0.7)


def _country_anaphora(sentence: _Sentence, end: int) -> Cluster | None:
    """ "Odessa, dans le sud du pays": the state named last before the place."""
    doc = sentence.sent.doc
    window = doc[end + 1 : min(end + 8, sentence.sent.end)]
    words = [fold(t.text) for t in window]
    if "pays" not in words or not words or words[0] not in {"dans", "au", "a", "sur", "pres"}:
        return None
    for _s, _e, k in reversed(sentence.ents.spans_between(0, end)):
        cluster = sentence.ents.clusters[k]
        if cluster.type == "GPE":
            return cluster
    return None


def _head_of(doc: Doc, i: int) -> bool:
    """ "à la tête de": a post named by its place, not by a title."""
    return (
        fold(doc[i].text) == "tete"
        and i >= 2
        and fold(doc[i - 1].text) == "la"
        and fold(doc[i - 2].text) in ("a", "de")
    )


def iter_appointments(sentence: _Sentence) -> Iterator[_Found]:
    """ "Pékin a nommé Wang Yi ministre des Affaires étrangères", "X a pris ses fonctions de secrétaire général
    de l'OTAN": a title given to a person by an appointment or a new post, not in apposition to the name."""
    doc = sentence.sent.doc
    lexicon = sentence.ents.lexicon
    patterns = sentence.patterns
    for token in sentence.sent:
        lemma = fold(token.lemma_)
        by_object = lemma in patterns.appoint_object
        if not by_object and lemma not in patterns.appoint_subject:
            continue
        # the title: a role noun a few words after the trigger
        role_at = next(
            (
                i
                for i in range(token.i + 1, min(token.i + 8, sentence.sent.end))
                if fold(doc[i].text) in lexicon.roles or fold(doc[i].lemma_) in lexicon.roles or _head_of(doc, i)
            ),
            None,
        )
        if role_at is None:
            continue
        end = role_at + 1
        while end < min(role_at + 10, sentence.sent.end):
            tok = doc[end]
            if tok.is_punct or tok.pos_ in ("VERB", "AUX", "SCONJ", "CCONJ", "PRON"):
                break
            if (cluster := sentence.cluster_at(tok)) is not None and cluster.type == "PERSON":
                break
            end += 1
        if _head_of(doc, role_at):
            # "nommé à la tête du gouvernement portugais": leader of what the complement names
            span = doc[role_at + 1 : end]
            orgs = list({id(c): c for t in span if (c := sentence.cluster_at(t)) is not None}.values())
            state = next((lexicon.demonyms[fold(t.text)] for t in span if fold(t.text) in lexicon.demonyms), None)
            role: str | None = "leader"
        else:
            title = _title_before(sentence, end)
            if title is None:
                continue
            _start, orgs, state, role = title
        person: Cluster | None = None
        if by_object:
            between = [sentence.cluster_at(doc[i]) for i in range(token.i + 1, role_at)]
            person = next((c for c in between if c is not None and c.type == "PERSON"), None)
            if person is None and sentence.passive(token):
                person = next(
                    (
                        c
                        for child in token.children
                        if child.dep_ == "nsubj:pass"
                        for c in sentence.np_clusters(child)
                        if c.type == "PERSON"
                    ),
                    None,
                )
        else:
            head = token if token.pos_ in ("VERB", "AUX") else token.head
            person = next(
                (
                    c
                    for child in head.children
                    if child.dep_.startswith("nsubj")
                    for c in sentence.np_clusters(child)
                    if c.type == "PERSON"
                ),
                None,
            )
            if person is None:
                current = [c for c in sentence.memory.current if c.type == "PERSON"]
                person = current[0] if current else None
        if person is None:
            continue
        targets = [o for o in orgs if o.type in ("ORG", "GPE")]
        if state is not None:
            targets.append(sentence.ents.by_canonical(state))
        if not targets and by_object:
            # "Pékin a nommé Wang Yi ministre des Affaires étrangères": the appointing state or organisation
            targets = [c for c in sentence.role(token, "agent", _AGENT_ONLY)[0] if c.type in ("GPE", "ORG")]
        person.roles.append((role or "member", state))
        label = doc[role_at:end].text
        for target in targets:
            yield _Found(
                person,
                target,
                _builtin(f"{patterns.language}.role.appointment", "role", label),
                token,
                0.75,
            )


_PLACE_NOUNS = frozenset(
    {
        "ville",
        "port",
        "localite",
        "village",
        "cite",
        "bourg",
        "province",
        "district",
        "prefecture",
        "departement",
        "comte",
        "etat",
        "region",
        "capitale",
        "chef-lieu",
        "commune",
        "agglomeration",
        "metropole",
        "quartier",
        "oblast",
        "canton",
        "territoire",
        "ile",
        "enclave",
        "bastion",
        "fief",
        "base",
        "site",
        "raffinerie",
        "centrale",
    }
)
_PLACE_PARTICIPLES = frozenset(
    {"situe", "situee", "situes", "situees", "base", "basee", "localise", "localisee", "sise"}
)


def iter_located_in(sentence: _Sentence) -> Iterator[_Found]:
    """ "Wonsan, sur la côte est de la Corée du Nord", "à Odessa, dans le sud de l'Ukraine", "Kharkiv (Ukraine)",
    "Kharkiv, deuxième ville d'Ukraine", "Dresde, située en Saxe"."""
    doc = sentence.sent.doc
    spans = sentence.spans
    for idx, (start, end, key) in enumerate(spans):
        place = sentence.ents.clusters[key]
        if place.type not in ("LOC", "GPE") or end >= sentence.sent.end or doc[end].text not in (",", "("):
            continue
        country = _country_anaphora(sentence, end) if place.type == "LOC" else None
        if country is not None and country is not place:
            yield _Found(place, country, _LOCATED, doc[start], 0.7)
            continue
        for s2, _e2, k2 in spans[idx + 1 : idx + 2]:
            container = sentence.ents.clusters[k2]
            between = doc[end + 1 : s2]
            if container.type not in ("LOC", "GPE") or container is place or len(between) > 9:
                continue
            words = [fold(t.text) for t in between]
            if any(
                (
                    (t.pos_ in ("VERB", "AUX") or "Part" in t.morph.get("VerbForm", []))
                    and fold(t.text) not in _PLACE_PARTICIPLES
                )
                or t.text in (",", ";")
                or fold(t.text) == "par"  # "péninsule annexée par la Russie" is not a location
                for t in between
            ):
                continue
            content = [w for w in words if w not in _PLACE_PARTICIPLES]
            if (doc[end].text == "(" and not words) or (not content and words):
                yield _Found(place, container, _LOCATED, doc[start], 0.75)
            elif (
                content
                and (
                    content[0] in {"en", "au", "aux", "dans", "sur", "pres", "a"}
                    or content[0] in _LOCATION_HEADS
                    or any(w in _PLACE_NOUNS for w in content[:3])  # "deuxième ville d'Ukraine"
                )
                and (len(content) <= 1 or content[-1] in {"de", "du", "d'", "des", "la", "l'", "en", "au", "dans"})
            ):
                yield _Found(place, container, _LOCATED, doc[start], 0.8)


_LOCATED = _builtin("fr.located_in.apposition", "located_in", "situé en")


# --- qualifiers ----------------------------------------------------------------------------------
def _polarity(trigger: Token, patterns: PatternSet) -> str:
    tokens = [trigger, *(c for c in trigger.children if c.dep_.startswith("aux"))]
    for tok in tokens:
        for child in tok.children:
            if fold(child.text) in patterns.negations and child.dep_ in ("advmod", "dep", "obl:mod"):
                return "negative"
    doc = trigger.doc
    window = [fold(t.text) for t in doc[max(trigger.sent.start, trigger.i - 4) : trigger.i]]
    if ("ne" in window or "n'" in window) and any(w in patterns.negations for w in window):
        return "negative"
    head = trigger
    for _ in range(3):  # "a démenti avoir livré", "refuse de signer"
        if head.head.i == head.i:
            break
        head = head.head
        if fold(head.lemma_) in patterns.denials and trigger.i > head.i:
            return "negative"
    left = [fold(t.lemma_) for t in doc[max(trigger.sent.start, trigger.i - 4) : trigger.i]]
    if any(w in patterns.denials for w in left):
        return "negative"
    return "positive"


def _certainty(trigger: Token, sentence: _Sentence, attributed: bool) -> str:
    patterns = sentence.patterns
    tokens = [trigger, *(c for c in trigger.children if c.dep_.startswith("aux"))]
    if any(
        "Cnd" in t.morph.get("Mood", []) or "Fut" in t.morph.get("Tense", []) or "Sub" in t.morph.get("Mood", [])
        for t in tokens
    ):
        return "hedged"
    head = trigger.head
    if fold(head.lemma_) in patterns.hedges and head.i < trigger.i:
        return "hedged"
    if "Inf" in trigger.morph.get("VerbForm", []) and any(
        fold(c.text) == "pour" and c.dep_ == "mark" for t in (trigger, trigger.head) for c in t.children
    ):
        return "hedged"  # "pour aider à reprendre X": an aim, not a fact
    doc = trigger.doc
    before = [fold(t.lemma_) for t in doc[max(trigger.sent.start, trigger.i - 3) : trigger.i]]
    if any(w in patterns.hedges for w in before):
        return "hedged"
    if trigger.pos_ in ("NOUN", "PROPN"):
        # "une visite prochaine", "la possibilité d'une visite": planned or hypothetical
        near = [
            fold(t.text) for t in doc[max(trigger.sent.start, trigger.i - 4) : min(trigger.i + 3, trigger.sent.end)]
        ]
        if any(w in patterns.noun_hedges for w in near) or fold(trigger.head.lemma_) in patterns.noun_hedges:
            return "hedged"
    if attributed:
        return "reported"
    ancestor = trigger
    for _ in range(4):
        if ancestor.head.i == ancestor.i:
            break
        if (
            ancestor.dep_ in ("ccomp", "xcomp", "acl:relcl", "advcl")
            and fold(ancestor.head.lemma_) in patterns.reporting_verbs
        ):
            return "reported"
        ancestor = ancestor.head
    return "asserted"


def _date_for(sentence: _Sentence, trigger: Token, dates) -> str | None:
    if not dates:
        return None
    offset = trigger.idx - sentence.sent.start_char
    subtree = {t.idx - sentence.sent.start_char for t in trigger.subtree}
    inside = [d for d in dates if any(d.start <= o < d.end for o in subtree)]
    pool = inside or dates
    return min(pool, key=lambda d: abs(d.start - offset)).value


def _same_clause(sentence: _Sentence, trigger: Token, index: int) -> bool:
    """No other finite verb or relative pronoun between a trigger and a word: they share a clause."""
    doc = sentence.sent.doc
    low, high = sorted((trigger.i, index))
    for tok in doc[low + 1 : high]:
        if tok.i in sentence.ents.by_token:
            continue
        if (tok.pos_ == "VERB" and "Fin" in tok.morph.get("VerbForm", [])) or (
            tok.pos_ == "PRON" and fold(tok.text) in _RELATIVE
        ):
            return False
    return True


def _place_for(sentence: _Sentence, trigger: Token, excluded: set[int]) -> Cluster | None:
    best: tuple[int, Cluster] | None = None
    for start, _end, key in sentence.spans:
        cluster = sentence.ents.clusters[key]
        if cluster.type not in ("LOC", "GPE") or key in excluded:
            continue
        prep = sentence.preposition_before(start)
        if prep not in _PLACE_PREPS:
            continue
        if not _same_clause(sentence, trigger, start):
            continue
        # "à Wonsan", "en Corée du Nord"; but "à la Russie" is a recipient, not a place
        if cluster.type == "GPE" and (prep == "a" or sentence.sent.doc[start - 1].pos_ == "DET"):
            continue
        rank = abs(start - trigger.i) + (50 if cluster.type == "GPE" else 0)
        if best is None or rank < best[0]:
            best = (rank, cluster)
    return best[1] if best else None


# --- the extractor ------------------------------------------------------------------------------
def _in_compound(token: Token) -> bool:
    """A piece of a hyphenated word ("libre-échange", "cessez-le-feu"): never a verb of its own."""
    doc = token.doc
    before = token.i > 0 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_
    after = token.i + 1 < len(doc) and doc[token.i + 1].text == "-" and not token.whitespace_
    return before or after


def _triggers(sentence: _Sentence) -> Iterator[tuple[Token, RelationPattern]]:
    patterns = sentence.patterns
    for token in sentence.sent:
        if _in_compound(token):
            continue
        lemma = fold(token.lemma_)
        word = fold(token.text)
        as_verb = patterns.verb_forms.get(token.text.lower())
        if as_verb and any(c.dep_ == "det" for c in token.children):
            as_verb = None  # "l'armée" is a noun, whatever "armer" makes of it
        if as_verb and lemma not in patterns.verbs and token.i in sentence.ents.by_token:
            as_verb = None
        if as_verb and lemma != as_verb and token.pos_ in ("NOUN", "ADJ", "PROPN", "X"):
            for pattern in patterns.verbs.get(as_verb, ()):
                if _requirements(token, pattern):
                    yield token, pattern
            continue
        if (token.pos_ in ("VERB", "AUX", "ADJ", "ADV", "NOUN") and token.pos_ != "NOUN") or "VerbForm" in token.morph:
            for pattern in patterns.verbs.get(lemma, ()):
                if _requirements(token, pattern):
                    yield token, pattern
        if token.pos_ in ("NOUN", "PROPN", "VERB"):
            for pattern in patterns.nouns.get(lemma, ()) or patterns.nouns.get(word, ()):
                yield token, pattern


def _elided(word: str) -> str:
    # "s'" and "se", "l'" and "le" are the same word
    return word[:-1] + "e" if word.endswith("'") else word


def _requirements(token: Token, pattern: RelationPattern) -> bool:
    for lemma, word in pattern.requires:
        nearby = [*token.children, *token.doc[max(0, token.i - 3) : token.i]]
        if fold(token.lemma_) == lemma and not any(_elided(fold(t.text)) == _elided(word) for t in nearby):
            return False
    if pattern.requires_object:
        window = [fold(t.lemma_) for t in token.subtree] + [
            fold(t.lemma_) for t in token.doc[token.i + 1 : min(token.i + 12, token.sent.end)]
        ]
        if not any(w in pattern.requires_object for w in window):
            return False
    return True


def _typed(clusters: list[Cluster], types: frozenset[str] | None) -> list[Cluster]:
    return [c for c in clusters if types is None or c.type in types or (c.capital_of and "GPE" in types)]


_AGENT_ONLY = RelationPattern(
    id="agent", relation="agent", label="", pos="verb", lemmas=frozenset(), source=("agent",), target=()
)


def _light_verb(sentence: _Sentence, noun: Token) -> Token | None:
    """The light verb a noun trigger is the object of, directly or through a quantity noun ("un train de")."""
    token = noun
    for _ in range(2):
        if token.dep_ == "obj" and fold(token.head.lemma_) in sentence.patterns.light_verbs:
            return token.head
        if token.dep_ != "nmod" or token.head.pos_ != "NOUN":
            break
        token = token.head
    # the parse may hang the noun elsewhere: the nearest light verb before it in the clause
    doc = sentence.sent.doc
    for i in range(noun.i - 1, max(sentence.sent.start, noun.i - 7) - 1, -1):
        tok = doc[i]
        if tok.pos_ in ("VERB", "AUX") and fold(tok.lemma_) in sentence.patterns.light_verbs:
            return tok
        if (
            tok.text in (",", ";", ":")
            or tok.pos_ == "SCONJ"
            or (tok.pos_ == "VERB" and tok.i not in sentence.ents.by_token)
        ):
            return None
    return None


def _represented_states(sentence: _Sentence, targets: list[Cluster]) -> list[Cluster]:
    """States whose envoy a sentence names with a title ("le chef de la diplomatie russe X"): support
    given to an official so introduced is support given to the state."""
    out: list[Cluster] = []
    for target in targets:
        if target.type != "PERSON":
            continue
        for start, _end, key in sentence.spans:
            if key == target.key:
                title = _title_before(sentence, start)
                if title is not None and title[2] is not None:
                    out.append(sentence.ents.by_canonical(title[2]))
    return out


def _fill(sentence: _Sentence, token: Token, pattern: RelationPattern) -> list[_Found]:
    sources: list[Cluster] = []
    confidence = 0.0
    for role in pattern.source:
        sources, confidence = sentence.role(token, role, pattern)
        sources = [c for c in sources if c.type in ACTOR_TYPES or c.capital_of]
        if sources:
            break
    light = _light_verb(sentence, token) if not sources and pattern.pos == "noun" else None
    if light is not None:
        # "X a finalisé le rachat de Y", "X a adopté un train de sanctions contre Y": the light verb's subject
        sources, confidence = sentence.role(light, "agent", _AGENT_ONLY)
        sources = [c for c in sources if c.type in ACTOR_TYPES or c.capital_of]
    if not sources and pattern.agent_from_clause and token.dep_ != "obj":
        # "X est arrivé à Shanghai, première étape d'une visite en Chine": the traveller of the clause
        head = token.head
        for _ in range(3):
            if head.pos_ in ("VERB", "AUX"):
                subj = [
                    c for child in head.children if child.dep_ in _SUBJECT_DEPS for c in sentence.np_clusters(child)
                ]
                sources = [c for c in subj if c.type in ACTOR_TYPES]
                confidence = 0.65
                break
            if head.head.i == head.i:
                break
            head = head.head
    if not sources:
        return []
    sources = [sentence.ents.actor(c) for c in sources]
    targets: list[Cluster] = []
    t_conf = 0.0
    for role in pattern.target:
        found, t_conf = sentence.role(token, role, pattern)
        found = [c for c in _typed(found, pattern.target_types) if c not in sources or role == "between"]
        if role == "between":
            # "entre X et Y": a symmetric pair, whatever the source role found
            found = [
                sentence.ents.actor(c)
                if (c.capital_of and c.type != "LOC") or (pattern.relation != "visit" and c.capital_of)
                else c
                for c in found
            ]
            if len(found) >= 2:
                return [_Found(found[0], found[1], pattern, token, t_conf)]
            continue
        if found:
            targets = found
            break
    if not targets and pattern.relation == "visit" and pattern.pos == "noun" and sentence.memory.visits:
        # "Son voyage intervient…": the destination of the visit just reported
        targets = [sentence.memory.visits[-1][1]]
        t_conf = 0.6
    if pattern.relation == "support":
        targets = targets + [s for s in _represented_states(sentence, targets) if s not in targets]
    results: list[_Found] = []
    actor_target = pattern.relation not in ("visit", "deployment", "capture", "located_in")
    targets = [sentence.ents.actor(t) if actor_target else t for t in targets]
    if not targets and pattern.pair_subjects and len(sources) >= 2:
        for i, a in enumerate(sources):
            for b in sources[i + 1 :]:
                if a is not b:
                    results.append(_Found(a, b, pattern, token, confidence))
        return results
    for s in sources:
        for t in targets:
            if s is not t:
                results.append(_Found(s, t, pattern, token, min(confidence, t_conf) if t_conf else confidence))
    return results


def iter_relations(
    doc: Doc,
    *,
    ents: DocEntities,
    patterns: PatternSet,
    doc_id: str,
    doc_date: str | None,
    cooccurrence: bool = False,
) -> Iterator[Relation]:
    """Yield the typed relations of a parsed document (entities already clustered in `ents`)."""
    memory = _Memory(ents)
    for number, sent in enumerate(doc.sents):
        memory.note_mentions(sent)
        sentence = _Sentence(sent, ents, patterns, memory, number)
        words = [fold(t.text) for t in sent]
        attributed = any(w in patterns.attribution for w in words) or any(
            fold(a) in " ".join(words) for a in patterns.attribution if " " in a
        )
        dates = find_dates(sent.text, doc_date)
        found: list[_Found] = list(iter_roles(sentence, doc_id))
        found += list(iter_located_in(sentence))
        found += list(iter_appointments(sentence))
        subject_agents: list[Cluster] = []
        pair_members: list[Cluster] = []
        memory.current = subject_agents
        # the next sentence's "il" is most often this sentence's grammatical subject; read it before this
        # sentence's own relations change what a pronoun here resolves to
        root_subject = [
            c
            for t in sent
            if t.dep_ in ("nsubj", "nsubj:pass") and t.head.dep_ == "ROOT"
            for c in sentence._np_cluster(t)
        ]
        for token, pattern in _triggers(sentence):
            results = _fill(sentence, token, pattern)
            if results:
                memory.agents_by_token[token.i] = [r.source for r in results]
                if pattern.relation == "visit":
                    memory.visits.append((sent.start, results[0].target))
                if pattern.implies:
                    memory.hosts.extend(r.source for r in results if r.source.type == "PERSON")
                if pattern.pos == "verb":
                    subject_agents.extend(r.source for r in results if r.source not in subject_agents)
                    if pattern.pair_subjects:
                        pair_members.extend(r.target for r in results if r.target not in pair_members)
            found += results
        found += list(_alongside_against(sentence))
        found += list(_demonstratives(sentence, found))
        for person, state, descriptor in memory.new_roles:
            found.append(
                _Found(
                    person,
                    sentence.ents.by_canonical(state),
                    _builtin(f"{patterns.language}.role.descriptor", "role", descriptor.text),
                    descriptor,
                    0.6,
                )
            )
        memory.new_roles.clear()
        for f in list(found):
            for relation, label, from_role, to_role in f.pattern.implies:
                place = _place_for(sentence, f.trigger, {f.source.key, f.target.key})
                if place is not None and place.type == "LOC" and to_role == "place":
                    who = f.target if from_role == "target" else f.source
                    found.append(
                        _Found(
                            who,
                            place,
                            RelationPattern(
                                id=f"{f.pattern.id}.implies.{relation}",
                                relation=relation,
                                label=label,
                                pos="verb",
                                lemmas=f.pattern.lemmas,
                                source=(),
                                target=(),
                            ),
                            f.trigger,
                            f.confidence * 0.8,
                        )
                    )
        sources = _report_sources(sentence)
        typed = [f for f in found if f.pattern.relation not in ("role", "located_in")]
        if sources and not [f for f in found if f.pattern.relation not in ("role", "located_in")]:
            # "La Corée du Nord a tiré un missile, a rapporté Yonhap": the source reports on the subject
            for subject in root_subject:
                if subject.type in ACTOR_TYPES:
                    for source in sources:
                        if source is not subject:
                            found.append(_Found(source, subject, _REPORTS, sent[0], 0.7))
        for source in sources:
            agents = []
            for f in typed:
                if f.source not in agents and f.source is not source:
                    agents.append(f.source)
            for agent in agents:
                found.append(_Found(source, agent, _REPORTS, sent[0], 0.8))
        remembered = root_subject + [c for c in subject_agents + pair_members if c not in root_subject]
        if remembered:
            memory.subjects.append((sent.start, remembered))
        emitted: set[tuple[int, int, str, int]] = set()
        for f in found:
            key = (f.source.key, f.target.key, f.pattern.relation, f.trigger.i)
            if key in emitted or f.source is f.target:
                continue
            emitted.add(key)
            yield _record(sentence, f, doc_id, dates, attributed and f.pattern.relation != "reports")
        if cooccurrence:
            yield from _cooccurrences(sentence, doc_id)


_REPORTS = _builtin("fr.reports.attribution", "reports", "selon")


def _report_sources(sentence: _Sentence) -> list[Cluster]:
    """Who a sentence attributes its facts to: "selon KCNA", "a rapporté Tass", "d'après l'agence russe"."""
    doc = sentence.sent.doc
    patterns = sentence.patterns
    lexicon = sentence.ents.lexicon
    out: list[Cluster] = []
    for token in sentence.sent:
        word = fold(token.text)
        if word in patterns.attribution or (
            word == "apres" and token.i > 0 and fold(doc[token.i - 1].text) in ("d'", "d")
        ):
            j = token.i + 1
            while j < min(token.i + 7, sentence.sent.end):
                tok = doc[j]
                cluster = sentence.cluster_at(tok)
                if (cluster is not None and cluster.type in ("ORG", "PERSON", "GPE")) or (
                    cluster and cluster.capital_of
                ):
                    cluster = sentence.ents.actor(cluster)
                    if cluster not in out:
                        out.append(cluster)
                    break
                if fold(tok.lemma_) in {"agence", "media", "medias", "journal", "presse"}:
                    state = sentence._demonym_state(tok)
                    agency = _agency_of(sentence, state) if state else None
                    if agency is not None and fold(tok.lemma_) == "agence":
                        out.append(agency)
                        break
                    if state and fold(tok.lemma_) != "agence":
                        out.append(sentence.demonym_cluster(tok) or sentence.ents.by_canonical(state))
                        break
                if tok.is_punct:
                    break
                j += 1
        elif fold(token.lemma_) in patterns.report_sources and token.pos_ in ("VERB", "AUX"):
            # inverted subject after a reporting verb: "..., a rapporté Tass."
            for child in token.children:
                if (child.dep_.startswith("nsubj") and child.i > token.i) or (
                    child.dep_ == "obj" and child.i > token.i
                ):
                    for cluster in sentence.np_clusters(child):
                        if cluster.type in ("ORG", "GPE", "PERSON") and cluster not in out:
                            out.append(cluster)
            if lexicon is not None and not out:
                right = sentence.linear_right(token, None)
                out.extend(c for c in right if getattr(c, "agency", False))
    return out


def _agency_of(sentence: _Sentence, state: str) -> Cluster | None:
    for cluster in sentence.ents.clusters.values():
        entry = sentence.ents.lexicon.entries.get(cluster.canonical or "")
        if entry is not None and entry.agency and entry.country == state and cluster.mentions:
            return cluster
    return None


def _cooccurrences(sentence: _Sentence, doc_id: str) -> Iterator[Relation]:
    keys = sorted({k for _s, _e, k in sentence.spans})
    sent = sentence.sent
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            yield Relation(
                source=a,
                target=b,
                relation="cooccurrence",
                label="cité avec",
                method="cooccurrence",
                confidence=0.3,
                evidence=Evidence(doc=doc_id, sentence=sent.text.strip(), start=sent.start_char, end=sent.end_char),
            )


def _record(sentence: _Sentence, f: _Found, doc_id: str, dates, attributed: bool) -> Relation:
    sent = sentence.sent
    text = sent.text
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    spans = []
    for start, end, key in sentence.spans:
        if key in (f.source.key, f.target.key):
            doc = sent.doc
            spans.append(
                (
                    doc[start].idx - sent.start_char - lead,
                    doc[end - 1].idx + len(doc[end - 1].text) - sent.start_char - lead,
                )
            )
    place = None
    if f.pattern.relation not in ("role", "located_in", "reports"):
        p = _place_for(sentence, f.trigger, {f.source.key, f.target.key})
        place = p.key if p is not None else None
    date = _date_for(sentence, f.trigger, dates) if f.pattern.relation not in ("role", "located_in") else None
    return Relation(
        source=f.source.key,
        target=f.target.key,
        relation=f.pattern.relation,
        label=f.pattern.label,
        method=f.pattern.id,
        confidence=round(f.confidence, 3),
        date=date,
        place=place,
        polarity=_polarity(f.trigger, sentence.patterns) if f.pattern.pos == "verb" or f.pattern.lemmas else "positive",
        certainty=_certainty(f.trigger, sentence, attributed)
        if f.pattern.lemmas
        else ("reported" if attributed else "asserted"),
        evidence=Evidence(
            doc=doc_id,
            sentence=stripped,
            start=sent.start_char + lead,
            end=sent.start_char + lead + len(stripped),
            date=date,
            spans=tuple(sorted(spans)),
        ),
    )
