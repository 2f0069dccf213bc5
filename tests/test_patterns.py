"""Relation patterns as data: the built-in file, a user's file, and clear errors for malformed ones."""

import json

import pytest

from kgraph.errors import PatternError
from kgraph.patterns import load_patterns

VOCABULARY = {
    "meeting",
    "visit",
    "agreement",
    "deployment",
    "supply",
    "support",
    "opposition",
    "conflict",
    "capture",
    "thanks",
    "acquisition",
    "role",
}


def test_builtin_french_patterns_cover_the_vocabulary():
    patterns = load_patterns("fr")
    assert {p.relation for p in patterns.patterns} >= VOCABULARY
    assert all(p.id.startswith("fr.") for p in patterns.patterns)


def test_a_user_file_adds_a_relation_type_and_changes_the_version(tmp_path):
    base = load_patterns("fr")
    extra = tmp_path / "sanctions.json"
    extra.write_text(
        json.dumps(
            {
                "relations": [
                    {
                        "id": "user.sanctions",
                        "relation": "sanctions",
                        "pos": "verb",
                        "lemmas": ["sanctionner"],
                    }
                ]
            }
        )
    )
    patterns = load_patterns("fr", extra)
    assert "sanctions" in {p.relation for p in patterns.patterns}
    assert patterns.verbs["sanctionner"][-1].relation == "sanctions"
    assert patterns.version != base.version


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"relations": [{"id": "x", "relation": "x", "pos": "adverb", "lemmas": ["a"]}]}', "pos must be"),
        (
            '{"relations": [{"id": "x", "relation": "Bad Name", "pos": "verb", "lemmas": ["a"]}]}',
            "snake_case",
        ),
        (
            '{"relations": [{"id": "x", "relation": "x", "pos": "verb", "lemmas": ["a"], "source": ["boss"]}]}',
            "unknown role 'boss'",
        ),
        ('{"relations": [{"relation": "x", "pos": "verb"}]}', "lacks id, lemmas"),
    ],
)
def test_malformed_pattern_files_name_the_file_and_the_problem(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(PatternError) as err:
        load_patterns("fr", bad)
    assert str(bad) in str(err.value)
    assert message in str(err.value)


def test_unknown_language_is_an_error():
    with pytest.raises(PatternError, match="no built-in relation patterns for language 'xx'"):
        load_patterns("xx")
