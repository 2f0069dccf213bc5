"""Reading inputs: decoding, the date line, text cleaning, and every kind of unusable file or folder."""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph import documents
from kgraph.corpus import iter_corpus
from kgraph.documents import (
    MAX_TOKEN_CHARS,
    SIGNATURES,
    Skipped,
    clean_text,
    decode,
    expand_inputs,
    make_document,
    read_file,
    split_date_line,
)
from kgraph.errors import InputError

FRENCH = (
    "Sergueï Lavrov a été reçu à Wonsan par Kim Jong Un ; « c’est un succès », a déclaré l’agence. "
    "Œuvre commune, coût : 5 €. Les négociations reprendront à Moscou cet été."
)
RUSSIAN = "Сергей Лавров прибыл в Вонсан, где его принял Ким Чен Ын. Стороны подписали договор о сотрудничестве."
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def reason(path, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        read_file(path, doc_id="x", **kwargs)
    return str(info.value)


# ------------------------------------------------------------------------------------------ decoding


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1"]
)
def test_french_text_is_decoded_exactly_in_every_supported_encoding(encoding):
    text = FRENCH if encoding != "latin-1" else FRENCH.replace("’", "'").replace("Œ", "O").replace("€", "E")
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # the BOM is what makes UTF-16 readable
        data = ("\ufeff" + text).encode(encoding)
    assert decode(data, name="a.txt") == text


@pytest.mark.parametrize("text", ["déjà", "Père Noël", "L'été à Moscou."])
def test_short_latin_texts_are_not_taken_for_another_codepage(text):
    assert decode(text.encode("latin-1"), name="a.txt") == text
    assert decode(text.encode("cp1252"), name="a.txt") == text


def test_other_scripts_in_8_bit_encodings_are_detected():
    assert decode(RUSSIAN.encode("cp1251"), name="ru.txt") == RUSSIAN


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "a.txt: empty file"),
        (b" \n\t\r\n ", "a.txt: empty file"),
        ("\ufeff  \n".encode(), "a.txt: empty file"),
        (b"\xff\xfe", "a.txt: empty file"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "a.txt: a ZIP archive, not text"),
        (b"\x00\x01\x02text", "a.txt: binary file (contains NUL bytes)"),
        (bytes(range(1, 9)) * 100, "a.txt: binary file (mostly non-text characters)"),
        (b"\x1b[31m" * 200, "a.txt: binary file (mostly non-text characters)"),
        (b"\xff\xfeA\x00B", "a.txt: invalid UTF-16 (truncated data)"),
        (bytes(range(0x80, 0x100)) * 8, "a.txt: cannot detect the text encoding"),
    ],
)
def test_unusable_bytes_are_refused_with_the_reason(data, message):
    with pytest.raises(InputError) as info:
        decode(data, name="a.txt")
    assert str(info.value) == message


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_decode_never_fails_but_with_an_input_error(data):
    try:
        text = decode(data, name="x")
    except InputError as exc:
        assert str(exc).startswith("x: ")
    else:
        assert text.strip()


# ------------------------------------------------------------------------------------ text cleaning


def test_cleaning_keeps_every_offset_and_removes_what_is_not_text():
    raw = "Kim\x00 a reçu\x1b[2J Lavrov\x07\x85 à Wonsan.\ud800\ufffe\r\n\tFin\x0c"
    cleaned = clean_text(raw)
    assert len(cleaned) == len(raw)
    assert cleaned == "Kim  a reçu [2J Lavrov   à Wonsan.  \r\n\tFin\x0c"


def test_long_runs_without_spaces_are_broken_but_words_and_urls_are_not():
    url = "https://www.lemonde.fr/international/article/2025/07/12/la-coree-du-nord-et-la-russie_6621234_3210.html"
    assert clean_text(url) == url
    for n in (MAX_TOKEN_CHARS, MAX_TOKEN_CHARS + 1, 2 * MAX_TOKEN_CHARS, 5 * MAX_TOKEN_CHARS + 7):
        run = "<" * n
        cleaned = clean_text(f"a {run} b")
        assert len(cleaned) == n + 4
        assert max(len(part) for part in cleaned.split()) <= MAX_TOKEN_CHARS


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=1200))
def test_cleaned_text_has_the_same_length_no_controls_and_no_overlong_run(text):
    cleaned = clean_text(text)
    assert len(cleaned) == len(text)
    assert not re.search("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]", cleaned)
    assert all(len(run) <= MAX_TOKEN_CHARS for run in re.findall(r"\S+", cleaned))
    assert clean_text(cleaned) == cleaned


