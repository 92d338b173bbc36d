"""Writing outputs atomically: a whole file or nothing, several files together or none."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from tablejam.errors import InputError


def write_atomic(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, renamed into place."""
    write_files_atomic({path: content})


def write_files_atomic(files: Mapping[str | os.PathLike[str], str | bytes]) -> None:
    """Write several files whole or not at all: every one to a temporary file first, then each renamed into place.

    Text is written as UTF-8. A failure before the renames leaves every target as it was."""
    temps: dict[Path, str] = {}
    try:
        for path, content in files.items():
            target = Path(path)
            temps[target] = _write_temporary(target, content.encode("utf-8") if isinstance(content, str) else content)
        for target, temp in temps.items():
            os.replace(temp, target)
    finally:
        for temp in temps.values():
            Path(temp).unlink(missing_ok=True)


def check_writable(path: str | os.PathLike[str]) -> None:
    """InputError naming `path` unless a file can be written there now (checked by writing one beside it): said
    before long work whose result goes there, not after it."""
    target = Path(path)
    if target.is_dir():
        raise InputError("is a folder, not a file", str(target))
    Path(_write_temporary(target, b"")).unlink()


def _write_temporary(target: Path, data: bytes) -> str:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror}", str(target)) from None
    try:
        # mkstemp makes the file private (0600); a replaced file keeps its mode, a new one gets the usual (umask).
        os.fchmod(fd, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp


def _umask() -> int:
    """The process's umask (reading it means setting it: put straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
