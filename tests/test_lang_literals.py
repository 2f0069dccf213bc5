"""No word of any language in the rule code: a word literal in a set, list or tuple, or compared with
`==`, `in` or `startswith`, belongs to a language pack (kgraph/lang/<code>/)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

KGRAPH = Path(__file__).resolve().parent.parent / "kgraph"
# the rule modules; kgraph/relations/ is checked as soon as the relation engine is that package
RULE_MODULES = sorted(
    {
        *KGRAPH.glob("entities.py"),
        *KGRAPH.glob("entities/**/*.py"),
        *KGRAPH.glob("relations/**/*.py"),
        *(KGRAPH / name for name in ("dates.py", "names.py", "resolution.py", "pipeline.py", "text.py")),
    }
)


def _kgraph_identifiers() -> frozenset[str]:
    """Identifiers that look like words but are kgraph's own, in English whatever the language: role names (the
    resolver registry), relation types, qualifier values, the keys of pattern and pack files, spaCy's
    component names."""
    import json

    from kgraph.models import CERTAINTIES, POLARITIES
    from kgraph.relations.roles import ROLE_RESOLVERS

    patterns = json.loads((KGRAPH / "lang" / "fr" / "patterns.json").read_text(encoding="utf-8"))
    relations = {entry["relation"] for entry in patterns["relations"]} | {"reports", "located_in", "cooccurrence"}
    own = {"person", "place", "target", "source", "plural", "member", "leader", "minister", "verb", "noun"}
    keys = {"kgraph", "lang", "language", "labels", "deps", "article", "prepositions"}
    return frozenset({*ROLE_RESOLVERS, *relations, *POLARITIES, *CERTAINTIES, *own, *keys, "parser", "ner", "senter"})


ALLOWED = _kgraph_identifiers()
# lowercase letters (accents included), optionally joined by an apostrophe, a hyphen or a space, or an
# elided word or a prefix ("d'", "mi-")
_WORD = re.compile(r"[^\W\d_]{2,}(?:['’\- ][^\W\d_]+)*['’\-]?|[^\W\d_]['’]")
_PREFIX_METHODS = {"startswith", "endswith"}


def _is_word(value: object) -> bool:
    return isinstance(value, str) and value == value.lower() and bool(_WORD.fullmatch(value)) and value not in ALLOWED


def _strings(node: ast.AST) -> list[ast.Constant]:
    """String constants of `node` itself or of the set/list/tuple display it is."""
    if isinstance(node, ast.Constant):
        return [node]
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        return [e for e in node.elts if isinstance(e, ast.Constant)]
    return []


def word_literals(source: str) -> list[tuple[int, str]]:
    """(line, word) of every word literal in a display or a comparison of `source`."""
    found: list[ast.Constant] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
            found += _strings(node)
        elif isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                found += _strings(side)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _PREFIX_METHODS:
            for arg in node.args:
                found += _strings(arg)
    return sorted({(c.lineno, c.value) for c in found if _is_word(c.value)})


def test_the_check_finds_words_in_every_position():
    source = """
DETS = {"le", "la"}
STOP = ("und",)
def rule(token):
    if token.text == "hier" or token.lemma_ in ("arriver", "d'"):
        return token.text.startswith("mi-")
    return [x for x in ["été"]]
"""
    assert {word for _line, word in word_literals(source)} == {"le", "la", "und", "hier", "arriver", "d'", "mi-", "été"}


def test_the_check_leaves_labels_keys_and_messages_alone():
    source = """
TYPES = ("PERSON", "ORG")
row = {"label": "x"}
def rule(token, nlp):
    if token.pos_ in ("NOUN", "PROPN") and "parser" in nlp.pipe_names and token.text == "-":
        raise ValueError("not a word literal of a rule")
    return row["label"], row.get("type", "LOC"), f"id:{token}"
"""
    assert word_literals(source) == []


def test_the_rule_modules_are_found():
    names = {p.relative_to(KGRAPH).as_posix() for p in RULE_MODULES}
    assert {"entities/mentions.py", "dates.py", "pipeline.py"} <= names
    assert all(p.is_file() for p in RULE_MODULES)


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: p.relative_to(KGRAPH).as_posix())
def test_no_word_literal_in_rule_code(path: Path):
    found = word_literals(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name}: words belong to kgraph/lang/<code>/: " + ", ".join(
        f"line {line}: {word!r}" for line, word in found
    )
