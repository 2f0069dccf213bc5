"""The one colour palette of every export: a colour means the same entity type or relation in the HTML map
and its legend, in GEXF (Gephi) and anywhere else a colour is written."""

from __future__ import annotations

import hashlib
from typing import Any

# entity types of docs/graph-schema.md
TYPE_COLORS = {
    "PERSON": "#e15759",
    "ORG": "#4e79a7",
    "GPE": "#59a14f",
    "LOC": "#76b7b2",
    "EVENT": "#f28e2b",
    "MISC": "#b07aa1",
}
UNKNOWN_TYPE_COLOR = "#9c9c9c"
# built-in relations
RELATION_COLORS = {
    "meeting": "#1f77b4",
    "visit": "#17becf",
    "agreement": "#2ca02c",
    "deployment": "#8c564b",
    "supply": "#ff7f0e",
    "support": "#7cb342",
    "opposition": "#d62728",
    "conflict": "#8b0000",
    "capture": "#9467bd",
    "thanks": "#e377c2",
    "acquisition": "#bcbd22",
    "statement": "#7f7f7f",
    "reports": "#6b9bd1",
    "role": "#a58bc9",
    "located_in": "#b0b0b0",
    "cooccurrence": "#d0d0d0",
}
# user-defined relations get a colour from this list, chosen by a hash of the name (stable across runs)
EXTRA_RELATION_COLORS = (
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
)


def type_color(entity_type: Any) -> str:
    """The colour of an entity type; grey for a type outside the schema."""
    return TYPE_COLORS.get(str(entity_type), UNKNOWN_TYPE_COLOR)


def relation_color(relation: Any) -> str:
    """The colour of a relation type: fixed for the built-in ones, picked by a stable hash for the others."""
    name = str(relation)
    if name in RELATION_COLORS:
        return RELATION_COLORS[name]
    digest = hashlib.sha256(name.encode("utf-8", "replace")).digest()
    return EXTRA_RELATION_COLORS[digest[0] % len(EXTRA_RELATION_COLORS)]


def rgb(color: str) -> dict[str, int]:
    """ "#e15759" as {"r": 225, "g": 87, "b": 89}."""
    return {"r": int(color[1:3], 16), "g": int(color[3:5], 16), "b": int(color[5:7], 16)}


def darker(color: str) -> str:
    """The same hue at 70 % brightness (node borders)."""
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.7) for c in rgb(color).values()))
