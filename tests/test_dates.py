"""French date expressions resolved against the document date (no model needed)."""

import pytest

from kgraph.dates import find_dates


@pytest.mark.parametrize(
    ("text", "doc_date", "expected"),
    [
        ("le 12 juillet 2025 à Wonsan", "2025-07", "2025-07-12"),
        ("le 3 mars", "2024-06", "2024-03-03"),
        ("en juin 2024", None, "2024-06"),
        ("ont signé l'an dernier un pacte", "2025-07", "2024"),
        ("durant l'été 2024", None, "2024"),
        ("cette année", "2023-01-10", "2023"),
        ("a annoncé dimanche", "2025-07-16", "2025-07-13"),
        ("a annoncé dimanche", "2025-07", "2025-07"),
        ("le mois dernier", "2024-01-15", "2023-12"),
    ],
)
def test_dates_resolve_against_the_document_date(text, doc_date, expected):
    assert [d.value for d in find_dates(text, doc_date)][:1] == [expected]


def test_relative_dates_without_a_document_date_are_left_out():
    assert find_dates("ont signé l'an dernier un pacte", None) == []


def test_an_impossible_day_falls_back_to_the_month():
    assert [d.value for d in find_dates("le 31 février 2024", None)] == ["2024-02"]


@pytest.mark.parametrize(
    "text",
    [
        "Le pays veut sortir du charbon d'ici 2035",
        "un objectif fixé d'ici à la fin de l'année 2030",
        "la flotte sera renouvelée d'ici le 31 décembre 2028",
        "une ligne ouverte à l'horizon 2040",
    ],
)
def test_a_deadline_is_not_a_date_of_the_event(text):
    assert find_dates(text, "2025-03") == []


def test_a_deadline_leaves_the_event_date_of_the_sentence():
    found = find_dates("Signé le 4 mai 2025, le pacte prévoit de doubler les échanges d'ici 2030", "2025-05")
    assert [d.value for d in found] == ["2025-05-04"]


def test_dates_after_other_words_keep_their_offsets_and_their_order():
    text = "Le ministre, reçu mardi par son homologue, a signé le 12 juillet 2025 un accord pour 2026."
    found = find_dates(text, "2025-07-16")
    assert [(text[d.start : d.end], d.value) for d in found] == [
        ("mardi", "2025-07-15"),
        ("12 juillet 2025", "2025-07-12"),
        ("2026", "2026"),
    ]