def test_cleaning_a_10_mb_single_line_document_takes_linear_time():
    started = time.perf_counter()
    for text in ("<" * 10_000_000, ("mot " * 2_500_000), ("x" * 199 + " ") * 50_000):
        cleaned = clean_text(text)
        assert len(cleaned) == len(text)
    assert time.perf_counter() - started < 20  # ~2 s here; a quadratic search would take hours


def test_make_document_cleans_and_reads_the_date_line():
    doc = make_document("a", "date 2025-07-12\nKim\x1b a reçu Lavrov.")
    assert doc.date == "2025-07-12"
    assert doc.text.endswith("Kim  a reçu Lavrov.")
    assert split_date_line("Date: 2024-06 \nTexte")[0] == "2024-06"


# ------------------------------------------------------------------------------------------- files


def test_read_file_decodes_and_names_the_document(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(FRENCH.encode("cp1252"))
    doc = read_file(path, doc_id="a.txt")
    assert (doc.id, doc.text, doc.source) == ("a.txt", FRENCH, str(path))


def test_oversized_file(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 100)
    path = tmp_path / "big.txt"
    path.write_text("x" * 101)
    assert reason(path) == f"{path}: too large (101 bytes; the limit is 100)"


def test_fifo_is_not_read(tmp_path):
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert reason(path) == f"{path}: not a regular file"  # and does not block waiting for a writer


def test_broken_link_and_link_loop(tmp_path):
    broken, loop = tmp_path / "broken.txt", tmp_path / "loop.txt"
    broken.symlink_to(tmp_path / "gone.txt")
    loop.symlink_to(loop)
    assert reason(broken) == f"{broken}: broken symbolic link"
    assert reason(loop) == f"{loop}: symbolic link loop"
    assert reason(tmp_path / "missing.txt") == f"{tmp_path / 'missing.txt'}: no such file or directory"


def test_permission_denied_when_opening(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("Texte.")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(documents, "open", denied, raising=False)
    assert reason(path) == f"{path}: permission denied"


@pytest.mark.skipif(IS_ROOT, reason="root reads any file")
def test_unreadable_file_for_real(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("Texte.")
    path.chmod(0)
    try:
        assert reason(path) == f"{path}: permission denied"
    finally:
        path.chmod(0o644)


# ----------------------------------------------------------------------------------------- folders


def test_folder_walk_reports_every_problem_and_survives_a_link_loop(tmp_path):
    root = tmp_path / "news"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("Kim a reçu Lavrov.")
    (root / "sub" / "b.md").write_text("Lavrov est parti.")
    (root / "image.png").write_bytes(b"\x89PNG\x00")  # not an article: not an input
    (root / ".hidden.txt").write_text("x")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    items = list(expand_inputs([root, tmp_path / "nowhere"]))
    found = [i for i in items if not isinstance(i, Skipped)]
    assert found == [(root / "a.txt", "a.txt"), (root / "sub" / "b.md", "sub/b.md")]
    assert [str(i) for i in items if isinstance(i, Skipped)] == [f"{tmp_path / 'nowhere'}: no such file or directory"]


def test_a_folder_without_articles_is_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    assert list(expand_inputs([tmp_path / "empty"])) == [
        Skipped(str(tmp_path / "empty"), "no article files (.txt, .md) in this folder")
    ]


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path, monkeypatch):
    root = tmp_path / "news"
    (root / "locked").mkdir(parents=True)
    (root / "a.txt").write_text("Texte.")
    real_scandir = os.scandir

    def scandir(path):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(expand_inputs([root]))
    assert (root / "a.txt", "a.txt") in items
    assert Skipped(str(root / "locked"), "permission denied") in items


def test_inputs_yield_documents_and_skips_in_order(tmp_path):
    (tmp_path / "a.txt").write_text("Kim a reçu Lavrov.")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01")
    stdin = io.BytesIO("Texte lu sur l'entrée standard.".encode())
    items = list(iter_corpus([tmp_path, "-"], stdin=stdin))
    assert [type(i).__name__ for i in items] == ["Document", "Skipped", "Skipped", "Document"]
    assert [str(i) for i in items if isinstance(i, Skipped)] == [
        f"{tmp_path / 'b.txt'}: empty file",
        f"{tmp_path / 'c.txt'}: binary file (contains NUL bytes)",
    ]
    assert items[-1].id == "<stdin>"


# ------------------------------------------------------------------------------------ formats that are not text


def _zip(first: str, mimetype: bytes | None = None) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype is not None:
            archive.writestr(zipfile.ZipInfo(first), mimetype)  # stored, first: as EPUB and ODF require
        else:
            archive.writestr(first, "<Types/>", compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", "<p>Le ministre a parlé.</p>" * 50, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _sqlite(tmp_path: Path) -> bytes:
    import sqlite3

    path = tmp_path / "db.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE t (x TEXT)")
        db.commit()
    return path.read_bytes()


# an uncompressed PDF is mostly printable ASCII: without its signature it decodes as "text"
_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\nBT /F1 12 Tf 72 720 Td (Bonjour) Tj ET\n" * 20
_RTF = rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}} Le ministre a parl\'e9 mardi.}" * 10
_PADDING = b"Le ministre a rencontre son homologue a Paris. " * 20

