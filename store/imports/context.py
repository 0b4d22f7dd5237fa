"""What rows are checked against: the book's accounts, subscriptions and stages, read once."""

from __future__ import annotations

import re
from typing import Any

from store.errors import InvalidInput, NotFound
from store.imports import values as v
from store.imports.values import FieldError

_STAGE_NOISE = re.compile(r"[\s_-]+")


class BlankAccount(FieldError):
    """A row whose account cell is blank (the reader names the column it came from)."""


def stage_word(text: str) -> str:
    """A stage key or label folded for matching: case, spaces, `-` and `_` do not count."""
    return _STAGE_NOISE.sub("", text.casefold())


class BookFacts:
    """Lazily loaded lookups an import checks rows against, before any write lock is taken."""

    def __init__(self, conn: Any, stage_keys: tuple[str, ...], default_stage: str, today: str,
                 create_accounts: bool = False, fixed_account: str | None = None,
                 stage_labels: dict[str, str] | None = None) -> None:
        self.conn = conn
        self.stage_keys = frozenset(stage_keys)
        self.stage_list = stage_keys
        self._stage_words: dict[str, str] = {}
        for key, label in [*(stage_labels or {}).items(), *((key, key) for key in stage_keys)]:
            self._stage_words.setdefault(stage_word(label), key)
        self.default_stage = default_stage
        self.today = today
        self.create_accounts = create_accounts
        self.fixed_account = fixed_account
        self.missing_accounts: dict[str, str] = {}
        """Accounts --create-accounts will add: key -> name."""
        self._ids: set[str] | None = None
        self._names: dict[str, str | None] | None = None
        self._subscriptions: dict[str, str] | None = None
        self._references: dict[str, dict[str, bool]] = {}
        self._deal_stages: dict[str, str] | None = None

    def account_ids(self) -> set[str]:
        """Keys of every account in the book (read once)."""
        if self._ids is None:
            self._ids = {row[0] for row in self.conn.execute("SELECT id FROM accounts")}
        return self._ids

    def _by_name(self, name: str) -> str | None:
        if self._names is None:
            self._names = {}
            for key, stored in self.conn.execute("SELECT id, name FROM accounts"):
                folded = stored.casefold()
                self._names[folded] = None if folded in self._names else key
        folded = name.casefold()
        if folded in self._names and self._names[folded] is None:
            raise FieldError("account_name", f"several accounts are named {name!r}; map an "
                                             "account key column instead")
        return self._names.get(folded)

    def _by_subscription(self, subscription: str) -> str | None:
        if self._subscriptions is None:
            self._subscriptions = dict(
                self.conn.execute("SELECT id, account_id FROM subscriptions").fetchall()
            )
        return self._subscriptions.get(subscription)

    def resolve_account(self, row: dict[str, Any]) -> None:
        """Fill `account_id` (from --account, a name or a subscription) and check it exists."""
        name = row.pop("account_name", None)
        subscription = row.pop("subscription_id", None)
        key = self.fixed_account or row.get("account_id")
        if key is None and name is not None:
            key = self._by_name(name)
            if key is None and self.create_accounts:
                key = name
            elif key is None:
                raise FieldError("account_name", f"no account named {name!r}; import accounts "
                                                 "first or pass --create-accounts")
        if key is None and subscription is not None:
            key = self._by_subscription(subscription)
            if key is None:
                raise FieldError("subscription_id", f"no subscription {subscription!r}; "
                                                    "import subscriptions first")
        if key is None:
            raise BlankAccount("account_id", "names no account (map a column to account_id, "
                                             "or pass --account KEY)")
        if key not in self.account_ids() and key not in self.missing_accounts:
            if not self.create_accounts:
                raise FieldError("account_id", f"no account with key {key!r}; import accounts "
                                               "first or pass --create-accounts")
            self.missing_accounts[key] = name or key
        row["account_id"] = key

    def check_reference(self, row: dict[str, Any], field_name: str, table: str) -> None:
        """Refuse a contact or interaction id the book does not hold (looked up once each)."""
        key = row.get(field_name)
        if key is None:
            return
        cache = self._references.setdefault(table, {})
        if key not in cache:
            found = self.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (key,)).fetchone()
            cache[key] = found is not None
            if len(cache) > 100_000:
                cache.clear()
        if not cache.get(key, True):
            raise FieldError(field_name, f"no {table[:-1]} with id {key!r}; import {table} first")

    def deal_stages(self) -> dict[str, str]:
        """The book's own CRM stage name -> deal status map (setting deals.stage_status)."""
        if self._deal_stages is None:
            from store.imports.sales_rows import custom_stages

            self._deal_stages = custom_stages(self.conn)
        return self._deal_stages

    def check_stage(self, field_name: str, key: str) -> str:
        """The book's stage key for `key` (a key or label, any case); refuse an unknown one."""
        if key in self.stage_keys:
            return key
        found = self._stage_words.get(stage_word(key))
        if found is not None:
            return found
        hint = ""
        if field_name == "stage" and key.strip().lower() in v.YES_NO:
            hint = ("; yes/no or 1/0 values look like a churn flag: map that column to the "
                    "field 'churned' (--map COLUMN=churned)")
        raise FieldError(field_name, f"unknown stage {key!r}; this book's stages are: "
                                     f"{', '.join(self.stage_list)}{hint}")


def require_account(conn: Any, query: str, create: bool) -> str:
    """The key of the account `--account` names (a key or an exact name)."""
    row = conn.execute("SELECT id FROM accounts WHERE id = ? OR name = ? COLLATE NOCASE "
                       "LIMIT 2", (query, query)).fetchall()
    if len(row) == 1:
        return str(row[0][0])
    if len(row) > 1:
        raise InvalidInput(f"--account {query!r} matches several accounts; give the key")
    if create:
        return query
    raise NotFound(f"--account {query!r}: no such account; pass --create-accounts to add it")
