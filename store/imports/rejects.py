"""The rejects file of `--skip-invalid`: rejected rows as given, with a reason, in a new private file."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import IO, Any

from store.errors import InvalidInput
from store.imports.source_file import Source


class Rejects:
    """Writes rejected rows, unchanged, with a `reason` column, in a new 0600 file beside the input.

    Named from the whole input name (`a.csv` -> `a.csv.rejects.csv`, so `a.tsv` differs); an
    existing file or link of that name is kept and the next free `...rejects-2.csv` is used.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self.stream: IO[str] | None = None
        self.writer: Any = None
        self.path: Path | None = None
        self.kept: list[Path] = []
        """Earlier rejects files that were left alone (a new name was taken)."""

    def _open(self) -> IO[str]:
        base = self.source.path if self.source.path is not None else Path("stdin")
        suffix = "csv" if self.source.raw_rows else "jsonl"
        for number in range(1, 10_000):
            extra = "" if number == 1 else f"-{number}"
            path = base.with_name(f"{base.name}.rejects{extra}.{suffix}")
            try:
                handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                                 | getattr(os, "O_CLOEXEC", 0), 0o600)
            except FileExistsError:
                self.kept.append(path)
                continue
            except OSError as error:
                raise InvalidInput(f"{path}: cannot write the rejects file: "
                                   f"{error.strerror or error}") from None
            os.fchmod(handle, 0o600)
            self.path = path
            return open(handle, "w", encoding="utf-8", newline="")  # noqa: SIM115
        raise InvalidInput(f"{base}: too many rejects files beside it; remove old ones")

    def write(self, cells: list[Any], reason: str) -> None:
        if self.stream is None:
            self.stream = self._open()
            if self.source.raw_rows:
                self.writer = csv.writer(self.stream, lineterminator="\n")
                self.writer.writerow([*self.source.headers, "reason"])
        if self.source.raw_rows:
            self.writer.writerow([*cells, reason])
        else:
            record = dict(zip(self.source.headers, cells, strict=False)) | {"_reason": reason}
            self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
