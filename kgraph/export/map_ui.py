"""The words of the HTML map's interface, one JSON file per language in `assets/ui/` (`en.json`, `fr.json`):
which language a graph's map speaks, and its strings with counts and placeholders filled in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import networkx as nx

from kgraph.errors import UsageError

DEFAULT_LANGUAGE = "en"


def languages() -> list[str]:
    """The interface languages kgraph ships, by code."""
    folder = resources.files("kgraph.export").joinpath("assets", "ui")
    return sorted(entry.name.removesuffix(".json") for entry in folder.iterdir() if entry.name.endswith(".json"))


def ui_language(graph: nx.MultiDiGraph, requested: str | None = None) -> str:
    """`requested` when given (a UsageError if kgraph has no such interface); otherwise the language of the
    corpus the graph was built from (its `language` attribute, else its spaCy model's, "fr" for
    "fr_core_news_sm"), when kgraph has an interface in it; otherwise English."""
    available = languages()
    if requested is not None:
        if requested not in available:
            raise UsageError(f"no map interface in {requested!r}; choose from {', '.join(available)}")
        return requested
    language = graph.graph.get("language")
    model = graph.graph.get("model")
    if not isinstance(language, str) and isinstance(model, str):
        language = model.split("_", 1)[0]
    return language if isinstance(language, str) and language in available else DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class UiStrings:
    """One language's interface strings; the page's script gets the same data (`data.ui`)."""

    code: str
    data: dict[str, Any]

    def page(self, key: str) -> str:
        return str(self.data["page"][key])

    def text(self, key: str, **values: Any) -> str:
        return str(self.data["text"][key]).format(**values)

    def count(self, n: int, noun: str) -> str:
        """ "3 entities", "1 entity"; "0 entité" in French: the counts that take the singular are data."""
        forms = self.data["count"][noun]
        form = forms["one"] if n in self.data["plural_one"] else forms["other"]
        return str(form).format(n=self.number(n))

    def number(self, n: int) -> str:
        return f"{n:,}".replace(",", self.data["thousands_separator"])


def load_ui(code: str) -> UiStrings:
    """The interface strings of language `code` (one of `languages()`)."""
    if code not in languages():
        raise UsageError(f"no map interface in {code!r}; choose from {', '.join(languages())}")
    path = resources.files("kgraph.export").joinpath("assets", "ui", f"{code}.json")
    return UiStrings(code=code, data=json.loads(path.read_text(encoding="utf-8")))
