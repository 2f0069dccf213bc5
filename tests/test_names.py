"""Person-name matching rules (no model needed)."""

import pytest

from kgraph.names import is_partial_name, is_spelling_variant, name_tokens, same_person_name


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Kim Jong", "Kim Jong Un"),
        ("Lavrov", "Sergueï Lavrov"),
        ("Macron", "Emmanuel Macron"),
        ("Lula", "Luiz Inácio Lula da Silva"),
    ],
)
def test_partial_names_link_to_the_full_name(short, full):
    assert is_partial_name(short, full)


@pytest.mark.parametrize(("a", "b"), [("Kim Jon Un", "Kim Jong Un"), ("Volodymyr Zelenski", "Volodymyr Zelensky")])
def test_small_spelling_variants_are_the_same_name(a, b):
    assert is_spelling_variant(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Yo Jong", "Kim Jong Un"),
        ("Marine Le Pen", "Jean-Marie Le Pen"),
        ("Brigitte Macron", "Emmanuel Macron"),
        ("Jong", "Kim Jong Un"),
    ],
)
def test_people_sharing_a_name_part_stay_apart(a, b):
    assert not same_person_name(a, b)


def test_hyphenated_first_names_are_one_token():
    assert name_tokens("Jean-Marie Le Pen") == ["jean-marie", "le", "pen"]
