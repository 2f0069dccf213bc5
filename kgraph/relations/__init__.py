"""Typed relations of one document, read off spaCy's dependency parse and lemmas with data-driven patterns.

The French small pipeline's parse is often wrong on news prose (a finite verb taken for an adjective, a
subject attached to the wrong clause), so each argument is looked up in the parse first and, failing
that, by a bounded linear reading of the clause around the trigger.

Layout: `context` (a sentence with its entities), `memory` (light coreference across sentences),
`nounphrase` (what an argument token stands for), `clauses` (reading a trigger's clause), `roles` (the
registry of role resolvers), `triggers`, `qualifiers` (polarity, certainty, date, place), `rules/` (one
module per built-in rule family), `fill` and `engine`; `grammar` loads the language's words and labels.
"""

from kgraph.relations.engine import iter_relations

__all__ = ["iter_relations"]
