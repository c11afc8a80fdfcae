"""Typed errors. Each names what went wrong and how to fix it."""

from __future__ import annotations


class CibError(Exception):
    """Base class for every error cib raises on purpose.

    ``exit_code`` is the command line's exit status for the error (``cib.cli`` reads it):
    2 for a usage, input or data error, whose message names the fix.
    """

    exit_code = 2


class ConfigError(CibError, ValueError):
    """A parameter is out of range or of the wrong type."""


class SchemaError(CibError, ValueError):
    """A frame or file lacks required columns or has them mistyped."""


class InputError(CibError):
    """An input path cannot be read as a dump of posts."""


class StoreVersionError(CibError):
    """The DuckDB store was written by an incompatible version of cib."""


class StoreLockedError(CibError):
    """Another process holds the store."""


class JobLockedError(StoreLockedError):
    """A scheduled job (``cib watch``) found the store held by another run for longer than it
    may wait; exits 75 (EX_TEMPFAIL: try again later)."""

    exit_code = 75


class WriteError(CibError):
    """The store or a report folder cannot be written (disk full, permissions, I/O)."""


class ModelUnavailableError(CibError):
    """The embedding model cannot be loaded offline."""


class NotDetectedError(CibError):
    """A report was requested before any detection run."""
