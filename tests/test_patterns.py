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


@pytest.mark.parametrize(
    ("content", "bad", "valid"),
    [
        ('{"relatoins": []}', "'relatoins'", "valid keys: relations"),
        (
            '{"relations": [{"id": "x", "relation": "x", "pos": "verb", "lemmas": ["a"], "targte": ["with"]}]}',
            "pattern 'x': unknown key 'targte'",
            "agent_from_clause, id, implies, label, lemmas, pair_subjects, pos, relation, requires, requires_object,"
            " source, target, target_types",
        ),
        (
            '{"relations": [{"id": "x", "relation": "x", "pos": "verb", "lemmas": ["a"],'
            ' "implies": [{"relation": "visit", "too": "place"}]}]}',
            "'implies' entry: unknown key 'too'",
            "valid keys: from, label, relation, to",
        ),
        (
            '{"relations": [{"id": "x", "relation": "x", "pos": "verb", "lemmas": "sanctionner"}]}',
            "pattern 'x': lemmas must be a list of strings",
            "",
        ),
    ],
)
def test_a_misspelt_key_at_any_level_is_rejected_with_the_valid_keys(tmp_path, content, bad, valid):
    typo = tmp_path / "typo.json"
    typo.write_text(content)
    with pytest.raises(PatternError) as err:
        load_patterns("fr", typo)
    assert str(typo) in str(err.value) and bad in str(err.value) and valid in str(err.value)


def test_the_roles_a_pattern_may_name_are_the_registered_resolvers(tmp_path):
    from kgraph.relations.roles import ROLE_RESOLVERS

    used = {r for p in load_patterns("fr").patterns for r in (*p.source, *p.target)}
    assert used <= set(ROLE_RESOLVERS)
    bad = tmp_path / "bad.json"
    bad.write_text('{"relations": [{"id": "x", "relation": "x", "pos": "verb", "lemmas": ["a"], "source": ["boss"]}]}')
    with pytest.raises(PatternError) as err:
        load_patterns("fr", bad)
    assert f"choose from {', '.join(sorted(ROLE_RESOLVERS))}" in str(err.value)


def test_a_user_type_claiming_a_builtin_trigger_replaces_the_builtin_for_that_trigger():
    from tests.graph_helpers import DATA

    base = load_patterns("fr")
    assert "fr.opposition.verb" in {p.id for p in base.verbs["sanctionner"]}
    patterns = load_patterns("fr", DATA / "sanctions-patterns.json")
    assert [p.id for p in patterns.verbs["sanctionner"]] == ["user.sanctions.verb"]
    assert [p.id for p in patterns.nouns["sanction"]] == ["user.sanctions.noun"]
    assert [p.id for p in patterns.nouns["condamnation"]] == ["fr.opposition.noun"]  # a trigger the user left alone
    assert [p.id for p in patterns.verbs["condamner"]] == ["fr.opposition.verb"]
