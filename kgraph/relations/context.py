"""One sentence with the document's entities, the resolver's memory, the patterns and the grammar: the
entity lookups every rule shares (which mention a token is in, the preposition before it, the name after a
title, the antecedent of a relative pronoun)."""

from __future__ import annotations

from collections.abc import Collection, Sequence, Set
from typing import TYPE_CHECKING

from kgraph.models import Mention
from kgraph.text import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from kgraph.entities import Cluster, DocEntities
    from kgraph.lang.grammar import Grammar
    from kgraph.patterns import PatternSet
    from kgraph.relations.memory import Memory

_STEPS_BEFORE_MENTION = 8  # words (determiners, adjectives, titles) between a preposition and its mention
_TITLE_TO_NAME = 12  # words from a title's first word to the name it introduces
_ANTECEDENT_REACH = 14  # words back from a relative pronoun to its antecedent


class Tokens:
    """A parsed document's tokens, each made once, with the folded text, folded lemma, part of speech and
    sentence bounds of each, its dependency label, head and children: spaCy makes a new `Token` on every `doc[i]`
    and every step through a span or a token's children, and a new string on every attribute read, and the
    rules read each token many times over."""

    def __init__(self, doc: Doc) -> None:
        self.all: list[Token] = list(doc)
        texts = [t.text for t in self.all]
        lemmas = [t.lemma_ for t in self.all]
        folded = {text: fold(text) for text in {*texts, *lemmas}}  # a word comes back many times in a document
        self.words = [folded[text] for text in texts]
        self.lemmas = [folded[lemma] for lemma in lemmas]
        self.pos = [t.pos_ for t in self.all]
        self.heads = _heads(doc)  # by token: the index of its head (`token.head.i`; a root is its own)
        self.deps = [t.dep_ for t in self.all]  # by token: its dependency label
        self._children: dict[int, list[Token]] = {}  # by head, for the tokens that have any
        for token, head in zip(self.all, self.heads, strict=True):
            if head != token.i:
                self._children.setdefault(head, []).append(token)
        self._morphs: list[int] = doc.to_array("MORPH").tolist()  # each token's morphology key
        self._features: dict[int, frozenset[str]] = {}  # by morphology key: a document has few distinct ones
        self.doc_text = "".join([text + t.whitespace_ for text, t in zip(texts, self.all, strict=True)])
        self.starts = [t.idx for t in self.all]  # by token: its first character in the text (`token.idx`)
        self._ends = [start + len(text) for start, text in zip(self.starts, texts, strict=True)]
        self.sents = list(doc.sents)
        self.sentence_start: list[int] = []  # by token: the start of its sentence (`token.sent.start`)
        self.sentence_end: list[int] = []  # by token: the end of its sentence (`token.sent.end`)
        for sent in self.sents:
            length = sent.end - sent.start
            self.sentence_start += [sent.start] * length
            self.sentence_end += [sent.end] * length

    def children(self, token: Token) -> Sequence[Token]:
        """The token's children in text order (`token.children`), made once per document."""
        return self._children.get(token.i, ())

    def subtree(self, token: Token) -> list[Token]:
        """The token and all its descendants in text order (`token.subtree`), from the children made once."""
        found: list[Token] = []
        todo = [token]
        while todo:
            head = todo.pop()
            found.append(head)
            todo += self.children(head)
        return sorted(found, key=_index)

    def features(self, token: Token) -> frozenset[str]:
        """The token's morphological features as "Field=Value" strings (what iterating `token.morph` yields):
        `"Part" in token.morph.get("VerbForm", [])` is `"VerbForm=Part" in features(token)`, at a set's cost."""
        key = self._morphs[token.i]
        found = self._features.get(key)
        if found is None:
            found = self._features[key] = frozenset(token.morph)
        return found

    def text(self, start: int, end: int) -> str:
        """The text of tokens `start` (not negative) to `end`: `doc[start:end].text`, without the span."""
        end = min(end, len(self.all))
        return self.doc_text[self.starts[start] : self._ends[end - 1]] if start < end else ""


