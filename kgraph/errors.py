"""Errors the library raises; the CLI turns them into one-line messages and exit codes.

Exit codes: 0 success (a graph was built, even with skipped inputs), 1 nothing could be built or an
output could not be written (every KgraphError but UsageError), 2 usage errors, 130 interrupted (Ctrl-C).
"""


class KgraphError(Exception):
    """Base class of every error kgraph raises on purpose."""

    exit_code = 1


class InputError(KgraphError):
    """An input path or document cannot be read or used."""


class OutputError(KgraphError):
    """An output file cannot be written."""


class PipelineError(KgraphError):
    """The spaCy pipeline cannot be loaded."""


class PatternError(KgraphError):
    """A relation pattern file is malformed."""


class LanguageError(KgraphError):
    """A language pack (kgraph/lang/<code>/) is missing, or one of its files is missing or malformed."""


class GraphFileError(KgraphError):
    """A graph file given to export/info/neighbors/path is malformed or too large."""


class QueryError(KgraphError):
    """An entity asked for is not in the graph, or the name fits several entities."""


class UsageError(KgraphError):
    """A malformed option value."""

    exit_code = 2
