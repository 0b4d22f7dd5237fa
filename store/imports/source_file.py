"""One opened input (`Source`), the reader that hashes its bytes, and the error for text that
does not decode: what the CSV and the JSON readers share."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from store.errors import InvalidInput


class HashingReader(io.RawIOBase):
    """Reads the raw bytes once, hashing them, counting them and noticing NUL bytes."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.sha256.update(data)
        self.bytes_read += size
        return size


@dataclass
class Source:
    """One opened input: its name, format, headers and a record stream (line, values)."""

    name: str
    path: Path | None
    format: str
    encoding: str
    headers: list[str]
    records: Iterator[tuple[int, list[Any]]]
    hasher: HashingReader
    total_bytes: int | None
    sample: bytes = b""
    """The first bytes (decompressed), to place an encoding error on its line."""
    raw_rows: bool = True
    """True when `records` give CSV cells as read (rejects are rewritten as CSV)."""
    notes: list[str] = field(default_factory=list)

    def sha256(self) -> str:
        """Hash of the input's bytes as given (compressed if it was), once fully read."""
        return self.hasher.sha256.hexdigest()

    def close(self) -> None:
        """Close the input file (standard input is left open)."""
        if self.path is not None:
            self.hasher.raw.close()

    def bytes_read(self) -> int:
        """Raw bytes consumed so far (for progress)."""
        return self.hasher.bytes_read


def decode_error(name: str, line: int, encoding: str, sample: bytes = b"") -> InvalidInput:
    """The error for undecodable text, placed on the line of the first bad byte in `sample`."""
    try:
        sample.decode(encoding)
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # a bad byte inside the sample, not a cut-off tail
            line = sample[:error.start].count(b"\n") + 1
    except LookupError:
        pass
    return InvalidInput(f"{name}:{line}: not valid {encoding} text; pass --encoding "
                        "(for example --encoding latin-1 or cp1252)")
