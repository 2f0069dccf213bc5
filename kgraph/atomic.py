"""Atomic file writes: a temporary file in the target folder, flushed, fsynced, then renamed over.

`atomic_group()` extends this to several files: inside it, renames wait until the whole block has
succeeded, so a build that fails while writing its third output leaves all of the previous ones.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from kgraph.errors import OutputError

# streamed text is encoded and written in batches of about this many characters: few system calls, and
# memory for one batch only, whatever the size of the file
_BATCH_CHARS = 1 << 20

# The group of pending renames of the enclosing `atomic_group()` block, if any. A context variable,
# not a module global, so that threads and nested groups each see their own.
_PENDING: contextvars.ContextVar[list[tuple[str, Path]] | None] = contextvars.ContextVar(
    "kgraph_atomic_pending", default=None
)


@functools.cache
def _file_mode() -> int:
    """0o666 minus the umask: what `open()` would have given; mkstemp creates files 0600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO]:
    """Open a temporary sibling of `path` for writing; it replaces `path` only if the block succeeds.

    On any exception (including KeyboardInterrupt) the temporary file is removed and an existing
    `path` is left untouched. Inside `atomic_group()`, the rename waits for the end of the group.
    """
    target = Path(path)
    binary = "b" in mode
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"{target}: cannot write: {target.parent} is not a folder") from None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    try:
        # the name is cut so that a long but valid target name cannot make the temporary one too long
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:64]}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _file_mode())
        pending = _PENDING.get()
        if pending is None:
            os.replace(tmp, target)
            _sync_folder(target.parent)
        else:
            pending.append((tmp, target))
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
        if isinstance(exc, UnicodeEncodeError):
            raise OutputError(f"{target}: cannot write: text not encodable as UTF-8 ({exc.reason})") from exc
        raise


@contextlib.contextmanager
def atomic_group() -> Iterator[None]:
    """Let every `atomic_open` inside the block replace its file only once the whole block succeeded.

    If the block raises (an error, a full disk, Ctrl-C), no target is replaced and the temporary
    files are removed. The renames at the end are each atomic, and done one after the other.
    """
    if _PENDING.get() is not None:  # nested: the outer group commits
        yield
        return
    pending: list[tuple[str, Path]] = []
    token = _PENDING.set(pending)
    try:
        yield
    except BaseException:
        for tmp, _ in pending:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    finally:
        _PENDING.reset(token)
    for index, (tmp, target) in enumerate(pending):
        try:
            os.replace(tmp, target)
        except BaseException as exc:
            for later, _ in pending[index:]:
                with contextlib.suppress(OSError):
                    os.unlink(later)
            if isinstance(exc, OSError):
                raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
            raise
    for folder in {target.parent for _, target in pending}:
        _sync_folder(folder)


def pending_writes() -> list[tuple[Path, Path]]:
    """(temporary file, target) of each write the enclosing `atomic_group()` will rename at its end, in the
    order they were written; [] outside a group. A rename keeps the file's size and modification time."""
    return [(Path(tmp), target) for tmp, target in _PENDING.get() or ()]


def _sync_folder(folder: Path) -> None:
    """fsync the folder so that the rename itself survives a power cut (where the OS allows it)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    with atomic_open(path, "w") as handle:
        handle.write(text)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def atomic_write_chunks(path: str | os.PathLike[str], chunks: Iterable[str], *, errors: str = "strict") -> None:
    """Write the text `chunks` to `path` as UTF-8 while they are generated, atomically (see `atomic_open`).

    The text is never held whole: it is encoded and written in batches, so a writer that yields its file in
    pieces needs memory for one piece and one batch. `errors` is the encoder's error handler (GraphML uses
    "xmlcharrefreplace"); with "strict", text UTF-8 cannot carry is an OutputError and nothing is written.
    """
    with atomic_open(path, "wb") as handle:
        batch: list[str] = []
        size = 0
        for chunk in chunks:
            batch.append(chunk)
            size += len(chunk)
            if size >= _BATCH_CHARS:
                text = "".join(batch)
                batch.clear()
                size = 0
                for start in range(0, len(text), _BATCH_CHARS):  # a big piece is encoded a slice at a time
                    handle.write(text[start : start + _BATCH_CHARS].encode("utf-8", errors))
        handle.write("".join(batch).encode("utf-8", errors))
