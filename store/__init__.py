"""retain's core: the book's data, its lifecycle models and (later) its KPIs. No UI here."""

from store.errors import (
    DatabaseBusy,
    InvalidInput,
    MigrationFailed,
    NotFound,
    SchemaTooNew,
    StoreError,
)
from store.store import Store

__all__ = [
    "DatabaseBusy",
    "InvalidInput",
    "MigrationFailed",
    "NotFound",
    "SchemaTooNew",
    "Store",
    "StoreError",
]
