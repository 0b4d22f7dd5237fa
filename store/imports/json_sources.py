"""JSON inputs: an array, an object of arrays, or JSON Lines, as (index or line, values) records."""

from __future__ import annotations

import json
import pickle
import tempfile
import zlib
from collections.abc import Iterator
from typing import IO, Any

from store.errors import InvalidInput
from store.imports.source_file import Source, decode_error


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing one that names a key twice (the last would silently win)."""
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            raise ValueError(f"key {key!r} appears twice in one record")
        record[key] = value
    return record


def open_json(source: Source, stream: IO[str], kind: str | None) -> None:
    """Fill `source`'s headers and records from a JSON or JSON Lines stream."""
    name = source.name
    if source.format == "jsonl":
        source.raw_rows = False
        source.records, source.headers = _jsonl_records(name, stream)
        return
    try:
        data = json.load(stream, object_pairs_hook=_no_repeated_keys)
    except (OSError, EOFError, zlib.error) as error:  # a truncated or corrupt .gz
        raise InvalidInput(f"{name}: cannot read: {error}") from None
    except UnicodeDecodeError:
        raise decode_error(name, 1, source.encoding, source.sample) from None
    except RecursionError:
        raise InvalidInput(f"{name}: JSON nested too deeply to read (records are flat "
                           "objects); nothing was imported") from None
    except ValueError as error:
        raise InvalidInput(f"{name}:{getattr(error, 'lineno', 1)}: not valid JSON: "
                           f"{getattr(error, 'msg', error)}") from None
    if isinstance(data, dict):
        arrays = {key: value for key, value in data.items() if isinstance(value, list)}
        if kind in arrays:
            data = arrays[kind]
        elif len(arrays) == 1:
            data = next(iter(arrays.values()))
        else:
            raise InvalidInput(f"{name}: a JSON object must hold one array of records, or one "
                               f"named {kind!r} (found: {', '.join(arrays) or 'none'})")
    if not isinstance(data, list):
        raise InvalidInput(f"{name}: JSON must be an array of records or an object of arrays")
    headers: dict[str, None] = {}
    for index, record in enumerate(data):
        if not isinstance(record, dict):
            raise InvalidInput(f"{name}:[{index}]: a record must be a JSON object")
        headers.update(dict.fromkeys(record))
    source.raw_rows = False
    source.headers = list(headers)
    names = source.headers
    source.records = ((index, [record.get(key) for key in names])
                      for index, record in enumerate(data))


def _jsonl_records(name: str, stream: IO[str]) -> tuple[Iterator[tuple[int, list[Any]]], list[str]]:
    """Read every line once, spooling the records, so the columns are the union of all keys
    (a field that first appears on line 100,000 is still a column)."""
    headers: dict[str, None] = {}
    spool = tempfile.TemporaryFile(prefix="retain-jsonl-")
    batch: list[tuple[int, dict[str, Any]]] = []
    number = 0

    def parse(number: int, line: str) -> dict[str, Any] | None:
        if not line.strip():
            return None
        if "\x00" in line:
            raise InvalidInput(f"{name}:{number}: contains a NUL byte")
        try:
            record = json.loads(line, object_pairs_hook=_no_repeated_keys)
        except ValueError as error:
            raise InvalidInput(f"{name}:{number}: not valid JSON: {error}") from None
        except RecursionError:
            raise InvalidInput(f"{name}:{number}: JSON nested too deeply to read (records "
                               "are flat objects); nothing was imported") from None
        if not isinstance(record, dict):
            raise InvalidInput(f"{name}:{number}: a JSON Lines record must be an object")
        return record

    try:
        for number, line in enumerate(stream, start=1):
            record = parse(number, line)
            if record is None:
                continue
            if len(record) != len(headers) or not headers.keys() >= record.keys():
                headers.update(dict.fromkeys(record))
            batch.append((number, record))
            if len(batch) >= 5000:
                pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
                batch = []
    except UnicodeDecodeError:
        spool.close()
        raise decode_error(name, number + 1, "the file's") from None
    except (OSError, EOFError, zlib.error) as error:  # a truncated or corrupt .gz
        spool.close()
        raise InvalidInput(f"{name}:{number + 1}: cannot read: {error}") from None
    except BaseException:
        spool.close()
        raise
    pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
    names = list(headers)

    def records() -> Iterator[tuple[int, list[Any]]]:
        with spool:
            spool.seek(0)
            while True:
                try:
                    chunk = pickle.load(spool)
                except EOFError:
                    return
                for line_number, record in chunk:
                    yield line_number, [record.get(key) for key in names]

    return records(), names
