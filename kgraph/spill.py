"""Relations kept on disk while a build collects its records: the bulk of each record (the evidence
sentences), which the graph needs only once, after entity resolution, to gather its edges.

The spill is an anonymous temporary file (`tempfile.TemporaryFile`, in TMPDIR): it has no name in any folder
on POSIX systems, so nothing is left behind by a build that ends, fails, is interrupted or killed.
"""

from __future__ import annotations

import pickle
import tempfile
import zlib
from collections.abc import Sequence
from typing import IO

from kgraph.errors import OutputError
from kgraph.models import Relation

# zlib's fastest level: evidence sentences compress about fourfold even so, at a fraction of the cost of level 6
_LEVEL = 1


class RelationSpill:
    """Each document's relations, written as they arrive and read back by arrival number (`add`'s return)."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None  # made with the first relation
        self._spans: list[tuple[int, int]] = []  # arrival number -> (offset, size) in the file
        self._end = 0

    def add(self, relations: Sequence[Relation]) -> int:
        """Write one document's relations; returns its arrival number."""
        if not relations:
            self._spans.append((self._end, 0))
            return len(self._spans) - 1
        data = zlib.compress(pickle.dumps(tuple(relations), protocol=pickle.HIGHEST_PROTOCOL), _LEVEL)
        try:
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="kgraph-relations-")  # noqa: SIM115 (closed by close())
            self._file.seek(self._end)
            self._file.write(data)
        except OSError as exc:
            folder = tempfile.gettempdir()
            raise OutputError(
                f"{folder}: cannot write the build's temporary file of relations ({exc}); "
                "set TMPDIR to a folder with room"
            ) from exc
        self._spans.append((self._end, len(data)))
        self._end += len(data)
        return len(self._spans) - 1

    def read(self, number: int) -> tuple[Relation, ...]:
        """The relations of the document that arrived `number`th (from 0)."""
        offset, size = self._spans[number]
        if size == 0:
            return ()
        assert self._file is not None  # a non-empty span was written to it
        self._file.seek(offset)
        relations: tuple[Relation, ...] = pickle.loads(zlib.decompress(self._file.read(size)))
        return relations

    def close(self) -> None:
        """Remove the file; the spill cannot be read after."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> RelationSpill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
