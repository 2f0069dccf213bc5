"""Event rules: who takes part in a meeting, and the test that a person does not visit his own country."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kgraph.entities import Cluster
    from kgraph.relations.found import Found


def place_states(place: Cluster, found: list[Found]) -> set[str]:
    """The states a place belongs to: itself for a state, its state for a capital, the state or capital it
    was just said to lie in ("Wonsan, ville portuaire de la Corée du Nord")."""
    states = {s for s in (place.canonical if place.type == "GPE" else None, place.capital_of) if s}
    for f in found:
        if f.pattern.relation == "located_in" and f.source is place:
            states |= {s for s in (f.target.canonical, f.target.capital_of) if s}
    return states


def at_home(person: Cluster, place: Cluster, found: list[Found]) -> bool:
    """A person whose title ties him to the place's state is at home there, not visiting it."""
    home = {state for _role, state in person.roles if state}
    return bool(home & place_states(place, found))


def without_home_visits(found: list[Found]) -> list[Found]:
    """ "X a reçu Y dans sa capitale", "la visite de Y chez X": the host is not a visitor of his own country."""
    return [f for f in found if not (f.pattern.relation == "visit" and at_home(f.source, f.target, found))]


def guest(expected: Cluster, other: Cluster, place: Cluster, found: list[Found]) -> Cluster:
    """Who of two people met at a place is the visitor: the one a pattern expects ("X a reçu Y à P": Y),
    unless he is at home there and the other is a person from elsewhere ("Y a rencontré X dans sa capitale")."""
    if at_home(expected, place, found) and other.type == "PERSON" and other.roles and not at_home(other, place, found):
        return other
    return expected
