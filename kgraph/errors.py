"""Errors the library raises; the CLI turns them into one-line messages and exit codes."""


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


class GraphFileError(KgraphError):
    """A graph file given to export/info/neighbors/path is malformed or too large."""


class UsageError(KgraphError):
    """A malformed option value."""

    exit_code = 2
