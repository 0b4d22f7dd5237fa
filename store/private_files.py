"""Write files that hold customer data: 0600, through a fresh scratch file, never via a link."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

T = TypeVar("T")


def write_privately(target: Path, write: Callable[[IO[str]], T], *, replace: bool = True) -> T:
    """Write `target` through a new 0600 scratch file beside it, then move it into place.

    The scratch file is made by `tempfile.mkstemp` (O_EXCL | O_NOFOLLOW, a unique name), so
    a planted file or symlink is never written through; it is fsynced before the move and
    removed on any failure, a full disk included. With `replace=False` a `target` that exists
    (or appears meanwhile) is left alone and FileExistsError is raised. OSError otherwise.
    """
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial",
                                    dir=target.parent)
    scratch = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            result = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        _move_into_place(scratch, target, replace)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise
    return result


def _move_into_place(scratch: Path, target: Path, replace: bool) -> None:
    if replace:
        os.replace(scratch, target)  # replaces a link at `target`, never what it points to
        return
    try:
        os.link(scratch, target, follow_symlinks=False)  # atomic: fails if target exists
    except OSError as error:
        if isinstance(error, FileExistsError) or error.errno not in (
                errno.EPERM, errno.ENOTSUP, errno.EXDEV):
            raise
        if os.path.lexists(target):  # a file system without hard links: check, then move
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
        os.replace(scratch, target)
        return
    scratch.unlink()
