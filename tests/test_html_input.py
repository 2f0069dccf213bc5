"""HTML pages as input: the article text comes out, and a broken HTML reader says what failed."""

from __future__ import annotations

import importlib.abc
import sys

import pytest

from kgraph.corpus import html_document
from kgraph.errors import InputError

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Sommet</title></head>
<body><nav>Accueil | Monde</nav><article><h1>Un sommet à Genève</h1>
<p>Le ministre japonais des Affaires étrangères a rencontré mardi à Genève son homologue canadienne pour
préparer le sommet du printemps, selon un communiqué publié dans la soirée.</p>
<p>Les deux délégations ont évoqué la sécurité maritime et le commerce des semi-conducteurs.</p>
</article><footer>Tous droits réservés</footer></body></html>"""


def test_an_html_page_gives_its_article_text():
    document = html_document(PAGE.encode(), doc_id="page.html", name="page.html")
    assert "a rencontré mardi à Genève" in document.text
    assert "Tous droits réservés" not in document.text


class _Broken(importlib.abc.MetaPathFinder):
    """Fails the import of trafilatura as a missing lxml_html_clean makes it fail."""

    def find_spec(self, name, path=None, target=None):
        if name == "trafilatura":
            raise ImportError(
                "lxml.html.clean module is now a separate project lxml_html_clean.\n"
                "Install lxml[html-clean] or lxml_html_clean directly."
            )
        return None


def test_a_failing_html_reader_says_what_failed_on_one_line(monkeypatch):
    monkeypatch.delitem(sys.modules, "trafilatura", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_Broken(), *sys.meta_path])
    with pytest.raises(InputError) as info:
        html_document(PAGE.encode(), doc_id="page.html", name="page.html")
    assert str(info.value) == (
        "page.html: cannot read HTML, importing trafilatura failed: lxml.html.clean module is now a separate "
        "project lxml_html_clean. Install lxml[html-clean] or lxml_html_clean directly."
    )
