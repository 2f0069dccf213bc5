"""Atomic writes: a failure of any kind at any point of writing leaves the previous file whole."""

from __future__ import annotations

import errno
import os

import pytest

from kgraph import atomic
from kgraph.atomic import atomic_group, atomic_open, atomic_write_bytes, atomic_write_chunks, atomic_write_text
from kgraph.errors import OutputError
from kgraph.export import FORMATS, write
from tests.conftest import make_sample_graph

FAULTS = [
    pytest.param(RuntimeError("exporter bug"), RuntimeError, id="exception"),
    pytest.param(KeyboardInterrupt(), KeyboardInterrupt, id="ctrl-c"),
    pytest.param(OSError(errno.ENOSPC, "No space left on device"), OutputError, id="disk-full"),
]


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_text_and_bytes_with_the_usual_permissions(tmp_path):
    atomic_write_text(tmp_path / "a.txt", "é\n")
    atomic_write_bytes(tmp_path / "sub" / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.txt").read_bytes() == "é\n".encode()
    assert (tmp_path / "sub" / "b.bin").read_bytes() == b"\x00\x01"
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o666 & ~umask
    assert leftovers(tmp_path) == []


def test_a_long_file_name_still_fits(tmp_path):
    name = "g" * 250 + ".json"
    atomic_write_text(tmp_path / name, "{}")
    assert (tmp_path / name).read_text() == "{}"


@pytest.mark.parametrize(("fault", "raised"), FAULTS)
@pytest.mark.parametrize("where", ["while writing", "at fsync", "at rename"])
def test_a_failure_anywhere_leaves_the_previous_file(tmp_path, monkeypatch, fault, raised, where):
    target = tmp_path / "graph.json"
    target.write_text("previous")

    def fail(*args, **kwargs):
        raise fault

    if where == "at fsync":
        monkeypatch.setattr(atomic.os, "fsync", fail)
    if where == "at rename":
        monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(raised), atomic_open(target) as handle:
        handle.write("half of the new")
        if where == "while writing":
            raise fault
    assert target.read_text() == "previous"
    assert leftovers(tmp_path) == []


def test_disk_full_is_an_output_error_naming_the_file(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(OutputError) as info:
        atomic_write_text(tmp_path / "graph.json", "{}")
    assert str(info.value) == f"{tmp_path / 'graph.json'}: cannot write: No space left on device"


def test_a_folder_that_cannot_be_made(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match=r"file/out\.json: cannot write: .*/file is not a folder"):
        atomic_write_text(tmp_path / "file" / "out.json", "{}")


def test_text_that_utf8_cannot_carry_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="not encodable as UTF-8"):
        atomic_write_text(tmp_path / "a.txt", "lone \ud800 surrogate")
    assert leftovers(tmp_path) == []


def test_a_group_replaces_all_files_or_none(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a")
    b.write_text("old b")
    with pytest.raises(KeyboardInterrupt), atomic_group():
        atomic_write_text(a, "new a")
        assert a.read_text() == "old a"  # not yet
        with atomic_open(b) as handle:
            handle.write("new")
            raise KeyboardInterrupt
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert leftovers(tmp_path) == []
    with atomic_group():
        atomic_write_text(a, "new a")
        atomic_write_text(b, "new b")
    assert (a.read_text(), b.read_text()) == ("new a", "new b")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(("fault", "raised"), FAULTS)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_exporter_keeps_the_previous_output_when_writing_fails(tmp_path, monkeypatch, fmt, fault, raised):
    graph = make_sample_graph()
    path = tmp_path / FORMATS[fmt][1]
    written = write(graph, path, fmt)
    before = {p: p.read_bytes() for p in written}
    graph.nodes["loc:wonsan"]["label"] = "Wonsan (changed)"

    def fail(fd):
        raise fault

    monkeypatch.setattr(atomic.os, "fsync", fail)  # every exporter must go through kgraph.atomic
    with pytest.raises(raised):
        write(graph, path, fmt)
    assert {p: p.read_bytes() for p in written} == before
    assert leftovers(tmp_path) == []


def big_stream(fault: BaseException | None = None):
    """More than one batch of text (so some of it reaches the disk), then `fault` if given."""
    yield "é" * 1_500_000
    yield "fin\n"
    if fault is not None:
        raise fault


@pytest.mark.parametrize(("fault", "raised"), FAULTS)
def test_a_stream_that_fails_midway_leaves_the_previous_file_and_no_temporary_file(tmp_path, fault, raised):
    target = tmp_path / "graph.json"
    target.write_text("previous")
    with pytest.raises(raised):
        atomic_write_chunks(target, big_stream(fault))  # a disk-full error in the stream too
    assert target.read_text() == "previous"
    assert leftovers(tmp_path) == []


def test_streamed_pieces_of_any_size_give_the_bytes_of_the_whole_text(tmp_path):
    pieces = ["<a>", "ü\ud800" * 1_200_000, "", "x", "€" * 3, "\U0001f600\n"]
    atomic_write_chunks(tmp_path / "a.xml", pieces, errors="xmlcharrefreplace")
    assert (tmp_path / "a.xml").read_bytes() == "".join(pieces).encode("utf-8", "xmlcharrefreplace")
    atomic_write_chunks(tmp_path / "b.txt", iter(big_stream()))
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "".join(big_stream())
    assert leftovers(tmp_path) == []


def test_a_streamed_lone_surrogate_is_an_output_error_and_nothing_is_written(tmp_path):
    target = tmp_path / "graph.json"
    target.write_text("previous")
    with pytest.raises(OutputError, match="not encodable as UTF-8"):
        atomic_write_chunks(target, ["ok " * 500_000, "lone \udc80"])
    assert target.read_text() == "previous"
    assert leftovers(tmp_path) == []
