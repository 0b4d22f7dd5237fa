"""Exceptions the store raises; both faces turn them into one-line messages."""

from __future__ import annotations


class StoreError(Exception):
    """Base class for every error the store reports to a user."""


class NotFound(StoreError):
    """A key or name matched nothing in the book."""


class InvalidInput(StoreError):
    """Values were rejected by validation; the message says which field and why."""


class SchemaTooNew(StoreError):
    """The database was written by a newer retain; opening it could damage it."""


class MigrationFailed(StoreError):
    """A schema migration failed; the database was left as it was before."""


class DatabaseBusy(StoreError):
    """Another process held the write lock for longer than the busy timeout."""