_KINDS = {
    "a PDF document": lambda tmp: _PDF,
    "an EPUB book": lambda tmp: _zip("mimetype", b"application/epub+zip"),
    "an OpenDocument file": lambda tmp: _zip("mimetype", b"application/vnd.oasis.opendocument.text"),
    "an Office document (Word, Excel or PowerPoint)": lambda tmp: _zip("[Content_Types].xml"),
    "a ZIP archive": lambda tmp: _zip("notes.txt"),
    "an old Office document (.doc, .xls or .ppt)": lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _PADDING,
    "an RTF document": lambda tmp: _RTF,
    "a gzip archive": lambda tmp: gzip.compress(_PADDING),
    "a bzip2 archive": lambda tmp: bz2.compress(_PADDING),
    "an xz archive": lambda tmp: lzma.compress(_PADDING),
    "a 7z archive": lambda tmp: b"7z\xbc\xaf\x27\x1c\x00\x04" + _PADDING,
    "a PNG image": lambda tmp: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _PADDING,
    "a JPEG image": lambda tmp: b"\xff\xd8\xff\xe0\x00\x10JFIF" + _PADDING,
    "a GIF image": lambda tmp: b"GIF89a" + _PADDING,
    "a WebP image": lambda tmp: b"RIFF\x24\x00\x00\x00WEBPVP8 " + _PADDING,
    "a TIFF image": lambda tmp: b"II*\x00\x08\x00\x00\x00" + _PADDING,
    "an ELF program": lambda tmp: b"\x7fELF\x02\x01\x01" + _PADDING,
    "a Mach-O program": lambda tmp: b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + _PADDING,
    "a Windows program": lambda tmp: b"MZ\x90\x00\x03\x00" + _PADDING,
    "an SQLite database": _sqlite,
}


@pytest.mark.parametrize("kind", list(_KINDS))
def test_known_formats_named_txt_are_skipped_with_what_they_are(tmp_path, kind):
    path = tmp_path / "article.txt"
    path.write_bytes(_KINDS[kind](tmp_path))
    with pytest.raises(InputError) as info:
        read_file(path, doc_id="article.txt")
    assert str(info.value) == f"{path}: {kind}, not text"


def test_every_signature_in_the_table_is_tested():
    assert {kind for kind, _ in SIGNATURES} - {"an empty ZIP archive"} == set(_KINDS)


def test_text_that_merely_starts_like_a_signature_is_still_text():
    for text in ("MZ Productions a signé un accord.", "GIF : le festival ouvre jeudi.", "PK est parti."):
        assert decode(text.encode(), name="a.txt") == text


def test_a_byte_order_mark_repeated_at_the_start_is_not_text():
    # a UTF-8 file saved again with a BOM by a second tool starts with two marks
    data = "\ufeff".encode("utf-8-sig") + "Emmanuel Macron a reçu Olaf Scholz.".encode()
    assert decode(data, name="twice.txt") == "Emmanuel Macron a reçu Olaf Scholz."