def _index(token: Token) -> int:
    return token.i


def _heads(doc: Doc) -> list[int]:
    offsets = doc.to_array("HEAD").astype("int64").tolist()  # spaCy keeps each head as an offset from its token
    return [i + offset for i, offset in enumerate(offsets)]


def document_sentences(
    tokens: Tokens, ents: DocEntities, patterns: PatternSet, memory: Memory, grammar: Grammar
) -> list[Sentence]:
    """The sentences of a document in text order, sharing its entities, memory and tokens, each knowing the
    others (`Sentence.document`): made once for the rules that read the whole document."""
    document: list[Sentence] = []
    document += (
        Sentence(sent, ents, patterns, memory, grammar, number, tokens, document)
        for number, sent in enumerate(tokens.sents)
    )
    return document


class Sentence:
    """One sentence with the document's entities, the resolver's memory, the pattern set and the grammar, and
    its document's tokens (`tokens` of the document, made once for all its sentences; else made here) and
    sentences (`document`, as `document_sentences` makes them; else made when first asked for)."""

    def __init__(
        self,
        sent: Span,
        ents: DocEntities,
        patterns: PatternSet,
        memory: Memory,
        grammar: Grammar,
        number: int = 0,
        tokens: Tokens | None = None,
        document: list[Sentence] | None = None,
    ) -> None:
        self.sent = sent
        self.start, self.end = sent.start, sent.end
        self.table = tokens if tokens is not None else Tokens(sent.doc)
        self.doc_tokens = self.table.all  # the document's tokens by index: `doc[i]` without a new Token
        self.tokens = self.doc_tokens[self.start : self.end]  # this sentence's
        self.words = self.table.words[self.start : self.end]  # folded text of this sentence's tokens
        self.lemmas = self.table.lemmas[self.start : self.end]  # folded lemmas of this sentence's tokens
        self._lemma_set = frozenset(self.lemmas)
        self.children = self.table.children  # a token's children, made once
        self._document = document
        self.number = number  # the sentence's index in the document
        self.ents = ents
        self.patterns = patterns
        self.memory = memory
        self.grammar = grammar
        self.deps = grammar.deps
        self.preps = patterns.prepositions
        self.spans = ents.spans_between(sent.start, sent.end)  # this sentence's mentions
        # lookups that read only the parse and the mentions, asked for again by rule after rule
        self._prepositions: dict[int, str | None] = {}
        self._names: dict[int, Cluster | None] = {}

    def sibling(self, sent: Span, number: int = 0) -> Sentence:
        """Another sentence of the same document, sharing this one's entities, memory and tokens."""
        return Sentence(sent, self.ents, self.patterns, self.memory, self.grammar, number, tokens=self.table)

    @property
    def document(self) -> list[Sentence]:
        """The sentences of this one's document, in text order."""
        if self._document is None:
            self._document = document_sentences(self.table, self.ents, self.patterns, self.memory, self.grammar)
        return self._document

    def tokens_with_word(self, words: Collection[str]) -> list[Token]:
        """This sentence's tokens whose folded text is one of `words`, in text order."""
        return [t for t, w in zip(self.tokens, self.words, strict=True) if w in words]

    def tokens_with_lemma(self, lemmas: Set[str]) -> list[Token]:
        """This sentence's tokens whose folded lemma is one of `lemmas` (a set, or a mapping's keys), in text
        order."""
        if lemmas.isdisjoint(self._lemma_set):  # most sentences have none: one set operation, not a scan
            return []
        return [t for t, lemma in zip(self.tokens, self.lemmas, strict=True) if lemma in lemmas]

    def features(self, token: Token) -> frozenset[str]:
        """The token's morphological features, "Field=Value" ("VerbForm=Part"): see `Tokens.features`."""
        return self.table.features(token)

    def word(self, token: Token) -> str:
        """The token's folded text (`fold(token.text)`)."""
        return self.table.words[token.i]

    def lemma(self, token: Token) -> str:
        """The token's folded lemma (`fold(token.lemma_)`)."""
        return self.table.lemmas[token.i]

    def span_text(self, start: int, end: int) -> str:
        """`doc[start:end].text` (`start` not negative), without making the span."""
        return self.table.text(start, end)

    @property
    def text(self) -> str:
        """The sentence's text (`sent.text`), a slice of the document's."""
        return self.table.doc_text[self.sent.start_char : self.sent.end_char]

    def next_end(self) -> int:
        """The end of the sentence after this one (this one's when it is the last)."""
        return self.table.sentence_end[self.end] if self.end < len(self.doc_tokens) else self.end

    def cluster_at(self, token: Token) -> Cluster | None:
        return self.ents.at(token.i)

    def is_role(self, token: Token) -> bool:
        """The word or its lemma is a title of the lexicon ("ministre", "président")."""
        roles = self.ents.lexicon.roles
        i = token.i
        return self.table.words[i] in roles or self.table.lemmas[i] in roles

    def mention_start(self, token: Token) -> int:
        start = token.i
        while start - 1 >= self.start and self.ents.by_token.get(start - 1) == self.ents.by_token.get(token.i):
            start -= 1
        return start

    def preposition_before(self, index: int) -> str | None:
        """The preposition governing a mention starting at `index`, skipping determiners, adjectives, titles."""
        if index not in self._prepositions:
            self._prepositions[index] = self._preposition_before(index)
        return self._prepositions[index]

    def _preposition_before(self, index: int) -> str | None:
        words, pos = self.table.words, self.table.pos
        grammar = self.grammar
        i = index - 1
        steps = 0
        while i >= self.start and steps < _STEPS_BEFORE_MENTION:
            word = words[i]
            if pos[i] == "ADP" or word in grammar.governing_prepositions:
                if word in self.ents.lexicon.of_prepositions and self._after_beside(i):
                    return grammar.beside
                if word in grammar.contracted_articles and pos[i] == "DET":
                    return None
                return word
            if pos[i] in ("DET", "ADJ", "NUM") or word in self.ents.lexicon.roles or self.doc_tokens[i].is_space:
                i -= 1
                steps += 1
                continue
            return None
        return None

    def _after_beside(self, i: int) -> bool:
        """The "de" at `i` closes "aux côtés de"."""
        words = self.table.words
        first, second = self.grammar.beside_locution[:2]
        return i - 2 >= self.start and words[i - 1] == second and words[i - 2] == first

    def in_title_complement(self, start: int) -> bool:
        # "le secrétaire du Conseil de sécurité" : the organisation inside a title is not the subject
        doc = self.doc_tokens
        return any(self.is_role(tok) for tok in doc[max(self.start, start - 3) : start])

    def bare(self, token: Token) -> bool:
        """A noun phrase with nothing after its head ("le président a déclaré")."""
        nxt = self.doc_tokens[token.i + 1] if token.i + 1 < self.end else None
        return nxt is None or nxt.is_punct or nxt.pos_ in ("VERB", "AUX", "ADV")

    def demonym_state(self, token: Token) -> str | None:
        """The state an adjective next to a noun names ("l'armée ukrainienne")."""
        adjective = self._demonym_adjective(token)
        return self.ents.lexicon.demonyms[self.word(adjective)] if adjective is not None else None

    def demonym_adjective(self, token: Token) -> Token | None:
        """The adjective next to a noun that names a state ("l'agence russe": "russe"), if any."""
        return self._demonym_adjective(token)

    def _demonym_adjective(self, token: Token) -> Token | None:
        demonyms = self.ents.lexicon.demonyms
        for child in self.children(token):
            if child.dep_ in self.deps.adjective_attachments and self.word(child) in demonyms:
                return child
        doc = self.doc_tokens
        # the parse may attach the adjective elsewhere: read the words right after the noun
        for tok in doc[token.i + 1 : min(token.i + 5, self.end)]:
            if self.word(tok) in demonyms:
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
        cluster = self.ents.by_canonical(self.ents.lexicon.demonyms[self.word(adjective)])
        if all(m.start != adjective.idx for m in cluster.mentions):
            end = adjective.idx + len(adjective.text)
            cluster.mentions.append(Mention(text=adjective.text, start=adjective.idx, end=end, sentence=self.number))
        return cluster

    def name_after(self, token: Token) -> Cluster | None:
        """The person (or entity) named right after a title noun phrase starting at `token`."""
        if token.i not in self._names:
            self._names[token.i] = self._name_after(token)
        return self._names[token.i]

    def _name_after(self, token: Token) -> Cluster | None:
        doc = self.doc_tokens
        company = self.lemma(token) in self.patterns.company_nouns  # "le développeur allemand VSB"
        saw_title = self.is_role(token) or company
        i = token.i + 1
        while i < min(token.i + _TITLE_TO_NAME, self.end):
            tok = doc[i]
            cluster = self.cluster_at(tok)
            if cluster is not None:
                if cluster.type == "PERSON" or (company and cluster.type in ("ORG", "MISC")):
                    return cluster
                if not saw_title:
                    return None
                i = max(i + 1, self.ents.span_at[i][1])
                continue
            if self.is_role(tok):
                saw_title = True
            elif saw_title and self.word(tok) in self.ents.lexicon.demonyms:
                pass  # "son homologue guinéen le général X": the parse may tag the demonym a verb
            elif self._name_in_apposition(tok, saw_title):
                pass  # "le président du conseil, Denis Ranque": the name in apposition
            elif self._ends_title(tok, saw_title):
                break
            i += 1
        return None

    def _name_in_apposition(self, tok: Token, saw_title: bool) -> bool:
        i = tok.i
        return (
            tok.text == ","
            and saw_title
            and i + 1 < self.end
            and (named := self.cluster_at(self.doc_tokens[i + 1])) is not None
            and named.type == "PERSON"
        )

    def _ends_title(self, tok: Token, saw_title: bool) -> bool:
        pos = self.table.pos[tok.i]
        return (
            tok.is_punct
            or pos in ("VERB", "AUX", "SCONJ", "PRON", "CCONJ")
            or (pos == "ADP" and self.word(tok) not in self.ents.lexicon.of_prepositions)
            or (pos in ("NOUN", "PROPN") and not saw_title)
        )

    def antecedent(self, token: Token) -> list[Cluster]:
        """A relative pronoun stands for the nearest entity before it that is not inside a complement
        ("Sergueï Choïgou, secrétaire du Conseil de la Russie, qui…" is Choïgou). The conjunction of a
        completive clause ("a affirmé que la France condamne…") stands for no one."""
        if token.dep_ in self.deps.marker and token.head.dep_ in self.deps.clausal_complements:
            return []
        doc = self.doc_tokens
        fallback: list[Cluster] = []
        in_complement = False  # the fallback is the organisation of a title
        i = token.i - 1
        while i > max(self.start - 1, token.i - _ANTECEDENT_REACH):
            cluster = self.cluster_at(doc[i])
            if cluster is not None:
                start = self.mention_start(doc[i])
                complement = cluster.type != "PERSON" and self.in_title_complement(start)
                if self.preposition_before(start) is None and not complement:
                    return [cluster]
                # "celui de X, secrétaire du Conseil, qui…": the person under a preposition before the
                # organisation of his title
                if not fallback or (cluster.type == "PERSON" and in_complement):
                    fallback, in_complement = [cluster], complement
                i = start
            i -= 1
        return fallback

    def is_relative(self, token: Token) -> bool:
        i = token.i
        return self.table.pos[i] == "PRON" and self.table.words[i] in self.grammar.relative_pronouns
